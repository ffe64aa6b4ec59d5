"""Which themes to choose for next year's sessions, with reasons a planner can defend.

Per theme (coding group of the taxonomy) five signals, each scaled to 0-1 across themes:
- need: the mean over the theme's items of the share with a large or very large need
  (latest wave; the needs table's numbers, "weet niet" left out), min-max scaled across
  themes; shown with its 95 % bootstrap interval (percentiles of resamples of respondents);
- breadth: the share of provinces (Brussel counted as one, when it is in the data) where
  the theme's need is at least as high as in the whole sample (no organisation types);
- gap: how little last year already covered it (1 − participant-hours on the theme, scaled);
- rating: how poorly last year's sessions on the theme were rated (5 − mean satisfaction);
- requests: how often open answers ask for it.
The score is a weighted sum (weights are parameters); `sensitivity` shows whether the top
five change when each weight moves up or down by half, and `top_share` how often a theme
is in the top five over bootstrap resamples of the respondents (`RESAMPLES`, seeded).

Missing is never zero: without last year's activities (no register: `events=None`) nothing
is known about what was covered, and without feedback nothing about ratings. Such a signal
is *unavailable*: it gets weight 0, the other weights are scaled to sum to 1 again, and the
reasons say so instead of "geen activiteit".
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from inclusie_analysis.read.themes import Taxonomy, group_of, theme_label

RESAMPLES = 500  # bootstrap resamples of the respondents (rank frequency, need interval)
SEED = 14
TOP = 5
WEIGHTS = {"need": 0.4, "breadth": 0.2, "gap": 0.2, "rating": 0.1, "requests": 0.1}


def theme_signals(
    needs: pd.DataFrame,
    respondents: pd.DataFrame,
    events: pd.DataFrame | None = None,
    feedback: pd.DataFrame | None = None,
    answers_text: pd.DataFrame | None = None,
    top_levels: int = 2,
    taxonomy: Taxonomy = None,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> pd.DataFrame:
    """The raw signals per theme group (before scaling), one row per theme. Without `events`
    (None: no register) hours and events are unknown (NA), not 0. `taxonomy` is the themes
    file (default: the configured one, `paths.themes`). Items whose theme is not in the
    taxonomy (such as "zonder_thema") cannot be ranked and are left out.

    `need_share` is the mean of the theme's items' shares of large need (the needs table's
    numbers), `need_low`/`need_high` its 95 % percentile bootstrap interval from `resamples`
    resamples of the respondents (seeded); `need_draws`/`breadth_draws` keep the resampled
    values for the rank frequency (`rank_themes`)."""
    groups = group_of(taxonomy)
    latest = needs[needs["wave"] == needs["wave"].max()].copy()
    latest["group"] = latest["theme"].map(groups)
    levels = list(latest["level"].cat.categories)
    latest["large"] = latest["level"].isin(levels[-top_levels:]).astype(float)
    rated = latest.dropna(subset=["level", "group"])
    if "item" not in rated:
        rated = rated.assign(item=rated["theme"])
    out = _need_signals(rated, respondents, resamples, seed)
    out = _activity_signals(out, events, feedback, groups)
    return _request_signals(out, answers_text)


def _need_signals(
    rated: pd.DataFrame, respondents: pd.DataFrame, resamples: int, seed: int
) -> pd.DataFrame:
    """Per theme group of the latest wave's rated items (`rated`, with `group` and `large`):
    respondents, items, need share with its bootstrap interval and draws, breadth and draws,
    provinces above the mean."""
    grid = rated.pivot_table(index="respondent_id", columns="item", values="large", aggfunc="max")
    item_group = rated.drop_duplicates("item").set_index("item")["group"].reindex(grid.columns)
    latest_first = (
        respondents.sort_values("wave", ascending=False) if "wave" in respondents else respondents
    )
    province = (
        latest_first.drop_duplicates("respondent_id")
        .set_index("respondent_id")["province"]
        .reindex(grid.index)
    )
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(grid), np.full(len(grid), 1 / len(grid)), size=resamples)
    draws = _need_and_breadth(grid, item_group, province, counts.astype(float))
    point = _need_and_breadth(grid, item_group, province, np.ones((1, len(grid))))
    themes = point["need"].columns
    answered = rated.groupby("group")["respondent_id"].nunique().reindex(themes)
    out = pd.DataFrame(
        {
            "n": answered.astype("int64"),
            "items": item_group.value_counts().reindex(themes).astype("int64"),
            "need_share": point["need"].iloc[0],
            "need_low": draws["need"].quantile(0.025),
            "need_high": draws["need"].quantile(0.975),
            "breadth": point["breadth"].iloc[0],
            "provinces_above": point["above"].iloc[0].astype("int64"),
            "provinces": point["areas"].iloc[0].astype("int64"),
            "with_brussels": bool((province == "Brussel").any()),
        },
        index=pd.Index(themes, name="theme"),
    )
    out["need_draws"] = [draws["need"][t].to_numpy() for t in themes]
    out["breadth_draws"] = [draws["breadth"][t].to_numpy() for t in themes]
    return out


def _activity_signals(
    out: pd.DataFrame,
    events: pd.DataFrame | None,
    feedback: pd.DataFrame | None,
    groups: dict[str, str],
) -> pd.DataFrame:
    """`out` with the hours and events given per theme group and their mean satisfaction;
    unknown (NA) without a register (`events` None), 0 for a theme without activities."""
    known = events is not None
    out["hours"] = 0.0 if known else float("nan")
    out["events"] = pd.array([0 if known else pd.NA] * len(out), dtype="Int64")
    out["rating"] = float("nan")
    if events is not None and len(events):
        exploded = events.assign(theme=events["themes"].fillna("").str.split(";")).explode("theme")
        exploded["group"] = exploded["theme"].map(groups)
        exploded["hours_done"] = exploded["attended"].astype(float) * exploded["hours"].astype(
            float
        )
        covered = exploded.groupby("group").agg(
            hours=("hours_done", "sum"), events=("event_id", "nunique")
        )
        out.loc[out.index.intersection(covered.index), ["hours", "events"]] = covered
        if feedback is not None and len(feedback):
            scores = feedback.dropna(subset=["event_id"]).merge(
                exploded[["event_id", "group"]], on="event_id"
            )
            rating = scores.groupby("group")["satisfaction"].mean()
            out.loc[out.index.intersection(rating.index), "rating"] = rating
    return out


def _request_signals(out: pd.DataFrame, answers_text: pd.DataFrame | None) -> pd.DataFrame:
    """`out` with `requests`: the respondents whose open answers ask for the theme."""
    out["requests"] = 0
    if answers_text is not None and "themes" in answers_text:
        asked = answers_text.assign(theme=answers_text["themes"].str.split(";")).explode("theme")
        counts = asked.groupby("theme")["respondent_id"].nunique()
        out.loc[out.index.intersection(counts.index), "requests"] = counts
    return out


def _need_and_breadth(
    grid: pd.DataFrame, item_group: pd.Series, province: pd.Series, weights: np.ndarray
) -> dict[str, pd.DataFrame]:
    """Per row of `weights` (how often each respondent of `grid` is counted: ones for the
    sample, multinomial counts for a bootstrap resample): per theme the mean of its items'
    shares of large need, and per province (Brussel apart, when in the data) whether the
    theme's need there is at least the overall one. Frames of rows × themes."""
    large = grid.to_numpy(dtype=float)
    asked = ~np.isnan(large)
    large = np.nan_to_num(large)
    overall = _theme_means(large, asked, item_group, weights)
    above = overall * 0.0
    areas = overall * 0.0
    for name in province.dropna().unique():
        here = (province == name).fillna(False).to_numpy(dtype=bool)
        local = _theme_means(large, asked, item_group, weights * here)
        known = local.notna()
        above += (known & (local >= overall - 1e-12)).astype(float)
        areas += known.astype(float)
    breadth = (above / areas.where(areas > 0)).fillna(0.0)
    return {"need": overall, "breadth": breadth, "above": above, "areas": areas}


def _theme_means(
    large: np.ndarray, asked: np.ndarray, item_group: pd.Series, weights: np.ndarray
) -> pd.DataFrame:
    """Per row of `weights` and theme: the mean over the theme's items of the share with a
    large need among those who rated the item (an item nobody rated is left out)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = (weights @ large) / (weights @ asked)
    frame = pd.DataFrame(shares, columns=item_group.index)
    return frame.T.groupby(item_group.to_numpy()).mean().T


def rank_themes(
    signals: pd.DataFrame,
    weights: dict[str, float] | None = None,
    unavailable: Iterable[str] = (),
    taxonomy: Taxonomy = None,
    top: int = TOP,
    seed: int = SEED,
    language: str = "nl",
) -> pd.DataFrame:
    """Themes ranked by the weighted score, each with one sentence of reasons (Dutch; English
    with `language="en"`; labels from `taxonomy`, default the configured themes file).

    `unavailable` names signals whose input is missing (e.g. "gap" and "rating" without a
    register; `sources.unavailable_signals` gives them); a signal with no value for any
    theme (hours or ratings all unknown) is unavailable too. They get weight 0 and the rest
    is scaled to sum to 1 (`effective_weights`).

    `top_share` is how often the theme is in the first `top` when the score is computed
    again on each bootstrap resample of the respondents of `theme_signals` (need and breadth
    resampled, the other signals as they are; ties broken at random with `seed`); NA when
    the signals carry no resamples."""
    missing = unavailable_in(signals, unavailable)
    weights = effective_weights(weights, missing)
    parts = pd.DataFrame(index=signals.index)
    parts["need"] = _scale(signals["need_share"])
    parts["breadth"] = signals["breadth"]
    parts["gap"] = 1 - _scale(signals["hours"].fillna(0))
    parts["rating"] = _scale(5 - signals["rating"].fillna(5))
    parts["requests"] = _scale(signals["requests"].astype(float))
    for key in missing:
        parts[key] = float("nan")  # not 0: there is nothing to score on
    score = sum(weights[k] * parts[k].fillna(0) for k in WEIGHTS)
    fixed = sum(weights[k] * parts[k].fillna(0) for k in ("gap", "rating", "requests"))
    top_share = _top_share(signals, weights, fixed, top, seed)
    out = signals.drop(columns=["need_draws", "breadth_draws"], errors="ignore")
    out = out.assign(**{f"part_{k}": parts[k] for k in WEIGHTS}, score=score, top_share=top_share)
    out = out.sort_values(["score", "need_share"], ascending=False)
    out.insert(0, "rank", range(1, len(out) + 1))
    labels = {t: theme_label(t, taxonomy) for t in out.index}
    out["label"] = [labels[t] for t in out.index]
    out["reason"] = [_reason(row, missing, language) for row in out.itertuples()]
    return out


def _top_share(
    signals: pd.DataFrame, weights: dict[str, float], fixed: pd.Series, top: int, seed: int
) -> pd.Series:
    """Per theme: the share of bootstrap resamples in which its score is among the first
    `top` (need scaled across themes within each resample, as in the ranking)."""
    if "need_draws" not in signals or not len(signals):
        return pd.Series(pd.NA, index=signals.index, dtype="Float64")
    need = np.vstack(signals["need_draws"].to_list()).T  # resamples × themes
    breadth = np.vstack(signals["breadth_draws"].to_list()).T
    low, high = np.nanmin(need, axis=1, keepdims=True), np.nanmax(need, axis=1, keepdims=True)
    span = np.where(high > low, high - low, np.inf)
    scaled = np.nan_to_num((need - low) / span)
    scores = weights["need"] * scaled + weights["breadth"] * breadth + fixed.to_numpy()
    ties = np.random.default_rng(seed).random(scores.shape)
    order = np.lexsort((ties, -scores), axis=1)  # per resample: best first
    place = np.argsort(order, axis=1)
    return pd.Series((place < top).mean(axis=0), index=signals.index)


def bootstrap_sentence(resamples: int = RESAMPLES, top: int = TOP, language: str = "nl") -> str:
    """How the interval of the need and the 'in top 5' column were computed."""
    if language == "nl":
        return (
            f"De nood is het gemiddelde over de vragen van het thema van het aandeel met een "
            f"grote of zeer grote nood (dezelfde cijfers als in de tabel met de noden; 'weet "
            f"niet' telt niet mee); het interval is een 95 %-bootstrapinterval: de respondenten "
            f"werden {resamples} keer opnieuw getrokken (met teruglegging). 'In top {top}' zegt "
            f"in hoeveel procent van die trekkingen het thema bij de eerste {top} staat, met de "
            "nood en de spreiding over de provincies telkens opnieuw berekend en de andere "
            "signalen zoals ze zijn."
        )
    return (
        f"Need is the mean over the theme's questions of the share with a large or very large "
        f"need (the needs table's figures; 'don't know' is left out); its interval is a 95 % "
        f"bootstrap interval over {resamples} resamples of the respondents (with replacement). "
        f"'In top {top}' is the share of those resamples in which the theme is among the "
        f"first {top}, with need and spread over the provinces recomputed each time and the "
        "other signals as they are."
    )


def unavailable_in(signals: pd.DataFrame, unavailable: Iterable[str] = ()) -> list[str]:
    """The signals without data: those named, and those unknown for every theme."""
    missing = [k for k in WEIGHTS if k in set(unavailable)]
    if "gap" not in missing and signals["hours"].isna().all():
        missing.append("gap")
    if "rating" not in missing and signals["rating"].isna().all():
        missing.append("rating")
    return [k for k in WEIGHTS if k in missing]


def effective_weights(
    weights: dict[str, float] | None = None, unavailable: Iterable[str] = ()
) -> dict[str, float]:
    """The weights used: 0 for unavailable signals, the others scaled to their old sum."""
    weights = {**WEIGHTS, **(weights or {})}
    missing = set(unavailable)
    total = sum(weights[k] for k in WEIGHTS)
    kept = sum(weights[k] for k in WEIGHTS if k not in missing)
    factor = total / kept if kept else 0.0
    return {k: 0.0 if k in missing else weights[k] * factor for k in WEIGHTS}


SIGNAL_WORDS = {
    "nl": {"need": "het gemiddelde aandeel met grote nood over de vragen van het thema",
           "breadth": "in hoeveel provincies en Brussel de nood minstens even hoog is als "
                      "in het geheel",
           "gap": "hoe weinig er al rond gewerkt werd",
           "rating": "de beoordeling van vorige activiteiten",
           "requests": "vragen in open antwoorden"},
    "en": {"need": "the mean share with a large need over the theme's questions",
           "breadth": "in how many provinces and Brussels the need is at least as high as "
                      "overall",
           "gap": "how little was already done",
           "rating": "ratings of earlier activities",
           "requests": "requests in open answers"},
}  # fmt: skip


def weights_sentence(
    weights: dict[str, float] | None = None, unavailable: Iterable[str] = (), language: str = "nl"
) -> str:
    """How the ranking weighs its signals, naming those left out for want of data."""
    from inclusie_analysis.formats import format_percent

    nl = language == "nl"
    words = SIGNAL_WORDS["nl" if nl else "en"]
    missing = [k for k in WEIGHTS if k in set(unavailable)]
    used = effective_weights(weights, missing)
    shown = []
    for key, weight in used.items():
        if key in missing:
            continue
        share = format_percent(weight, language, 0 if round(100 * weight, 6).is_integer() else 1)
        shown.append(f"{words[key]} ({share})")
    joined = (", ".join(shown[:-1]) + (" en " if nl else " and ") + shown[-1]) if shown else ""
    text = f"De rangschikking weegt {joined}." if nl else f"The ranking weighs {joined}."
    if missing:
        left_out = (" en " if nl else " and ").join(words[k] for k in missing)
        text += (
            f" Niet meegeteld, omdat de gegevens ontbreken: {left_out}; de andere gewichten "
            "zijn naar verhouding verhoogd."
            if nl
            else f" Left out because the data is missing: {left_out}; the other weights are "
            "scaled up in proportion."
        )
    return text


def sensitivity(
    signals: pd.DataFrame,
    weights: dict[str, float] | None = None,
    top: int = 5,
    unavailable: Iterable[str] = (),
) -> pd.DataFrame:
    """Does the top `top` change when one weight moves up or down by half? Unavailable
    signals (see `rank_themes`) are left out."""
    base = {**WEIGHTS, **(weights or {})}
    missing = unavailable_in(signals, unavailable)
    reference = list(rank_themes(signals, base, missing).index[:top])
    rows = []
    for key in (k for k in WEIGHTS if k not in missing):
        for factor in (0.5, 1.5):
            changed = {**base, key: base[key] * factor}
            ranking = list(rank_themes(signals, changed, missing).index[:top])
            entered = ";".join(t for t in ranking if t not in reference)
            same = set(ranking) == set(reference)
            rows.append({"weight": key, "factor": factor, "top": ";".join(ranking),
                         "same_top": same, "entered": entered})  # fmt: skip
    return pd.DataFrame(rows)


def _scale(values: pd.Series) -> pd.Series:
    values = values.astype(float)
    span = values.max() - values.min()
    return (values - values.min()) / span if span > 0 else values * 0.0


REASON_WORDS = {
    "nl": {"question": "1 vraag", "questions": "{n} vragen",
           "need": "{share} ziet een grote of zeer grote nood (gemiddelde over {items}, "
                   "95 %-interval {low}–{high})",
           "areas": "gebieden (provincies en Brussel)", "provinces": "provincies",
           "breadth": "in {above} van de {of} {where} minstens even hoog als in het geheel",
           "unknown": "wat er vorig jaar rond dit thema gebeurde, is niet bekend",
           "done": "vorig jaar {events} activiteit(en), {hours} deelnemersuren",
           "nothing": "vorig jaar geen activiteit rond dit thema",
           "rating": ", beoordeeld met {rating}/5",
           "requests": "; {requests} open antwoorden vragen ernaar"},
    "en": {"question": "1 question", "questions": "{n} questions",
           "need": "{share} see a large or very large need (mean over {items}, 95 % "
                   "interval {low}–{high})",
           "areas": "areas (provinces and Brussels)", "provinces": "provinces",
           "breadth": "at least as high as overall in {above} of the {of} {where}",
           "unknown": "what was done on this theme last year is not known",
           "done": "last year {events} activity(ies), {hours} participant-hours",
           "nothing": "no activity on this theme last year",
           "rating": ", rated {rating}/5",
           "requests": "; {requests} open answers ask for it"},
}  # fmt: skip


def _reason(row, unavailable: Iterable[str] = (), language: str = "nl") -> str:
    """A theme's one-sentence reason (a row of the ranking), in Dutch or English."""
    words = REASON_WORDS["nl" if language == "nl" else "en"]

    def pct(value: float) -> str:
        return f"{round(100 * value)} %"

    items = words["question"] if row.items == 1 else words["questions"].format(n=row.items)
    need = words["need"].format(share=pct(row.need_share), items=items,
                                low=pct(row.need_low)[:-2], high=pct(row.need_high))  # fmt: skip
    where = words["areas"] if row.with_brussels else words["provinces"]
    breadth = words["breadth"].format(above=row.provinces_above, of=row.provinces, where=where)
    if "gap" in unavailable:
        covered = words["unknown"]
    elif row.events:
        covered = words["done"].format(events=row.events, hours=round(row.hours))
    else:
        covered = words["nothing"]
    rating = ""
    if row.rating == row.rating and "rating" not in unavailable:
        shown = f"{row.rating:.1f}"
        rating = words["rating"].format(
            rating=shown.replace(".", ",") if language == "nl" else shown
        )
    requests = words["requests"].format(requests=row.requests) if row.requests else ""
    return f"{need}, {breadth}; {covered}{rating}{requests}."
