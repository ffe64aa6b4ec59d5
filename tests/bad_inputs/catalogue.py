"""The bad-input catalogue: broken inputs of every file kind, each made from a copy of the
synthetic demo by one mutation, with what a user must be told.

A case either breaks a whole file (the file is reported as failed with a message naming it
and saying what to do, and every other file is still cleaned) or one value in one row (the
row is kept or rejected, and the data-quality report names the file, row and column).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

SURVEY = "2025/leernoden-2025_msforms_SYNTHETISCH.xlsx"
SURVEY_2020 = "2020/leernoden-2020_limesurvey_SYNTHETISCH.csv"
REGISTER = "2025/activiteiten-2025_SYNTHETISCH.xlsx"
FEEDBACK = "2025/feedback-2025_msforms_SYNTHETISCH.xlsx"
ATTENDANCE = "2025/aanwezigheden/2025-001_aanwezigheden_SYNTHETISCH.csv"  # ';', ja/nee


@dataclass(frozen=True)
class Case:
    """One kind of broken input.

    `file_fails`: the whole file is reported as failed (else: one value is flagged).
    `words`: what the message must say (besides the file name), lower case.
    `column`/`row`: for a flagged value, where the data-quality report must point.
    Otherwise the file must come through whole: as many rows kept and rejected as the
    intact file, unless `kept`/`extra_rejected` say otherwise.
    """

    kind: str
    target: str
    mutate: Callable[[Path], None]
    file_fails: bool
    words: tuple[str, ...]
    column: str | None = None
    row: int | None = None
    kept: int | None = None  # rows kept, when not as many as in the intact file
    extra_rejected: int = 0  # rows rejected beyond those of the intact file


def _cell(raw: Path, name: str, header: str, row: int, value: object) -> None:
    path = raw / name
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    headers = [str(c.value) for c in sheet[1]]
    column = next(i for i, h in enumerate(headers, start=1) if h.startswith(header))
    sheet.cell(row, column, value)
    workbook.save(path)


def _csv_rows(raw: Path, name: str) -> list[list[str]]:
    text = (raw / name).read_bytes().decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _write_csv(raw: Path, name: str, rows: list[list[str]], encoding: str = "cp1252") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    (raw / name).write_bytes(buffer.getvalue().encode(encoding))


def truncated_xlsx(raw: Path) -> None:
    path = raw / SURVEY
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def html_as_xls(raw: Path) -> None:
    (raw / FEEDBACK).write_text(
        "<html><body><table><tr><td>Activiteit</td></tr></table></body></html>", encoding="utf-8"
    )


def password_protected(raw: Path) -> None:
    # Excel saves an encrypted workbook as an OLE compound file holding "EncryptedPackage"
    ole = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    (raw / REGISTER).write_bytes(ole + b"\x00" * 2048)


def wrong_encoding(raw: Path) -> None:
    # a UTF-8 survey export opened and re-saved as UTF-16 by a spreadsheet program
    path = raw / SURVEY_2020
    path.write_bytes(path.read_bytes().decode("utf-8-sig").encode("utf-16"))


def only_headers(raw: Path) -> None:
    rows = _csv_rows(raw, ATTENDANCE)
    _write_csv(raw, ATTENDANCE, rows[:1])


def ten_thousand_empty_rows(raw: Path) -> None:
    rows = _csv_rows(raw, ATTENDANCE)
    _write_csv(raw, ATTENDANCE, rows + [[""] * len(rows[0])] * 10_000)


def duplicate_headers(raw: Path) -> None:
    rows = _csv_rows(raw, ATTENDANCE)
    rows[0] = [*rows[0], "Aanwezig"]
    rows[1:] = [[*r, r[-1]] for r in rows[1:]]
    _write_csv(raw, ATTENDANCE, rows)


def merged_header_cells(raw: Path) -> None:
    path = raw / REGISTER
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.insert_rows(1)
    sheet.cell(1, 1, "Activiteitenregister 2025")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    workbook.save(path)


def formula_column(raw: Path) -> None:
    path = raw / FEEDBACK
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    headers = [str(c.value) for c in sheet[1]]
    column = next(i for i, h in enumerate(headers, start=1) if h.startswith("Wat vond u"))
    for row in range(2, sheet.max_row + 1):
        # formulas as text, the way web exports carry them (CSV injection)
        cell = sheet.cell(row, column, f'=HYPERLINK("http://example.org/{row}","klik")')
        cell.data_type = "s"
    workbook.save(path)


def unknown_platform(raw: Path) -> None:
    _write_csv(raw, SURVEY_2020, [["kolom_a", "kolom_b"], ["1", "2"], ["3", "4"]])


def municipality_question_mark(raw: Path) -> None:
    _cell(raw, SURVEY, "Voor welke gemeente", 4, "?")


def negative_hours(raw: Path) -> None:
    _cell(raw, REGISTER, "Duur", 5, "-3")


def nps_in_words(raw: Path) -> None:
    _cell(raw, FEEDBACK, "Hoe waarschijnlijk", 6, "tien")


def future_date(raw: Path) -> None:
    _cell(raw, REGISTER, "Datum", 7, "12/03/2031")


def impossible_date(raw: Path) -> None:
    _cell(raw, REGISTER, "Datum", 8, "31/02/2025")


def one_byte(raw: Path) -> None:
    (raw / ATTENDANCE).write_bytes(b"x")


def empty_file(raw: Path) -> None:
    (raw / SURVEY).write_bytes(b"")


def directory_named_like_a_file(raw: Path) -> None:
    path = raw / FEEDBACK
    path.unlink()
    path.mkdir()


def pdf_renamed(raw: Path) -> None:
    (raw / REGISTER).write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")


def binary_garbage_csv(raw: Path) -> None:
    (raw / ATTENDANCE).write_bytes(bytes(range(256)) * 8)


def unclosed_quote(raw: Path) -> None:
    path = raw / ATTENDANCE
    lines = path.read_bytes().decode("cp1252").splitlines()
    lines[2] = lines[2].replace(";", ';"', 1)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def missing_required_column(raw: Path) -> None:
    path = raw / REGISTER
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.delete_cols(2)  # "Datum"
    workbook.save(path)


def attendance_for_unknown_event(raw: Path) -> None:
    source = raw / ATTENDANCE
    source.rename(source.with_name("2025-999_aanwezigheden_SYNTHETISCH.csv"))


def satisfaction_out_of_range(raw: Path) -> None:
    _cell(raw, FEEDBACK, "Hoe tevreden", 5, 7)


def attendance_answer_unknown(raw: Path) -> None:
    rows = _csv_rows(raw, ATTENDANCE)
    rows[3][-1] = "misschien"
    _write_csv(raw, ATTENDANCE, rows)


def zip_not_xlsx(raw: Path) -> None:
    with zipfile.ZipFile(raw / SURVEY, "w") as archive:
        archive.writestr("leesmij.txt", "geen werkmap")


CASES = [
    Case("truncated xlsx", SURVEY, truncated_xlsx, True, ("beschadigd",)),
    Case("HTML saved as .xlsx", FEEDBACK, html_as_xls, True, ("webpagina", "opslaan als")),
    Case("password-protected xlsx", REGISTER, password_protected, True, ("wachtwoord",)),
    Case("UTF-16 instead of UTF-8", SURVEY_2020, wrong_encoding, False, ()),
    Case("only a header row", ATTENDANCE, only_headers, False, (), kept=0),
    Case("10 000 empty rows", ATTENDANCE, ten_thousand_empty_rows, False, (),
         extra_rejected=10_000),
    Case("duplicate headers", ATTENDANCE, duplicate_headers, False, ()),
    Case("merged title cells above the header", REGISTER, merged_header_cells, True,
         ("titel", "verwijder")),
    Case("a column of formulas", FEEDBACK, formula_column, False, ("formule",), "best"),
    Case("unknown survey platform", SURVEY_2020, unknown_platform, True, ("codeboek",)),
    Case("municipality '?'", SURVEY, municipality_question_mark, False, ("gemeente",),
         "municipality", 4),
    Case("hours '-3'", REGISTER, negative_hours, False, ("duur",), "duration", 5),
    Case("NPS 'tien'", FEEDBACK, nps_in_words, False, ("0 tot 10",), "nps", 6),
    Case("date in the future", REGISTER, future_date, False, ("datum",), "date", 7),
    Case("impossible date 31/02", REGISTER, impossible_date, False, ("datum",), "date", 8),
    Case("one byte", ATTENDANCE, one_byte, True, ("kolom",)),
    Case("empty file", SURVEY, empty_file, True, ("leeg",)),
    Case("a directory named like a file", FEEDBACK, directory_named_like_a_file, True, ("map",)),
    Case("PDF renamed to .xlsx", REGISTER, pdf_renamed, True, ("pdf",)),
    Case("binary garbage as .csv", ATTENDANCE, binary_garbage_csv, True, ("tekst",)),
    Case("unclosed quote", ATTENDANCE, unclosed_quote, True, ("aanhalingsteken",)),
    Case("required column missing", REGISTER, missing_required_column, True, ("datum",)),
    Case("attendance list of an unknown activity", "2025-999_aanwezigheden",
         attendance_for_unknown_event, True, ("register",)),
    Case("satisfaction 7 on a 1-5 scale", FEEDBACK, satisfaction_out_of_range, False,
         ("1 tot 5",), "satisfaction", 5),
    Case("attendance 'misschien'", ATTENDANCE, attendance_answer_unknown, False,
         ("aanwezig",), "present", 4),
    Case("a zip that is no workbook", SURVEY, zip_not_xlsx, True, ("excel",)),
]  # fmt: skip
