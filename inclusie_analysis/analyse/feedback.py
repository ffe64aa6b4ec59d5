"""What participants thought: feedback per event, event type, theme or year, with uncertainty.

Groups with fewer than `threshold` responses are suppressed (their estimates blanked), so no
one's answers can be read off a small table. Below `mean_min_n` answers a group shows how the
1-5 scores are spread and the share 4-5 (Wilson), not a mean; the NPS needs `nps_min_n`.
"""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.analyse.stats import (
    bounded_mean_interval,
    nps,
    nps_interval,
    share_shown,
    suppress,
    wilson_interval,
)

SCALE = (1, 5)  # the satisfaction scale
MEAN_MIN_N = 10  # defaults of [statistics] in inclusie.toml
NPS_MIN_N = 30
LIKERT_ITEMS = ("relevance", "applicability", "speakers", "organisation", "expectations")
AGREE = ("Akkoord", "Helemaal akkoord")
LABELS = {
    "nl": {
        "n_responses": "Antwoorden", "attendees": "Aanwezigen", "response_rate": "Respons",
        "satisfaction_mean": "Tevredenheid (1-5)", "satisfied_share": "Tevreden (4-5)",
        "nps": "NPS", "relevance": "Relevant", "applicability": "Toepasbaar",
        "speakers": "Sprekers", "organisation": "Organisatie", "expectations": "Verwachtingen",
        "open_themes": "Thema's in open antwoorden", "suppressed": "Verborgen (n < 5)",
    },
    "en": {
        "n_responses": "Responses", "attendees": "Attendees", "response_rate": "Response rate",
        "satisfaction_mean": "Satisfaction (1-5)", "satisfied_share": "Satisfied (4-5)",
        "nps": "NPS", "relevance": "Relevant", "applicability": "Applicable",
        "speakers": "Speakers", "organisation": "Organisation", "expectations": "Expectations",
        "open_themes": "Themes in open answers", "suppressed": "Hidden (n < 5)",
    },
}  # fmt: skip


def summarise_feedback(
    feedback: pd.DataFrame,
    events: pd.DataFrame,
    by: str = "event",
    threshold: int = 5,
    feedback_text: pd.DataFrame | None = None,
    mean_min_n: int = MEAN_MIN_N,
    nps_min_n: int = NPS_MIN_N,
) -> pd.DataFrame:
    """One row per event, event type, theme or year: n, response rate, mean satisfaction with
    an interval inside 1-5 (`stats.bounded_mean_interval`; only from `mean_min_n` answers),
    the number of answers per score (`satisfaction_1` … `satisfaction_5`), share satisfied
    (4-5) and share agreeing per statement with Wilson intervals, NPS with a bootstrap
    interval (only from `nps_min_n` answers). A share whose count k or n − k is 1 to
    `threshold` − 1 is left out (NA): it would give that small count away. The counts per
    score are for analysis, never published (they are small cells in a small group).
    Unlinked responses are left out; an event with two themes counts under both."""
    keys = {"event": ["event_id"], "type": ["type"], "theme": ["theme"], "year": ["year"]}
    if by not in keys:
        raise ValueError(f"by must be one of {', '.join(keys)}")
    linked = feedback.dropna(subset=["event_id"]).drop(columns=["year"], errors="ignore")
    info = events[["event_id", "year", "type", "themes", "attended", "title", "date"]]
    data = linked.merge(info, on="event_id", how="inner")
    base = info.copy()
    if by == "theme":
        data = _explode_themes(data)
        base = _explode_themes(base)
    key = keys[by]
    attendees = base.groupby(key)["attended"].sum(min_count=1)
    rows = []
    for group, part in data.groupby(key, dropna=True):
        group = group if isinstance(group, tuple) else (group,)
        att = attendees.get(group if len(group) > 1 else group[0])
        rows.append(
            dict(zip(key, group, strict=True))
            | _group_scores(part, att, threshold, mean_min_n, nps_min_n)
        )
    out = pd.DataFrame(rows)
    if not len(out):
        return out
    if by == "event":
        out = out.merge(info[["event_id", "title", "date", "type"]], on="event_id", how="left")
    return _protect_summary(out, data, key, feedback_text, threshold)


def _group_scores(
    part: pd.DataFrame, att: object, threshold: int, mean_min_n: int, nps_min_n: int
) -> dict:
    """The scores of one group's responses (`part`; `att` its attendees): response rate, mean
    satisfaction, share satisfied, NPS, answers per score and share agreeing per statement."""
    n = len(part)
    answered = int(part["satisfaction"].notna().sum())
    mean, low, high = (
        bounded_mean_interval(part["satisfaction"], *SCALE)
        if answered >= mean_min_n
        else (float("nan"),) * 3
    )
    satisfied = int((part["satisfaction"] >= 4).sum())
    s_low, s_high = wilson_interval(satisfied, answered)
    # a share whose k or n - k is small gives that count away (issue 14): not shown
    shown = share_shown(satisfied, answered, threshold)
    enough_nps = int(part["nps"].notna().sum()) >= nps_min_n
    n_low, n_high = nps_interval(part["nps"]) if enough_nps else (float("nan"),) * 2
    row = {
        "n_responses": n,
        "attendees": att,
        "response_rate": n / att if att and att == att else float("nan"),
        "satisfaction_mean": mean, "satisfaction_low": low, "satisfaction_high": high,
        "satisfied_share": satisfied / answered if answered and shown else float("nan"),
        "satisfied_low": s_low if shown else float("nan"),
        "satisfied_high": s_high if shown else float("nan"),
        "nps": nps(part["nps"]) if enough_nps else float("nan"), "nps_low": n_low,
        "nps_high": n_high,
    }  # fmt: skip
    row |= {f"satisfaction_{score}": int((part["satisfaction"] == score).sum())
            for score in range(SCALE[0], SCALE[1] + 1)}  # fmt: skip
    return row | _agreement(part, threshold)


def _agreement(part: pd.DataFrame, threshold: int) -> dict:
    """Per statement of LIKERT_ITEMS the group answered: the share agreeing with its Wilson
    interval, NA where the count would be given away."""
    row = {}
    for item in LIKERT_ITEMS:
        if item in part:
            agree = int(part[item].isin(AGREE).sum())
            total = int(part[item].notna().sum())
            low_i, high_i = wilson_interval(agree, total)
            if not (total and share_shown(agree, total, threshold)):
                low_i = high_i = float("nan")
            row |= {item: agree / total if total and pd.notna(low_i) else float("nan"),
                    f"{item}_low": low_i, f"{item}_high": high_i}  # fmt: skip
    return row


def _protect_summary(
    out: pd.DataFrame,
    data: pd.DataFrame,
    key: list[str],
    feedback_text: pd.DataFrame | None,
    threshold: int,
) -> pd.DataFrame:
    """The summary with the open answers' themes per group, and every estimate of a group
    with fewer than `threshold` responses suppressed (`stats.suppress`)."""
    if feedback_text is not None and len(feedback_text):
        out["open_themes"] = (
            _open_themes(feedback_text, data, key)
            .reindex(pd.MultiIndex.from_frame(out[key]) if len(key) > 1 else out[key[0]])
            .to_numpy()
        )
    estimates = [c for c in out.columns if c not in (*key, "n_responses", "attendees", "title",
                                                      "date", "type", "open_themes")]  # fmt: skip
    out = suppress(out, "n_responses", estimates, threshold)
    if "open_themes" in out:
        out["open_themes"] = out["open_themes"].mask(out["suppressed"])
    return out


def _explode_themes(frame: pd.DataFrame) -> pd.DataFrame:
    themes = frame["themes"].fillna("").str.split(";")
    out = frame.assign(theme=themes).explode("theme")
    return out[out["theme"].astype(str) != ""]


def _open_themes(texts: pd.DataFrame, data: pd.DataFrame, key: list[str]) -> pd.Series:
    """Most frequent coded themes of the open answers per group, e.g. "regierol (4), hr (2)"."""
    if "themes" not in texts:
        return pd.Series(dtype="string")
    coded = texts.dropna(subset=["themes"]).merge(
        data[["response_id", *key]].drop_duplicates(), on="response_id"
    )
    coded = coded.assign(theme=coded["themes"].str.split(";")).explode("theme")
    coded = coded[coded["theme"].astype(str) != ""]
    counts = coded.groupby([*key, "theme"]).size().rename("n").reset_index()

    def describe(part: pd.DataFrame) -> str:
        top = part.sort_values(["n", "theme"], ascending=[False, True]).head(3)
        return ", ".join(f"{t} ({n})" for t, n in zip(top["theme"], top["n"], strict=True))

    return counts.groupby(key).apply(describe, include_groups=False)


def feedback_labels(language: str = "nl") -> dict[str, str]:
    """Column labels of `summarise_feedback` for report readers."""
    return LABELS[language]


def feedback_sentence(
    summary: pd.Series,
    language: str = "nl",
    mean_min_n: int = MEAN_MIN_N,
    nps_min_n: int = NPS_MIN_N,
) -> str:
    """The scores of one group in words: the mean satisfaction with its interval inside 1-5
    (from `mean_min_n` answers), else the share 4-5 with its Wilson interval; the NPS with its
    interval from `nps_min_n` answers, else why it is not shown."""
    from inclusie_analysis.formats import format_number, format_percent

    nl = language == "nl"
    num = lambda v, d=0: format_number(v, language, d)  # noqa: E731
    pct = lambda v: format_percent(v, language)  # noqa: E731
    n = int(summary["n_responses"])
    rate = summary.get("response_rate", float("nan"))
    if rate == rate:
        rate = f", {pct(rate)} " + ("van de aanwezigen" if nl else "of those present")
    else:
        rate = ""
    parts = [
        f"{num(n)} mensen vulden het feedbackformulier in{rate}."
        if nl
        else f"{num(n)} people filled in the feedback form{rate}.",
        _satisfaction_words(summary, nl, num, pct, mean_min_n),
        _nps_words(summary, nl, num, nps_min_n),
    ]
    return " ".join(part for part in parts if part is not None)


def _satisfaction_words(summary: pd.Series, nl: bool, num, pct, mean_min_n: int) -> str | None:
    """The mean satisfaction (with its interval when there is one), else the share 4-5 with
    its interval; None when neither is shown."""
    mean, low, high = (summary.get(f"satisfaction_{k}") for k in ("mean", "low", "high"))
    if pd.notna(mean) and pd.notna(low):
        return (
            f"Gemiddelde tevredenheid {num(mean, 1)} op 5 (95%-interval {num(low, 1)} tot "
            f"{num(high, 1)})."
            if nl
            else f"Mean satisfaction {num(mean, 1)} out of 5 (95% interval {num(low, 1)} to "
            f"{num(high, 1)})."
        )
    if pd.notna(mean):
        return (
            f"Gemiddelde tevredenheid {num(mean, 1)} op 5."
            if nl
            else f"Mean satisfaction {num(mean, 1)} out of 5."
        )
    if pd.notna(summary.get("satisfied_share")):
        share, s_low, s_high = (summary[f"satisfied_{k}"] for k in ("share", "low", "high"))
        return (
            f"{pct(share)} is tevreden of zeer tevreden (4 of 5; 95%-interval {pct(s_low)} tot "
            f"{pct(s_high)}). Een gemiddelde wordt pas vanaf {mean_min_n} antwoorden getoond."
            if nl
            else f"{pct(share)} are satisfied or very satisfied (4 or 5; 95% interval "
            f"{pct(s_low)} to {pct(s_high)}). A mean is shown only from {mean_min_n} answers."
        )
    return None


def _nps_words(summary: pd.Series, nl: bool, num, nps_min_n: int) -> str:
    """The NPS with its interval, or from how many answers it is shown."""
    if pd.notna(summary.get("nps")):
        return (
            f"NPS {num(summary['nps'])} (95%-interval {num(summary['nps_low'])} tot "
            f"{num(summary['nps_high'])})."
            if nl
            else f"NPS {num(summary['nps'])} (95% interval {num(summary['nps_low'])} to "
            f"{num(summary['nps_high'])})."
        )
    return (
        f"De NPS wordt pas vanaf {nps_min_n} antwoorden getoond."
        if nl
        else f"The NPS is shown only from {nps_min_n} answers."
    )


SCRUBBED_SENTENCE = {
    "nl": "Wat deelnemers schreven, in willekeurige volgorde. Namen, adressen, e-mailadressen, "
    "telefoonnummers, rijksregisternummers, rekeningnummers, nummerplaten en links naar "
    "profielen zijn bij het opschonen automatisch vervangen door een label zoals [naam] of "
    "[e-mail]; die herkenning is automatisch en kan iets missen. Het thema is automatisch "
    "toegekend.",
    "en": "What participants wrote, in random order. Names, addresses, e-mail addresses, phone "
    "numbers, national register numbers, bank account numbers, number plates and profile links "
    "were replaced automatically during cleaning by a label such as [naam] or [e-mail]; this "
    "automatic recognition can miss something. The theme was assigned automatically.",
}


def open_answers(
    texts: pd.DataFrame, n_responses: int, threshold: int, seed: str
) -> pd.DataFrame | None:
    """The open answers an activity sheet may show: None when the activity has fewer than
    `threshold` feedback responses (a few answers point at who wrote them, like a score
    would), else the non-empty answers in a random order seeded by `seed` (the activity id,
    so a report is reproducible) and not in the order of the file, grouped by question."""
    import hashlib

    if n_responses < threshold:
        return None
    shown = texts.loc[texts["text"].fillna("").str.strip() != ""]
    state = int.from_bytes(hashlib.sha256(str(seed).encode("utf-8")).digest()[:4], "big")
    shuffled = shown.sample(frac=1, random_state=state)
    return shuffled.sort_values("question", kind="stable").reset_index(drop=True)


def withheld_answers_sentence(count: int, n_responses: int, threshold: int, language: str) -> str:
    """Why a sheet shows no open answers though there are some (`open_answers` gave None)."""
    one, few = count == 1, n_responses == 1
    if language == "nl":
        what = (
            "is 1 open antwoord, maar dat wordt"
            if one
            else f"zijn {count} open antwoorden, maar die worden"
        )
        responses = "is 1 feedbackantwoord" if few else f"zijn {n_responses} feedbackantwoorden"
        return (
            f"Er {what} niet getoond: er {responses}, minder dan {threshold}. Bij zo weinig "
            "antwoorden is wie iets schreef te herkennen aan wat hij of zij schreef, net zoals "
            "aan de scores."
        )
    what = "is 1 open answer, but it is" if one else f"are {count} open answers, but they are"
    responses = "is 1 feedback response" if few else f"are {n_responses} feedback responses"
    return (
        f"There {what} not shown: there {responses}, fewer than {threshold}. With so few "
        "responses, whoever wrote something can be recognised by what they wrote, as by the "
        "scores."
    )
