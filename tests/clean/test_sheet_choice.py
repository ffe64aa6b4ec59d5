"""`inclusie clean` on the demo with exports whose first sheet holds no table: the data on the
next sheet is cleaned, and the user is told which sheet was read, on the console and in the
data-quality report, also when the sheet that was read turns out to be the wrong one."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from inclusie_analysis.cli import main
from inclusie_analysis.demo import write_demo
from inclusie_analysis.read.readers import read_export

ROOT = Path(__file__).resolve().parents[2]
SURVEY = "leernoden-2025_msforms_SYNTHETISCH.xlsx"
FEEDBACK = "feedback-2025_msforms_SYNTHETISCH.xlsx"


def prepend_sheets(path: Path, sheets: dict[str, list[list]]) -> None:
    workbook = openpyxl.load_workbook(path)
    for index, (name, rows) in enumerate(sheets.items()):
        sheet = workbook.create_sheet(name, index)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Clean the demo with the survey's answers behind an empty first sheet, and the feedback
    form's behind an empty sheet and a summary table (the wrong sheet)."""
    folder = tmp_path_factory.mktemp("sheets")
    raw = write_demo(folder / "raw", seed=1).out
    survey_rows = len(read_export(raw / "2025" / SURVEY).frame)
    prepend_sheets(raw / "2025" / SURVEY, {"Blad1": []})
    summary = [["Vraag", "Gemiddelde"], ["Tevredenheid", 4.2]]
    prepend_sheets(raw / "2025" / FEEDBACK, {"Blad1": [], "Samenvatting": summary})
    settings = folder / "inclusie.toml"
    settings.write_text(
        f'[paths]\nraw = "{raw.as_posix()}"\n'
        f'codebooks = "{(ROOT / "surveys" / "codebooks").as_posix()}"\n'
        f'reports = "{(folder / "reports").as_posix()}"\n',
        encoding="utf-8",
    )
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["--settings", str(settings), "clean"])
    return code, err.getvalue(), folder / "reports" / "2025" / "data", survey_rows, folder


def test_the_survey_on_the_second_sheet_is_cleaned(run):
    code, _, data, survey_rows, _ = run
    assert code == 1  # the feedback form failed (its summary sheet was read)
    files = pd.read_parquet(data / "files.parquet").set_index("file")
    assert files.at[SURVEY, "status"] == "ok"
    assert files.at[SURVEY, "rows_in"] == survey_rows
    respondents = pd.read_parquet(data / "respondents.parquet")
    assert (respondents["source_file"] == SURVEY).sum() == files.at[SURVEY, "kept"] > 300


def test_the_console_says_which_sheet_was_read(run):
    _, err, *_ = run
    lines = err.splitlines()
    assert (
        f"Let op: {SURVEY}: Blad 'Blad1' is leeg; de gegevens zijn gelezen uit blad 'Sheet1'."
    ) in lines
    feedback = [line for line in lines if FEEDBACK in line]
    assert feedback[0].startswith(f"Let op: {FEEDBACK} niet opgeschoond")
    assert feedback[1] == (
        f"Let op: {FEEDBACK}: Blad 'Blad1' is leeg; 2 bladen bevatten gegevens ('Samenvatting', "
        "'Sheet1'): de gegevens zijn gelezen uit blad 'Samenvatting', het eerste ervan."
    )


def test_the_quality_report_lists_it_to_check(run):
    _, _, data, _, folder = run
    fixes = pd.read_parquet(data / "fixes.parquet")
    chosen = fixes[fixes["action"] == "sheet_chosen"].set_index("file")
    assert sorted(chosen.index) == sorted([SURVEY, FEEDBACK])  # kept though feedback failed
    assert chosen.at[SURVEY, "sheet"] == "Sheet1"
    assert chosen.at[FEEDBACK, "sheet"] == "Samenvatting"
    assert "vooraan" in chosen.at[SURVEY, "advice"]
    page = (folder / "reports" / "2025" / "datakwaliteit.html").read_text(encoding="utf-8")
    assert "het eerste blad had geen tabel" in page
    assert "Blad &#x27;Blad1&#x27; is leeg" in page
