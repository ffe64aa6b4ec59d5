"""Excel as numbers: report figures written as text become numbers with number formats."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from inclusie_analysis.publish.excel import (
    Number,
    as_numbers,
    parse_figure,
    text_figures,
    write_tables,
)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("45 %", "nl", (0.45, "0%")),
        ("98,8 %", "nl", (0.988, "0.0%")),
        ("12.5%", "en", (0.125, "0.0%")),
        ("102,5", "nl", (102.5, "0.0")),
        ("1.234", "nl", (1234, "#,##0")),  # Dutch thousands separator
        ("1,234.5", "en", (1234.5, "#,##0.0")),
        ("2020", "nl", (2020, "0")),  # no thousands separator: none added
        ("−0,4", "nl", (-0.4, "0.0")),  # the minus sign, not only the hyphen
    ],
)
def test_plain_figures(text, language, expected):
    value, low, high = parse_figure(text, language)
    assert value.value == pytest.approx(expected[0])
    assert value.format == expected[1] and low is None and high is None


def test_intervals_become_three_numbers():
    # the example: −10,9 (−22,0 tot +0,2)
    value, low, high = parse_figure("−10,9 (−22,0 tot +0,2)")
    assert (value.value, low.value, high.value) == pytest.approx((-10.9, -22.0, 0.2))
    assert value.format == low.format == high.format == "0.0"
    share = parse_figure("67 % (30 %–90 %)")
    assert [n.value for n in share] == pytest.approx([0.67, 0.30, 0.90])
    assert {n.format for n in share} == {"0%"}
    nps = parse_figure("6 (-20–31)")
    assert [n.value for n in nps] == [6, -20, 31]
    assert [n.value for n in parse_figure("4.2 (3.9–4.6)", "en")] == pytest.approx([4.2, 3.9, 4.6])
    for text in ("x", "–", "ja", "0 · 0 · 2 · 3 · 0", "Limburg 5", "2020–2025"):
        assert parse_figure(text) is None, text


def test_as_numbers_converts_figure_columns_and_splits_intervals():
    frame = pd.DataFrame(
        {
            "Thema": ["A", "B", "C"],
            "n": [12, "x", 0],
            "Tevredenheid": ["4,2 (3,9–4,6)", "–", "4,0"],
            "Aandeel": ["45 %", "x", "50 %"],
            "Oordeel": ["statistisch significant", "niet beoordeeld", "–"],
        }
    )
    out = as_numbers(frame)
    assert list(out.columns) == ["Thema", "n", "Tevredenheid", "Tevredenheid ondergrens",
                                 "Tevredenheid bovengrens", "Aandeel", "Oordeel"]  # fmt: skip
    assert out["Tevredenheid"].tolist()[1:] == [None, Number(4.0, "0.0")]
    assert out["Tevredenheid ondergrens"].tolist() == [Number(3.9, "0.0"), None, None]
    assert out["Aandeel"].tolist() == [Number(0.45, "0%"), "x", Number(0.5, "0%")]
    assert out["n"].tolist() == [12, "x", 0] and out["Oordeel"].equals(frame["Oordeel"])
    assert frame["Aandeel"].tolist() == ["45 %", "x", "50 %"], "the frame given is unchanged"
    # a key-value table: words stay, figures become numbers
    mixed = pd.DataFrame({"Gegeven": ["Titel", "Uren"], "Waarde": ["Infosessie AI", "12,0"]})
    assert as_numbers(mixed)["Waarde"].tolist() == ["Infosessie AI", Number(12.0, "0.0")]


def test_written_workbook_holds_numbers_and_the_check_finds_text(tmp_path):
    frame = pd.DataFrame(
        {"Thema": ["A"], "Verschil": ["-10,9 (-22,0 tot 0,2)"], "Aandeel": ["45 %"]}
    )
    path = write_tables(tmp_path / "t.xlsx", {"Blad": frame}, {"Blad": "Tabel 1. Test"}, "nl")
    sheet = load_workbook(path)["Blad"]
    assert [c.value for c in sheet[3]] == ["Thema", "Verschil", "Verschil ondergrens",
                                           "Verschil bovengrens", "Aandeel"]  # fmt: skip
    row = [c.value for c in sheet[4]]
    assert row[0] == "A" and row[1:] == pytest.approx([-10.9, -22.0, 0.2, 0.45])
    assert sheet["E4"].number_format == "0%" and sheet["B4"].number_format == "0.0"
    assert text_figures(path) == []
    # without a language the old behaviour: figures as text, which the check names
    old = write_tables(tmp_path / "oud.xlsx", {"Blad": frame})
    assert text_figures(old) == ["Blad!B2: '-10,9 (-22,0 tot 0,2)'", "Blad!C2: '45 %'"]
    # text that starts like a formula: a string cell with the quote prefix, no apostrophe
    cell = load_workbook(old)["Blad"]["B2"]
    assert cell.data_type == "s" and cell.quotePrefix


def test_text_figures_flags_numbers_as_text_only(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "S"
    texts = ["12", "45 %", "4,2 (3,9–4,6)", "'-16,5", "ja", "x", "–", "Tabel 1. Test · n = 5",
             "0 · 0 · 2", "Limburg"]  # fmt: skip
    for row, text in enumerate(texts, start=1):
        sheet.cell(row=row, column=1, value=text).data_type = "s"
    sheet["B1"] = 12.5
    sheet["C1"] = "2025"
    sheet["C1"].font = Font(bold=True)  # a column header named after a year: a label
    book.save(tmp_path / "s.xlsx")
    assert text_figures(tmp_path / "s.xlsx") == [
        "S!A1: '12'", "S!A2: '45 %'", "S!A3: '4,2 (3,9–4,6)'", "S!A4: \"'-16,5\""
    ]  # fmt: skip
