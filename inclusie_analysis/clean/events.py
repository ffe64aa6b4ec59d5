"""Activity registers, attendance lists and feedback forms → tidy frames, every row accounted for.

- `events`: one row per activity in the register (type from a controlled vocabulary, themes,
  mode, hours, goal code, counts; `attended` from the attendance list where there is one);
- `activities`: communication outputs (newsletters, Lokaal articles, good practices);
- `attendance`: one row per registration (pseudonymised participant, 2025 municipality);
- `feedback`: one row per feedback response, linked to its event (or reported as unlinked);
- `feedback_text`: the open feedback answers, personal data removed.
How headers and values are spelt lives in a mapping file (`reference/events.yaml`, or the
user's copy named in the settings as paths.events_config), not in code.

This module reads every year's files (`clean_events`) and holds what the readers per input
kind share: the mapping file, header and value spellings, the parsers of values as staff type
them, the column lists and the ledger helpers. The kinds themselves: `clean.register`
(activities sheet), `clean.communication` (communication sheet), `clean.attendance` and
`clean.feedback_forms`.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import yaml

from inclusie_analysis.clean.geo import MunicipalityMatcher
from inclusie_analysis.clean.ledger import REJECTED, FixLog, Ledger, Outcomes
from inclusie_analysis.clean.privacy import scrub_column
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers import RawExport
from inclusie_analysis.read.themes import Taxonomy

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
    # imported here: the modules per input kind build on the shared helpers of this module
    from inclusie_analysis.clean.attendance import _attach_attendance

    years = _years(Path(input_root), up_to_year)
    events, activities = _read_registers(Path(input_root), years, config, ledger, taxonomy)
    events_frame = _concat(events, EVENT_COLUMNS)
    attendance, feedback, texts = _read_lists_and_forms(
        Path(input_root), years, config, events_frame, key, matcher, ledger
    )
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


def _years(input_root: Path, up_to_year: int) -> list[int]:
    """The year folders under the input folder, up to `up_to_year`, oldest first."""
    if not input_root.is_dir():
        return []
    return sorted(
        int(p.name)
        for p in input_root.iterdir()
        if p.is_dir() and p.name.isdigit() and int(p.name) <= up_to_year
    )


def _read_registers(
    input_root: Path, years: list[int], config: EventsConfig, ledger: Ledger, taxonomy: Taxonomy
) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """(events, activities) of every year's registers, one frame per file."""
    from inclusie_analysis.clean.register import _register

    events, activities = [], []
    for year in years:
        for path in find_event_files(input_root / str(year), config, "register"):
            ev, act = _guard(
                ledger,
                path,
                "register",
                lambda p=path, y=year: _register(p, y, config, ledger, taxonomy),
            )
            events.append(ev)
            activities.append(act)
    return events, activities


def _read_lists_and_forms(
    input_root: Path,
    years: list[int],
    config: EventsConfig,
    events: pd.DataFrame,
    key: bytes,
    matcher: MunicipalityMatcher,
    ledger: Ledger,
) -> tuple[list[pd.DataFrame], list[pd.DataFrame], list[pd.DataFrame]]:
    """(attendance, feedback, feedback texts) of every year's attendance lists and feedback
    forms, linked to `events`; per year the lists first, then the forms."""
    from inclusie_analysis.clean.attendance import _attendance
    from inclusie_analysis.clean.feedback_forms import _feedback

    attendance, feedback, texts = [], [], []
    for year in years:
        folder = input_root / str(year)
        for path in find_event_files(folder, config, "attendance"):
            attendance.append(
                _guard(
                    ledger,
                    path,
                    "aanwezigheden",
                    lambda p=path: _attendance(p, config, events, key, matcher, ledger),
                )
            )
        for path in find_event_files(folder, config, "feedback"):
            fb, tx = _guard(
                ledger,
                path,
                "feedback",
                lambda p=path, y=year: _feedback(p, y, config, events, key, ledger),
            )
            feedback.append(fb)
            texts.append(tx)
    return attendance, feedback, texts


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


def _trailing_blanks(name: str, raw, sheet: str | None = None) -> pd.DataFrame:
    """Empty rows at the end of a file, which the reader leaves out of the frame but counts,
    as the ledger's outcomes: each is rejected as blank, so the file's rows add up."""
    rows = [raw.spreadsheet_row(len(raw.frame) + k) for k in range(raw.trailing_blank_rows)]
    return pd.DataFrame({"row": rows}, dtype=object).assign(
        file=name, sheet=sheet, status=REJECTED, reason="blank"
    )


def _records(raw: RawExport, columns: dict[str, str], outcomes: Outcomes):
    """Each non-blank data row as (spreadsheet row, field → cell getter); blank rows go to
    `outcomes` as rejected (the caller records them in the ledger with its own)."""
    for i, record in enumerate(raw.frame.itertuples(index=False)):
        row = raw.spreadsheet_row(i)
        cells = dict(zip(raw.frame.columns, record, strict=True))
        if all(_blank(v) for v in cells.values()):
            outcomes.add(row, REJECTED, "blank", sheet=raw.sheet)
            continue

        def get(field: str, cells: dict = cells) -> object:
            return cells.get(columns[field]) if field in columns else None

        yield row, get


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).reindex(columns=columns)


@dataclass
class _Fixes:
    """Collects the field-level fixes of one file (or sheet), the column being the one the
    field was found in; `record` writes them to the ledger at once when the file is read."""

    ledger: Ledger
    file: str
    columns: dict[str, str]
    sheet: str | None = None
    log: FixLog = field(init=False)

    def __post_init__(self) -> None:
        self.log = FixLog(self.file, self.sheet)

    def __call__(
        self,
        row: int,
        field: str,
        value: object,
        result: object,
        action: str,
        message: str,
        advice: str = "",
    ) -> None:
        self.log.add(row, self.columns.get(field), field, value, result, action, message, advice)

    def record(self) -> None:
        """Write the collected fixes to the ledger."""
        self.log.record(self.ledger)
