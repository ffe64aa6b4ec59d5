"""An Excel export whose first sheet holds no table: the first sheet with one is read, and a
note says which (and how to choose another)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers import describe_export, read_export

FORM = [
    ["Id", "Start time", "Completion time", "Email", "Name", "Welke vormen verkiest u?"],
    [1, "2025-03-03 09:12", "2025-03-03 09:15", "anonymous", None, "Workshop;"],
    [2, "2025-03-03 11:02", "2025-03-03 11:04", "anonymous", None, "Webinar;"],
]


def book(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def test_empty_first_sheet_reads_the_sheet_with_data(tmp_path):
    path = book(tmp_path / "leernoden.xlsx", {"Blad1": [], "Form1": FORM})
    raw = read_export(path)
    assert raw.sheet == "Form1"
    assert raw.sheets == ["Blad1", "Form1"]
    assert raw.platform == "msforms"
    assert raw.frame.shape == (2, 6)
    assert raw.frame.loc[1, "Welke vormen verkiest u?"] == "Webinar;"
    assert raw.spreadsheet_row(0) == 2  # rows of the sheet that was read
    assert (
        "Blad 'Blad1' is leeg; de gegevens zijn gelezen uit blad 'Form1'. "
        "Kies een ander blad met --sheet."
    ) in raw.notes
    assert raw.sheet_warning == "Blad 'Blad1' is leeg; de gegevens zijn gelezen uit blad 'Form1'."
    summary = describe_export(raw)
    assert "Blad:             'Form1' (andere bladen: 'Blad1')" in summary
    assert "Kies een ander blad met --sheet." in summary


def test_first_sheet_with_only_a_title(tmp_path):
    sheets = {"Voorblad": [["Leernoden 2025"], [None], ["Antwoorden: zie volgend blad"]]}
    path = book(tmp_path / "leernoden.xlsx", {**sheets, "Form1": FORM})
    raw = read_export(path)
    assert raw.sheet == "Form1" and len(raw.frame) == 2
    assert raw.sheet_warning == (
        "Blad 'Voorblad' bevat geen tabel, alleen losse tekst; de gegevens zijn gelezen uit "
        "blad 'Form1'."
    )


def test_several_sheets_with_data_are_all_named(tmp_path):
    summary = [["Vraag", "Aantal"], ["Welke vormen verkiest u?", 2]]
    path = book(
        tmp_path / "x.xlsx", {"Blad1": [], "Leeg": [], "Samenvatting": summary, "Form1": FORM}
    )
    raw = read_export(path)
    assert raw.sheet == "Samenvatting"  # the first sheet with data
    assert list(raw.frame.columns) == ["Vraag", "Aantal"]
    note = raw.notes[0]
    assert note == (
        "Blad 'Blad1' is leeg; 2 bladen bevatten gegevens ('Samenvatting', 'Form1'): de gegevens "
        "zijn gelezen uit blad 'Samenvatting', het eerste ervan. Kies een ander blad met --sheet."
    )
    # choosing works as before
    chosen = read_export(path, sheet="Form1")
    assert chosen.sheet == "Form1" and chosen.sheet_warning is None and chosen.notes == []


def test_a_first_sheet_with_a_table_is_read_whatever_follows(tmp_path):
    other = [["a", "b"], [1, 2]]
    path = book(tmp_path / "x.xlsx", {"Form1": FORM, "Blad2": other})
    raw = read_export(path)
    assert raw.sheet == "Form1" and raw.sheet_warning is None and raw.notes == []


def test_a_title_above_the_table_is_not_an_empty_sheet(tmp_path):
    path = book(tmp_path / "x.xlsx", {"Form1": [["Leernoden 2025"], *FORM], "Blad2": FORM})
    raw = read_export(path)
    assert raw.sheet == "Form1" and raw.sheet_warning is None and raw.sheets == ["Form1", "Blad2"]


def test_no_sheet_with_data_reads_the_first_as_before(tmp_path):
    path = book(tmp_path / "x.xlsx", {"Blad1": [], "Blad2": [["Alleen een titel"]]})
    with pytest.raises(InputError) as info:
        read_export(path)
    assert (info.value.sheet, info.value.row) == ("Blad1", 1)


def test_an_empty_sheet_asked_for_by_name_stays_an_error(tmp_path):
    path = book(tmp_path / "x.xlsx", {"Blad1": [], "Form1": FORM})
    with pytest.raises(InputError) as info:
        read_export(path, sheet="Blad1")
    assert info.value.sheet == "Blad1"
