"""Read survey and register exports into a raw table, and say what was found out about the file.

The raw table keeps every cell as the user typed it (text, or a date/number where the
spreadsheet stored one), with the row number the user sees in their spreadsheet, so every
later message can point at the cell.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from inclusie_analysis.errors import InputError

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
# Encodings tried in order: UTF-8 (with or without BOM; utf-8-sig reads both), then cp1252
# (Excel's "Save as CSV"), which decodes all but five byte values.
ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = ",;\t"

_MSFORMS_START = ("id", "start time", "completion time", "email", "name")
_LIMESURVEY_CODES = ("id", "submitdate", "lastpage", "startlanguage")
_LIMESURVEY_TEXT = ("response id", "date submitted", "last page", "start language")


@dataclass
class RawExport:
    """A file as read: its table (all columns as read, one row per data row) and what we found."""

    path: Path
    frame: pd.DataFrame
    platform: str
    header_rows: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)

    def spreadsheet_row(self, index: int) -> int:
        """The row number a user sees in a spreadsheet for data row `index` (0-based)."""
        return index + self.header_rows + 1


def read_export(path: Path | str, sheet: str | None = None) -> RawExport:
    """Read a CSV or Excel export and detect its platform, encoding and delimiter."""
    path = Path(path)
    if not path.exists():
        raise InputError(
            "het bestand bestaat niet.", file=str(path), hint="Controleer de naam en de map."
        )
    if path.is_dir():
        raise InputError("dit is een map, geen bestand.", file=str(path))
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        raw = _read_excel(path, sheet)
    elif suffix in TEXT_SUFFIXES:
        raw = _read_text(path)
    else:
        raise InputError(
            f"bestandstype '{suffix}' wordt niet ondersteund.",
            file=str(path),
            hint="Exporteer als .xlsx of .csv.",
        )
    raw.platform = detect_platform(list(raw.frame.columns))
    return raw


def detect_platform(columns: list[str]) -> str:
    """Name the survey platform from the header row (rules of each platform's export format)."""
    lower = [str(c).strip().lower() for c in columns]
    if tuple(lower[:3]) == _MSFORMS_START[:3]:
        return "msforms"
    if tuple(lower[:4]) in (_LIMESURVEY_CODES, _LIMESURVEY_TEXT):
        return "limesurvey"
    if lower and lower[0] in ("timestamp", "tijdstempel"):
        return "googleforms"
    return "plain"


def _read_excel(path: Path, sheet: str | None) -> RawExport:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(
            f"het Excel-bestand kan niet geopend worden ({type(exc).__name__}: {exc}).",
            file=str(path),
            hint="Open het in Excel en bewaar het opnieuw als .xlsx (zonder wachtwoord).",
        ) from None
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise InputError(
            f"blad '{sheet}' bestaat niet (bladen: {', '.join(names)}).", file=str(path)
        )
    name = sheet or names[0]
    rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return RawExport(path, _to_frame(rows, path, name), platform="plain", sheet=name)


def _read_text(path: Path) -> RawExport:
    data = path.read_bytes()
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise InputError(
            "dit is geen tekstbestand (het lijkt een Excel- of ander binair bestand met een "
            f"verkeerde extensie '{path.suffix}').",
            file=str(path),
            hint="Geef het de juiste extensie (.xlsx) of exporteer opnieuw als CSV.",
        )
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(
            "de tekens in dit bestand zijn niet te lezen als UTF-8 of Windows-1252.",
            file=str(path),
            hint="Bewaar het bestand opnieuw als 'CSV UTF-8' in Excel.",
        )
    if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8"
    sample = "\n".join(text.splitlines()[:20])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = max(DELIMITERS, key=lambda d: sample.split("\n", 1)[0].count(d))
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return RawExport(
        path, _to_frame(rows, path, None), platform="plain", encoding=encoding, delimiter=delimiter
    )


def _to_frame(rows: list[list], path: Path, sheet: str | None) -> pd.DataFrame:
    if not rows or not any(str(c).strip() for c in rows[0]):
        raise InputError(
            "het bestand heeft geen kopregel met kolomnamen.", file=str(path), sheet=sheet, row=1
        )
    header = [str(c).strip() for c in rows[0]]
    width = len(header)
    body = [(list(r) + [None] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=pd.Index(header, dtype="object"), dtype="object")
    # Empty strings and empty cells mean the same thing: no answer.
    return frame.mask(frame.map(lambda v: v is None or (isinstance(v, str) and not v.strip())))
