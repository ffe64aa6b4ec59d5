"""Reading the files, whatever the platform: bytes to rows of cells (text with its encoding
and delimiter in `_text.py`, Excel sheets in `_excel.py`, SPSS in `_spss.py`), then rows to
the raw table (`_assemble`, here).

The raw table keeps every cell as the user typed it (text, or a date/number where the
spreadsheet stored one), with the row number the user sees in their spreadsheet, so every
later message can point at the cell. What the header rows mean is the platform modules'
business (`_registry.header_layout`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers._base import pad
from inclusie_analysis.read.readers._registry import header_layout

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
SPSS_SUFFIXES = {".sav", ".zsav"}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


@dataclass
class RawExport:
    """A file as read: its table (all columns as read, one row per data row) and what we found.

    `questions` maps a column to its question text where the format carries one (Qualtrics
    row 2, SurveyMonkey row 1, SPSS variable labels; for exports whose headers are the
    question texts, the original header). `columns_renamed` maps a renamed column to the header
    it had in the file (repeated headers become "<name> (2)", ...). `value_labels` holds the
    SPSS value labels per column (code -> label). Notes are in Dutch, for the user.
    """

    path: Path
    frame: pd.DataFrame
    platform: str
    header_rows: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    questions: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict] = field(default_factory=dict)
    columns_renamed: dict[str, str] = field(default_factory=dict)
    variant: str | None = None  # e.g. Qualtrics "huidig"/"oud"/"2016-2017", LimeSurvey headings
    sheets: list[str] = field(default_factory=list)  # every sheet of an Excel file
    skipped_rows: int = 0  # blank lines (or a "sep=" line) above the header
    trailing_blank_rows: int = 0  # completely empty rows at the end, not in `frame`
    import_ids: dict[str, str] = field(default_factory=dict)  # Qualtrics row 3
    user_missing: dict[str, list] = field(default_factory=dict)  # SPSS: (low, high) per column
    # The first sheet of an Excel file held no table, so another was read: what happened, in
    # Dutch, for the data-quality report (the note in `notes` also says how to choose).
    sheet_warning: str | None = None

    def spreadsheet_row(self, index: int) -> int:
        """The row number a user sees in a spreadsheet for data row `index` (0-based).

        Counts the header rows and the blank lines skipped above them; for SPSS (no header
        rows) it is the case number.
        """
        return index + self.skipped_rows + self.header_rows + 1


def read_export(path: Path | str, sheet: str | None = None) -> RawExport:
    """Read a CSV, Excel or SPSS export and detect its platform, encoding and delimiter."""
    path = Path(path)
    if not path.exists():
        raise InputError(
            "het bestand bestaat niet.", file=str(path), hint="Controleer de naam en de map."
        )
    if path.is_dir():
        raise InputError(
            "dit is een map, geen bestand.",
            file=str(path),
            hint="Geef één exportbestand op (bv. .xlsx of .csv).",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"het bestand kan niet gelezen worden ({exc.strerror or exc}).",
            file=str(path),
            hint="Is het nog geopend in een ander programma, of heb je geen leesrechten?",
        ) from None
    _refuse_foreign_content(data, path)
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES | TEXT_SUFFIXES | SPSS_SUFFIXES:
        kind = f"bestandstype '{suffix}'" if suffix else "een bestand zonder extensie"
        hint = "Exporteer als .xlsx, .csv of .sav."
        if suffix == ".zip" or data.startswith(_ZIP):
            hint = "Pak het zip-bestand eerst uit en geef het .xlsx- of .csv-bestand op."
        raise InputError(f"{kind} wordt niet ondersteund.", file=str(path), hint=hint)
    if not data:
        raise InputError(
            "het bestand is leeg (0 bytes): er is geen kopregel met kolomnamen.",
            file=str(path),
            row=1,
            hint="Exporteer de antwoorden opnieuw.",
        )
    # The format readers build on RawExport and _assemble here: imported when needed.
    from inclusie_analysis.read.readers._excel import _read_excel
    from inclusie_analysis.read.readers._spss import _read_spss
    from inclusie_analysis.read.readers._text import _read_text

    if suffix in SPSS_SUFFIXES:
        raw = _read_spss(path, data)
    elif suffix in EXCEL_SUFFIXES:
        raw = _read_excel(path, data, sheet)
    else:
        raw = _read_text(path, data)
    if sheet is not None and raw.sheet is None:
        raw.notes.append(f"--sheet '{sheet}' genegeerd: alleen Excel-bestanden hebben bladen.")
    return raw


# --- from rows of cells to the raw table -------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _filled_width(row: list) -> int:
    for j in range(len(row) - 1, -1, -1):
        if not _blank(row[j]):
            return j + 1
    return 0


def _cell(value: object) -> object:
    if isinstance(value, str):
        return None if not value.strip() else value
    # Excel stores every number as a float: a whole number reads back as int (1.0 -> 1).
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _assemble(
    raw: RawExport, rows: list[list], *, text_file: bool, column_offset: int = 0
) -> RawExport:
    """Fill `raw` from the rows of a file: header rows, platform, columns and data rows.

    `column_offset`: empty columns left of the table that were cut off, so a generated name
    "(kolom N)" still gives the column number the user sees.
    """
    rows = _drop_trailing_blank_rows(raw, _skip_blank_rows_above(raw, rows, text_file))
    layout = header_layout(rows)
    raw.platform, raw.header_rows, raw.variant = layout.platform, layout.header_rows, layout.variant
    raw.notes += layout.notes
    body = rows[layout.header_rows :]
    keep, names, width = _kept_columns(raw, layout.names, body, column_offset)
    final = _dedupe([names[j] for j in keep], raw)
    raw.questions = _per_column(final, keep, layout.questions, width)
    raw.import_ids = _per_column(final, keep, layout.import_ids, width)
    values = [[_cell(r[j]) if j < len(r) else None for j in keep] for r in body]
    frame = pd.DataFrame(values, columns=pd.Index(final, dtype="object"), dtype="object")
    # Empty strings and empty cells mean the same thing: no answer.
    raw.frame = frame.mask(frame.isna())
    return raw


def _skip_blank_rows_above(raw: RawExport, rows: list[list], text_file: bool) -> list[list]:
    """The rows from the header on; the blank lines above it are counted in `raw.skipped_rows`
    so row numbers stay right. In a text file only truly empty lines count (",,," is a header
    row with empty names)."""
    skipped = 0
    while skipped < len(rows) and (
        (len(rows[skipped]) <= 1 and _blank((rows[skipped] or [None])[0]))
        if text_file
        else not _filled_width(rows[skipped])
    ):
        skipped += 1
    rows = rows[skipped:]
    if not rows or not _filled_width(rows[0]):
        raise InputError(
            "het bestand heeft geen kopregel met kolomnamen.",
            file=str(raw.path),
            sheet=raw.sheet,
            row=raw.skipped_rows + skipped + 1 if rows else 1,
            hint="De eerste rij moet de kolomnamen bevatten.",
        )
    if skipped:
        raw.notes.append(f"{skipped} lege rij(en) boven de kopregel overgeslagen.")
    raw.skipped_rows += skipped
    return rows


def _drop_trailing_blank_rows(raw: RawExport, rows: list[list]) -> list[list]:
    """The rows without the completely empty ones at the end (counted, not in the table)."""
    trailing = 0
    while len(rows) > 1 and not _filled_width(rows[-1]):
        rows.pop()
        trailing += 1
    raw.trailing_blank_rows = trailing
    if trailing:
        raw.notes.append(f"{trailing} lege rij(en) aan het einde van het bestand niet meegeteld.")
    return rows


def _kept_columns(
    raw: RawExport, header: list, body: list[list], column_offset: int
) -> tuple[list[int], list, int]:
    """(positions of the columns kept, the names by position, the table width): a column
    without a name but with data gets "(kolom N)"; an empty one without a name is dropped."""
    header_width = _filled_width(header)
    width = max([header_width, *(_filled_width(r) for r in body)])
    names = pad(list(header[:width]), width)
    has_data = [any(j < len(r) and not _blank(r[j]) for r in body) for j in range(width)]
    keep, unnamed, extra, dropped = [], [], [], []
    for j in range(width):
        if names[j]:
            keep.append(j)
        elif has_data[j]:
            names[j] = f"(kolom {j + 1 + column_offset})"
            (extra if j >= header_width else unnamed).append(names[j])
            keep.append(j)
        else:
            dropped.append(j + 1 + column_offset)
    if unnamed:
        raw.notes.append(
            f"Kolom(men) zonder naam in de kopregel maar met gegevens: {', '.join(unnamed)}."
        )
    if extra:
        longer = sum(_filled_width(r) > header_width for r in body)
        raw.notes.append(
            f"{longer} rij(en) hebben meer cellen dan de kopregel; die extra cellen staan in "
            f"{', '.join(repr(n) for n in extra)}."
        )
    inner = [n for n in dropped if n <= header_width + column_offset]
    if inner:
        raw.notes.append(
            f"Lege kolom(men) zonder naam weggelaten: nr. {', '.join(map(str, inner))}."
        )
    return keep, names, width


def _per_column(final: list[str], keep: list[int], values: list, width: int) -> dict:
    """Final column name -> its value in a header row (question text, import id), if any."""
    padded = values + [None] * (width - len(values))
    return {name: padded[j] for name, j in zip(final, keep, strict=True) if padded[j]}


def _dedupe(names: list[str], raw: RawExport) -> list[str]:
    """Keep every column: a repeated header becomes "<name> (2)", "<name> (3)", ..."""
    reserved, used, out = set(names), set(), []
    repeats: dict[str, list[str]] = {}
    for name in names:
        new = name
        if name in used:
            k = 2
            while f"{name} ({k})" in used or f"{name} ({k})" in reserved:
                k += 1
            new = f"{name} ({k})"
            raw.columns_renamed[new] = name
            repeats.setdefault(name, []).append(new)
        used.add(new)
        out.append(new)
    for name, renamed in repeats.items():
        raw.notes.append(
            f"Kolomnaam '{_short(name)}' komt {len(renamed) + 1} keer voor; de herhaling(en) "
            f"heten nu {', '.join(repr(_short(n)) for n in renamed)}."
        )
    return out


def _short(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- file types --------------------------------------------------------------------------------


def _refuse_foreign_content(data: bytes, path: Path) -> None:
    """PDFs and web pages saved under a spreadsheet name: say what they are."""
    head = data[:2048]
    if head.startswith(b"%PDF"):
        raise InputError(
            "dit is een PDF-bestand; daar kunnen geen antwoorden uit gelezen worden.",
            file=str(path),
            hint="Download de antwoorden als .xlsx of .csv uit het enquêteplatform.",
        )
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith(b"<") and any(m in probe for m in (b"<html", b"<!doctype html", b"<table")):
        raise InputError(
            "dit is een webpagina (HTML), geen echte Excel- of CSV-export.",
            file=str(path),
            hint="Zo'n bestand ontstaat als een tabel van een website als .xls bewaard wordt. Open "
            "het in Excel en kies 'Opslaan als' > 'Excel-werkmap (.xlsx)', of download de "
            "export opnieuw als .xlsx of .csv.",
        )
    if probe.startswith(b"<?xml"):
        raise InputError(
            "dit is een XML-bestand (bv. een 'XML-werkblad 2003'), geen .xlsx- of CSV-export.",
            file=str(path),
            hint="Open het in Excel en bewaar het als 'Excel-werkmap (.xlsx)'.",
        )
