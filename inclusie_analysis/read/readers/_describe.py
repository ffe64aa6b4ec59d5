"""Telling the user how a file was read, for `inclusie inspect`."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.read.readers._files import RawExport, _short
from inclusie_analysis.read.readers._registry import PLATFORMS


def describe_export(raw: RawExport, sample_width: int = 40) -> str:
    """A Dutch summary of how a file was read, for `inclusie inspect`.

    Values of columns that hold personal data (type pii_drop, or a value that looks like an
    e-mail address) are never shown.
    """
    module = PLATFORMS.get(raw.platform)
    platform = module.LABEL if module else raw.platform
    if raw.variant:
        platform += f" ({raw.variant})"
    lines = [
        f"Bestand:          {raw.path}",
        f"Platform:         {platform} [{raw.platform}]",
        f"Kopregels:        {raw.header_rows}"
        + (f" (plus {raw.skipped_rows} overgeslagen regel(s) erboven)" if raw.skipped_rows else ""),
    ]
    lines += _format_lines(raw)
    lines.append(_rows_line(raw))
    if raw.notes:
        lines.append("Opmerkingen:")
        lines += [f"  - {note}" for note in raw.notes]
    lines += _column_lines(raw, sample_width)
    lines.append(
        "type = geraden vraagtype (een gok om na te kijken in het codeboek); waarden van "
        "persoonsgegevens worden nooit getoond."
    )
    return "\n".join(lines)


def _format_lines(raw: RawExport) -> list[str]:
    """Encoding, delimiter and sheet, as far as the file type has them."""
    if raw.platform == "spss":
        return [f"Tekencodering:    {raw.encoding or 'onbekend'}"]
    if raw.sheet is not None:
        others = [s for s in raw.sheets if s != raw.sheet]
        return [
            "Tekencodering:    n.v.t. (Excel-bestand)",
            "Scheidingsteken:  n.v.t. (Excel-bestand)",
            f"Blad:             '{raw.sheet}'"
            + (f" (andere bladen: {', '.join(repr(s) for s in others)})" if others else ""),
        ]
    encoding = {
        "utf-8-sig": "UTF-8 met BOM",
        "utf-8": "UTF-8",
        "cp1252": "Windows-1252 (Excel 'Opslaan als CSV')",
        "utf-16": "UTF-16",
    }.get(raw.encoding or "", raw.encoding or "onbekend")
    delimiter = {",": "komma (,)", ";": "puntkomma (;)", "\t": "tab"}.get(
        raw.delimiter or "", repr(raw.delimiter)
    )
    return [f"Tekencodering:    {encoding}", f"Scheidingsteken:  {delimiter}"]


def _rows_line(raw: RawExport) -> str:
    """How many data rows, at which spreadsheet rows, and the blank rows left out."""
    n = len(raw.frame)
    rows = f"Gegevensrijen:    {n}"
    if n:
        rows += f" (rij {raw.spreadsheet_row(0)} tot {raw.spreadsheet_row(n - 1)})"
    if raw.trailing_blank_rows:
        rows += f"; {raw.trailing_blank_rows} lege rij(en) aan het einde niet meegeteld"
    return rows


def _column_lines(raw: RawExport, sample_width: int) -> list[str]:
    """A table of the columns: number, name, guessed type, share filled, an example value."""
    from inclusie_analysis.read.infer import infer_column_type

    frame = raw.frame
    n = len(frame)
    lines = [f"Kolommen ({frame.shape[1]}):"]
    name_width = min(44, max([4, *(len(_short(c, 44)) for c in frame.columns)]))
    lines.append(f"  {'nr':>3}  {'naam':<{name_width}}  {'type':<13} {'ingevuld':>8}  voorbeeld")
    for number, column in enumerate(frame.columns, start=1):
        values = frame[column]
        question = raw.questions.get(column)
        labels = raw.value_labels.get(column, {})
        labelled = values
        if labels:
            labelled = pd.Series(
                [labels.get(v, v) for v in values], index=values.index, dtype="object"
            ).mask(values.isna())
        kind = infer_column_type(labelled, column, question)
        answered = f"{values.notna().mean():.0%}" if n else "–"
        sample = _sample(values.dropna(), kind, labels, sample_width)
        lines.append(
            f"  {number:>3}  {_short_middle(column, name_width):<{name_width}}  {kind:<13} "
            f"{answered:>8}  {sample}".rstrip()
        )
        if question and question != column:
            lines.append(f"  {'':>3}  vraag: {_short(question, 90)}")
    return lines


def _sample(present: pd.Series, kind: str, labels: dict, sample_width: int) -> str:
    """The first answer of a column (with its value label), never a personal-data value."""
    from inclusie_analysis.read.infer import EMAIL_VALUE

    if kind == "pii_drop":
        return "[persoonsgegevens]" if len(present) else ""
    if not len(present):
        return ""
    value = present.iloc[0]
    sample = _short(str(value), sample_width)
    label = labels.get(value)
    if label is not None:
        sample = _short(f"{value} = {label}", sample_width)
    if EMAIL_VALUE.match(str(value).strip()):
        sample = "[persoonsgegevens]"
    return sample


def _short_middle(text: str, width: int) -> str:
    """Shorten in the middle, so "<question> - <choice>" keeps the choice that tells it apart."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    tail = (width - 1) // 2
    return text[: width - 1 - tail] + "…" + text[len(text) - tail :]
