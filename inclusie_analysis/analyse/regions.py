"""What a regional coordinator acts on: the region's municipalities reached and not yet reached.

A region report (a referentieregio, or a user's region) lists every 2025 municipality of the
region with whether an organisation from it answered the latest survey and whether someone
from it took part in the year's activities. It says yes or no, never how many: most
municipalities have one to four answers, which the reports never show, and a zero is shown in
every count table anyway (a hidden "x" is at least 1), so yes/no tells a reader nothing the
count tables do not.
"""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.clean.areas import select_area

STATUS = {
    "nl": ("Bevraging en activiteiten", "Alleen de bevraging", "Alleen activiteiten",
           "Nog niet bereikt"),
    "en": ("Survey and activities", "Survey only", "Activities only", "Not yet reached"),
}  # fmt: skip
YES_NO = {"nl": ("ja", "nee"), "en": ("yes", "no")}


def municipality_status(
    respondents: pd.DataFrame,
    attendance: pd.DataFrame,
    events: pd.DataFrame,
    area: str,
    wave: int,
    year: int,
    language: str = "nl",
) -> pd.DataFrame:
    """One row per 2025 municipality of `area` (by name): whether it answered survey `wave`,
    whether someone from it attended one of `events` (the year's), and its status (one of
    STATUS); the municipalities not yet reached first, then by name."""
    from inclusie_analysis.analyse.yearly import present_in
    from inclusie_analysis.clean.areas import region_municipalities

    places = region_municipalities(area)
    answered = set(
        select_area(respondents, area)
        .loc[lambda f: f["wave"].astype(int) == int(wave), "nis_code"]
        .dropna()
        .astype(str)
    )
    reached = set(present_in(attendance, events, area)["nis_code"].dropna().astype(str))
    yes, no = YES_NO[language]
    both, survey, activity, none = STATUS[language]
    rows = []
    for code, name in zip(places["nis_code"].astype(str), places["municipality"], strict=True):
        a, r = code in answered, code in reached
        status = both if a and r else survey if a else activity if r else none
        rows.append({"nis_code": code, "municipality": str(name), "answered": yes if a else no,
                     "reached": yes if r else no, "status": status})  # fmt: skip
    frame = pd.DataFrame(rows, columns=["nis_code", "municipality", "answered", "reached",
                                        "status"])  # fmt: skip
    rank = {s: i for i, s in enumerate(reversed(STATUS[language]))}  # not reached first
    frame["rank"] = frame["status"].map(rank)
    return frame.sort_values(["rank", "municipality"]).drop(columns="rank").reset_index(drop=True)


def status_table(status: pd.DataFrame, wave: int, year: int, language: str = "nl") -> pd.DataFrame:
    """The status frame as the report shows it (Dutch or English headers)."""
    nl = language == "nl"
    return pd.DataFrame({
        "Gemeente" if nl else "Municipality": status["municipality"],
        "NIS-code" if nl else "NIS code": status["nis_code"],
        (f"Antwoord op de bevraging {wave}" if nl else f"Answered the {wave} survey"):
            status["answered"],
        (f"Deelgenomen aan activiteiten {year}" if nl else f"Took part in {year} activities"):
            status["reached"],
    })  # fmt: skip


def status_counts(status: pd.DataFrame, language: str = "nl") -> pd.Series:
    """How many municipalities have each status, in the order of STATUS."""
    return status["status"].value_counts().reindex(list(STATUS[language]), fill_value=0)


def not_reached_sentence(status: pd.DataFrame, area: str, year: int, language: str = "nl") -> str:
    """One sentence naming the municipalities neither the survey nor the activities reached."""
    none = STATUS[language][3]
    names = status.loc[status["status"] == none, "municipality"].tolist()
    total = len(status)
    if language != "nl":
        if not names:
            return f"Every one of the {total} municipalities of {area} was reached in {year}."
        return (f"{len(names)} of the {total} municipalities of {area} were reached neither by the "
                f"survey nor by the {year} activities: {', '.join(names)}.")  # fmt: skip
    if not names:
        return f"Alle {total} gemeenten van {area} werden in {year} bereikt."
    return (f"{len(names)} van de {total} gemeenten van {area} werden noch door de bevraging, noch "
            f"door de activiteiten van {year} bereikt: {', '.join(names)}.")  # fmt: skip


def reached_by(status: pd.DataFrame, language: str = "nl") -> pd.Series:
    """Per municipality (index nis_code) by how many of survey and activities it was reached:
    0, 1 or 2 (the value a region map colours)."""
    yes = YES_NO[language][0]
    return pd.Series(
        (status["answered"] == yes).astype(int).to_numpy()
        + (status["reached"] == yes).astype(int).to_numpy(),
        index=status["nis_code"],
    )
