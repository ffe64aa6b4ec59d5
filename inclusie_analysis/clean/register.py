"""Activity registers → the events frame (and, from a communication sheet, the activities).

One row per activity: its date, type, themes, mode, hours, goal and counts read as staff type
them, each value that had to be parsed, guessed or dropped written to the ledger as a fix, and
each row kept or rejected, so the register's rows add up. Split from `clean.events`, which
reads every year's files and shares the spellings, parsers and column lists used here.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from inclusie_analysis.clean.communication import _communication_sheet
from inclusie_analysis.clean.events import (
    ACTIVITY_COLUMNS,
    EVENT_COLUMNS,
    MAX_HOURS,
    EventsConfig,
    _blank,
    _find_columns,
    _Fixes,
    _norm,
    _records,
    _trailing_blanks,
    _vocabulary,
    parse_count,
    parse_date,
    parse_goal,
    parse_hours,
    parse_yes_no,
)
from inclusie_analysis.clean.ledger import KEPT, REJECTED, Ledger, Outcomes
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers import RawExport, read_export
from inclusie_analysis.read.themes import SETTING, Taxonomy, theme_for_phrase


def _register(
    path: Path, year: int, config: EventsConfig, ledger: Ledger, taxonomy: Taxonomy = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A register file's events (its activities sheet) and communication outputs (its
    communication sheet, when there is one); each sheet's rows closed in the ledger."""
    spec = config.section("register")
    sheets = _sheet_names(path)
    event_sheet = _pick_sheet(
        sheets, spec.get("sheets", {}).get("events", ["*"]), path, "activiteiten"
    )
    raw = read_export(path, sheet=event_sheet)
    events = _register_sheet(raw, year, config, ledger, taxonomy)
    activities = pd.DataFrame(columns=ACTIVITY_COLUMNS)
    rows_in = len(raw.frame) + raw.trailing_blank_rows
    comm_sheet = _communication_sheet_name(sheets, spec)
    ledger.record_rows(_trailing_blanks(path.name, raw, sheet=event_sheet))
    ledger.file(path.name, "register", "register", rows_in, sheet=event_sheet)
    if comm_sheet is not None:
        comm = read_export(path, sheet=comm_sheet)
        activities = _communication_sheet(comm, year, config, ledger)
        ledger.record_rows(_trailing_blanks(path.name, comm, sheet=comm_sheet))
        ledger.file(
            path.name,
            "register",
            "register",
            len(comm.frame) + comm.trailing_blank_rows,
            sheet=comm_sheet,
        )
    return events, activities


def _communication_sheet_name(sheets: list[str], spec: dict) -> str | None:
    """The first sheet named like a communication sheet of the mapping file, if any."""
    return next(
        (
            s
            for s in sheets
            for p in spec.get("sheets", {}).get("communication", [])
            if fnmatch.fnmatch(s.lower(), p)
        ),
        None,
    )


def _sheet_names(path: Path) -> list[str]:
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"):
        return []
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except (CalamineError, OSError, ValueError):
        return []  # read_export gives the user the real reason


def _pick_sheet(sheets: list[str], patterns: list[str], path: Path, what: str) -> str | None:
    if not sheets:
        return None
    for pattern in patterns:
        for name in sheets:
            if fnmatch.fnmatch(name.lower(), pattern.lower()):
                return name
    raise InputError(
        f"geen blad met de {what} gevonden (bladen: {', '.join(sheets)}).",
        file=str(path),
        hint=f"Geef het blad een naam zoals '{patterns[0].rstrip('*')}', of voeg de naam toe in "
        "events.yaml (instelling paths.events_config) (register.sheets).",
    )


@dataclass
class _RegisterWords:
    """The register's vocabularies from the mapping file: spelling → type, mode or theme."""

    types: dict[str, str]
    labels: dict[str, str]
    modes: dict[str, str]
    themes: dict[str, str]

    @classmethod
    def of(cls, config: EventsConfig) -> _RegisterWords:
        return cls(
            types=_vocabulary(config.section("types")),
            labels={k: v["label"] for k, v in config.section("types").items()},
            modes=_vocabulary(config.section("modes")),
            themes={
                _norm(word): theme
                for theme, words in config.section("themes").items()
                for word in words
            },
        )


def _register_sheet(
    raw: RawExport, year: int, config: EventsConfig, ledger: Ledger, taxonomy: Taxonomy = None
) -> pd.DataFrame:
    """The events of a register's activities sheet: one row per activity, total and blank
    rows rejected, every value that needed work written to the ledger as a fix."""
    spec = config.section("register")
    columns = _find_columns(raw, spec["columns"], spec.get("required", []), "activiteitenregister")
    words = _RegisterWords.of(config)
    name, sheet = raw.path.name, raw.sheet
    fix = _Fixes(ledger, name, columns, sheet=sheet)
    outcomes = Outcomes(name, sheet)
    out = []
    for row, get in _records(raw, columns, outcomes):
        title = "" if _blank(get("title")) else " ".join(str(get("title")).split())
        if _is_total_row(title, get):
            outcomes.add(row, REJECTED, "total_row")
            continue
        event = _register_event(row, get, title, year, words, fix, taxonomy)
        out.append(event | {"source_file": name, "source_row": row})
        outcomes.add(row, KEPT, record_id=event["event_id"])
    ledger.record_rows(outcomes.frame())
    fix.record()
    frame = pd.DataFrame(
        out,
        columns=[
            c for c in EVENT_COLUMNS if c not in ("attended_list", "attended", "attendance_source")
        ],
    )
    _check_unique_ids(frame, raw, columns)
    return frame


def _is_total_row(title: str, get) -> bool:
    """A totals line, or a row with neither title, type nor date: not an activity."""
    return _norm(title) in ("totaal", "total", "totalen") or (
        not title and _blank(get("type")) and _blank(get("date"))
    )


def _register_event(
    row: int, get, title: str, year: int, words: _RegisterWords, fix: _Fixes, taxonomy: Taxonomy
) -> dict:
    """One register row as an event (without its source columns); its fixes come in the order
    of the checks: date, type, duration, mode, goal, counts, themes."""
    event_id = "" if _blank(get("event_id")) else str(get("event_id")).strip()
    event_id = event_id or f"{year}-r{row}"
    day = _event_date(row, get, year, fix)
    kind = _event_type(row, get, words.types, fix)
    hours = _event_hours(row, get, fix)
    mode = _event_mode(row, get, words.modes, fix)
    goal = _event_goal(row, get, fix)
    counts = _event_counts(row, get, fix)
    event_themes = _event_themes(row, get, words.themes, taxonomy, fix)
    return {
        "event_id": event_id,
        "date": pd.Timestamp(day) if day else pd.NaT,
        "year": day.year if day else year,
        "title": title,
        "type": kind,
        "type_label": words.labels.get(kind),
        "themes": ";".join(event_themes),
        "mode": mode,
        "hours": hours,
        "organiser": None if _blank(get("organiser")) else " ".join(str(get("organiser")).split()),
        "goal": goal,
        "registered": counts["registered"],
        "attended_register": counts["attended"],
        "recording_published": parse_yes_no(get("recording")),
    }


def _event_date(row: int, get, year: int, fix: _Fixes) -> date | None:
    """The activity's date; None when unreadable or not within a year of the folder's year."""
    day = parse_date(get("date"))
    if day is None:
        fix(
            row,
            "date",
            get("date"),
            None,
            "date_unreadable",
            "Datum niet herkend; de activiteit telt "
            "mee in het jaar van de map maar niet voor tussentijdse opvolging.",
            "Typ de datum als 12/03/2025 of gebruik een datumcel.",
        )
    elif not year - 1 <= day.year <= year + 1:
        fix(
            row,
            "date",
            get("date"),
            day.isoformat(),
            "date_implausible",
            f"Datum {day:%d/%m/%Y} valt niet in {year}; niet gebruikt.",
            "Controleer het jaartal.",
        )
        day = None
    elif not isinstance(get("date"), datetime | date):
        fix(
            row,
            "date",
            get("date"),
            day.isoformat(),
            "date_parsed",
            "Datum herkend uit tekst of serienummer.",
        )
    return day


def _event_type(row: int, get, types: dict[str, str], fix: _Fixes) -> str | None:
    """The activity's type from the controlled vocabulary; None (and a fix) when unknown."""
    kind = types.get(_norm(get("type"))) if not _blank(get("type")) else None
    if kind is None:
        fix(
            row,
            "type",
            get("type"),
            None,
            "type_unknown",
            "Onbekend soort activiteit; telt voor geen enkele indicator.",
            "Gebruik een soort uit events.yaml (instelling paths.events_config) "
            "of voeg deze schrijfwijze toe.",
        )
    return kind


def _event_hours(row: int, get, fix: _Fixes) -> float | None:
    """The duration in hours; None when unreadable or impossible (over MAX_HOURS)."""
    hours = parse_hours(get("duration"))
    if (hours is None and not _blank(get("duration"))) or (
        hours is not None and not 0 < hours <= MAX_HOURS
    ):
        fix(
            row,
            "duration",
            get("duration"),
            None,
            "hours_unreadable",
            "Duur niet herkend (of onmogelijk); telt niet mee voor deelnemersuren.",
            "Typ de duur als 1,5 of 1u30 of 90 min of 09:00-12:30.",
        )
        hours = None
    elif hours is not None and not isinstance(get("duration"), int | float):
        fix(
            row,
            "duration",
            get("duration"),
            f"{hours:g}",
            "hours_parsed",
            "Duur omgerekend naar uren.",
        )
    return hours


def _event_mode(row: int, get, modes: dict[str, str], fix: _Fixes) -> str | None:
    """Online, physical or hybrid; None (and a fix when something was typed) otherwise."""
    mode_text = get("mode")
    mode = modes.get(_norm(mode_text)) if not _blank(mode_text) else None
    if mode is None and not _blank(mode_text):
        fix(
            row,
            "mode",
            mode_text,
            None,
            "mode_unknown",
            "Vorm niet herkend (online/fysiek/hybride).",
            "Voeg de schrijfwijze toe aan modes in events.yaml (instelling paths.events_config).",
        )
    return mode


def _event_goal(row: int, get, fix: _Fixes) -> str | None:
    """The goal code (OD1.1); None (and a fix when something was typed) otherwise."""
    goal = parse_goal(get("goal"))
    if goal is None and not _blank(get("goal")):
        fix(
            row,
            "goal",
            get("goal"),
            None,
            "goal_unknown",
            "Doelstelling niet herkend (zoals OD1.1).",
        )
    return goal


def _event_counts(row: int, get, fix: _Fixes) -> dict[str, int | None]:
    """Registered and attended as whole numbers; an unreadable count is left empty."""
    counts = {}
    for field in ("registered", "attended"):
        counts[field] = parse_count(get(field))
        if counts[field] is None and not _blank(get(field)):
            fix(row, field, get(field), None, "count_unreadable", "Geen aantal; leeg gelaten.")
    return counts


def _event_themes(
    row: int, get, themes: dict[str, str], taxonomy: Taxonomy, fix: _Fixes
) -> list[str]:
    """The theme ids the themes cell names; each piece naming none is a fix."""
    event_themes, unknown = _themes(get("themes"), themes, taxonomy)
    if unknown and fix.ledger.quoted(get("themes")) != str(get("themes")):
        # personal data in the cell: quoted whole (and scrubbed), not cut into pieces
        # that no longer show a name or an address as one
        unknown = [get("themes")]
    for piece in unknown:
        fix(
            row,
            "themes",
            piece,
            None,
            "theme_unknown",
            "Thema niet herkend; niet meegeteld.",
            "Voeg het woord toe aan themes in events.yaml (paths.events_config) of aan de "
            f"keywords van een thema ({SETTING}).",
        )
    return event_themes


def _check_unique_ids(frame: pd.DataFrame, raw: RawExport, columns: dict[str, str]) -> None:
    """An activity number used twice makes the register ambiguous: a user mistake."""
    duplicated = frame["event_id"].duplicated(keep=False)
    if duplicated.any():
        first = frame.loc[duplicated, "event_id"].iloc[0]
        raise InputError(
            f"het activiteitennummer '{first}' staat meer dan eens in het register.",
            file=str(raw.path),
            sheet=raw.sheet,
            column=columns.get("event_id"),
            value=first,
            hint="Geef elke activiteit een eigen nummer.",
        )


def _themes(
    value: object, themes: dict[str, str], taxonomy: Taxonomy = None
) -> tuple[list[str], list[str]]:
    """The theme ids a register cell names, and the pieces that name none."""
    if _blank(value):
        return [], []
    found, unknown = [], []
    for piece in re.split(r"[,;/+]| en ", str(value)):
        key = _norm(piece)
        theme = (
            themes.get(key)
            or next((t for w, t in themes.items() if w in key), None)
            or (theme_for_phrase(key, taxonomy) if key else None)
        )
        if theme and theme not in found:
            found.append(theme)
        elif not theme and key:
            unknown.append(piece.strip())
    return found, unknown
