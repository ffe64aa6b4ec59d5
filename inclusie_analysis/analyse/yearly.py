"""The numbers of the yearly report, per area: the areas, who the activities reached, and the
organisation types of the respondents.

Each function takes the cleaned frames and returns a tidy frame or plain values; the report
notebook only formats and shows them. Areas are "Vlaanderen en Brussel" (everyone, also
organisations without a municipality), one province, or "Brussel". The needs figures are in
`needs_numbers`, the comparison of waves in `waves`, the key findings in `findings`.
"""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.clean.areas import (
    FLANDERS_AND_BRUSSELS,
    area_size,
    province_order,
    select_area,
)
from inclusie_analysis.clean.sources import section_note
from inclusie_analysis.formats import format_number

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


def present_in(attendance: pd.DataFrame, events: pd.DataFrame, area: str) -> pd.DataFrame:
    """The attendances of `events` (the year's) where the person was present, in an area."""
    listed = attendance["event_id"].isin(events["event_id"])
    return select_area(attendance.loc[attendance["present"] & listed], area)


def reach(attendance: pd.DataFrame, events: pd.DataFrame, area: str) -> dict:
    """Who the year's activities reached in an area: participants present (each person once),
    the municipalities and local governments they came from, per organisation type and per
    province. `events` are the year's events."""
    present = present_in(attendance, events, area)
    people = present.drop_duplicates("participant_id")
    local = present.loc[present["org_type"] == "lokaal_bestuur"]
    municipalities = area_size(area)
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
        **list_coverage(attendance, events),
    }


def list_coverage(attendance: pd.DataFrame, events: pd.DataFrame) -> dict:
    """How much of the year the attendance lists cover (network-wide): the activities, those
    with a list, and their attendances in the register (`attended`; None when unknown)."""
    listed = events["event_id"].isin(attendance["event_id"])
    attended = pd.to_numeric(events.get("attended", pd.Series(index=events.index)), "coerce")
    known = attended.notna().any()
    return {
        "events_total": len(events),
        "events_with_lists": int(listed.sum()),
        "attended_total": int(attended.sum()) if known else None,
        "attended_listed": int(attended[listed].sum()) if known else None,
    }


def partial_lists(reached: dict) -> bool:
    """Whether only some of the year's activities have attendance lists (reach a lower bound)."""
    return reached.get("events_with_lists", 0) < reached.get("events_total", 0)


def org_type_counts(respondents: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """Respondents per organisation type (rows) and wave (columns), for suppression."""
    org = respondents["org_type"].astype("object").fillna(UNKNOWN[language])
    table = pd.crosstab(org, respondents["wave"])
    table.columns = [str(c) for c in table.columns]
    return table


def reach_sentence(events: pd.DataFrame, reached: dict, area: str, year: int,
                   language: str = "nl", sources: list[dict] | None = None) -> str:  # fmt: skip
    """The reach section's opening sentence: the year's activities, the participants and
    municipalities they reached. Without a register or attendance lists: what is missing."""
    note = section_note(sources or [], "reach", language)
    if note:
        return note
    num = lambda v: format_number(v, language)  # noqa: E731
    if partial_lists(reached):
        return _partial_reach_sentence(reached, area, year, language)
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


def _partial_reach_sentence(reached: dict, area: str, year: int, language: str = "nl") -> str:
    """Reach when only some activities have attendance lists: how many, their share of the
    register's attendances, and that the number of participants is a lower bound."""
    num = lambda v: format_number(v, language)  # noqa: E731
    total, listed = reached["events_total"], reached["events_with_lists"]
    nl = language == "nl"
    share = (
        (f" ({num(reached['attended_listed'])} van de {num(reached['attended_total'])} "
         "aanwezigheden in het register)" if nl else
         f" ({num(reached['attended_listed'])} of the {num(reached['attended_total'])} "
         "attendances in the register)")
        if reached.get("attended_total") is not None else ""
    )  # fmt: skip
    if nl:
        return (
            f"Van de {num(total)} activiteiten van {year} hebben er {num(listed)} een "
            f"aanwezigheidslijst{share}. Die bereikten {num(reached['participants'])} "
            f"verschillende deelnemers uit {area} ({num(reached['attendances'])} aanwezigheden), "
            f"uit {num(reached['municipalities'])} van de "
            f"{num(reached['municipalities_in_area'])} gemeenten. Dat is een ondergrens: wie "
            f"alleen aan de andere {num(total - listed)} activiteiten deelnam, is niet geteld."
        )
    return (
        f"Of the {num(total)} activities of {year}, {num(listed)} have an attendance "
        f"list{share}. They reached {num(reached['participants'])} different participants from "
        f"{area} ({num(reached['attendances'])} attendances), from "
        f"{num(reached['municipalities'])} of the {num(reached['municipalities_in_area'])} "
        f"municipalities. This is a lower bound: people who only came to the other "
        f"{num(total - listed)} activities are not counted."
    )
