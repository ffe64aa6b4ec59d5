"""The two survey waves as their platforms export them: LimeSurvey 2020, Microsoft Forms 2025.

Each writer draws the wave's respondents (`surveys.make_respondents`), gives them submission
times, resubmissions and (LimeSurvey) unfinished responses, writes the file the platform
would give, and returns per data row what the cleaner should find (the truth). Split from
`surveys.py`, which holds the questionnaires and the respondents.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from pathlib import Path

from inclusie_analysis.demo.surveys import (
    DONT_KNOW,
    DONT_KNOW_CODE_2020,
    FORMATS,
    NEED_CODES_2020,
    NEED_ITEMS,
    NEED_LEVELS,
    ORG_TEXT_2020,
    ORG_TEXT_2025,
    PILLARS,
    ROLES,
    STAGES,
    THEME_OPTIONS,
    THEME_OPTIONS_2020,
    Respondent,
    SurveyFaults,
    make_respondents,
)
from inclusie_analysis.demo.world import pick
from inclusie_analysis.demo.xlsx import save_workbook


def _timestamps(rng: random.Random, people: list[Respondent], start: datetime, days: int) -> None:
    for r in people:
        r.start = start + timedelta(seconds=rng.randrange(days * 86400))
        r.start = r.start.replace(hour=rng.choice(range(8, 18)))
        r.end = r.start + timedelta(seconds=rng.randrange(240, 1500))


def _duplicates(
    rng: random.Random, people: list[Respondent], rate: float
) -> list[tuple[Respondent, int]]:
    """Rows in submission order: (respondent, key of the original when this is a resubmission)."""
    rows = [(r, -1) for r in people]
    for i in sorted(pick(rng, list(range(len(people))), rate)):
        original = people[i]
        copy = Respondent(**{**original.__dict__})
        copy.start = original.end + timedelta(minutes=rng.randrange(30, 3 * 24 * 60))
        copy.end = copy.start + timedelta(seconds=rng.randrange(120, 900))
        rows.append((copy, original.key))
    rows.sort(key=lambda t: t[0].start)  # LimeSurvey numbers responses when they start
    return rows


# ---------------------------------------------------------------------------------------------
# 2020: LimeSurvey response export, question-code headings, answer codes, ';' and a BOM


def write_limesurvey_2020(
    rng: random.Random, path: Path, n: int, faults: SurveyFaults
) -> list[dict]:
    """Write the 2020 wave as LimeSurvey exports it; return one truth record per data row."""
    people = make_respondents(rng, 2020, n, faults)
    _timestamps(rng, people, datetime(2020, 2, 10), 35)
    rows = _duplicates(rng, people, faults.duplicate)
    partial = pick(rng, [i for i, (_, dup) in enumerate(rows) if dup < 0], faults.partial)
    items = [i for i in NEED_ITEMS if i[1]]
    out, truth = [], []
    first_row = {}
    for number, (r, dup) in enumerate(rows):
        lastpage = 3
        if number in partial:
            lastpage = rng.choice((0, 1, 1, 2))
        out.append(_limesurvey_cells(rng, number, r, items, lastpage))
        row = number + 2
        first_row.setdefault(r.key, row)
        truth.append(
            _truth(
                path,
                row,
                2020,
                r,
                dup,
                first_row,
                complete=lastpage == 3,
                answered=lastpage >= 1,
                page1=lastpage >= 1,
                page3=lastpage == 3,
            )
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(_limesurvey_header(items))
    writer.writerows(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return truth


def _limesurvey_header(items: list[tuple]) -> list[str]:
    """LimeSurvey's own columns, then question codes with sub-question codes in brackets."""
    header = [
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "startdate",
        "datestamp",
        "Q1",
        "Q2",
        "Q3",
    ]
    header += [f"Q4[{i[1]}]" for i in items]
    header += [f"Q5[{spec[0]}]" for spec in FORMATS.values()]
    header += [f"Q6[SQ{k:03d}]" for k in range(1, len(THEME_OPTIONS_2020) + 1)] + [
        "Q6[other]",
        "Q7",
    ]
    return header


def _limesurvey_cells(
    rng: random.Random, number: int, r: Respondent, items: list[tuple], lastpage: int
) -> list[str]:
    """One response row as answer codes; pages after `lastpage` (not reached) stay empty."""
    page1 = [ORG_TEXT_2020[r.org_type][0], r.written_municipality, ROLES[r.role][0]]
    page2 = [
        DONT_KNOW_CODE_2020 if r.needs[i[0]] is None else NEED_CODES_2020[r.needs[i[0]]]
        for i in items
    ]
    page2 += ["Y" if f in r.formats else "" for f in FORMATS]
    page3 = ["Y" if t in r.themes else "" for t in THEME_OPTIONS_2020] + [
        r.other_theme,
        r.open_text,
    ]
    answers = [page1, page2, page3]
    body = []
    for page, values in enumerate(answers, start=1):
        body += values if page <= lastpage else [""] * len(values)
    submitted = r.end.strftime("%Y-%m-%d %H:%M:%S") if lastpage == 3 else ""
    return [
        str(number + 1),
        submitted,
        str(lastpage) if lastpage else "",
        "nl",
        str(rng.randrange(10**8, 10**9)),
        r.start.strftime("%Y-%m-%d %H:%M:%S"),
        r.end.strftime("%Y-%m-%d %H:%M:%S"),
        *body,
    ]


# ---------------------------------------------------------------------------------------------
# 2025: Microsoft Forms Excel export, question texts as headers, choices joined with ';'

MSFORMS_QUESTIONS = {
    "org_type": "Wat voor organisatie vertegenwoordigt u?",
    "municipality": "Voor welke gemeente of stad werkt u (of waar is uw organisatie gevestigd)?",
    "role": "Wat is uw functie?",
    "formats": "Welke vormen van ondersteuning verkiest u?",
    "themes": "Over welke thema's wilt u graag een sessie of opleiding volgen?",
    "open": "Heeft u nog suggesties of vragen voor het netwerk digitale inclusie?",
    "contact": "Uw e-mailadres (optioneel, als we u mogen contacteren over uw antwoorden)",
}


def write_msforms_2025(rng: random.Random, path: Path, n: int, faults: SurveyFaults) -> list[dict]:
    """Write the 2025 wave as a Microsoft Forms Excel export; return the truth per data row."""
    from openpyxl import Workbook

    people = make_respondents(rng, 2025, n, faults)
    _timestamps(rng, people, datetime(2025, 3, 3), 32)
    rows = sorted(
        _duplicates(rng, people, faults.duplicate), key=lambda t: t[0].end
    )  # Forms: by completion
    items = [i for i in NEED_ITEMS if i[3]]
    header = _msforms_header(items)
    blanks = pick(rng, list(range(len(rows))), faults.blank_rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(header)
    truth, first_row = [], {}
    row = 1
    for number, (r, dup) in enumerate(rows):
        if number in blanks:
            row += 1
            sheet.append([None] * len(header))
            truth.append({"file": path.name, "row": row, "wave": 2025, "kind": "blank"})
        row += 1
        sheet.append(_msforms_cells(number, r, items))
        first_row.setdefault(r.key, row)
        truth.append(
            _truth(
                path,
                row,
                2025,
                r,
                dup,
                first_row,
                complete=True,
                answered=True,
                page1=True,
                page3=True,
            )
        )
    save_workbook(workbook, path, "Bevraging leernoden digitale inclusie 2025 (SYNTHETISCH)")
    return truth


def _msforms_header(items: list[tuple]) -> list[str]:
    """Forms' own columns, then the question texts as they were asked."""
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        MSFORMS_QUESTIONS["org_type"],
        MSFORMS_QUESTIONS["municipality"],
        MSFORMS_QUESTIONS["role"],
    ]
    header += list(PILLARS.values()) + [i[3] for i in items]
    header += [MSFORMS_QUESTIONS[k] for k in ("formats", "themes", "open", "contact")]
    return header


def _msforms_cells(number: int, r: Respondent, items: list[tuple]) -> list:
    """One response row as answer texts; the pillar stages only for local governments."""
    local = r.org_type == "lokaal_bestuur"
    values = [
        number + 1,
        r.start.replace(microsecond=0),
        r.end.replace(microsecond=0),
        "anonymous",
        None,
        ORG_TEXT_2025[r.org_type],
        r.written_municipality or None,
        ROLES[r.role][1],
    ]
    values += [STAGES[r.stages[p]] if local else None for p in PILLARS]
    values += [DONT_KNOW if r.needs[i[0]] is None else NEED_LEVELS[r.needs[i[0]]] for i in items]
    values.append(_joined([FORMATS[f][1] for f in r.formats]))
    themes = [THEME_OPTIONS[t] for t in r.themes] + ([r.other_theme] if r.other_theme else [])
    values += [_joined(themes), r.open_text or None, r.contact_email or None]
    return values


def _joined(options: list[str]) -> str | None:
    # Microsoft Forms joins the ticked options with ';' and ends with one.
    return "".join(f"{o};" for o in options) or None


def _truth(
    path: Path,
    row: int,
    wave: int,
    r: Respondent,
    dup: int,
    first_row: dict,
    *,
    complete: bool,
    answered: bool,
    page1: bool,
    page3: bool,
) -> dict:
    return {
        "file": path.name,
        "row": row,
        "wave": wave,
        "kind": "duplicate" if dup >= 0 else ("partial" if not complete else "response"),
        "respondent": r.key,
        "duplicate_of_row": first_row[r.key] if dup >= 0 else None,
        "complete": complete,
        "answered": answered,
        "org_type": r.org_type if page1 else None,
        "nis_code": r.place.nis_2025 if (r.place and page1) else None,
        "municipality_written": r.written_municipality if page1 else None,
        "municipality_fault": r.municipality_fault if page1 else "none",
        "open_pii": r.open_pii if page3 else "none",
        "formula": r.formula if page3 else False,
        "contact_email": bool(r.contact_email) if wave >= 2025 else False,
    }
