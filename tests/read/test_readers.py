"""Reading exports: real platform samples (../shared/samples) and small synthetic files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers import detect_platform, read_export

# --- real samples ----------------------------------------------------------------------------


def test_limesurvey_r_data_file_with_full_text_headers(shared_samples):
    raw = read_export(shared_samples / "limonaid_survey_998192_R_data_file.csv")
    assert raw.platform == "limesurvey"
    assert raw.encoding == "utf-8-sig"  # the file starts with a BOM
    assert raw.delimiter == ","
    # 7 responses; the empty line at the end of the file is not a data row.
    assert raw.frame.shape == (7, 71)
    assert raw.trailing_blank_rows == 1
    # The BOM is not part of the first column name.
    assert list(raw.frame.columns[:4]) == [
        "Response ID",
        "Date submitted",
        "Last page",
        "Start language",
    ]
    assert raw.frame.columns[7].startswith("Dear colleague,")


def test_google_forms_csv(shared_samples):
    raw = read_export(shared_samples / "google_forms_kobo-transfer_test.csv")
    assert raw.platform == "googleforms"
    assert raw.delimiter == ","
    assert list(raw.frame.columns) == [
        "Timestamp",
        "Your fave fruit?",
        "Tell me your name!",
        "Select all that apply",
    ]
    assert len(raw.frame) == 5
    # Checkbox answers stay joined with ";" in one cell (the delimiter is still ",").
    assert raw.frame.loc[0, "Select all that apply"] == "Sunday;Monday"
    assert raw.frame.loc[0, "Timestamp"] == "2023/11/13 4:20:37 pm CET"


def test_ms_forms_csv_resaved_by_excel_is_cp1252(shared_samples):
    raw = read_export(shared_samples / "UVADS_Hot-Dog-Form-Fa24.csv")
    assert raw.platform == "msforms"
    assert raw.encoding == "cp1252"
    assert raw.delimiter == ","
    assert raw.frame.shape == (187, 8)
    assert list(raw.frame.columns[:5]) == ["Id", "Start time", "Completion time", "Email", "Name"]
    # Byte 0x92 in the file is cp1252's right single quotation mark.
    majors = raw.frame["What is your major?"].dropna()
    assert majors.str.contains("Computer Science\u2019s").any()
    # Anonymous form: Name is empty everywhere, which reads as missing.
    assert raw.frame["Name"].isna().all()
    assert raw.frame.loc[0, "Id"] == "1"
    assert raw.spreadsheet_row(0) == 2
    assert raw.spreadsheet_row(186) == 188


def test_qualtrics_csv_reads(shared_samples):
    # Qualtrics has three header rows: names, question texts (labels) and ImportIds.
    raw = read_export(shared_samples / "qualtRics_sample.csv")
    assert raw.platform == "qualtrics"
    assert raw.header_rows == 3
    assert raw.frame.shape == (1, 20)
    assert raw.frame.columns[0] == "StartDate"
    assert raw.frame.columns[-1] == "Q2 - Topics"
    assert raw.frame.iloc[-1]["ResponseId"] == "R_2YPOQ602ER1jkf1"
    assert raw.questions["Q1"] == "This is a multiple choice question."
    assert raw.import_ids["Q2"] == "QID2_TEXT"
    assert raw.spreadsheet_row(0) == 4


# --- synthetic text files --------------------------------------------------------------------


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_semicolon_csv_with_bom(tmp_path):
    text = "naam;gemeente;opmerking\nAn;Gent;ok, dank\nBert;Sint-Niklaas;\n"
    path = write_bytes(tmp_path / "export.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    raw = read_export(path)
    assert raw.delimiter == ";"
    assert raw.encoding == "utf-8-sig"
    assert list(raw.frame.columns) == ["naam", "gemeente", "opmerking"]
    assert raw.frame["gemeente"].tolist() == ["Gent", "Sint-Niklaas"]
    assert raw.frame.loc[0, "opmerking"] == "ok, dank"
    assert pd.isna(raw.frame.loc[1, "opmerking"])
    assert raw.platform == "plain"


def test_cp1252_csv(tmp_path):
    text = "Naam;Gemeente\nRené;Liège\nZoë;Brussel\n"
    path = write_bytes(tmp_path / "excel.csv", text.encode("cp1252"))
    raw = read_export(path)
    assert raw.encoding == "cp1252"
    assert raw.delimiter == ";"
    assert raw.frame["Naam"].tolist() == ["René", "Zoë"]
    assert raw.frame.loc[0, "Gemeente"] == "Liège"


def test_utf8_csv_without_bom_is_read_as_utf8(tmp_path):
    path = write_bytes(tmp_path / "a.csv", "Naam,Gemeente\nRené,Liège\n".encode())
    raw = read_export(path)
    assert raw.encoding == "utf-8"
    assert raw.frame.loc[0, "Naam"] == "René"


@pytest.mark.parametrize("suffix", [".tsv", ".txt"])
def test_tab_separated(tmp_path, suffix):
    text = (
        "Id\tStart time\tCompletion time\tEmail\tName\tVraag, met komma\n"
        "1\ta\tb\tanonymous\t\tja; nee\n"
    )
    path = write_bytes(tmp_path / f"forms{suffix}", text.encode())
    raw = read_export(path)
    assert raw.delimiter == "\t"
    assert raw.frame.shape == (1, 6)
    assert raw.frame.loc[0, "Vraag, met komma"] == "ja; nee"
    assert raw.platform == "msforms"


def test_cells_are_kept_as_text_and_blank_cells_are_missing(tmp_path):
    path = write_bytes(tmp_path / "a.csv", b"postcode,aantal,leeg\n0900,007,  \n9100,3,\n")
    frame = read_export(path).frame
    assert frame["postcode"].tolist() == ["0900", "9100"]  # leading zeros kept
    assert frame.loc[0, "aantal"] == "007"
    assert frame["leeg"].isna().all()


def test_short_rows_are_padded(tmp_path):
    path = write_bytes(tmp_path / "a.csv", b"a;b;c\n1;2\n4;5;6\n")
    frame = read_export(path).frame
    assert frame.shape == (2, 3)
    assert pd.isna(frame.loc[0, "c"])
    assert frame.loc[1].tolist() == ["4", "5", "6"]


def test_header_names_are_stripped(tmp_path):
    path = write_bytes(tmp_path / "a.csv", b" Timestamp ,Gemeente \n2025/01/01,Gent\n")
    raw = read_export(path)
    assert list(raw.frame.columns) == ["Timestamp", "Gemeente"]
    assert raw.platform == "googleforms"


def test_spreadsheet_row_numbers_count_the_header(tmp_path):
    path = write_bytes(tmp_path / "a.csv", b"a,b\n1,2\n\n3,4\n")
    raw = read_export(path)
    assert raw.header_rows == 1
    assert raw.spreadsheet_row(0) == 2
    # A blank line stays a (missing) row, so later rows keep the number the user sees.
    assert raw.frame.loc[2, "a"] == "3"
    assert raw.spreadsheet_row(2) == 4


# --- synthetic Excel files -------------------------------------------------------------------


@pytest.fixture
def workbook(tmp_path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "Form responses 1"
    first.append(["Timestamp", "Gemeente", "Score", "Opmerking"])
    first.append([dt.datetime(2025, 3, 1, 10, 5), "Gent", 4, None])
    first.append([dt.datetime(2025, 3, 2, 11, 0), "  ", 3.5, "prima"])
    second = wb.create_sheet("Blad2")
    second.append(["Id", "Start time", "Completion time", "Email", "Name", "Vraag"])
    second.append([1, "9/1/2024 11:27", "9/1/2024 11:28", "anonymous", None, "Ja"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    return path


def test_xlsx_first_sheet_by_default(workbook):
    raw = read_export(workbook)
    assert raw.sheet == "Form responses 1"
    assert raw.platform == "googleforms"
    assert raw.encoding is None and raw.delimiter is None
    frame = raw.frame
    assert list(frame.columns) == ["Timestamp", "Gemeente", "Score", "Opmerking"]
    assert len(frame) == 2
    # Dates and numbers stay what the spreadsheet stored; blank text is missing.
    assert frame.loc[0, "Timestamp"] == dt.datetime(2025, 3, 1, 10, 5)
    assert frame.loc[0, "Gemeente"] == "Gent"
    assert frame.loc[1, "Score"] == 3.5
    assert pd.isna(frame.loc[0, "Opmerking"])
    assert pd.isna(frame.loc[1, "Gemeente"])
    assert raw.spreadsheet_row(0) == 2


def test_xlsx_named_sheet(workbook):
    raw = read_export(workbook, sheet="Blad2")
    assert raw.sheet == "Blad2"
    assert raw.platform == "msforms"
    assert raw.frame.shape == (1, 6)
    assert raw.frame.loc[0, "Vraag"] == "Ja"


def test_xlsx_missing_sheet_is_an_input_error(workbook):
    with pytest.raises(InputError) as info:
        read_export(workbook, sheet="Antwoorden")
    assert info.value.file == str(workbook)
    message = str(info.value)
    assert "Antwoorden" in message
    assert "Form responses 1" in message and "Blad2" in message  # lists the sheets there are


def test_xlsx_empty_sheet_is_an_input_error(tmp_path):
    import openpyxl

    path = tmp_path / "leeg.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(InputError) as info:
        read_export(path)
    assert (info.value.file, info.value.row) == (str(path), 1)
    assert info.value.sheet == "Sheet"


def test_broken_xlsx_is_an_input_error(tmp_path):
    path = write_bytes(tmp_path / "kapot.xlsx", b"this is not a zip file")
    with pytest.raises(InputError, match="Excel") as info:
        read_export(path)
    assert info.value.file == str(path)


# --- files that cannot be read ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("leeg.csv", b""),
        ("enkel-witregels.csv", b"\n\n\n"),
        ("lege-kop.csv", b",,\n1,2,3\n"),
        ("lege-kop.tsv", b"\t\t\nx\ty\tz\n"),
    ],
)
def test_file_without_header_is_an_input_error(tmp_path, name, data):
    path = write_bytes(tmp_path / name, data)
    with pytest.raises(InputError, match="kopregel") as info:
        read_export(path)
    assert info.value.file == str(path)
    assert info.value.row == 1


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="bestaat niet") as info:
        read_export(tmp_path / "weg.csv")
    assert info.value.file == str(tmp_path / "weg.csv")


def test_directory_is_an_input_error(tmp_path):
    folder = tmp_path / "map.csv"
    folder.mkdir()
    with pytest.raises(InputError, match="map") as info:
        read_export(folder)
    assert info.value.file == str(folder)


@pytest.mark.parametrize("name", ["antwoorden.pdf", "antwoorden.json", "antwoorden"])
def test_unsupported_suffix_is_an_input_error(tmp_path, name):
    path = write_bytes(tmp_path / name, b"a,b\n1,2\n")
    with pytest.raises(InputError, match="niet ondersteund") as info:
        read_export(path)
    assert info.value.file == str(path)
    assert info.value.hint


# --- detect_platform -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "platform"),
    [
        (["Id", "Start time", "Completion time", "Email", "Name", "Q"], "msforms"),
        (["ID", "Start time", "Completion time", "Email"], "msforms"),
        (["id", "submitdate", "lastpage", "startlanguage", "seed"], "limesurvey"),
        (["Response ID", "Date submitted", "Last page", "Start language"], "limesurvey"),
        (["Timestamp", "Naam"], "googleforms"),
        (["Tijdstempel", "Naam"], "googleforms"),
        (["naam", "gemeente"], "plain"),
        ([], "plain"),
    ],
)
def test_detect_platform(columns, platform):
    assert detect_platform(columns) == platform


def test_xlsx_renamed_to_csv_is_an_input_error(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["a", "b"])
    book.save(tmp_path / "export.xlsx")
    path = tmp_path / "export.csv"
    path.write_bytes((tmp_path / "export.xlsx").read_bytes())
    with pytest.raises(InputError, match="geen tekstbestand"):
        read_export(path)


def test_undecodable_bytes_are_an_input_error(tmp_path):
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8
    path = write_bytes(tmp_path / "export.csv", b"a;b\n\x81x;y\n")
    with pytest.raises(InputError, match="UTF-8 of Windows-1252"):
        read_export(path)
