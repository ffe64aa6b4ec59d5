"""Which themes to choose for next year's sessions, with reasons a planner can defend.

Per theme (coding group of the taxonomy) five signals, each scaled to 0-1 across themes:
- need: the lower bound of the 95 % Wilson interval of the share with a large or very large
  need (latest wave), so a theme only few answered does not win on noise;
- breadth: the share of provinces (and of organisation types) where at least as many see a
  large need as in Flanders and Brussels as a whole;
- gap: how little last year already covered it (1 − participant-hours on the theme, scaled);
- rating: how poorly last year's sessions on the theme were rated (5 − mean satisfaction);
- requests: how often open answers ask for it.
The score is a weighted sum (weights are parameters); `sensitivity` shows whether the top
five change when each weight moves up or down by half.

Missing is never zero: without last year's activities (no register: `events=None`) nothing
is known about what was covered, and without feedback nothing about ratings. Such a signal
is *unavailable*: it gets weight 0, the other weights are scaled to sum to 1 again, and the
reasons say so instead of "geen activiteit".
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from inclusie_analysis.stats import wilson_interval
from inclusie_analysis.themes import Taxonomy, group_of, theme_label

WEIGHTS = {"need": 0.4, "breadth": 0.2, "gap": 0.2, "rating": 0.1, "requests": 0.1}


def theme_signals(
    needs: pd.DataFrame,
    respondents: pd.DataFrame,
    events: pd.DataFrame | None = None,
    feedback: pd.DataFrame | None = None,
    answers_text: pd.DataFrame | None = None,
    top_levels: int = 2,
    taxonomy: Taxonomy = None,
) -> pd.DataFrame:
    """The raw signals per theme group (before scaling), one row per theme. Without `events`
    (None: no register) hours and events are unknown (NA), not 0. `taxonomy` is the themes
    file (default: the configured one, `paths.themes`). Items whose theme is not in the
    taxonomy (such as "zonder_thema") cannot be ranked and are left out."""
    groups = group_of(taxonomy)
    latest = needs[needs["wave"] == needs["wave"].max()].copy()
    latest["group"] = latest["theme"].map(groups)
    levels = list(latest["level"].cat.categories)
    latest["large"] = latest["level"].isin(levels[-top_levels:])
    rated = latest.dropna(subset=["level"]).merge(
        respondents[["respondent_id", "province", "org_type"]], on="respondent_id", how="left"
    )
    # a respondent counts once per theme: large need on any item of the theme
    per_person = (
        rated.groupby(["group", "respondent_id"])
        .agg(large=("large", "max"), province=("province", "first"), org_type=("org_type", "first"))
        .reset_index()
    )
    rows = []
    for group, part in per_person.groupby("group"):
        n, k = len(part), int(part["large"].sum())
        low, _ = wilson_interval(k, n)
        overall = k / n
        by_province = part.dropna(subset=["province"]).groupby("province")["large"].mean()
        by_type = (
            part.dropna(subset=["org_type"]).groupby("org_type", observed=True)["large"].mean()
        )
        breadth = pd.concat([by_province, by_type])
        rows.append({"theme": group, "n": n, "need_share": overall, "need_low": low,
                     "breadth": float((breadth >= overall).mean()) if len(breadth) else 0.0,
                     "provinces_above": int((by_province >= overall).sum())})  # fmt: skip
    out = pd.DataFrame(rows).set_index("theme")
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
    out["requests"] = 0
    if answers_text is not None and "themes" in answers_text:
        asked = answers_text.assign(theme=answers_text["themes"].str.split(";")).explode("theme")
        counts = asked.groupby("theme")["respondent_id"].nunique()
        out.loc[out.index.intersection(counts.index), "requests"] = counts
    return out


def rank_themes(
    signals: pd.DataFrame,
    weights: dict[str, float] | None = None,
    unavailable: Iterable[str] = (),
    taxonomy: Taxonomy = None,
) -> pd.DataFrame:
    """Themes ranked by the weighted score, each with one Dutch sentence of reasons (labels
    from `taxonomy`, default the configured themes file).

    `unavailable` names signals whose input is missing (e.g. "gap" and "rating" without a
    register; `sources.unavailable_signals` gives them); a signal with no value for any
    theme (hours or ratings all unknown) is unavailable too. They get weight 0 and the rest
    is scaled to sum to 1 (`effective_weights`)."""
    missing = unavailable_in(signals, unavailable)
    weights = effective_weights(weights, missing)
    parts = pd.DataFrame(index=signals.index)
    parts["need"] = _scale(signals["need_low"])
    parts["breadth"] = signals["breadth"]
    parts["gap"] = 1 - _scale(signals["hours"].fillna(0))
    parts["rating"] = _scale(5 - signals["rating"].fillna(5))
    parts["requests"] = _scale(signals["requests"].astype(float))
    for key in missing:
        parts[key] = float("nan")  # not 0: there is nothing to score on
    score = sum(weights[k] * parts[k].fillna(0) for k in WEIGHTS)
    out = signals.assign(**{f"part_{k}": parts[k] for k in WEIGHTS}, score=score)
    out = out.sort_values(["score", "need_low"], ascending=False)
    out.insert(0, "rank", range(1, len(out) + 1))
    labels = {t: theme_label(t, taxonomy) for t in out.index}
    out["label"] = [labels[t] for t in out.index]
    out["reason"] = [_reason(row, missing) for row in out.itertuples()]
    return out


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
    "nl": {"need": "de nood (ondergrens van het interval",
           "breadth": "hoe breed de nood gedeeld wordt over provincies",
           "gap": "hoe weinig er al rond gewerkt werd",
           "rating": "de beoordeling van vorige activiteiten",
           "requests": "vragen in open antwoorden"},
    "en": {"need": "need (lower bound of the interval",
           "breadth": "how widely it is shared across provinces",
           "gap": "how little was already done",
           "rating": "ratings of earlier activities",
           "requests": "requests in open answers"},
}  # fmt: skip


def weights_sentence(
    weights: dict[str, float] | None = None, unavailable: Iterable[str] = (), language: str = "nl"
) -> str:
    """How the ranking weighs its signals, naming those left out for want of data."""
    from inclusie_analysis.text import format_percent

    nl = language == "nl"
    words = SIGNAL_WORDS["nl" if nl else "en"]
    missing = [k for k in WEIGHTS if k in set(unavailable)]
    used = effective_weights(weights, missing)
    shown = []
    for key, weight in used.items():
        if key in missing:
            continue
        share = format_percent(weight, language, 0 if round(100 * weight, 6).is_integer() else 1)
        name = words[key]
        shown.append(f"{name}, {share})" if name.endswith("interval") else f"{name} ({share})")
    joined = (", ".join(shown[:-1]) + (" en " if nl else " and ") + shown[-1]) if shown else ""
    text = f"De rangschikking weegt {joined}." if nl else f"The ranking weighs {joined}."
    if missing:
        left_out = (" en " if nl else " and ").join(
            words[k] + (")" if words[k].endswith("interval") else "") for k in missing
        )
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


def _reason(row, unavailable: Iterable[str] = ()) -> str:
    need = (
        f"{round(100 * row.need_share)} % ziet een grote of zeer grote nood "
        f"(minstens {round(100 * row.need_low)} %)"
    )
    breadth = f"in {row.provinces_above} provincies minstens even hoog"
    if "gap" in unavailable:
        covered = "wat er vorig jaar rond dit thema gebeurde, is niet bekend"
    elif row.events:
        covered = f"vorig jaar {row.events} activiteit(en), {round(row.hours)} deelnemersuren"
    else:
        covered = "vorig jaar geen activiteit rond dit thema"
    rating = (
        f", beoordeeld met {row.rating:.1f}/5".replace(".", ",")
        if row.rating == row.rating and "rating" not in unavailable
        else ""
    )
    requests = f"; {row.requests} open antwoorden vragen ernaar" if row.requests else ""
    return f"{need}, {breadth}; {covered}{rating}{requests}."
