"""Issue 14: every figure in a real report's tabellen.xlsx is stored as a number, on every
sheet; intervals have their bounds in their own columns."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from inclusie_analysis.cli import main
from inclusie_analysis.publish.excel import text_figures


@pytest.fixture(scope="module")
def workbook(demo, make_settings, tmp_path_factory):
    folder = tmp_path_factory.mktemp("excel")
    settings = make_settings(folder, demo.out)
    code = main(["--settings", str(settings), "report", "--year", "2025", "--no-progress",
                 "--jobs", "1", "--only", "Vlaanderen en Brussel",
                 "--formats", "xlsx"])  # fmt: skip
    assert code == 0
    return folder / "reports" / "2025" / "jaarrapport-vlaanderen-en-brussel" / "tabellen.xlsx"


def test_no_figure_is_stored_as_text(workbook):
    assert text_figures(workbook) == []


def test_shares_differences_and_bounds_are_numbers(workbook):
    book = load_workbook(workbook)
    sheets = {s.title: s for s in book.worksheets}
    assert len(sheets) >= 5
    change = next(s for name, s in sheets.items() if "Verandering" in name)
    header = [c.value for c in change[3]]
    rows = [
        dict(zip(header, r, strict=True)) for r in change.iter_rows(min_row=4, values_only=True)
    ]
    difference = "Verschil (procentpunten)"
    assert {f"{difference} ondergrens", f"{difference} bovengrens"} <= set(header)
    for row in rows:
        low, value, high = (row[f"{difference} ondergrens"], row[difference],
                            row[f"{difference} bovengrens"])  # fmt: skip
        assert all(isinstance(v, float | int) for v in (low, value, high)), row
        assert low <= value <= high
        assert isinstance(row["2025"], float) and 0 <= row["2025"] <= 1, "a share, as a number"
    assert any(row[difference] < 0 for row in rows), "negative differences are numbers too"
    cells = [c for s in book.worksheets for r in s.iter_rows(min_row=4) for c in r]
    percent = [c for c in cells if isinstance(c.value, float) and c.number_format.endswith("%")]
    assert percent, "shares carry a percent number format"
