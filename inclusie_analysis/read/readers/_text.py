"""Reading a text export (CSV, TSV, or text saved as .xls): its encoding, an Excel "sep="
line, its delimiter and its quoting, into rows of cells for `_files._assemble`.
"""

from __future__ import annotations

import csv
import io
import re
from itertools import islice
from pathlib import Path

import pandas as pd

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers._files import _OLE2, _ZIP, RawExport, _assemble, _filled_width

# Encodings tried in order: UTF-8 (with or without BOM; utf-8-sig reads both), then cp1252
# (Excel's "Save as CSV"), which decodes all but five byte values. UTF-16 only with its BOM.
ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = ",;\t"

_MOJIBAKE = re.compile("Ã[" + re.escape(bytes(range(0x80, 0xC0)).decode("cp1252", "ignore")) + "]")


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
