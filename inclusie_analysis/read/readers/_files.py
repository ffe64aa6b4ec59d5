"""Reading the files, whatever the platform: bytes to rows of cells (text with its encoding
and delimiter, Excel sheets, SPSS), then rows to the raw table (`_assemble`).

The raw table keeps every cell as the user typed it (text, or a date/number where the
spreadsheet stored one), with the row number the user sees in their spreadsheet, so every
later message can point at the cell. What the header rows mean is the platform modules'
business (`_registry.header_layout`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pandas as pd

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers._base import pad
from inclusie_analysis.read.readers._registry import header_layout

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
SPSS_SUFFIXES = {".sav", ".zsav"}
# Encodings tried in order: UTF-8 (with or without BOM; utf-8-sig reads both), then cp1252
# (Excel's "Save as CSV"), which decodes all but five byte values. UTF-16 only with its BOM.
ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = ",;\t"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_MOJIBAKE = re.compile("Ã[" + re.escape(bytes(range(0x80, 0xC0)).decode("cp1252", "ignore")) + "]")


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
    path, sheet, notes = str(raw.path), raw.sheet, raw.notes
    # Blank lines above the header: skipped, but counted so row numbers stay right. In a text
    # file only truly empty lines count (",,," is a header row with empty names).
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
            file=path,
            sheet=sheet,
            row=raw.skipped_rows + skipped + 1 if rows else 1,
            hint="De eerste rij moet de kolomnamen bevatten.",
        )
    if skipped:
        notes.append(f"{skipped} lege rij(en) boven de kopregel overgeslagen.")
    raw.skipped_rows += skipped
    trailing = 0
    while len(rows) > 1 and not _filled_width(rows[-1]):
        rows.pop()
        trailing += 1
    raw.trailing_blank_rows = trailing
    if trailing:
        notes.append(f"{trailing} lege rij(en) aan het einde van het bestand niet meegeteld.")

    layout = header_layout(rows)
    raw.platform, raw.header_rows, raw.variant = layout.platform, layout.header_rows, layout.variant
    notes += layout.notes
    body = rows[layout.header_rows :]
    header_width = _filled_width(layout.names)
    width = max([header_width, *(_filled_width(r) for r in body)])
    names = pad(list(layout.names[:width]), width)
    questions = layout.questions + [None] * (width - len(layout.questions))
    import_ids = layout.import_ids + [None] * (width - len(layout.import_ids))
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
        notes.append(
            f"Kolom(men) zonder naam in de kopregel maar met gegevens: {', '.join(unnamed)}."
        )
    if extra:
        longer = sum(_filled_width(r) > header_width for r in body)
        notes.append(
            f"{longer} rij(en) hebben meer cellen dan de kopregel; die extra cellen staan in "
            f"{', '.join(repr(n) for n in extra)}."
        )
    inner = [n for n in dropped if n <= header_width + column_offset]
    if inner:
        notes.append(f"Lege kolom(men) zonder naam weggelaten: nr. {', '.join(map(str, inner))}.")

    final = _dedupe([names[j] for j in keep], raw)
    raw.questions = {
        name: questions[j] for name, j in zip(final, keep, strict=True) if questions[j]
    }
    raw.import_ids = {
        name: import_ids[j] for name, j in zip(final, keep, strict=True) if import_ids[j]
    }
    values = [[_cell(r[j]) if j < len(r) else None for j in keep] for r in body]
    frame = pd.DataFrame(values, columns=pd.Index(final, dtype="object"), dtype="object")
    # Empty strings and empty cells mean the same thing: no answer.
    raw.frame = frame.mask(frame.isna())
    return raw


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


def _read_text(path: Path, data: bytes, notes: list[str] | None = None) -> RawExport:
    text, encoding = _decode(data, path)
    notes = list(notes or [])
    if encoding == "cp1252" and _MOJIBAKE.search(text):
        notes.append(
            "Het bestand lijkt deels UTF-8 en deels Windows-1252: controleer letters met "
            "accenten (bv. 'Ã©' in plaats van 'é')."
        )
    skipped = 0
    first_line = text.split("\n", 1)[0].rstrip("\r")
    forced = re.fullmatch(r"(?i)sep=(.) *", first_line)
    if forced:
        text = text.split("\n", 1)[1] if "\n" in text else ""
        skipped = 1
        notes.append(f"Eerste regel {first_line!r} (scheidingsteken voor Excel) overgeslagen.")
    delimiter = forced.group(1) if forced else _choose_delimiter(text)
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        row = skipped + len(rows) + 1
        if "unexpected end of data" in str(exc):
            raise InputError(
                'een aanhalingsteken (") wordt geopend maar nooit gesloten; de rest van het '
                "bestand zou in één cel terechtkomen.",
                file=str(path),
                row=row,
                hint="Controleer die rij in een teksteditor, of exporteer opnieuw.",
            ) from None
        # A stray quote ('"x"y'): read leniently, as Excel does, and say where.
        notes.append(
            f"Rij {row}: de aanhalingstekens kloppen niet ({exc}); zo goed mogelijk gelezen."
        )
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as again:
            raise InputError(
                f"de CSV kan niet gelezen worden ({again}).",
                file=str(path),
                row=row,
                hint="Controleer de aanhalingstekens op die regel, of exporteer opnieuw.",
            ) from None
    raw = RawExport(
        path,
        pd.DataFrame(),
        platform="plain",
        encoding=encoding,
        delimiter=delimiter,
        notes=notes,
        skipped_rows=skipped,
    )
    return _assemble(raw, rows, text_file=True)


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" in data[:4096] or data.startswith((_ZIP, _OLE2)):
        raise InputError(
            "dit is geen tekstbestand (het lijkt een Excel- of ander binair bestand met een "
            f"verkeerde extensie '{path.suffix}').",
            file=str(path),
            hint="Geef het de juiste extensie (.xlsx) of exporteer opnieuw als CSV.",
        )
    else:
        for encoding in ENCODINGS:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
                encoding = "utf-8"
            return text, encoding
    raise InputError(
        "de tekens in dit bestand zijn niet te lezen als UTF-8 of Windows-1252.",
        file=str(path),
        hint="Bewaar het bestand opnieuw als 'CSV UTF-8' in Excel.",
    )


def _choose_delimiter(text: str) -> str:
    """The delimiter that splits the header into most columns and the rows most evenly.

    Scored on the first 200 non-empty rows: more than one column in the header first, then the
    share of rows as wide as the header, then the header width. Cells that contain another
    delimiter (a Google Forms ';'-list in a ',' file, a ',' in a ';' file) lose to this.
    """
    best, best_score = DELIMITERS[0], None
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            rows = [r for r in islice(reader, 200) if _filled_width(r)]
        except csv.Error:
            continue
        if not rows:
            continue
        width, body = len(rows[0]), rows[1:]
        even = sum(len(r) == width for r in body) / len(body) if body else 1.0
        score = (width > 1, even, width)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _read_excel(path: Path, data: bytes, sheet: str | None) -> RawExport:
    from python_calamine import CalamineWorkbook, PasswordError

    suffix = path.suffix.lower()
    notes: list[str] = []
    password_hint = (
        "Open het in Excel, haal het wachtwoord weg (Bestand > Info > Werkmap beveiligen) en "
        "bewaar het opnieuw als .xlsx."
    )
    if data.startswith(_OLE2) and suffix in (".xlsx", ".xlsm", ".xlsb"):
        # A password-protected .xlsx is an OLE2 container around the encrypted package.
        if _ENCRYPTED_PACKAGE in data:
            raise InputError(
                "het Excel-bestand is beveiligd met een wachtwoord en kan niet gelezen worden.",
                file=str(path),
                hint=password_hint,
            )
        notes.append(f"Het bestand heeft de extensie '{suffix}' maar is een oud .xls-bestand.")
    elif not data.startswith((_ZIP, _OLE2)):
        textlike = b"\x00" not in data[:4096]
        if suffix == ".xls" and textlike:
            # Web tools often export tab-separated text under the name .xls.
            notes.append("Het .xls-bestand is eigenlijk tekst; gelezen als CSV.")
            return _read_text(path, data, notes)
        if textlike:
            raise InputError(
                "dit is geen Excel-bestand: het is tekst (misschien een CSV met de extensie "
                f"'{suffix}').",
                file=str(path),
                hint="Geef het de extensie .csv en probeer opnieuw.",
            )
        raise InputError(
            "het Excel-bestand is beschadigd of geen Excel-bestand.",
            file=str(path),
            hint="Download of exporteer het opnieuw.",
        )
    warning = None
    try:
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception:
            workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        if not names:
            raise InputError("het Excel-bestand heeft geen bladen.", file=str(path))
        if sheet is not None and sheet not in names:
            raise InputError(
                f"blad '{sheet}' bestaat niet (bladen: {', '.join(names)}).",
                file=str(path),
                hint="Geef de naam van het blad op zoals ze onderaan in Excel staat.",
            )
        name = sheet or names[0]
        rows = _sheet_rows(workbook, name)
        if sheet is None and not _holds_table(rows):
            name, rows, warning = _first_sheet_with_table(workbook, names, rows)
            if warning:
                notes.append(f"{warning} Kies een ander blad met --sheet.")
    except InputError:
        raise
    except BaseException as exc:
        # calamine raises its own errors, and a Rust panic (PanicException, a BaseException)
        # on some broken files; never let either reach the user as a traceback.
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        message = str(exc)
        if isinstance(exc, PasswordError) or re.search(r"(?i)encrypt|password", message):
            raise InputError(
                "het Excel-bestand is beveiligd met een wachtwoord en kan niet gelezen worden.",
                file=str(path),
                hint=password_hint,
            ) from None
        if data.startswith(_OLE2) and suffix != ".xls":
            raise InputError(
                "het Excel-bestand is beveiligd met een wachtwoord, of is een oud "
                "Excel-formaat dat niet te lezen is.",
                file=str(path),
                hint=password_hint,
            ) from None
        raise InputError(
            f"het Excel-bestand is beschadigd of onvolledig en kan niet geopend worden "
            f"({_short(message, 120)}).",
            file=str(path),
            hint="Download of exporteer het opnieuw, of open het in Excel en bewaar het opnieuw "
            "als .xlsx.",
        ) from None
    # Leading columns that are empty in every row (a table that starts in column B).
    lead = 0
    while rows and all(lead < len(r) and _blank(r[lead]) for r in rows):
        lead += 1
    lead_cut = bool(lead and any(_filled_width(r) for r in rows))
    if lead_cut:
        rows = [r[lead:] for r in rows]
        notes.append(f"{lead} lege kolom(men) links van de tabel overgeslagen.")
    raw = RawExport(
        path,
        pd.DataFrame(),
        platform="plain",
        sheet=name,
        notes=notes,
        sheets=names,
        sheet_warning=warning,
    )
    return _assemble(raw, rows, text_file=False, column_offset=lead if lead_cut else 0)


def _sheet_rows(workbook, name: str) -> list[list]:
    return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _holds_table(rows: list[list]) -> bool:
    """A table has a row of two or more filled cells; a title or loose text has not."""
    return any(sum(not _blank(c) for c in row) >= 2 for row in rows)


def _first_sheet_with_table(
    workbook, names: list[str], first: list[list]
) -> tuple[str, list[list], str | None]:
    """The first sheet holds no table: read the first one that does, and say so. When no sheet
    holds one, the first sheet is read as it is (and its own message follows)."""
    tables = [(n, r) for n in names[1:] if _holds_table(r := _sheet_rows(workbook, n))]
    if not tables:
        return names[0], first, None
    name, rows = tables[0]
    empty = not any(_filled_width(r) for r in first)
    what = f"Blad '{names[0]}' " + ("is leeg" if empty else "bevat geen tabel, alleen losse tekst")
    if len(tables) == 1:
        return name, rows, f"{what}; de gegevens zijn gelezen uit blad '{name}'."
    listed = ", ".join(f"'{n}'" for n, _ in tables)
    return (
        name,
        rows,
        f"{what}; {len(tables)} bladen bevatten gegevens ({listed}): de gegevens zijn gelezen "
        f"uit blad '{name}', het eerste ervan.",
    )


def _read_spss(path: Path, data: bytes) -> RawExport:
    if not data.startswith((b"$FL2", b"$FL3")):
        raise InputError(
            "dit is geen geldig SPSS-bestand (.sav/.zsav).",
            file=str(path),
            hint="Exporteer opnieuw als SPSS (.sav), of als .xlsx of .csv.",
        )
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:
        raise InputError(
            f"het SPSS-bestand kan niet gelezen worden ({_short(str(exc), 120)}).",
            file=str(path),
            hint="Exporteer het opnieuw, of bewaar het in SPSS opnieuw als .sav.",
        ) from None
    # Column by column into object Series: DataFrame.map would turn [1, None] back into floats.
    frame = pd.DataFrame(
        {
            str(c): pd.Series(
                [None if _spss_missing(v) else _cell(v) for v in frame[c].tolist()],
                dtype="object",
                index=frame.index,
            )
            for c in frame.columns
        },
        index=frame.index,
    )
    frame.columns = pd.Index(list(frame.columns), dtype="object")
    frame = frame.mask(frame.isna())

    def code(key: object) -> object:
        return int(key) if isinstance(key, float) and key.is_integer() else key

    value_labels = {
        str(col): {code(k): v for k, v in labels.items()}
        for col, labels in (meta.variable_value_labels or {}).items()
    }
    user_missing = {
        str(col): [(code(r["lo"]), code(r["hi"])) for r in ranges]
        for col, ranges in (meta.missing_ranges or {}).items()
    }
    notes = []
    if value_labels:
        notes.append(
            f"{len(value_labels)} variabele(n) met waardelabels: de cellen bevatten de codes."
        )
    if user_missing:
        notes.append(
            f"{len(user_missing)} variabele(n) met eigen ontbrekende waarden (user-missing); "
            "die codes staan gewoon in de tabel."
        )
    return RawExport(
        path,
        frame,
        platform="spss",
        header_rows=0,
        encoding=meta.file_encoding,
        notes=notes,
        questions={str(c): str(label) for c, label in meta.column_names_to_labels.items() if label},
        value_labels=value_labels,
        variant="zsav" if data.startswith(b"$FL3") else "sav",
        user_missing=user_missing,
    )


def _spss_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
