"""From the demo exports to the yearly report, the way `make report` runs it, checked against the
demo's ground truth and against counts worked out by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from inclusie_analysis.clean.geo import load_reference
from inclusie_analysis.cli import main
from inclusie_analysis.datasets import clean_surveys, load_respondents
from inclusie_analysis.report import render_jaarrapport
from inclusie_analysis.stats import count_responses_by_province

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run(demo, tmp_path_factory):
    """`inclusie report` on the demo, with a settings file that keeps everything in tmp."""
    folder = tmp_path_factory.mktemp("run")
    settings = folder / "inclusie.toml"
    settings.write_text(
        f'[paths]\nraw = "{demo.out.as_posix()}"\n'
        f'codebooks = "{(ROOT / "surveys" / "codebooks").as_posix()}"\n'
        f'reports = "{(folder / "reports").as_posix()}"\n',
        encoding="utf-8",
    )
    code = main(["--settings", str(settings), "report", "--year", "2025"])
    return code, folder / "reports" / "2025"


def test_report_command_succeeds_and_writes_html(run):
    code, out = run
    assert code == 0
    html = (out / "jaarrapport-vlaanderen-en-brussel" / "report.html").read_text(encoding="utf-8")
    assert "Respons per provincie" in html
    assert "synthetische demodata" in html
    assert "Statbel" in html and "CC BY 4.0" in html, "the method section credits the data"
    assert not re.search(r"<script[^>]+src=[\"']https?://", html), "the report must open offline"
    assert "In [" not in html and "def " not in html, "no code cells in the report"
    assert not re.search(r"[\w.+-]+@example\.(org|com|net)", html), "no e-mail addresses in reports"


def test_cleaned_data_matches_the_ground_truth(run, truth):
    _, out = run
    respondents = load_respondents(out / "data")
    survey = truth["survey_rows"]
    # every non-blank row is one respondent for now (duplicates and partials are marked in issue 4)
    assert len(respondents) == (survey["kind"] != "blank").sum()
    merged = respondents.assign(row=respondents["source_row"].astype(str)).merge(
        survey, left_on=["source_file", "row"], right_on=["file", "row"], validate="one_to_one"
    )
    expected = merged["nis_code_y"].replace("", pd.NA)
    wrong = merged[merged["nis_code_x"].fillna("-") != expected.fillna("-")]
    assert wrong.empty, wrong[
        ["municipality_written", "municipality_fault", "nis_code_x", "nis_code_y"]
    ]
    assert not respondents.apply(lambda c: c.astype(str).str.contains("@").any()).any(), (
        "no e-mail in data"
    )


def test_count_table_matches_ground_truth(run, truth):
    _, out = run
    respondents = load_respondents(out / "data")
    table = count_responses_by_province(respondents)
    muni = load_reference().municipalities
    province = dict(
        zip(
            muni["nis_code"],
            muni["province_nl"].fillna("Brussel").replace("", "Brussel"),
            strict=True,
        )
    )
    survey = truth["survey_rows"][truth["survey_rows"]["kind"] != "blank"]
    expected = survey.assign(
        province=survey["nis_code"].map(province).fillna("Geen gemeente opgegeven")
    )
    expected = expected.groupby(["province", "wave"]).size()
    for (prov, wave), n in expected.items():
        assert table.loc[prov, wave] == n, (prov, wave)
    assert table.loc["Totaal"].to_dict() == survey.groupby("wave").size().to_dict()


def test_count_table_by_hand():
    frame = pd.DataFrame(
        {
            "wave": [2020, 2020, 2025, 2025, 2025, 2025],
            "province": ["Limburg", None, "Limburg", "Brussel", "Antwerpen", None],
        }
    )
    table = count_responses_by_province(frame)
    assert table.loc["Limburg"].tolist() == [1, 1]
    assert table.loc["Brussel"].tolist() == [0, 1]
    assert table.loc["Geen gemeente opgegeven"].tolist() == [1, 1]
    assert table.loc["Totaal"].tolist() == [2, 4]
    assert table.index[0] == "West-Vlaanderen" and table.index[-2:].tolist() == [
        "Geen gemeente opgegeven",
        "Totaal",
    ]


def test_cleaning_a_single_wave_folder(demo):
    respondents = clean_surveys(demo.out, ROOT / "surveys" / "codebooks", up_to_year=2020)
    assert set(respondents["wave"]) == {2020}


def test_a_failing_report_keeps_the_good_one(run, tmp_path):
    _, out = run
    good = out / "jaarrapport-vlaanderen-en-brussel" / "report.html"
    before = good.read_bytes()
    result = render_jaarrapport(tmp_path / "missing-data", out, 2025)
    assert not result.ok and "ontbreken" in result.error
    assert good.read_bytes() == before
    assert (out / "jaarrapport-vlaanderen-en-brussel.failed.ipynb").exists()


def test_no_exports_is_a_clear_error(tmp_path, capsys):
    settings = tmp_path / "inclusie.toml"
    settings.write_text(f'[paths]\nraw = "{(tmp_path / "leeg").as_posix()}"\n', encoding="utf-8")
    assert main(["--settings", str(settings), "report"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout:") and "Traceback" not in err and "surveys/raw/2025" in err
