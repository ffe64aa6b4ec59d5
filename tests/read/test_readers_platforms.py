"""Reading every platform's export by its documented format (tests/read/exports, written
by make_fixtures.py beside them), the real samples in ../shared/samples, bad input, and
`inclusie inspect`."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from inclusie_analysis.cli import main
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.infer import infer_column_type, infer_type
from inclusie_analysis.read.readers import describe_export, detect_platform, read_export

FIXTURES = Path(__file__).resolve().parent / "exports"


def fixture(name: str):
    return read_export(FIXTURES / name)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def workbook(path: Path, rows: list[list], title: str = "Blad1") -> Path:
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


# --- every fixture: platform, header rows, size, encoding, first row number ----------------------

FIXTURE_TABLE = [
    # file, platform, variant, header rows, data rows, columns, encoding, delimiter
    ("qualtrics_current.csv", "qualtrics", "huidig", 3, 4, 24, "utf-8", ","),
    ("qualtrics_legacy.csv", "qualtrics", "oud", 2, 3, 17, "utf-8-sig", ","),
    ("qualtrics_2016.csv", "qualtrics", "2016-2017", 3, 3, 13, "utf-8", ","),
    ("limesurvey_codes.csv", "limesurvey", "vraagcodes", 1, 4, 13, "utf-8-sig", ";"),
    ("limesurvey_fulltext.csv", "limesurvey", "volledige vraagtekst", 1, 3, 13, "utf-8-sig", ","),
    ("limesurvey.xlsx", "limesurvey", "vraagcodes", 1, 3, 13, None, None),
    ("msforms.xlsx", "msforms", None, 1, 5, 10, None, None),
    ("msforms_excel.csv", "msforms", None, 1, 3, 10, "cp1252", ";"),
    ("msforms_quiz.csv", "msforms", "quiz", 1, 3, 11, "utf-8-sig", ","),
    ("googleforms.csv", "googleforms", None, 1, 4, 5, "utf-8", ","),
    ("googleforms.xlsx", "googleforms", None, 1, 3, 5, None, None),
    ("surveymonkey.csv", "surveymonkey", None, 2, 3, 19, "utf-8", ","),
    ("spss.sav", "spss", "sav", 0, 5, 5, "UTF-8", None),
    ("kobo.csv", "kobo", None, 1, 3, 17, "utf-8", ";"),
    ("plain.csv", "plain", None, 1, 3, 4, "utf-8", ","),
]


@pytest.mark.parametrize(
    ("name", "platform", "variant", "header_rows", "rows", "columns", "encoding", "delimiter"),
    FIXTURE_TABLE,
)
def test_fixture_is_read_by_its_format(
    name, platform, variant, header_rows, rows, columns, encoding, delimiter
):
    raw = fixture(name)
    assert (raw.platform, raw.variant, raw.header_rows) == (platform, variant, header_rows)
    assert raw.frame.shape == (rows, columns)
    assert (raw.encoding, raw.delimiter) == (encoding, delimiter)
    # The first data row is the row after the header rows, as the user sees it.
    assert raw.spreadsheet_row(0) == header_rows + 1
    assert raw.frame.columns.is_unique
    assert all(isinstance(c, str) and c for c in raw.frame.columns)


def test_fixtures_are_up_to_date(tmp_path):
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.write_all(tmp_path)
    assert {p.name for p in written} == {row[0] for row in FIXTURE_TABLE}
    for path in written:
        committed = FIXTURES / path.name
        if path.suffix == ".csv":
            assert path.read_bytes() == committed.read_bytes(), path.name
        else:  # binary: library versions may change bytes, not content
            pd.testing.assert_frame_equal(read_export(path).frame, read_export(committed).frame)


# --- Qualtrics -----------------------------------------------------------------------------------


def test_qualtrics_current_three_header_rows():
    raw = fixture("qualtrics_current.csv")
    assert list(raw.frame.columns[:3]) == ["StartDate", "EndDate", "Status"]
    assert raw.frame.columns[-1] == "Q4"
    # Row 2: question texts (and translated metadata labels), kept per column.
    assert raw.questions["Q2"] == "In welke gemeente werkt u?"
    assert raw.questions["Q3_1"] == "Welke vormen van ondersteuning verkiest u? - Workshop"
    assert raw.questions["StartDate"] == "Startdatum"
    # Row 3: ImportIds, also when the JSON carries more keys.
    assert raw.import_ids["StartDate"] == "startDate"
    assert raw.import_ids["Q3_2"] == "QID3"
    assert raw.import_ids["Q4"] == "QID4_TEXT"
    assert raw.frame["ResponseId"].str.startswith("R_").all()
    assert raw.frame.loc[1, "Q4"] == "Een vraag:\nkomt er een webinar?"
    assert raw.frame.loc[2, "Finished"] == "0" and pd.isna(raw.frame.loc[2, "Q2"])
    assert raw.spreadsheet_row(3) == 7


def test_qualtrics_legacy_two_header_rows():
    raw = fixture("qualtrics_legacy.csv")
    assert list(raw.frame.columns[:3]) == ["V1", "V2", "V3"]
    assert raw.questions["V1"] == "ResponseID"
    assert raw.questions["Q3_1"] == "Welke thema's interesseren u?-Digitale overheid"
    # The comma at the end of every line is no column.
    assert raw.frame.columns[-1] == "LocationAccuracy"
    assert raw.frame["V1"].tolist()[0] == "R_5gHiJkLmNoPqRsT"
    assert raw.import_ids == {}


def test_qualtrics_2016_single_quoted_import_ids():
    raw = fixture("qualtrics_2016.csv")
    assert raw.import_ids["Q2_1"] == "QID2-1"
    assert raw.import_ids["ResponseID"] == "panel-ResponseID"
    assert raw.questions["Q3_TEXT"] == "Welke opleiding mist u nog?"
    assert raw.frame.loc[0, "Q3_TEXT"] == "Werken met itsme"


def test_qualtrics_without_import_id_row(tmp_path):
    labels = tmp_path / "labels.csv"
    write(labels, b"StartDate,EndDate,ResponseId,Q1\nStart,Einde,Antwoord-ID,Vraag\n")
    labels.write_bytes(labels.read_bytes() + b"2025-01-01,2025-01-01,R_abcdefghij,2\n")
    raw = read_export(labels)
    assert (raw.platform, raw.header_rows, len(raw.frame)) == ("qualtrics", 2, 1)
    assert raw.questions["Q1"] == "Vraag"
    data = write(tmp_path / "data.csv", b"StartDate,EndDate,ResponseId,Q1\n1,2,R_abcdefghij,3\n")
    raw = read_export(data)
    assert (raw.platform, raw.header_rows, len(raw.frame)) == ("qualtrics", 1, 1)


def test_qualtrics_header_only_is_not_an_error(tmp_path):
    text = (FIXTURES / "qualtrics_current.csv").read_text(encoding="utf-8")
    header = "".join(text.splitlines(keepends=True)[:3])
    raw = read_export(write(tmp_path / "q.csv", header.encode()))
    assert (raw.platform, raw.header_rows, raw.frame.shape) == ("qualtrics", 3, (0, 24))


# --- LimeSurvey ----------------------------------------------------------------------------------


def test_limesurvey_code_headings_semicolon_and_bom():
    raw = fixture("limesurvey_codes.csv")
    assert list(raw.frame.columns[:4]) == ["id", "submitdate", "lastpage", "startlanguage"]
    assert "Q3[SQ001]" in raw.frame.columns
    assert pd.isna(raw.frame.loc[1, "submitdate"])  # a partial response
    assert raw.frame.loc[3, "Q4"] == "Ok; dank je wel"
    assert raw.questions == {}


def test_limesurvey_full_text_headings():
    raw = fixture("limesurvey_fulltext.csv")
    columns = list(raw.frame.columns)
    assert columns[0] == "Response ID"
    assert "Wat voor organisatie vertegenwoordigt u?" in columns  # NBSP at the end stripped
    assert "[Other]" in columns
    # The same question text twice: both kept, the repeat renamed, a note says so.
    assert columns[-2:] == ["Opmerkingen", "Opmerkingen (2)"]
    assert raw.columns_renamed == {"Opmerkingen (2)": "Opmerkingen"}
    assert any("Opmerkingen (2)" in note for note in raw.notes)
    assert raw.frame["Opmerkingen (2)"].tolist()[0] == "Geen"
    assert raw.questions["Opmerkingen (2)"] == "Opmerkingen"
    assert "Response ID" not in raw.questions
    # The empty line after the last response is counted, not read as a response.
    assert raw.trailing_blank_rows == 1


def test_limesurvey_xlsx_whole_numbers_are_int():
    raw = fixture("limesurvey.xlsx")
    assert raw.frame["id"].tolist() == [1, 2, 3]
    assert all(type(v) is int for v in raw.frame["seed"])
    assert pd.isna(raw.frame.loc[1, "submitdate"])


# --- Microsoft Forms -----------------------------------------------------------------------------


def test_msforms_xlsx():
    raw = fixture("msforms.xlsx")
    frame = raw.frame
    assert list(frame.columns[:5]) == ["ID", "Start time", "Completion time", "Email", "Name"]
    ids = frame["ID"].tolist()
    assert ids[:2] == [1, 2] and type(ids[0]) is int
    rating = frame["Hoe tevreden bent u over het aanbod? (1 tot 5)"].tolist()
    assert rating[0] == 4 and type(rating[0]) is int
    assert rating[-1] == 2.5
    assert frame.loc[0, "Start time"] == dt.datetime(2025, 3, 3, 9, 12, 5)
    # The emptied row stays (the cleaner reports it); later rows keep their Excel number.
    assert frame.loc[2].isna().all()
    assert frame.loc[3, "ID"] == 3 and raw.spreadsheet_row(3) == 5
    assert "Email" not in raw.questions
    assert raw.questions["Voor welke gemeente of stad werkt u?"].startswith("Voor welke")


def test_msforms_csv_resaved_by_excel_in_belgium():
    raw = fixture("msforms_excel.csv")
    frame = raw.frame
    assert frame.columns[0] == "Id"
    assert frame["Voor welke gemeente of stad werkt u?"].tolist()[1] == "Liège"
    assert frame.loc[1, "Heeft u nog suggesties of vragen?"] == "Zoë\u2019s team wil ook meedoen"
    assert frame.loc[0, "Heeft u nog suggesties of vragen?"] == "Meer over e-loket, graag."
    assert frame.loc[0, "Welke vormen van ondersteuning verkiest u?"] == "Workshop;Webinar;"
    assert frame.loc[2, "Start time"] == "4/03/2025 14:00"
    assert pd.isna(frame.loc[2, "Heeft u nog suggesties of vragen?"])


def test_msforms_quiz_columns_are_no_questions():
    raw = fixture("msforms_quiz.csv")
    question = "Welke knop gebruik je om een bestand te delen?"
    assert raw.questions == {question: question}
    assert raw.frame.loc[1, f"Feedback - {question}"] == "Kijk bij 'Delen'"


# --- Google Forms --------------------------------------------------------------------------------


def test_google_forms_csv():
    raw = fixture("googleforms.csv")
    frame = raw.frame
    assert list(frame.columns[:2]) == ["Timestamp", "Email Address"]
    assert frame.loc[0, "Timestamp"] == "2023/11/13 4:20:37 pm CET"
    assert frame.loc[0, "Welke thema's interesseren u?"] == "Digitale overheid;Online veiligheid"
    # CRLF without a final newline: the last row is complete, no stray "\r".
    assert frame.loc[3, "Welke thema's interesseren u?"] == "Smartphonegebruik"
    assert "Email Address" not in raw.questions and "Timestamp" not in raw.questions


def test_google_forms_xlsx():
    raw = fixture("googleforms.xlsx")
    assert raw.sheet == "Form responses 1"
    assert raw.sheets == ["Form responses 1", "Instellingen"]
    frame = raw.frame
    assert isinstance(frame.loc[0, "Timestamp"], dt.datetime)
    assert frame.loc[0, "Timestamp"].replace(microsecond=0) == dt.datetime(2025, 1, 15, 21, 53, 5)
    scale = frame["Hoe digitaal vaardig is uw team? (1-5)"].tolist()
    assert scale[:2] == [4, 2] and type(scale[0]) is int and pd.isna(scale[2])
    assert frame.loc[0, "Welke vormen verkiest u?"] == "Workshop, Webinar"


# --- SurveyMonkey --------------------------------------------------------------------------------


def test_surveymonkey_two_header_rows():
    raw = fixture("surveymonkey.csv")
    support = "Welke vormen van ondersteuning verkiest u?"
    assert list(raw.frame.columns) == [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
        "Wat voor organisatie vertegenwoordigt u?",  # "Response": the question alone
        "In welke gemeente werkt u?",  # "Open-Ended Response"
        f"{support} - Workshop",  # choice labels, question carried forward
        f"{support} - Webinar",
        f"{support} - Begeleiding op maat",
        f"{support} - Other (please specify)",
        "Hoe sterk is uw team in: - Digitale vaardigheden",  # matrix row labels
        "Hoe sterk is uw team in: - Toegankelijkheid",
        "Contactgegevens - Naam",
        "Contactgegevens - E-mail",
    ]
    assert raw.questions[f"{support} - Webinar"] == support
    assert raw.questions["In welke gemeente werkt u?"] == "In welke gemeente werkt u?"
    assert "Respondent ID" not in raw.questions
    assert raw.frame.loc[1, f"{support} - Other (please specify)"] == "Intervisie"
    assert raw.frame.loc[0, "Respondent ID"] == "118052219061"
    assert raw.spreadsheet_row(2) == 5


def test_surveymonkey_without_metadata_columns(tmp_path):
    path = write(
        tmp_path / "sm.csv",
        b"Welke thema's?,,In welke gemeente werkt u?\n"
        b"Digitale overheid,Online veiligheid,Open-Ended Response\n"
        b"Digitale overheid,,Gent\n",
    )
    raw = read_export(path)
    assert (raw.platform, raw.header_rows) == ("surveymonkey", 2)
    assert list(raw.frame.columns) == [
        "Welke thema's? - Digitale overheid",
        "Welke thema's? - Online veiligheid",
        "In welke gemeente werkt u?",
    ]


# --- SPSS ----------------------------------------------------------------------------------------


def test_spss_codes_labels_and_user_missing():
    raw = fixture("spss.sav")
    frame = raw.frame
    assert frame["org"].tolist() == [1, 2, 3, 1, 99]  # codes, user-missing 99 kept
    assert all(type(v) is int for v in frame["org"])
    nood = frame["nood_1"].tolist()
    assert nood[:4] == [5, 3, -1, 4] and pd.isna(nood[4])
    assert raw.value_labels["org"][1] == "Lokaal bestuur"
    assert raw.value_labels["nood_1"][-1] == "Weet niet"
    assert raw.questions["org"] == "Wat voor organisatie vertegenwoordigt u?"
    assert raw.user_missing == {"org": [(99, 99)], "nood_1": [(-1, -1)]}
    assert pd.isna(frame.loc[2, "gemeente"])  # empty string: no answer
    assert raw.spreadsheet_row(0) == 1 and raw.spreadsheet_row(4) == 5


def test_compressed_zsav(tmp_path):
    import pyreadstat

    frame = pd.DataFrame({"q1": [1.0, 2.0, None]})
    path = tmp_path / "a.zsav"
    pyreadstat.write_sav(frame, str(path), compress=True, variable_value_labels={"q1": {1: "Ja"}})
    raw = read_export(path)
    assert (raw.platform, raw.variant) == ("spss", "zsav")
    assert raw.frame["q1"].tolist()[:2] == [1, 2] and raw.value_labels == {"q1": {1: "Ja"}}


# --- KoboToolbox and plain -----------------------------------------------------------------------


def test_kobo_csv():
    raw = fixture("kobo.csv")
    assert raw.frame.columns[0] == "start"
    assert raw.frame.loc[0, "ondersteuning/workshop"] == "1"
    assert raw.frame["_uuid"].notna().all()


def test_plain_csv():
    raw = fixture("plain.csv")
    assert raw.frame["Aantal deelnemers"].tolist() == ["12", "8", "15"]  # text stays text
    assert raw.questions == {} and raw.notes == []


@pytest.mark.parametrize(
    ("columns", "platform"),
    [
        (["ID", "Start time", "Completion time", "Email", "Name", "Total points"], "msforms"),
        (["Timestamp", "Email Address", "Score", "Vraag"], "googleforms"),
        (["Respondent ID", "Collector ID", "Start Date", "End Date"], "surveymonkey"),
        (["StartDate", "EndDate", "Status", "ResponseId", "Q1"], "qualtrics"),
        (["ResponseID", "ResponseSet", "IPAddress"], "qualtrics"),
        (["start", "end", "naam", "_id", "_uuid", "_submission_time"], "kobo"),
        (["V1", "V2", "V3"], "plain"),  # legacy Qualtrics needs its second row
        (["\ufeffTimestamp", "x"], "googleforms"),
    ],
)
def test_detect_platform_more(columns, platform):
    assert detect_platform(columns) == platform


# --- general rules -------------------------------------------------------------------------------


def test_duplicate_headers_are_kept_and_renamed(tmp_path):
    raw = read_export(write(tmp_path / "a.csv", b"a,b,a,a,a (2)\n1,2,3,4,5\n"))
    assert list(raw.frame.columns) == ["a", "b", "a (3)", "a (4)", "a (2)"]
    assert raw.frame.loc[0].tolist() == ["1", "2", "3", "4", "5"]
    assert raw.columns_renamed == {"a (3)": "a", "a (4)": "a"}
    assert any("komt 3 keer voor" in note for note in raw.notes)


def test_duplicate_headers_in_xlsx(tmp_path):
    path = workbook(tmp_path / "d.xlsx", [["Vraag", "Vraag"], ["ja", "nee"]])
    raw = read_export(path)
    assert list(raw.frame.columns) == ["Vraag", "Vraag (2)"]


def test_blank_lines_before_the_header_are_skipped(tmp_path):
    raw = read_export(write(tmp_path / "a.csv", b"\n\r\nnaam,gemeente\nAn,Gent\n\nBert,Lier\n"))
    assert list(raw.frame.columns) == ["naam", "gemeente"]
    assert raw.skipped_rows == 2 and any("boven de kopregel" in n for n in raw.notes)
    # Interior blank rows stay; row numbers count the skipped lines.
    assert len(raw.frame) == 3 and raw.frame.loc[1].isna().all()
    assert raw.spreadsheet_row(0) == 4 and raw.spreadsheet_row(2) == 6


def test_empty_rows_above_the_table_in_xlsx(tmp_path):
    book = openpyxl.Workbook()
    book.active["B3"], book.active["C3"] = "Timestamp", "Gemeente"
    book.active["B4"], book.active["C4"] = dt.datetime(2025, 1, 2), "Gent"
    book.save(tmp_path / "a.xlsx")
    raw = read_export(tmp_path / "a.xlsx")
    assert raw.platform == "googleforms"
    assert list(raw.frame.columns) == ["Timestamp", "Gemeente"]
    assert raw.spreadsheet_row(0) == 4


def test_generated_names_use_the_column_number_the_user_sees(tmp_path):
    book = openpyxl.Workbook()
    book.active["C1"], book.active["C2"], book.active["E2"] = "Vraag", "ja", "extra"
    book.save(tmp_path / "a.xlsx")
    raw = read_export(tmp_path / "a.xlsx")
    assert list(raw.frame.columns) == ["Vraag", "(kolom 5)"]
    assert raw.frame.loc[0, "(kolom 5)"] == "extra"


def test_rows_longer_than_the_header_keep_their_cells(tmp_path):
    raw = read_export(write(tmp_path / "a.csv", b"a,b\n1,2,3\n4,5,,\n6,7,,9\n"))
    assert list(raw.frame.columns) == ["a", "b", "(kolom 3)", "(kolom 4)"]
    assert raw.frame["(kolom 3)"].tolist()[0] == "3"
    assert raw.frame["(kolom 4)"].tolist()[2] == "9"
    assert any("meer cellen dan de kopregel" in note for note in raw.notes)


def test_empty_extra_cells_make_no_columns(tmp_path):
    raw = read_export(write(tmp_path / "a.csv", b"a,b\n1,2,,\n3,4,\n"))
    assert list(raw.frame.columns) == ["a", "b"] and raw.notes == []


def test_blank_header_cell_with_data_gets_a_name(tmp_path):
    raw = read_export(write(tmp_path / "a.csv", b"a,,c,\n1,2,3,\n"))
    assert list(raw.frame.columns) == ["a", "(kolom 2)", "c"]
    assert any("zonder naam" in note for note in raw.notes)


def test_trailing_blank_rows_are_dropped_and_counted(tmp_path):
    raw = read_export(write(tmp_path / "a.csv", b"a;b\n1;2\n;\n3;4\n;\n\n;;\n"))
    assert len(raw.frame) == 3 and raw.trailing_blank_rows == 3
    book = openpyxl.Workbook()
    for row in (["a", "b"], [1, 2], [None, None], [3, 4], ["", " "], [" ", None]):
        book.active.append(row)
    book.save(tmp_path / "a.xlsx")
    raw = read_export(tmp_path / "a.xlsx")
    assert raw.frame["a"].tolist()[::2] == [1, 3]
    assert len(raw.frame) == 3 and raw.trailing_blank_rows == 2


def test_header_only_files_have_zero_rows(tmp_path):
    raw = read_export(write(tmp_path / "a.csv", b"Id,Start time,Completion time,Email,Name\n"))
    assert (raw.platform, raw.frame.shape) == ("msforms", (0, 5))
    lines = (FIXTURES / "surveymonkey.csv").read_bytes().split(b"\r\n")
    raw = read_export(write(tmp_path / "sm.csv", b"\r\n".join(lines[:2])))
    assert (raw.platform, raw.header_rows, raw.frame.shape) == ("surveymonkey", 2, (0, 19))
    raw = read_export(workbook(tmp_path / "h.xlsx", [["Timestamp", "Naam"]]))
    assert raw.frame.shape == (0, 2)


def test_semicolon_file_with_commas_in_the_texts(tmp_path):
    text = "Id;Vraag, met komma;Nog een, ook\n1;ja, zeker;a\n2;nee;b, c\n"
    raw = read_export(write(tmp_path / "a.csv", text.encode("cp1252")))
    assert raw.delimiter == ";" and raw.frame.shape == (2, 3)


def test_excel_separator_line(tmp_path):
    raw = read_export(write(tmp_path / "a.csv", b"sep=;\r\na;b\r\n1,5;2\r\n"))
    assert raw.delimiter == ";" and raw.frame.loc[0, "a"] == "1,5"
    assert raw.spreadsheet_row(0) == 3
    raw = read_export(write(tmp_path / "b.csv", b"sep=\t\na,b\tc\n1,5\t2\n"))
    assert raw.delimiter == "\t" and list(raw.frame.columns) == ["a,b", "c"]


def test_utf16_tab_separated(tmp_path):
    raw = read_export(write(tmp_path / "a.tsv", "Naam\tGemeente\nRené\tLiège\n".encode("utf-16")))
    assert (raw.encoding, raw.delimiter) == ("utf-16", "\t")
    assert raw.frame.loc[0, "Gemeente"] == "Liège"


def test_text_saved_as_xls_is_read_as_text(tmp_path):
    raw = read_export(write(tmp_path / "a.xls", b"Timestamp\tNaam\n2024/01/01\tAn\n"))
    assert raw.platform == "googleforms" and raw.delimiter == "\t"
    assert any(".xls" in note for note in raw.notes)


def test_stray_quote_is_read_with_a_note(tmp_path):
    raw = read_export(write(tmp_path / "a.csv", b'a,b\n"x"y,2\n3,4\n'))
    assert raw.frame["a"].tolist() == ["xy", "3"]
    assert any("Rij 2" in note for note in raw.notes)


def test_sheet_option_on_a_csv_is_noted(tmp_path):
    raw = read_export(write(tmp_path / "a.csv", b"a,b\n1,2\n"), sheet="Blad1")
    assert any("--sheet" in note for note in raw.notes)


# --- bad input: always an InputError with the file and a Dutch hint ------------------------------

ENCRYPTED = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200) + "EncryptedPackage".encode("utf-16-le")
)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("leeg.xlsx", b"", "leeg"),
        ("leeg.sav", b"", "leeg"),
        ("web.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
        ("web.csv", b"\xef\xbb\xbf\r\n<!DOCTYPE html>\n<html><head></head></html>", "HTML"),
        ("rapport.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        ("rapport.csv", b"%PDF-1.4\n", "PDF"),
        ("geheim.xlsx", ENCRYPTED, "wachtwoord"),
        ("oud.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "wachtwoord"),
        ("tekst.xlsx", b"naam;gemeente\nAn;Gent\n", "geen Excel-bestand"),
        ("antwoorden.docx", b"PK\x03\x04", "niet ondersteund"),
        ("export.zip", b"PK\x03\x04", "zip"),
        ("kapot.sav", b"this is no spss file", "SPSS"),
        ("afgebroken.sav", b"$FL2@(#) SPSS DATA FILE" + bytes(40), "SPSS"),
        ("kapot.xlsx", b"PK\x03\x04" + bytes(100), "beschadigd"),
    ],
)
def test_bad_files_are_input_errors(tmp_path, name, data, words):
    path = write(tmp_path / name, data)
    with pytest.raises(InputError, match=words) as info:
        read_export(path)
    assert info.value.file == str(path)
    assert info.value.hint


def test_truncated_xlsx_is_an_input_error(tmp_path):
    data = (FIXTURES / "msforms.xlsx").read_bytes()
    path = write(tmp_path / "afgebroken.xlsx", data[: len(data) // 2])
    with pytest.raises(InputError, match="beschadigd of onvolledig") as info:
        read_export(path)
    assert info.value.file == str(path)


def test_unclosed_quote_is_an_input_error_with_its_row(tmp_path):
    path = write(tmp_path / "a.csv", b'a,b\n1,2\n"3,4\n5,6\n')
    with pytest.raises(InputError, match="aanhalingsteken") as info:
        read_export(path)
    assert (info.value.file, info.value.row) == (str(path), 3)


def test_blank_line_then_empty_header_points_at_the_header_row(tmp_path):
    path = write(tmp_path / "a.csv", b"\n,,\n1,2,3\n")
    with pytest.raises(InputError, match="kopregel") as info:
        read_export(path)
    assert info.value.row == 2


# --- real samples (../shared/samples) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "platform", "rows"),
    [
        ("qualtRics_sample.csv", "qualtrics", 1),
        ("limonaid_survey_998192_R_data_file.csv", "limesurvey", 7),
        ("google_forms_kobo-transfer_test.csv", "googleforms", 5),
        ("UVADS_Hot-Dog-Form-Fa24.csv", "msforms", 187),
        ("pyreadstat_sample.sav", "spss", 5),
    ],
)
def test_real_samples(shared_samples, name, platform, rows):
    raw = read_export(shared_samples / name)
    assert raw.platform == platform
    assert len(raw.frame) == rows
    assert describe_export(raw)  # the summary works on every real file


def test_real_spss_sample_labels(shared_samples):
    raw = read_export(shared_samples / "pyreadstat_sample.sav")
    assert raw.value_labels["myord"] == {1: "low", 2: "medium", 3: "high"}
    assert raw.questions["mylabl"] == "labeled"
    assert raw.frame["mylabl"].tolist()[:2] == [1, 2]
    assert raw.frame.loc[0, "mychar"] == "a"


# --- inspect -------------------------------------------------------------------------------------


def test_inspect_prints_what_was_detected(capsys):
    assert main(["inspect", str(FIXTURES / "surveymonkey.csv")]) == 0
    out = capsys.readouterr().out
    assert "Platform:         SurveyMonkey" in out
    assert "Kopregels:        2" in out
    assert "Scheidingsteken:  komma (,)" in out
    assert "Gegevensrijen:    3 (rij 3 tot 5)" in out
    assert "Kolommen (19)" in out
    assert "municipality" in out and "Gent" in out
    # Personal data is never printed.
    assert "[persoonsgegevens]" in out
    for value in ("eva@example.org", "Eva Voorbeeld", "198.51.100.20"):
        assert value not in out


def test_inspect_excel_sheets_and_pii(capsys):
    assert main(["inspect", str(FIXTURES / "googleforms.xlsx"), "--sheet", "Form responses 1"]) == 0
    out = capsys.readouterr().out
    assert "Blad:             'Form responses 1' (andere bladen: 'Instellingen')" in out
    assert main(["inspect", str(FIXTURES / "googleforms.csv")]) == 0
    out = capsys.readouterr().out
    assert "example.com" not in out and "example.net" not in out
    assert "Tekencodering:    UTF-8" in out


def test_inspect_spss_shows_labels_and_questions(capsys):
    assert main(["inspect", str(FIXTURES / "spss.sav")]) == 0
    out = capsys.readouterr().out
    assert "1 = Lokaal bestuur" in out
    assert "vraag: Wat voor organisatie vertegenwoordigt u?" in out


@pytest.mark.parametrize(
    ("name", "data"),
    [("web.xls", b"<!DOCTYPE html><html></html>"), ("leeg.csv", b""), ("x.json", b"{}")],
)
def test_inspect_bad_file_exits_2(tmp_path, capsys, name, data):
    path = write(tmp_path / name, data)
    assert main(["inspect", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("Fout: ")
    assert str(path) in captured.err
    assert "Traceback" not in captured.out + captured.err


def test_inspect_command_line_missing_file(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "inclusie_analysis.cli", "inspect", str(tmp_path / "weg.xlsx")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Fout: ") and "bestaat niet" in result.stderr
    assert "Traceback" not in result.stderr


# --- inference used by inspect -------------------------------------------------------------------


def test_infer_treats_ip_and_location_as_personal_data():
    values = pd.Series(["192.0.2.1", "192.0.2.2"])
    assert infer_type(values, "IPAddress") == "pii_drop"
    assert infer_type(pd.Series(["50.9"]), "LocationLatitude") == "pii_drop"
    assert infer_column_type(pd.Series(["x"]), "V6", "IPAddress") == "pii_drop"
    assert infer_column_type(pd.Series(["Gent"]), "Q2", "In welke gemeente werkt u?") == (
        "municipality"
    )


def test_infer_reads_google_and_kobo_timestamps():
    google = pd.Series(["2023/11/13 4:20:37 pm CET", "2023/11/14 9:05:44 am CET"])
    assert infer_type(google, "Timestamp") == "date"
    kobo = pd.Series(["2024-10-05T10:12:13.123+02:00", "2024-10-06T14:00:00.000+01:00"])
    assert infer_type(kobo, "start") == "date"
