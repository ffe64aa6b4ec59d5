"""Excel files for people: one formatted sheet per table, nothing a spreadsheet would execute.

Figures are stored as numbers with a number format, never as text: a report table's "45 %"
becomes 0.45 shown as a percentage, "−10,9 (−22,0 tot 0,2)" becomes three numbers in three
columns (value, lower and upper bound). The decimal comma then comes from the reader's own
spreadsheet settings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from inclusie_analysis.clean.privacy import as_typed, is_formula_like

MAX_WIDTH = 60
BOUNDS = {"nl": ("ondergrens", "bovengrens"), "en": ("lower bound", "upper bound")}
_MINUS = "-\u2212"  # hyphen-minus and the minus sign
_NUMBER = {
    "nl": rf"[+{_MINUS}]?\d{{1,3}}(?:\.\d{{3}})*(?:,\d+)?|[+{_MINUS}]?\d+(?:,\d+)?",
    "en": rf"[+{_MINUS}]?\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?|[+{_MINUS}]?\d+(?:\.\d+)?",
}
_TO = r"\s*(?:–|tot|to)\s*"


class Number(NamedTuple):
    """A figure for a spreadsheet cell: its value and its Excel number format."""

    value: float
    format: str


def parse_figure(text: str, language: str = "nl") -> tuple[Number, Number, Number] | None:
    """A report's figure as numbers: "45 %" → (0.45 '0%', None, None), "4,2 (3,9–4,6)" →
    (4.2, 3.9, 4.6) with format '0.0', "−10,9 (−22,0 tot 0,2)" likewise; None when the text
    is not a figure (words, "x", "–")."""
    one = rf"({_NUMBER[language]})\s*(%?)"
    text = text.strip()
    plain = re.fullmatch(one, text)
    if plain:
        return _number(*plain.groups(), language), None, None
    interval = re.fullmatch(rf"{one}\s*\(\s*{one}{_TO}{one}\s*\)", text)
    if not interval:
        return None
    g = interval.groups()
    percent = g[1] or g[3] or g[5]  # "45 % (38–52 %)": the bounds share the value's unit
    return tuple(
        _number(g[i], percent, language, decimals=_decimals(g[i], language)) for i in (0, 2, 4)
    )


def _decimals(text: str, language: str) -> int:
    mark = "," if language == "nl" else "."
    return len(text.split(mark)[1]) if mark in text else 0


def _number(text: str, percent: str, language: str, decimals: int | None = None) -> Number:
    digits = text.replace("\u2212", "-")
    digits = (
        digits.replace(".", "").replace(",", ".") if language == "nl" else digits.replace(",", "")
    )
    places = _decimals(text, language) if decimals is None else decimals
    if percent:
        return Number(float(digits) / 100, "0" + ("." + "0" * places if places else "") + "%")
    value = float(digits)
    grouped = ("." if language == "nl" else ",") in text.split("," if language == "nl" else ".")[0]
    fmt = ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")
    return Number(int(value) if not places and value.is_integer() else value, fmt)


def as_numbers(frame: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """The table with its figures as `Number`s: every text cell that is a figure turns into
    one (a key-value table mixes words and figures in one column); in a column with a figure
    a dash ("–") becomes an empty cell. A column with intervals gets two more columns right
    after it, "<column> ondergrens" and "<column> bovengrens". Words and "x" (hidden) stay
    as they are. The frame given is not changed."""
    out = {}
    for column in frame.columns:
        values = frame[column].tolist()
        parsed = [parse_figure(v, language) if isinstance(v, str) else None for v in values]
        if not any(parsed):
            out[column] = values
            continue
        out[column] = [p[0] if p else _blank(v) for v, p in zip(values, parsed, strict=True)]
        if any(p and p[1] is not None for p in parsed):
            for i, word in ((1, BOUNDS[language][0]), (2, BOUNDS[language][1])):
                out[f"{column} {word}"] = [
                    p[i] if p else _blank(v, bound=True)
                    for v, p in zip(values, parsed, strict=True)
                ]
    return pd.DataFrame(out, index=frame.index)


def _blank(value: object, bound: bool = False) -> object:
    """A cell without a figure: words and "x" (hidden) stay, as does a count, a dash becomes
    empty; in a bound column only "x" stays."""
    if isinstance(value, str):
        if value.strip() in ("", "–", "-"):
            return None
        return value if value.strip() == "x" or not bound else None
    return None if bound else value


_LOOKS_NUMERIC = re.compile(
    r"[\s'+\-\u2212]*\d[\d\s.,%+\-\u2212–]*(?:\((?:[\d\s.,%+\-\u2212–]|tot|to)*\))?\s*"
)


def text_figures(path: Path) -> list[str]:
    """Cells of a workbook, on any sheet, that hold a figure as text (a number, a percentage,
    an interval in one cell): "sheet!A5: '45 %'" each. Empty when every figure is a number.
    Column headers (bold, as `write_tables` writes them) are labels and are not checked: a
    column may be called "2025". The check for "Excel holds numbers, not text"."""
    from openpyxl import load_workbook

    found = []
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.font.b:
                    continue
                if isinstance(cell.value, str) and _LOOKS_NUMERIC.fullmatch(cell.value):
                    found.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
    return found


def write_tables(
    path: Path,
    tables: dict[str, pd.DataFrame],
    notes: dict[str, str] | None = None,
    language: str | None = None,
) -> Path:
    """Write each frame to its own sheet (name ≤ 31 characters) with a bold header, filters,
    frozen header row and fitted column widths. Text that starts like a formula is written
    as text, never as a formula: a string cell with the quote-prefix style (what Excel sets
    when one types an apostrophe first), so it reads as typed, without an apostrophe. With
    `language`, figures written as text in that language ("45 %", "4,2 (3,9–4,6)") are
    stored as numbers with a number format (`as_numbers`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in tables.items():
        if language:
            frame = as_numbers(frame, language)
        sheet = workbook.create_sheet(name[:31])
        start = 1
        if notes and notes.get(name):
            sheet.cell(row=1, column=1, value=notes[name]).font = Font(italic=True)
            start = 3
        for col, header in enumerate(frame.columns, start=1):
            cell = sheet.cell(row=start, column=col, value=str(header))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, values in enumerate(frame.itertuples(index=False), start=start + 1):
            for col, value in enumerate(values, start=1):
                if isinstance(value, Number):
                    sheet.cell(row=r, column=col, value=value.value).number_format = value.format
                    continue
                cell = sheet.cell(row=r, column=col, value=_cell_value(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    if is_formula_like(cell.value):
                        cell.quotePrefix = True  # stays text when edited; no apostrophe shown
        for col, header in enumerate(frame.columns, start=1):
            lengths = [len(str(header))] + [
                len(_shown(v)) for v in frame.iloc[:200, col - 1].tolist()
            ]
            sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(lengths) + 2)
        if len(frame.columns):
            sheet.freeze_panes = sheet.cell(row=start + 1, column=1)
            sheet.auto_filter.ref = (
                f"A{start}:{get_column_letter(len(frame.columns))}{start + max(len(frame), 1)}"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):
        return as_typed(value)  # as typed; the cell's type and style keep it inert
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _shown(value: object) -> str:
    return f"{value.value:,}" if isinstance(value, Number) else str(value)
