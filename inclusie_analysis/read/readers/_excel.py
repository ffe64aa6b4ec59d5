"""Reading an Excel (or OpenDocument) export with calamine: what the bytes really are, which
sheet holds the table, and calamine's own errors as InputErrors, into rows of cells for
`_files._assemble`.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers._files import (
    _OLE2,
    _ZIP,
    RawExport,
    _assemble,
    _blank,
    _filled_width,
    _short,
)
from inclusie_analysis.read.readers._text import _read_text

_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_PASSWORD_HINT = (
    "Open het in Excel, haal het wachtwoord weg (Bestand > Info > Werkmap beveiligen) en "
    "bewaar het opnieuw als .xlsx."
)


def _read_excel(path: Path, data: bytes, sheet: str | None) -> RawExport:
    notes: list[str] = []
    as_text = _check_excel_bytes(path, data, notes)
    if as_text is not None:
        return as_text
    name, rows, names, warning = _read_sheet(path, data, sheet, notes)
    rows, offset = _cut_empty_left_columns(rows, notes)
    raw = RawExport(
        path,
        pd.DataFrame(),
        platform="plain",
        sheet=name,
        notes=notes,
        sheets=names,
        sheet_warning=warning,
    )
    return _assemble(raw, rows, text_file=False, column_offset=offset)


def _check_excel_bytes(path: Path, data: bytes, notes: list[str]) -> RawExport | None:
    """What the bytes are: an error for an encrypted or broken file, the export read as text
    for a text file named .xls (returned), a note for an old .xls named .xlsx (None)."""
    suffix = path.suffix.lower()
    if data.startswith(_OLE2) and suffix in (".xlsx", ".xlsm", ".xlsb"):
        # A password-protected .xlsx is an OLE2 container around the encrypted package.
        if _ENCRYPTED_PACKAGE in data:
            raise InputError(
                "het Excel-bestand is beveiligd met een wachtwoord en kan niet gelezen worden.",
                file=str(path),
                hint=_PASSWORD_HINT,
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
    return None


def _read_sheet(
    path: Path, data: bytes, sheet: str | None, notes: list[str]
) -> tuple[str, list[list], list[str], str | None]:
    """(sheet name, its rows, every sheet name, the warning when another sheet than the first
    was read); calamine's errors become InputErrors."""
    try:
        return _pick_sheet(path, data, sheet, notes)
    except InputError:
        raise
    except BaseException as exc:
        # calamine raises its own errors, and a Rust panic (PanicException, a BaseException)
        # on some broken files; never let either reach the user as a traceback.
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise _unreadable_workbook(exc, path, data) from None


def _pick_sheet(
    path: Path, data: bytes, sheet: str | None, notes: list[str]
) -> tuple[str, list[list], list[str], str | None]:
    from python_calamine import CalamineWorkbook

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
    warning = None
    name = sheet or names[0]
    rows = _sheet_rows(workbook, name)
    if sheet is None and not _holds_table(rows):
        name, rows, warning = _first_sheet_with_table(workbook, names, rows)
        if warning:
            notes.append(f"{warning} Kies een ander blad met --sheet.")
    return name, rows, names, warning


def _unreadable_workbook(exc: BaseException, path: Path, data: bytes) -> InputError:
    """The InputError for a workbook calamine cannot open: encrypted, old or broken."""
    from python_calamine import PasswordError

    message = str(exc)
    if isinstance(exc, PasswordError) or re.search(r"(?i)encrypt|password", message):
        return InputError(
            "het Excel-bestand is beveiligd met een wachtwoord en kan niet gelezen worden.",
            file=str(path),
            hint=_PASSWORD_HINT,
        )
    if data.startswith(_OLE2) and path.suffix.lower() != ".xls":
        return InputError(
            "het Excel-bestand is beveiligd met een wachtwoord, of is een oud "
            "Excel-formaat dat niet te lezen is.",
            file=str(path),
            hint=_PASSWORD_HINT,
        )
    return InputError(
        f"het Excel-bestand is beschadigd of onvolledig en kan niet geopend worden "
        f"({_short(message, 120)}).",
        file=str(path),
        hint="Download of exporteer het opnieuw, of open het in Excel en bewaar het opnieuw "
        "als .xlsx.",
    )


def _cut_empty_left_columns(rows: list[list], notes: list[str]) -> tuple[list[list], int]:
    """Leading columns that are empty in every row (a table that starts in column B) cut off,
    with how many were cut (0 when none, or when the sheet holds nothing at all)."""
    lead = 0
    while rows and all(lead < len(r) and _blank(r[lead]) for r in rows):
        lead += 1
    if not (lead and any(_filled_width(r) for r in rows)):
        return rows, 0
    notes.append(f"{lead} lege kolom(men) links van de tabel overgeslagen.")
    return [r[lead:] for r in rows], lead


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
