"""Activity registers, attendance lists and feedback forms → tidy frames, every row accounted for.

- `events`: one row per activity in the register (type from a controlled vocabulary, themes,
  mode, hours, goal code, counts; `attended` from the attendance list where there is one);
- `activities`: communication outputs (newsletters, Lokaal articles, good practices);
- `attendance`: one row per registration (pseudonymised participant, 2025 municipality);
- `feedback`: one row per feedback response, linked to its event (or reported as unlinked);
- `feedback_text`: the open feedback answers, personal data removed.
How headers and values are spelt lives in a mapping file (`reference/events.yaml`, or the
user's copy named in the settings as paths.events_config), not in code.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import yaml

from inclusie_analysis.analyse.themes import SETTING, Taxonomy, theme_for_phrase
from inclusie_analysis.clean.geo import MunicipalityMatcher, load_reference
from inclusie_analysis.clean.ledger import KEPT, MERGED, REJECTED, Ledger
from inclusie_analysis.clean.privacy import (
    inert,
    is_formula_like,
    normalise_email,
    pseudonym,
    scrub,
    scrub_column,
)
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers import RawExport, read_export

MONTH_NAMES = (
    "januari februari maart april mei juni juli augustus september oktober november december"
)
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES.split(" "), 1)}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())}
EXCEL_EPOCH = date(1899, 12, 30)
MAX_HOURS = 100.0


@dataclass
class EventsConfig:
    """The mapping file (`reference/events.yaml` or the user's copy): spellings, vocabularies."""

    path: Path
    data: dict

    def section(self, name: str) -> dict:
        return self.data.get(name) or {}


DEFAULT_CONFIG = Path(__file__).resolve().parents[1] / "reference" / "events.yaml"


def load_events_config(path: Path | None = None) -> EventsConfig:
    """Read and check the mapping file (default: the bundled one); a mistake names the key."""
    path = Path(path) if path else DEFAULT_CONFIG
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(
            f"het instellingenbestand voor activiteiten kan niet gelezen worden: {exc}",
            file=str(path),
        ) from None
    known = {
        "register",
        "types",
        "modes",
        "communication_types",
        "themes",
        "attendance",
        "feedback",
    }
    if not isinstance(data, dict) or set(data) - known:
        raise InputError(
            "onbekende sleutel(s): "
            + (", ".join(sorted(set(data) - known)) if isinstance(data, dict) else "?")
            + ".",
            file=str(path),
            hint=f"Gekende sleutels: {', '.join(sorted(known))}.",
        )
    for name in ("types", "communication_types"):
        for key, spec in (data.get(name) or {}).items():
            if (
                not isinstance(spec, dict)
                or "label" not in spec
                or not isinstance(spec.get("spellings"), list)
            ):
                raise InputError(
                    f"{name}.{key} heeft 'label' en een lijst 'spellings' nodig.", file=str(path)
                )
    return EventsConfig(Path(path), data)


def _norm(value: object) -> str:
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    return " ".join(text.replace("\u00a0", " ").split())


def _blank(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, float) and value != value)
        or value is pd.NA
        or (isinstance(value, str) and not value.strip())
    )


def _find_columns(raw: RawExport, spellings: dict, required: list, kind: str) -> dict[str, str]:
    """Field → column, by header spellings (a header matches when it starts with one)."""
    headers = {str(c): _norm(c) for c in raw.frame.columns}
    found: dict[str, str] = {}
    for field_name, options in spellings.items():
        wanted = [_norm(o) for o in options]
        for column, header in headers.items():
            if column in found.values():
                continue
            if header in wanted or any(header.startswith(w) for w in wanted if len(w) > 3):
                found[field_name] = column
                break
    missing = [f for f in required if f not in found]
    if missing:
        from rapidfuzz import process

        wanted = spellings[missing[0]][0]
        closest = [c for c, _, _ in process.extract(wanted, list(headers), limit=3)]
        unnamed = sum(str(c).startswith("(kolom ") for c in raw.frame.columns)
        if unnamed > len(raw.frame.columns) / 2:  # a title row above the real header
            hint = (
                f"De eerste rij lijkt een titel ('{raw.frame.columns[0]}') in plaats van de "
                "kolomkoppen. Verwijder de rij(en) boven de kolomkoppen en bewaar het bestand "
                "opnieuw."
            )
        else:
            hint = (
                f"Dichtstbijzijnde kolommen: {'; '.join(closest)}. Voeg de kolomnaam toe in "
                "events.yaml (instelling paths.events_config)."
            )
        raise InputError(
            f"geen kolom voor '{missing[0]}' in dit {kind} "
            f"(gezocht: {', '.join(spellings[missing[0]])}).",
            file=str(raw.path),
            sheet=raw.sheet,
            hint=hint,
        )
    return found


def _vocabulary(spec: dict) -> dict[str, str]:
    out = {}
    for key, value in spec.items():
        spellings = value["spellings"] if isinstance(value, dict) else value
        for spelling in [key, *spellings, *([value["label"]] if isinstance(value, dict) else [])]:
            out[_norm(spelling)] = key
    return out


# ---------------------------------------------------------------------------------------------
# Values as staff type them


def parse_hours(value: object) -> float | None:
    """Duration in hours: 1.5, "1,5", "1u30", "1 u", "90 min", "09:00-12:30", "9u-12u30"."""
    if _blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) if value >= 0 else None
    text = _norm(value).replace(" ", "")
    if m := re.fullmatch(r"(\d{1,2})[:hu.](\d{2})?-(\d{1,2})[:hu.]?(\d{2})?u?", text):
        start = int(m[1]) * 60 + int(m[2] or 0)
        end = int(m[3]) * 60 + int(m[4] or 0)
        return (end - start) / 60 if end > start else None
    if m := re.fullmatch(r"(\d+)(?:[.,](\d+))?(?:u|uur|h|uren)?", text):
        return float(f"{m[1]}.{m[2] or 0}")
    if m := re.fullmatch(r"(\d+)u(?:ur)?(\d{1,2})(?:min)?", text):
        return int(m[1]) + int(m[2]) / 60
    if m := re.fullmatch(r"(\d+)(?:min|minuten|')", text):
        return int(m[1]) / 60
    return None


def parse_date(value: object) -> date | None:
    """A date as staff type it: a real date, an Excel serial, "12 maart 2025", "12/03/2025"."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return EXCEL_EPOCH + timedelta(days=int(value)) if 1 < value < 100_000 else None
    text = _norm(value)
    if m := re.fullmatch(r"(\d{1,2}) ([a-z]+)\.? (\d{4})", text):
        month = MONTHS.get(m[2]) or MONTHS.get(m[2][:3])
        return _safe_date(int(m[3]), month, int(m[1])) if month else None
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        return _safe_date(int(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?: .*)?", text):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if re.fullmatch(r"\d{5}(\.0)?", text):
        return EXCEL_EPOCH + timedelta(days=int(float(text)))
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_goal(value: object) -> str | None:
    """ "OD 1.1", "1.1", "od1.1 " → "OD1.1"."""
    if _blank(value):
        return None
    m = re.fullmatch(r"(?:od)?\s*(\d)\s*[.,]\s*(\d)", _norm(value))
    return f"OD{m[1]}.{m[2]}" if m else None


def parse_count(value: object) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if value >= 0 and float(value).is_integer() else None
    m = re.fullmatch(r"(?:ca\.?|\+/-|±)?\s*(\d+)", _norm(value))
    return int(m[1]) if m else None


def parse_yes_no(value: object) -> bool | None:
    text = _norm(value) if not _blank(value) else ""
    if text in ("ja", "yes", "j", "y", "x", "1", "true", "gepubliceerd"):
        return True
    if text in ("nee", "no", "n", "0", "false", "niet"):
        return False
    return None


# ---------------------------------------------------------------------------------------------
# Registers


@dataclass
class EventFrames:
    events: pd.DataFrame
    activities: pd.DataFrame
    attendance: pd.DataFrame
    feedback: pd.DataFrame
    feedback_text: pd.DataFrame


def clean_events(
    input_root: Path,
    up_to_year: int,
    config: EventsConfig,
    *,
    key: bytes,
    matcher: MunicipalityMatcher,
    ledger: Ledger,
    taxonomy: Taxonomy = None,
) -> EventFrames:
    """Read every register, attendance list and feedback form under `<input_root>/<year>/`.
    A register's themes are read with `config`'s words, then the taxonomy's (`taxonomy`,
    default the configured themes file) ids, labels and keywords."""
    years = (
        sorted(
            int(p.name)
            for p in Path(input_root).iterdir()
            if p.is_dir() and p.name.isdigit() and int(p.name) <= up_to_year
        )
        if Path(input_root).is_dir()
        else []
    )
    events, activities, attendance, feedback, texts = [], [], [], [], []
    for year in years:
        folder = Path(input_root) / str(year)
        for path in find_event_files(folder, config, "register"):
            ev, act = _guard(
                ledger,
                path,
                "register",
                lambda p=path, y=year: _register(p, y, config, ledger, taxonomy),
            )
            events.append(ev)
            activities.append(act)
    events_frame = _concat(events, EVENT_COLUMNS)
    for year in years:
        folder = Path(input_root) / str(year)
        for path in find_event_files(folder, config, "attendance"):
            attendance.append(
                _guard(
                    ledger,
                    path,
                    "aanwezigheden",
                    lambda p=path: _attendance(p, config, events_frame, key, matcher, ledger),
                )
            )
        for path in find_event_files(folder, config, "feedback"):
            fb, tx = _guard(
                ledger,
                path,
                "feedback",
                lambda p=path, y=year: _feedback(p, y, config, events_frame, key, ledger),
            )
            feedback.append(fb)
            texts.append(tx)
    attendance_frame = _concat(attendance, ATTENDANCE_COLUMNS)
    events_frame = _attach_attendance(events_frame, attendance_frame, ledger)
    # The register's free text reaches index.html, the manifest and every activity sheet:
    # scrubbed once here, after feedback was linked by title.
    activities_frame = _concat(activities, ACTIVITY_COLUMNS)
    for frame, columns in ((events_frame, REGISTER_TEXT), (activities_frame, ("title",))):
        for column in columns:
            frame[column] = scrub_column(frame[column])
    return EventFrames(
        events=_with_types(events_frame, DTYPES["events"]),
        activities=_with_types(activities_frame, DTYPES["activities"]),
        attendance=_with_types(attendance_frame, DTYPES["attendance"]),
        feedback=_with_types(_concat(feedback, FEEDBACK_COLUMNS), DTYPES["feedback"]),
        feedback_text=_with_types(_concat(texts, FEEDBACK_TEXT_COLUMNS), DTYPES["feedback_text"]),
    )


COUNTS = ("registered", "attended_register", "attended_list", "attended")
# Free text of the register that is kept in the events frame (and so reaches the reports).
REGISTER_TEXT = ("title", "organiser")
DTYPES = {
    "events": {"date": "datetime64[us]", "year": "int64", "hours": "Float64",
               "recording_published": "boolean", "source_row": "int64"}
    | dict.fromkeys(COUNTS, "Int64"),
    "activities": {"date": "datetime64[us]", "year": "int64", "source_row": "int64"},
    "attendance": {"present": "bool", "source_row": "int64"},
    "feedback": {"year": "int64", "submitted_at": "datetime64[us]", "satisfaction": "Int64",
                 "nps": "Int64", "source_row": "int64"},
    "feedback_text": {"formula": "bool"},
}  # fmt: skip


def _with_types(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """Explicit column types, so parquet and the schemas see numbers, dates and text as such."""
    out = frame.copy()
    for column in out.columns:
        if column in dtypes:
            target = dtypes[column]
            if target == "boolean":
                out[column] = out[column].map(
                    lambda v: pd.NA if v is None or v is pd.NA else bool(v)
                )
            elif target.startswith("datetime"):
                out[column] = pd.to_datetime(out[column])
            out[column] = out[column].astype(target)
        elif out[column].dtype == object:
            out[column] = out[column].astype("string")
    return out


def find_event_files(folder: Path, config: EventsConfig, kind: str) -> list[Path]:
    """The files of one kind ("register", "attendance" or "feedback") in a year's folder, by
    the file patterns of the mapping file; none when the folder does not exist."""
    return _files(Path(folder), config.section(kind).get("files", []))


def _files(folder: Path, patterns: list[str]) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix().lower()
        # a folder named like an export is kept too: reading it says what is wrong
        if any(fnmatch.fnmatch(relative, p.lower()) for p in patterns):
            found.append(path)
    return found


def _guard(ledger: Ledger, path: Path, kind: str, work):
    """Run one file's cleaning; a user mistake marks the file as failed and the run goes on."""
    try:
        return work()
    except InputError as exc:
        ledger.forget(path.name)
        ledger.file(path.name, kind, None, 0, error=str(exc))
        empty = {
            "register": (
                pd.DataFrame(columns=EVENT_COLUMNS),
                pd.DataFrame(columns=ACTIVITY_COLUMNS),
            ),
            "aanwezigheden": pd.DataFrame(columns=ATTENDANCE_COLUMNS),
            "feedback": (
                pd.DataFrame(columns=FEEDBACK_COLUMNS),
                pd.DataFrame(columns=FEEDBACK_TEXT_COLUMNS),
            ),
        }
        return empty[kind]


EVENT_COLUMNS = [
    "event_id", "date", "year", "title", "type", "type_label", "themes", "mode", "hours",
    "organiser", "goal", "registered", "attended_register", "attended_list", "attended",
    "attendance_source", "recording_published", "source_file", "source_row",
]  # fmt: skip
ACTIVITY_COLUMNS = [
    "activity_id",
    "date",
    "year",
    "type",
    "type_label",
    "title",
    "source_file",
    "source_row",
]
ATTENDANCE_COLUMNS = [
    "event_id", "participant_id", "present", "org_type", "nis_code", "municipality", "province",
    "region", "geo_method", "source_file", "source_row",
]  # fmt: skip
FEEDBACK_COLUMNS = [
    "response_id", "event_id", "link_method", "year", "submitted_at", "satisfaction", "relevance",
    "applicability", "speakers", "organisation", "expectations", "nps", "source_file", "source_row",
]  # fmt: skip
FEEDBACK_TEXT_COLUMNS = ["response_id", "event_id", "question", "text", "scrubbed", "formula"]


def _register(
    path: Path, year: int, config: EventsConfig, ledger: Ledger, taxonomy: Taxonomy = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    spec = config.section("register")
    sheets = _sheet_names(path)
    event_sheet = _pick_sheet(
        sheets, spec.get("sheets", {}).get("events", ["*"]), path, "activiteiten"
    )
    raw = read_export(path, sheet=event_sheet)
    events = _register_sheet(raw, year, config, ledger, taxonomy)
    activities = pd.DataFrame(columns=ACTIVITY_COLUMNS)
    rows_in = len(raw.frame) + raw.trailing_blank_rows
    comm_sheet = next(
        (
            s
            for s in sheets
            for p in spec.get("sheets", {}).get("communication", [])
            if fnmatch.fnmatch(s.lower(), p)
        ),
        None,
    )
    _trailing_blanks(ledger, path.name, raw, sheet=event_sheet)
    ledger.file(path.name, "register", "register", rows_in, sheet=event_sheet)
    if comm_sheet is not None:
        comm = read_export(path, sheet=comm_sheet)
        activities = _communication_sheet(comm, year, config, ledger)
        _trailing_blanks(ledger, path.name, comm, sheet=comm_sheet)
        ledger.file(
            path.name,
            "register",
            "register",
            len(comm.frame) + comm.trailing_blank_rows,
            sheet=comm_sheet,
        )
    return events, activities


def _trailing_blanks(ledger: Ledger, name: str, raw, sheet: str | None = None) -> None:
    """Empty rows at the end of a file, which the reader leaves out of the frame but counts:
    each is rejected as blank, so the file's rows add up."""
    for k in range(raw.trailing_blank_rows):
        ledger.row(name, raw.spreadsheet_row(len(raw.frame) + k), REJECTED, "blank", sheet=sheet)


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


def _register_sheet(
    raw: RawExport, year: int, config: EventsConfig, ledger: Ledger, taxonomy: Taxonomy = None
) -> pd.DataFrame:
    spec = config.section("register")
    columns = _find_columns(raw, spec["columns"], spec.get("required", []), "activiteitenregister")
    types = _vocabulary(config.section("types"))
    labels = {k: v["label"] for k, v in config.section("types").items()}
    modes = _vocabulary(config.section("modes"))
    themes = {
        _norm(word): theme for theme, words in config.section("themes").items() for word in words
    }
    name, sheet = raw.path.name, raw.sheet
    out = []

    def fix(row, field, value, result, action, message, advice=""):
        ledger.fix(
            name,
            row,
            columns.get(field),
            field,
            value,
            result,
            action,
            message,
            advice,
            sheet=sheet,
        )

    for row, get in _records(raw, columns, ledger):
        title = "" if _blank(get("title")) else " ".join(str(get("title")).split())
        if _norm(title) in ("totaal", "total", "totalen") or (
            not title and _blank(get("type")) and _blank(get("date"))
        ):
            ledger.row(name, row, REJECTED, "total_row", sheet=sheet)
            continue
        event_id = "" if _blank(get("event_id")) else str(get("event_id")).strip()
        event_id = event_id or f"{year}-r{row}"
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
                "Voeg de schrijfwijze toe aan modes in events.yaml "
                "(instelling paths.events_config).",
            )
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
        counts = {}
        for field in ("registered", "attended"):
            counts[field] = parse_count(get(field))
            if counts[field] is None and not _blank(get(field)):
                fix(row, field, get(field), None, "count_unreadable", "Geen aantal; leeg gelaten.")
        event_themes, unknown = _themes(get("themes"), themes, taxonomy)
        if unknown and ledger.quoted(get("themes")) != str(get("themes")):
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
        out.append(
            {
                "event_id": event_id,
                "date": pd.Timestamp(day) if day else pd.NaT,
                "year": day.year if day else year,
                "title": title,
                "type": kind,
                "type_label": labels.get(kind),
                "themes": ";".join(event_themes),
                "mode": mode,
                "hours": hours,
                "organiser": None
                if _blank(get("organiser"))
                else " ".join(str(get("organiser")).split()),
                "goal": goal,
                "registered": counts["registered"],
                "attended_register": counts["attended"],
                "recording_published": parse_yes_no(get("recording")),
                "source_file": name,
                "source_row": row,
            }
        )
        ledger.row(name, row, KEPT, sheet=sheet, record_id=event_id)
    frame = pd.DataFrame(
        out,
        columns=[
            c for c in EVENT_COLUMNS if c not in ("attended_list", "attended", "attendance_source")
        ],
    )
    duplicated = frame["event_id"].duplicated(keep=False)
    if duplicated.any():
        first = frame.loc[duplicated, "event_id"].iloc[0]
        raise InputError(
            f"het activiteitennummer '{first}' staat meer dan eens in het register.",
            file=str(raw.path),
            sheet=sheet,
            column=columns.get("event_id"),
            value=first,
            hint="Geef elke activiteit een eigen nummer.",
        )
    return frame


def _records(raw: RawExport, columns: dict[str, str], ledger: Ledger):
    """Each non-blank data row as (spreadsheet row, field → cell getter); blank rows are
    written to the ledger as rejected."""
    for i, record in enumerate(raw.frame.itertuples(index=False)):
        row = raw.spreadsheet_row(i)
        cells = dict(zip(raw.frame.columns, record, strict=True))
        if all(_blank(v) for v in cells.values()):
            ledger.row(raw.path.name, row, REJECTED, "blank", sheet=raw.sheet)
            continue

        def get(field: str, cells: dict = cells) -> object:
            return cells.get(columns[field]) if field in columns else None

        yield row, get


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


def _communication_sheet(
    raw: RawExport, year: int, config: EventsConfig, ledger: Ledger
) -> pd.DataFrame:
    spec = config.section("register")
    columns = _find_columns(raw, spec["communication_columns"], ["type"], "communicatieblad")
    vocabulary = _vocabulary(config.section("communication_types"))
    labels = {k: v["label"] for k, v in config.section("communication_types").items()}
    out = []
    for i, record in enumerate(raw.frame.itertuples(index=False)):
        row = raw.spreadsheet_row(i)
        cells = dict(zip(raw.frame.columns, record, strict=True))
        if all(_blank(v) for v in cells.values()):
            ledger.row(raw.path.name, row, REJECTED, "blank", sheet=raw.sheet)
            continue
        written = cells.get(columns["type"])
        kind = vocabulary.get(_norm(written)) if not _blank(written) else None
        if kind is None:
            ledger.fix(
                raw.path.name,
                row,
                columns["type"],
                "type",
                written,
                "other",
                "type_unknown",
                "Onbekend soort communicatie; geteld als 'andere'.",
                "Voeg de schrijfwijze toe aan communication_types in events.yaml "
                "(instelling paths.events_config).",
                sheet=raw.sheet,
            )
            kind = "other"
        day = parse_date(cells.get(columns["date"])) if "date" in columns else None
        activity_id = f"{raw.path.stem}:{raw.sheet}:{row}"
        out.append(
            {
                "activity_id": activity_id,
                "date": pd.Timestamp(day) if day else pd.NaT,
                "year": day.year if day else year,
                "type": kind,
                "type_label": labels.get(kind, "Andere"),
                "title": None
                if "title" not in columns or _blank(cells.get(columns["title"]))
                else str(cells[columns["title"]]).strip(),
                "source_file": raw.path.name,
                "source_row": row,
            }
        )
        ledger.row(raw.path.name, row, KEPT, sheet=raw.sheet, record_id=activity_id)
    return pd.DataFrame(out, columns=ACTIVITY_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Attendance


def _attendance(
    path: Path,
    config: EventsConfig,
    events: pd.DataFrame,
    key: bytes,
    matcher: MunicipalityMatcher,
    ledger: Ledger,
) -> pd.DataFrame:
    spec = config.section("attendance")
    raw = read_export(path)
    ledger.sheet_chosen(raw)
    match = re.search(spec.get("event_id_pattern", r"(\d{4}-\d{3})"), path.name)
    year = match.group(1)[:4] if match else None
    if year and not events["event_id"].astype(str).str.startswith(f"{year}-").any():
        raise InputError(
            f"er is geen activiteitenregister van {year}, dus deze aanwezigheidslijst kan aan "
            "geen activiteit gekoppeld worden.",
            file=str(path),
            hint=f"Zet het register van {year} (bv. activiteiten-{year}.xlsx) in dezelfde "
            "jaarmap en start opnieuw.",
        )
    if not match or match.group(1) not in set(events["event_id"]):
        raise InputError(
            "deze aanwezigheidslijst hoort bij geen activiteit uit het register"
            + (f" (nummer {match.group(1)})." if match else " (geen nummer in de bestandsnaam)."),
            file=str(path),
            hint="Begin de bestandsnaam met het nummer van de activiteit, "
            "bv. 2025-014_aanwezigheden.csv.",
        )
    event_id = match.group(1)
    columns = _find_columns(raw, spec["columns"], spec.get("required", []), "aanwezigheidslijst")
    present_words = {_norm(w) for w in spec.get("present", [])}
    absent_words = {_norm(w) for w in spec.get("absent", [])}
    muni = load_reference().municipalities.set_index("nis_code")
    out, seen = [], {}
    name = path.name
    for i, record in enumerate(raw.frame.itertuples(index=False)):
        row = raw.spreadsheet_row(i)
        cells = dict(zip(raw.frame.columns, record, strict=True))
        if all(_blank(v) for v in cells.values()):
            ledger.row(name, row, REJECTED, "blank")
            continue
        email = normalise_email(cells.get(columns.get("email"))) if "email" in columns else None
        if email:
            participant = pseudonym(key, email, "p")
        else:
            who = "|".join(
                _norm(cells.get(columns.get(f)))
                for f in ("first_name", "last_name", "organisation")
                if f in columns and not _blank(cells.get(columns.get(f)))
            )
            participant = pseudonym(key, f"naam|{who}", "p")
        flag = (
            _norm(cells.get(columns["present"]))
            if not _blank(cells.get(columns["present"]))
            else ""
        )
        if flag in present_words:
            present = True
        elif flag in absent_words or flag == "":
            present = False
        else:
            ledger.fix(
                name,
                row,
                columns["present"],
                "present",
                # as typed: the quote is scrubbed, and names are found by their capitals
                " ".join(str(cells.get(columns["present"])).split()),
                "nee",
                "present_unknown",
                "Aanwezigheid niet herkend; als afwezig geteld.",
                "Gebruik ja/nee.",
            )
            present = False
        if participant in seen:
            kept_row = seen[participant]
            ledger.row(
                name,
                row,
                MERGED,
                "duplicate",
                kept_row=out[kept_row]["source_row"],
                record_id=participant,
                message="Dezelfde persoon staat twee keer op de lijst.",
            )
            out[kept_row]["present"] = out[kept_row]["present"] or present
            continue
        written = cells.get(columns.get("municipality")) if "municipality" in columns else None
        found = matcher.match(written)
        if found.method not in ("exact", "empty") and found.method in (
            "fuzzy",
            "part_of_name",
            "ambiguous",
            "unknown",
            "outside",
        ):
            ledger.fix(
                name,
                row,
                columns.get("municipality"),
                "municipality",
                written,
                found.nis_code,
                f"municipality_{found.method}",
                "Gemeente van een deelnemer: "
                + ("niet herkend." if not found.nis_code else "herkend ondanks tikfout."),
                "Voeg de schrijfwijze toe aan het aliasbestand als dit fout is.",
            )
        code = found.nis_code
        org = cells.get(columns.get("organisation")) if "organisation" in columns else None
        seen[participant] = len(out)
        out.append(
            {
                "event_id": event_id,
                "participant_id": participant,
                "present": present,
                "org_type": _org_type(org),
                "nis_code": code,
                "municipality": muni.loc[code, "name_nl"] if code else None,
                "province": (
                    "Brussel"
                    if muni.loc[code, "region"] == "Brussel"
                    else muni.loc[code, "province_nl"]
                )
                if code
                else None,
                "region": muni.loc[code, "region"] if code else None,
                "geo_method": found.method,
                "source_file": name,
                "source_row": row,
            }
        )
        ledger.row(name, row, KEPT, record_id=participant)
    _trailing_blanks(ledger, name, raw)
    ledger.file(name, "aanwezigheden", raw.platform, len(raw.frame) + raw.trailing_blank_rows)
    return pd.DataFrame(out, columns=ATTENDANCE_COLUMNS)


ORG_KEYWORDS = (
    ("lokaal_bestuur", ("gemeente", "stad ", "ocmw", "lokaal bestuur", "sociaal huis")),
    ("intergemeentelijk", ("intergemeentelijk", "welzijnsband", "regio ")),
    ("welzijnsvereniging", ("welzijnsvereniging",)),
    ("overheid", ("provincie", "vlaamse overheid", "digitaal vlaanderen", "agentschap")),
    ("onderwijs_onderzoek", ("hogeschool", "universiteit", "cvo")),
)


def _org_type(organisation: object) -> str | None:
    """A rough organisation type from the organisation's name (for reach by type)."""
    if _blank(organisation):
        return None
    text = _norm(organisation) + " "
    return next((kind for kind, words in ORG_KEYWORDS if any(w in text for w in words)), "andere")


def _attach_attendance(
    events: pd.DataFrame, attendance: pd.DataFrame, ledger: Ledger
) -> pd.DataFrame:
    """Attendees per event: the list where there is one (checked per person), else the register."""
    present = (
        attendance.groupby("event_id")["present"].sum()
        if len(attendance)
        else pd.Series(dtype="int64")
    )
    events = events.copy()
    events["attended_list"] = events["event_id"].map(present).astype("Int64")
    register = events["attended_register"].astype("Int64")
    events["attended"] = events["attended_list"].fillna(register).astype("Int64")
    events["attendance_source"] = (
        events["attended_list"].notna().map({True: "lijst", False: "register"})
    )
    events.loc[events["attended"].isna(), "attendance_source"] = pd.NA
    disagree = (
        events["attended_list"].notna() & register.notna() & (events["attended_list"] != register)
    )
    for row in events.loc[disagree].itertuples():
        ledger.fix(
            row.source_file,
            row.source_row,
            "aanwezig",
            "attended",
            row.attended_register,
            row.attended_list,
            "attendance_mismatch",
            f"Het register telt {row.attended_register} aanwezigen, de aanwezigheidslijst "
            f"{row.attended_list}; de lijst wordt gebruikt omdat ze per persoon is nagekeken.",
            "Pas het register aan, of de lijst als die onvolledig is.",
        )
    return events


# ---------------------------------------------------------------------------------------------
# Feedback


def _feedback(
    path: Path, year: int, config: EventsConfig, events: pd.DataFrame, key: bytes, ledger: Ledger
) -> tuple[pd.DataFrame, pd.DataFrame]:
    spec = config.section("feedback")
    raw = read_export(path)
    ledger.sheet_chosen(raw)
    columns = _find_columns(raw, spec["columns"], spec.get("required", []), "feedbackformulier")
    likert = spec.get("likert", [])
    likert_keys = {_norm(v): v for v in likert}
    name = path.name
    linker = _EventLinker(events[events["year"].between(year - 1, year)] if len(events) else events)
    out, texts = [], []
    for row, get in _records(raw, columns, ledger):
        response_id = pseudonym(key, f"feedback|{name}|{get('submitted_at')}|{row}", "r")
        event_id, method = linker.link(get("event"))
        if event_id is None:
            ledger.fix(
                name,
                row,
                columns["event"],
                "event",
                get("event"),
                None,
                "feedback_unlinked",
                "Antwoord niet te koppelen aan een activiteit; telt niet mee per activiteit.",
                "Kies in het formulier de activiteit uit een lijst, of zet het nummer "
                "(bv. 2025-014) erbij.",
            )
        satisfaction = _score(get("satisfaction"), 1, 5)
        if satisfaction is None and not _blank(get("satisfaction")):
            ledger.fix(
                name,
                row,
                columns.get("satisfaction"),
                "satisfaction",
                get("satisfaction"),
                None,
                "score_rejected",
                "Tevredenheid moet 1 tot 5 zijn; niet gebruikt.",
            )
        nps = _score(get("nps"), 0, 10)
        if nps is None and not _blank(get("nps")):
            ledger.fix(
                name,
                row,
                columns.get("nps"),
                "nps",
                get("nps"),
                None,
                "nps_rejected",
                "Aanbevelingsscore moet een geheel getal van 0 tot 10 zijn; niet gebruikt.",
                "Controleer het formulier: de vraag moet een schaal van 0 tot 10 zijn.",
            )
        entry = {
            "response_id": response_id,
            "event_id": event_id,
            "link_method": method,
            "year": year,
            "submitted_at": pd.Timestamp(get("submitted_at"))
            if isinstance(get("submitted_at"), datetime)
            else pd.NaT,
            "satisfaction": satisfaction,
            "nps": nps,
            "source_file": name,
            "source_row": row,
        }
        for item in ("relevance", "applicability", "speakers", "organisation", "expectations"):
            value = get(item)
            entry[item] = likert_keys.get(_norm(value)) if not _blank(value) else None
            if entry[item] is None and not _blank(value):
                ledger.fix(
                    name,
                    row,
                    columns.get(item),
                    item,
                    value,
                    None,
                    "scale_unknown",
                    "Antwoord past niet op de schaal akkoord/niet akkoord; niet gebruikt.",
                )
        out.append(entry)
        for question in ("best", "better"):
            value = get(question)
            if _blank(value):
                continue
            clean, kinds = scrub(" ".join(str(value).split()))
            formula = is_formula_like(clean)
            if kinds:
                ledger.fix(
                    name,
                    row,
                    columns.get(question),
                    question,
                    "[verborgen]",
                    None,
                    "pii_scrubbed",
                    "Persoonsgegevens uit een open antwoord verwijderd.",
                )
            if formula:
                ledger.fix(
                    name,
                    row,
                    columns.get(question),
                    question,
                    None,
                    None,
                    "formula_neutralised",
                    "Antwoord begint als een formule; onschadelijk gemaakt voor spreadsheets.",
                )
            texts.append(
                {
                    "response_id": response_id,
                    "event_id": event_id,
                    "question": question,
                    "text": inert(clean),
                    "scrubbed": ",".join(kinds),
                    "formula": formula,
                }
            )
        ledger.row(name, row, KEPT, record_id=response_id)
    _trailing_blanks(ledger, name, raw)
    ledger.file(name, "feedback", raw.platform, len(raw.frame) + raw.trailing_blank_rows)
    frame = pd.DataFrame(out, columns=FEEDBACK_COLUMNS)
    for item in ("relevance", "applicability", "speakers", "organisation", "expectations"):
        frame[item] = pd.Categorical(frame[item], categories=likert, ordered=True)
    return frame, pd.DataFrame(texts, columns=FEEDBACK_TEXT_COLUMNS)


def _score(value: object, low: int, high: int) -> int | None:
    if _blank(value):
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() and low <= number <= high else None


class _EventLinker:
    """Link a feedback answer to an event: by event id, else by title and date, else by a
    clearly best title among that day's (or, without a date, the year's) events."""

    def __init__(self, events: pd.DataFrame):
        self.events = events
        self.ids = set(events["event_id"]) if len(events) else set()
        self.by_title_date = {
            (_norm(t), d.date() if pd.notna(d) else None): e
            for e, t, d in zip(
                events.get("event_id", []),
                events.get("title", []),
                events.get("date", []),
                strict=True,
            )
        }

    def link(self, value: object) -> tuple[str | None, str]:
        if _blank(value):
            return None, "none"
        text = " ".join(str(value).split())
        if (m := re.search(r"\b(\d{4}-\d{3})\b", text)) and m.group(1) in self.ids:
            return m.group(1), "id"
        day = None
        if m := re.search(r"\((\d{1,2}[/.-]\d{1,2}[/.-]\d{4})\)\s*$", text):
            day = parse_date(m.group(1))
            text = text[: m.start()].strip()
        key = (_norm(text), day)
        if key in self.by_title_date:
            return self.by_title_date[key], "title_date"
        candidates = self.events
        if not len(candidates):
            return None, "none"
        if day is not None:
            candidates = candidates[pd.to_datetime(candidates["date"]).dt.date == day]
        if not len(candidates):
            return None, "none"
        from rapidfuzz import fuzz, process

        best = process.extract(
            _norm(text),
            [_norm(t) for t in candidates["title"]],
            scorer=fuzz.token_set_ratio,
            limit=2,
        )
        if (
            best
            and best[0][1] >= 90
            and (
                len(best) == 1
                or best[0][1] - best[1][1] >= 5
                or (day is not None and len(candidates) == 1)
            )
        ):
            return candidates["event_id"].iloc[best[0][2]], "title"
        return None, "none"


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).reindex(columns=columns)
