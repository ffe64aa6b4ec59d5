"""Synthetic activity register: the Excel file staff keep by hand, one per year.

Two sheets: the activities (headers that change between years, types, themes and modes typed
freely, dates as real dates, serial numbers or Dutch text, durations as "1,5", "1u30",
"90 min" or "09:00-12:30", blank rows, and in 2024 a totals row at the bottom) and the
communication outputs (newsletters, articles, good practices). Split from `events.py`, which
draws the events themselves, so each file holds one export.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

from inclusie_analysis.demo.events import MODES, THEMES, Event, EventFaults
from inclusie_analysis.demo.world import pick
from inclusie_analysis.demo.xlsx import save_workbook

MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
HEADERS = {
    2024: (
        "Nr",
        "Datum activiteit",
        "Titel activiteit",
        "Soort",
        "Thema('s)",
        "Online/fysiek",
        "Duur (u)",
        "Organisatie",
        "OD",
        "# ingeschreven",
        "# aanwezig",
        "Opname online?",
    ),
    2025: (
        "Nr",
        "Datum",
        "Titel",
        "Type",
        "Thema",
        "Vorm",
        "Duur",
        "Organisator",
        "Doelstelling",
        "Ingeschreven",
        "Aanwezig",
        "Opname gepubliceerd",
    ),
}


def write_register(
    rng: random.Random, path: Path, year: int, events: list[Event], faults: EventFaults, scale: int
) -> tuple[list[dict], list[dict]]:
    """Write the activity register; return truth rows for events and communication outputs."""
    from openpyxl import Workbook

    _miscount_attendance(rng, events, faults)
    _set_recordings(rng, events, faults)
    everything = list(range(len(events)))
    kinds = _date_kinds(rng, everything, faults)
    durations = _duration_kinds(rng, events, faults)
    spaces = pick(rng, everything, faults.trailing_space)
    blanks = pick(rng, everything, faults.blank_rows)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Activiteiten"
    headers = HEADERS.get(year, HEADERS[max(HEADERS)])  # later years keep 2025's layout
    sheet.append(list(headers))
    truth, row = [], 1
    for i, e in enumerate(events):
        if i in blanks:
            sheet.append([None] * len(headers))
            row += 1
            truth.append({"file": path.name, "sheet": "Activiteiten", "row": row, "kind": "blank"})
        e.date_kind = kinds.get(i, "date")
        e.duration_written = _duration(e, durations.get(i, "number"))
        sheet.append(_event_cells(rng, e, pad=" " if i in spaces else ""))
        row += 1
        if e.date_kind == "date":
            sheet.cell(row=row, column=2).number_format = "dd/mm/yyyy"
        truth.append(_event_truth(path, row, e, durations.get(i, "number"), i in spaces))
    if year == 2024:
        # A totals row that somebody added under the table.
        sheet.append(_totals_cells(events))
        row += 1
        truth.append({"file": path.name, "sheet": "Activiteiten", "row": row, "kind": "total"})
    sheet.column_dimensions["C"].width = 50
    communication = _communication(rng, workbook, path, year, scale)
    save_workbook(
        workbook, path, f"Activiteitenregister {year} netwerk digitale inclusie (SYNTHETISCH)"
    )
    return truth, communication


def _miscount_attendance(rng: random.Random, events: list[Event], faults: EventFaults) -> None:
    """Some events with a list get a register "aanwezig" count that differs from the list."""
    with_list = [i for i, e in enumerate(events) if e.has_list]
    for i in pick(rng, with_list, faults.count_mismatch):
        e = events[i]
        delta = rng.choice((-3, -2, -1, 1, 2, 4))
        e.register_attended = max(0, e.register_attended + delta)


def _set_recordings(rng: random.Random, events: list[Event], faults: EventFaults) -> None:
    """The "opname" cell: online/hybrid meetings and info sessions are recorded, some not."""
    recordable = [
        i
        for i, e in enumerate(events)
        if e.mode in ("online", "hybrid")
        and e.type in ("general_meeting", "specific_meeting", "info_session")
    ]
    missing = pick(rng, recordable, faults.recording_missing)
    for i, e in enumerate(events):
        if i in recordable:
            e.recording = "nee" if i in missing else rng.choice(("ja", "Ja", "ja ", "JA"))
        else:
            e.recording = rng.choice(("", "n.v.t.", "nee")) if e.mode == "physical" else ""


def _date_kinds(rng: random.Random, everything: list[int], faults: EventFaults) -> dict[int, str]:
    """Row index → how its date is typed (serial number, Dutch text, slashes); absent: a date."""
    kinds = {}
    remaining = list(everything)
    for kind in ("date_serial", "date_text_nl", "date_text_slash"):
        chosen = pick(rng, remaining, getattr(faults, kind), len(everything))
        kinds.update(dict.fromkeys(chosen, kind))
        remaining = [i for i in remaining if i not in chosen]
    return kinds


def _duration_kinds(rng: random.Random, events: list[Event], faults: EventFaults) -> dict[int, str]:
    """Row index → how its duration is typed ("1,5", "1u30", "90 min", a clock range)."""
    everything = list(range(len(events)))
    durations = {}
    remaining = list(everything)
    for kind in ("duration_comma", "duration_uur", "duration_min", "duration_range"):
        # A clock range only makes sense for an activity within one day.
        eligible = [i for i in remaining if kind != "duration_range" or events[i].hours <= 8]
        chosen = pick(rng, eligible, getattr(faults, kind), len(everything))
        durations.update(dict.fromkeys(chosen, kind))
        remaining = [i for i in remaining if i not in chosen]
    return durations


def _event_cells(rng: random.Random, e: Event, pad: str) -> list:
    """One register row as staff type it (themes, mode and goal written their own way)."""
    themes = rng.choice((", ", " / ", "; ")).join(rng.choice(THEMES[t]) for t in e.themes)
    return [
        e.event_id,
        _date_cell(e.day, e.date_kind),
        e.title + pad,
        e.type_written + pad,
        themes,
        rng.choice(MODES[e.mode]) + pad,
        e.duration_written,
        e.organiser,
        _goal(rng, e.goal),
        e.register_registered,
        e.register_attended,
        e.recording or None,
    ]


def _event_truth(path: Path, row: int, e: Event, duration_kind: str, trailing_space: bool) -> dict:
    """What the cleaner should read from an event's register row."""
    return {
        "file": path.name,
        "sheet": "Activiteiten",
        "row": row,
        "kind": "event",
        "event_id": e.event_id,
        "date": e.day.isoformat(),
        "title": e.title,
        "date_kind": e.date_kind,
        "type": e.type,
        "type_written": e.type_written,
        "themes": ";".join(e.themes),
        "mode": e.mode,
        "hours": e.hours,
        "duration_written": str(e.duration_written),
        "duration_kind": duration_kind,
        "goal": e.goal,
        "registered": e.register_registered,
        "attended_register": e.register_attended,
        "attended_list": sum(e.present) if e.has_list else None,
        "has_list": e.has_list,
        "recording_published": e.recording.strip().lower() == "ja" if e.recording.strip() else None,
        "trailing_space": trailing_space,
    }


def _totals_cells(events: list[Event]) -> list:
    """The totals row under the 2024 table: registered and attended summed."""
    return [
        None,
        None,
        "Totaal",
        None,
        None,
        None,
        None,
        None,
        None,
        sum(e.register_registered or 0 for e in events),
        sum(e.register_attended or 0 for e in events),
        None,
    ]


def _date_cell(day: date, kind: str) -> object:
    if kind == "date_serial":
        return (day - date(1899, 12, 30)).days
    if kind == "date_text_nl":
        return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"
    if kind == "date_text_slash":
        return day.strftime("%d/%m/%Y")
    return datetime(day.year, day.month, day.day)


def _duration(e: Event, kind: str) -> object:
    hours = e.hours
    whole, minutes = int(hours), round((hours - int(hours)) * 60)
    if kind == "duration_comma":
        return f"{hours:.1f}".replace(".", ",")
    if kind == "duration_uur":
        return f"{whole}u{minutes:02d}" if minutes else f"{whole}u"
    if kind == "duration_min":
        return f"{round(hours * 60)} min"
    if kind == "duration_range":
        start = datetime(2000, 1, 1, 9, 0)
        end = start + timedelta(minutes=round(hours * 60))
        return f"{start:%H:%M}-{end:%H:%M}"
    return hours


def _goal(rng: random.Random, goal: str) -> str | None:
    if not goal:
        return None
    return rng.choice((goal, goal, goal.replace("OD", "OD "), goal[2:], goal.lower()))


def _communication(rng: random.Random, workbook, path: Path, year: int, scale: int) -> list[dict]:
    sheet = workbook.create_sheet("Communicatie" if year >= 2025 else f"Communicatie {year}")
    sheet.append(["Datum", "Soort", "Titel", "Link"])
    items = []
    months = [m for m in range(1, 13) if m not in (7, 8)]
    for m in months:
        items.append(
            (
                "newsletter",
                date(year, m, rng.randint(2, 20)),
                f"Nieuwsbrief digitale inclusie {MONTHS_NL[m - 1]}",
            )
        )
    for _ in range(rng.randint(2, 3) * scale):
        items.append(
            (
                "article",
                date(year, rng.choice(months), rng.randint(1, 28)),
                f"Lokaal: {rng.choice(list(THEMES.values()))[0]} in de praktijk",
            )
        )
    for _ in range(rng.randint(3, 6) * scale):
        items.append(
            (
                "good_practice",
                date(year, rng.choice(months), rng.randint(1, 28)),
                f"Goede praktijk: {rng.choice(list(THEMES.values()))[0]}",
            )
        )
    if year == 2025 and scale == 1:
        items = [
            i for i in items if not (i[0] == "newsletter" and i[1].month == 12)
        ]  # December not yet sent
    items.sort(key=lambda t: (t[1], t[2]))
    written = {
        "newsletter": ("Nieuwsbrief", "nieuwsbrief", "Nieuwsbrief "),
        "article": ("Artikel Lokaal", "Lokaal-artikel", "Artikel in Lokaal"),
        "good_practice": ("Goede praktijk", "Good practice", "goede praktijk"),
    }
    truth = []
    for row, (kind, day, title) in enumerate(items, start=2):
        sheet.append(
            [
                datetime(day.year, day.month, day.day),
                rng.choice(written[kind]),
                title,
                f"https://www.example.org/{kind}/{day:%Y%m%d}",
            ]
        )
        sheet.cell(row=row, column=1).number_format = "dd/mm/yyyy"
        truth.append(
            {
                "file": path.name,
                "sheet": sheet.title,
                "row": row,
                "type": kind,
                "date": day.isoformat(),
            }
        )
    return truth
