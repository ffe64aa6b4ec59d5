"""Excel files for people: one formatted sheet per table, nothing a spreadsheet would execute."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inclusie_analysis.clean.privacy import inert

MAX_WIDTH = 60


def write_tables(
    path: Path, tables: dict[str, pd.DataFrame], notes: dict[str, str] | None = None
) -> Path:
    """Write each frame to its own sheet (name ≤ 31 characters) with a bold header, filters,
    frozen header row and fitted column widths. Text that starts like a formula is written
    as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in tables.items():
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
                cell = sheet.cell(row=r, column=col, value=_cell_value(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
        for col, header in enumerate(frame.columns, start=1):
            lengths = [len(str(header))] + [len(str(v)) for v in frame.iloc[:200, col - 1].tolist()]
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
        return inert(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
