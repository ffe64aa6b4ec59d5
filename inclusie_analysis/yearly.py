"""The numbers of the yearly report, per area: response, reach, needs, change, findings.

Each function takes the cleaned frames and returns a tidy frame or plain values; the report
notebook only formats and shows them. Areas are "Vlaanderen en Brussel" (everyone, also
organisations without a municipality), one province, or "Brussel".
"""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.clean.geo import FLANDERS_AND_BRUSSELS, province_order, select_area
from inclusie_analysis.sources import is_missing, section_note
from inclusie_analysis.stats import likert_summary, newcombe_difference, wilson_interval
from inclusie_analysis.text import format_number, format_percent

ORG_TYPES = {
    "nl": {
        "lokaal_bestuur": "Lokaal bestuur",
        "intergemeentelijk": "Intergemeentelijk samenwerkingsverband",
        "welzijnsvereniging": "Welzijnsvereniging",
        "overheid": "Vlaamse, provinciale of federale overheid",
        "onderwijs_onderzoek": "Onderwijs of onderzoek",
        "andere": "Andere",
    },
    "en": {
        "lokaal_bestuur": "Local government",
        "intergemeentelijk": "Intermunicipal partnership",
        "welzijnsvereniging": "Welfare association",
        "overheid": "Flemish, provincial or federal government",
        "onderwijs_onderzoek": "Education or research",
        "andere": "Other",
    },
}
UNKNOWN = {"nl": "Onbekend", "en": "Unknown"}


def areas() -> list[str]:
    """Every area a yearly report is made for: all of it first, then west to east."""
    return [FLANDERS_AND_BRUSSELS, *province_order()]


def large_need_by_item(
    needs: pd.DataFrame, respondents: pd.DataFrame, wave: int, top: int = 2
) -> pd.DataFrame:
    """Per item of one wave: respondents rating it, how many see a large need (the top
    `top` levels), the share with its Wilson 95 % interval. Only `respondents` count."""
    part = needs.loc[
        (needs["wave"] == wave) & needs["respondent_id"].isin(respondents["respondent_id"])
    ]
    if not len(part):
        return pd.DataFrame(columns=["item", "label", "theme", "n", "k", "share", "low", "high"])
    summary = likert_summary(part, top=top)
    labels = part.drop_duplicates("item").set_index("item")
    summary["label"] = summary["item"].map(labels["item_label"])
    summary["theme"] = summary["item"].map(labels["theme"])
    summary["k"] = (summary["top_box"] * summary["n"]).round().astype("int64")
    out = summary.rename(columns={"top_box": "share", "top_box_low": "low", "top_box_high": "high"})
    out = out[["item", "label", "theme", "n", "k", "share", "low", "high"]]
    return out.sort_values(["share", "n"], ascending=False, ignore_index=True)


def wave_change(
    needs: pd.DataFrame, respondents: pd.DataFrame, top: int = 2
) -> tuple[pd.DataFrame, tuple[int, int] | None]:
    """Change in the share with a large need between the last two waves, for the items both
    waves asked, with a Newcombe 95 % interval for the difference. Returns the table and the
    two waves (None when there is only one wave)."""
    waves = sorted(int(w) for w in needs["wave"].unique())
    if len(waves) < 2:
        return pd.DataFrame(), None
    a, b = waves[-2], waves[-1]
    first = large_need_by_item(needs, respondents, a, top).set_index("item")
    last = large_need_by_item(needs, respondents, b, top).set_index("item")
    shared = [item for item in last.index if item in first.index]
    rows = []
    for item in shared:
        x1, n1 = int(first.at[item, "k"]), int(first.at[item, "n"])
        x2, n2 = int(last.at[item, "k"]), int(last.at[item, "n"])
        diff, low, high = newcombe_difference(x1, n1, x2, n2) if n1 and n2 else (float("nan"),) * 3
        rows.append({"item": item, "label": last.at[item, "label"], "n_a": n1,
                     "share_a": x1 / n1 if n1 else float("nan"), "n_b": n2,
                     "share_b": x2 / n2 if n2 else float("nan"), "difference": diff,
                     "low": low, "high": high,
                     "significant": bool(low == low and (low > 0 or high < 0))})  # fmt: skip
    table = pd.DataFrame(rows)
    if len(table):
        table = table.sort_values("difference", ascending=False, ignore_index=True)
    return table, (a, b)


def reach(attendance: pd.DataFrame, events: pd.DataFrame, area: str) -> dict:
    """Who the year's activities reached in an area: participants present (each person once),
    the municipalities and local governments they came from, per organisation type and per
    province. `events` are the year's events."""
    present = attendance.loc[
        attendance["present"] & attendance["event_id"].isin(events["event_id"])
    ]
    present = select_area(present, area)
    people = present.drop_duplicates("participant_id")
    local = present.loc[present["org_type"] == "lokaal_bestuur"]
    municipalities = _municipalities(area)
    by_province = people.groupby("province")["participant_id"].nunique()
    return {
        "participants": int(people["participant_id"].nunique()),
        "attendances": len(present),
        "events": int(present["event_id"].nunique()),
        "municipalities": int(present["nis_code"].nunique()),
        "local_governments": int(local["nis_code"].nunique()),
        "municipalities_in_area": municipalities,
        "by_type": people["org_type"].fillna("onbekend").value_counts(),
        "by_province": by_province.reindex(province_order(), fill_value=0),
    }


def _municipalities(area: str) -> int:
    from inclusie_analysis.clean.geo import load_reference

    frame = load_reference().municipalities.rename(columns={"province_nl": "province"})
    if area != FLANDERS_AND_BRUSSELS:
        frame = select_area(frame, area)
    return len(frame)


def org_type_counts(respondents: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """Respondents per organisation type (rows) and wave (columns), for suppression."""
    org = respondents["org_type"].astype("object").fillna(UNKNOWN[language])
    table = pd.crosstab(org, respondents["wave"])
    table.columns = [str(c) for c in table.columns]
    return table


def key_findings(
    *,
    area: str,
    year: int,
    respondents: pd.DataFrame,
    needs_items: pd.DataFrame,
    change: pd.DataFrame,
    waves: tuple[int, int] | None,
    indicators: pd.DataFrame,
    reached: dict,
    ranking: pd.DataFrame,
    threshold: int = 5,
    language: str = "nl",
    sources: list[dict] | None = None,
) -> list[str]:
    """Five findings in plain words, each computed from the tables of the report. With
    `sources` (which inputs were found), a missing input gives "not known", never a zero."""
    nl = language == "nl"
    no_register = is_missing(sources, "register")
    num = lambda v: format_number(v, language)  # noqa: E731
    pct = lambda v: format_percent(v, language)  # noqa: E731
    latest_wave = int(respondents["wave"].max()) if len(respondents) else None
    latest = respondents.loc[respondents["wave"] == latest_wave]
    findings = []
    # 1. response
    if len(latest) >= threshold:
        findings.append(
            f"{num(len(latest))} organisaties uit {area} vulden de bevraging van {latest_wave} in."
            if nl
            else f"{num(len(latest))} organisations from {area} answered the {latest_wave} survey."
        )
    else:
        findings.append(
            f"Uit {area} kwamen minder dan {threshold} antwoorden op de laatste bevraging; "
            "cijfers over leernoden worden daarom niet getoond."
            if nl
            else f"Fewer than {threshold} organisations from {area} answered the latest survey; "
            "needs figures are therefore not shown."
        )
    # 2. largest need
    shown = needs_items.loc[needs_items["n"] >= threshold] if len(needs_items) else needs_items
    if len(shown):
        top = shown.iloc[0]
        findings.append(
            f"De grootste leernood: {top['label']}. {pct(top['share'])} ziet hier een grote of "
            f"zeer grote nood (95%-betrouwbaarheidsinterval {pct(top['low'])} tot "
            f"{pct(top['high'])}, n = {num(top['n'])})."
            if nl
            else f"The largest learning need: {top['label']}. {pct(top['share'])} see a large or "
            f"very large need (95% CI {pct(top['low'])} to {pct(top['high'])}, "
            f"n = {num(top['n'])})."
        )
    # 3. change since the previous wave
    if waves and len(change):
        moved = change.loc[
            change["significant"] & (change[["n_a", "n_b"]].min(axis=1) >= threshold)
        ]
        if len(moved):
            row = moved.loc[moved["difference"].abs().idxmax()]
            points = format_number(100 * row["difference"], language)
            sign = "+" if row["difference"] > 0 else ""
            findings.append(
                f"Sinds {waves[0]} veranderde de nood het meest bij '{row['label']}': "
                f"{sign}{points} procentpunten ({pct(row['share_a'])} → {pct(row['share_b'])})."
                if nl
                else f"Since {waves[0]} the need changed most for '{row['label']}': "
                f"{sign}{points} percentage points ({pct(row['share_a'])} → {pct(row['share_b'])})."
            )
        else:
            findings.append(
                f"Geen enkele leernood die in {waves[0]} en {waves[1]} bevraagd werd, veranderde "
                "duidelijk (geen verschil buiten de toevalsmarge)."
                if nl
                else f"No learning need asked in both {waves[0]} and {waves[1]} changed clearly "
                "(no difference beyond chance)."
            )
    # 4. indicators (network-wide targets: only in the report for everyone)
    if area == FLANDERS_AND_BRUSSELS and (no_register or is_missing(sources, "targets")):
        findings.append(
            f"Of de indicatoren van het actieplan {year} gehaald zijn, is niet bekend: "
            + ("er is geen activiteitenregister." if no_register else "er zijn geen doelen.")
            if nl
            else f"Whether the {year} action-plan indicators are met is not known: "
            + ("there is no activity register." if no_register else "there are no targets.")
        )
    elif len(indicators) and area == FLANDERS_AND_BRUSSELS:
        met = int((indicators["status"] == "gehaald").sum())
        on_track = int((indicators["status"] == "op koers").sum())
        text = (
            f"{met} van de {len(indicators)} indicatoren van het actieplan {year} zijn gehaald"
            if nl
            else f"{met} of the {len(indicators)} action-plan indicators for {year} are met"
        )
        if on_track:
            text += f", {on_track} op koers" if nl else f", {on_track} on track"
        findings.append(text + ".")
    # 5. reach
    if no_register or is_missing(sources, "attendance"):
        findings.append(
            f"Het bereik van de activiteiten van {year} is niet bekend: er "
            + (
                "is geen activiteitenregister."
                if no_register
                else "zijn geen aanwezigheidslijsten."
            )
            if nl
            else f"The reach of the {year} activities is not known: there "
            + ("is no activity register." if no_register else "are no attendance lists.")
        )
    elif reached["participants"] >= threshold:
        findings.append(
            f"De activiteiten van {year} bereikten {num(reached['participants'])} deelnemers uit "
            f"{num(reached['municipalities'])} gemeenten, waaronder "
            f"{num(reached['local_governments'])}"
            f" lokale besturen (van de {num(reached['municipalities_in_area'])} gemeenten in "
            f"{area})."
            if nl
            else f"The {year} activities reached {num(reached['participants'])} participants from "
            f"{num(reached['municipalities'])} municipalities, including "
            f"{num(reached['local_governments'])} local governments (of the "
            f"{num(reached['municipalities_in_area'])} municipalities in {area})."
        )
    else:
        findings.append(
            f"Uit {area} namen minder dan {threshold} mensen deel aan de activiteiten van {year}."
            if nl
            else f"Fewer than {threshold} people from {area} took part in the {year} activities."
        )
    # 6. recommendation (when fewer than five findings so far)
    if len(ranking):
        top3 = ", ".join(ranking["label"].head(3))
        findings.append(
            f"Aanbevolen thema's voor {year + 1}: {top3}."
            if nl
            else f"Recommended themes for {year + 1}: {top3}."
        )
    return findings[:5]


def share_with_interval(k: int, n: int, language: str = "nl") -> str:
    """'42 % (35–49 %)' for k of n; '–' when n is 0."""
    if not n:
        return "–"
    low, high = wilson_interval(k, n)
    share, low, high = (format_percent(v, language) for v in (k / n, low, high))
    return f"{share} ({low}–{high})"


def reach_sentence(events: pd.DataFrame, reached: dict, area: str, year: int,
                   language: str = "nl", sources: list[dict] | None = None) -> str:  # fmt: skip
    """The reach section's opening sentence: the year's activities, the participants and
    municipalities they reached. Without a register or attendance lists: what is missing."""
    note = section_note(sources or [], "reach", language)
    if note:
        return note
    num = lambda v: format_number(v, language)  # noqa: E731
    return (
        f"De {num(len(events))} activiteiten van {year} bereikten {num(reached['participants'])} "
        f"verschillende deelnemers uit {area} ({num(reached['attendances'])} aanwezigheden), uit "
        f"{num(reached['municipalities'])} van de {num(reached['municipalities_in_area'])} "
        "gemeenten."
        if language == "nl"
        else f"The {num(len(events))} activities of {year} reached "
        f"{num(reached['participants'])} different participants from {area} "
        f"({num(reached['attendances'])} attendances), from {num(reached['municipalities'])} of "
        f"the {num(reached['municipalities_in_area'])} municipalities."
    )


def comparison_note(
    sources: list[dict] | None, area: str, waves: tuple[int, int] | None, language: str = "nl"
) -> str | None:
    """Why the report has no comparison with an earlier survey (None when it has one): no
    earlier wave in the input (and where its exports must go), or none in this area."""
    if waves:
        return None
    note = section_note(sources or [], "comparison", language)
    if note:
        return note
    return (
        f"Uit {area} antwoordden organisaties op maar één bevraging; een vergelijking met een "
        "vorige bevraging is daarom niet mogelijk."
        if language == "nl"
        else f"Organisations from {area} answered only one survey, so no comparison with an "
        "earlier survey is possible."
    )
