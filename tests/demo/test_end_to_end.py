"""From the demo exports to the yearly report, the way `make report` runs it, checked against the
demo's ground truth and against counts worked out by hand."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd

from inclusie_analysis.analyse.stats import count_responses_by_province
from inclusie_analysis.clean.datasets import clean_needs, load_needs, load_respondents
from inclusie_analysis.clean.geo import load_reference
from inclusie_analysis.clean.privacy import DEMO_KEY
from inclusie_analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_report_command_succeeds_and_writes_html(run):
    code, out = run
    assert code == 0
    html = (out / "jaarrapport-vlaanderen-en-brussel" / "report.html").read_text(encoding="utf-8")
    assert "Antwoorden per provincie" in html
    assert "synthetische demodata" in html
    assert "Statbel" in html and "CC BY 4.0" in html, "the method section credits the data"
    assert not re.search(r"<script[^>]+src=[\"']https?://", html), "the report must open offline"
    assert "In [" not in html and "def " not in html, "no code cells in the report"
    assert not re.search(r"[\w.+-]+@example\.(org|com|net)", html), "no e-mail addresses in reports"


def test_cleaned_data_matches_the_ground_truth(run, truth):
    _, out = run
    respondents = load_respondents(out / "data")
    survey = truth["survey_rows"]
    kept = survey[(survey["kind"] != "blank") & (survey["answered"] == "True")]
    merged = respondents.assign(row=respondents["source_row"].astype(str)).merge(
        kept, left_on=["source_file", "row"], right_on=["file", "row"], validate="one_to_one"
    )
    # one of each pair of repeated submissions was merged into the other
    assert len(respondents) == len(kept) - (survey["kind"] == "duplicate").sum()
    expected = merged["nis_code_y"].replace("", pd.NA)
    wrong = merged[merged["nis_code_x"].fillna("-") != expected.fillna("-")]
    assert wrong.empty, wrong[
        ["municipality_written", "municipality_fault", "nis_code_x", "nis_code_y"]
    ]
    assert (merged["complete_x"] == (merged["kind"] != "partial")).all()


def test_ledger_accounts_for_every_row(run, truth):
    _, out = run
    data = load_needs(out / "data")
    assert (data.files["rows_in"] == data.files[["kept", "merged", "rejected"]].sum(axis=1)).all()
    files = data.files[data.files["kind"] == "bevraging"]
    survey = truth["survey_rows"]
    assert files["rows_in"].sum() == len(survey)
    ledger = data.ledger[data.ledger["file"].isin(files["file"])]
    ledger = ledger.assign(row=ledger["row"].astype(str)).merge(
        survey, on=["file", "row"], validate="one_to_one"
    )
    assert (ledger.loc[ledger["kind"] == "blank", "reason"] == "blank").all()
    assert (ledger.loc[ledger["answered"] == "False", "reason"] == "no_answers").all()
    # every merged row and the row it points to are the two halves of one repeated submission
    pairs = {
        frozenset((r.row, r.duplicate_of_row))
        for r in survey[survey["kind"] == "duplicate"].itertuples()
    }
    merged = ledger[ledger["status"] == "merged"]
    assert len(merged) == len(pairs)
    for r in merged.itertuples():
        assert frozenset((r.row, str(r.kept_row))) in pairs


def test_open_answers_are_scrubbed_and_inert(run, truth):
    _, out = run
    data = load_needs(out / "data")
    texts = data.answers_text.merge(
        data.respondents[["respondent_id", "source_file", "source_row"]], on="respondent_id"
    ).assign(row=lambda f: f["source_row"].astype(str))
    texts = texts[texts["question"] == "remarks"].merge(
        truth["survey_rows"], left_on=["source_file", "row"], right_on=["file", "row"]
    )
    for r in texts.itertuples():
        assert ("[e-mail]" in r.text) == (r.open_pii == "email"), r.text
        assert ("[telefoon]" in r.text) == (r.open_pii == "phone"), r.text
        # loaded as typed; at rest (parquet) a formula keeps its inert apostrophe (issue 15)
        assert r.text.startswith("=") == (r.formula_y == "True"), r.text
    assert (texts["open_pii"] != "none").sum() >= 5
    stored = pd.read_parquet(out / "data" / "answers_text.parquet")["text"].dropna()
    formulas = stored[stored.str.lstrip("'").str.startswith("=")]
    assert len(formulas) and formulas.str.startswith("'=").all()


def test_no_personal_data_in_any_output(run, demo):
    _, out = run
    emails, names = set(), set()
    for path in demo.out.rglob("*.csv"):
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        emails |= set(re.findall(r"[\w.+-]+@example\.(?:org|com|net)", text, flags=re.I))
        if "aanwezigheden" in path.name:
            for line in text.splitlines()[1:]:
                cells = re.split("[;,]", line)
                if len(cells) > 2 and cells[0]:
                    names.add(f"{cells[0]} {cells[1]}")
    assert emails and names
    named = re.compile("|".join(re.escape(n) for n in sorted(names)))  # one pass per file
    checked = 0
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            text = "\n".join(frame[c].astype(str).str.cat(sep="\n") for c in frame.columns)
        elif path.suffix == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            text = "\n".join(
                str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row
            )
        elif path.suffix == ".pdf" and shutil.which("pdftotext"):
            # the words on the pages (a PDF's own bytes are compressed: a name would not show)
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout  # fmt: skip
        else:
            # embedded images (base64) hold no text; searching them only costs time
            text = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\\n]+", "", path.read_text(
                encoding="utf-8", errors="replace"))  # fmt: skip
        assert not re.search(r"[\w.+-]+@[\w-]+\.(?:org|com|net|be)\b", text), path
        assert not re.search(r"\b04\d{2}[ /]?\d{2} ?\d{2} ?\d{2}\b", text), path
        assert not named.search(text), path
        checked += 1
    assert checked >= 10


def test_quality_report_is_written(run):
    _, out = run
    page = (out / "datakwaliteit.html").read_text(encoding="utf-8")
    assert "Datakwaliteit 2025" in page and "samengevoegd" in page
    from openpyxl import load_workbook

    book = load_workbook(out / "datakwaliteit.xlsx")
    assert book.sheetnames == [
        "Overzicht", "Per soort", "Problemen", "Rijen niet behouden", "Bronnen"
    ]  # fmt: skip
    problems = list(book["Problemen"].iter_rows(min_row=3, values_only=True))
    assert any(row[1] == "Gemeente: herkend ondanks tikfout" for row in problems)


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
    survey = truth["survey_rows"]
    # the responses that count: answered, and of a repeated submission only one
    counted = survey[
        (survey["kind"] != "blank")
        & (survey["answered"] == "True")
        & (survey["kind"] != "duplicate")
    ]
    expected = counted.assign(
        province=counted["nis_code"].map(province).fillna("Geen gemeente opgegeven")
    )
    expected = expected.groupby(["province", "wave"]).size()
    for (prov, wave), n in expected.items():
        assert table.loc[prov, wave] == n, (prov, wave)
    assert table.loc["Totaal"].to_dict() == counted.groupby("wave").size().to_dict()


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
    data = clean_needs(demo.out, ROOT / "surveys" / "codebooks", up_to_year=2020, key=DEMO_KEY)
    assert set(data.respondents["wave"]) == {2020}
    assert set(data.needs["wave"]) == {2020} and len(data.needs) > 1000


def test_no_exports_is_a_clear_error(tmp_path, capsys):
    settings = tmp_path / "inclusie.toml"
    settings.write_text(f'[paths]\nraw = "{(tmp_path / "leeg").as_posix()}"\n', encoding="utf-8")
    assert main(["--settings", str(settings), "report"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout:") and "Traceback" not in err and "surveys/raw/2025" in err


def test_region_mapping_from_the_settings_adds_referentieregio(demo, shared_reference):
    data = clean_needs(
        demo.out,
        ROOT / "surveys" / "codebooks",
        up_to_year=2025,
        key=DEMO_KEY,
        region_mapping=shared_reference / "regions_2025.csv",
        region_column="referentieregio",
    )
    respondents = data.respondents
    flemish = respondents[respondents["region"] == "Vlaanderen"]
    assert flemish["referentieregio"].notna().all()
    assert respondents.loc[respondents["region"] == "Brussel", "referentieregio"].isna().all()
    regions = pd.read_csv(shared_reference / "regions_2025.csv", dtype=str).set_index("nis_code")
    expected = flemish["nis_code"].map(regions["referentieregio"])
    assert (flemish["referentieregio"] == expected).all()
    assert respondents["referentieregio"].nunique() == 15
