"""Missing is never zero: a year without a register, attendance lists, feedback forms,
targets or an earlier survey wave says so in the console, run.log, the index, the
data-quality report and the yearly report itself, and shows no zeros for it.

Each scenario is the demo with inputs removed, cleaned and reported once per module (only
the report for everyone and Limburg, HTML only, to keep it quick).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from inclusie_analysis.clean.datasets import latest_year, load_events, load_sources
from inclusie_analysis.cli import main

REGISTER = "2025/activiteiten-2025_SYNTHETISCH.xlsx"
FEEDBACK = "2025/feedback-2025_msforms_SYNTHETISCH.xlsx"
EVERYONE = "jaarrapport-vlaanderen-en-brussel"


def copy_demo(demo, folder: Path, remove: list[str]) -> Path:
    raw = folder / "raw"
    shutil.copytree(demo.out, raw)
    for name in remove:
        target = raw / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return raw


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def report(demo, make_settings, folder: Path, remove: list[str]) -> dict:
    raw = copy_demo(demo, folder, remove)
    settings = make_settings(folder, raw)
    code, out, err = run_cli("--settings", str(settings), "report", "--year", "2025",
                             "--only", EVERYONE, "--only", "Limburg", "--formats", "html",
                             "--jobs", "1", "--no-progress")  # fmt: skip
    reports = folder / "reports" / "2025"
    return {"code": code, "out": out, "err": err, "raw": raw, "reports": reports}


def text_of(path: Path) -> str:
    """The words of an HTML page, without markup, styles or images."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    import html

    return " ".join(html.unescape(page).split())


def between(text: str, start: str, end: str) -> str:
    """The part of `text` from `start` up to the next `end`."""
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


@pytest.fixture(scope="module")
def no_register(demo, make_settings, tmp_path_factory):
    return report(demo, make_settings, tmp_path_factory.mktemp("no-register"), [REGISTER])


@pytest.fixture(scope="module")
def no_lists(demo, make_settings, tmp_path_factory):
    """No attendance lists, no feedback form and no earlier survey wave (2020)."""
    folder = tmp_path_factory.mktemp("no-lists")
    return report(demo, make_settings, folder, ["2025/aanwezigheden", FEEDBACK, "2020"])


REGISTER_MISSING = "Voor 2025 is geen activiteitenregister gevonden in {raw}/2025; de cijfers"


# ---------------------------------------------------------------------------------------------
# No register


def test_no_register_is_said_on_the_console(no_register):
    raw = no_register["raw"].as_posix()
    assert no_register["code"] == 1  # the attendance lists cannot be linked: those files fail
    assert f"Gegevens ontbreken: {REGISTER_MISSING.format(raw=raw)}" in no_register["err"]
    assert "(ze zijn niet nul)" in no_register["err"]
    assert "? activiteiten" in no_register["out"] and " 0 activiteiten" not in no_register["out"]


def test_no_register_is_in_the_run_log_index_and_quality_report(no_register):
    reports, raw = no_register["reports"], no_register["raw"].as_posix()
    # published files (run log, index, quality report) name the folder relative to the
    # settings folder, the run's here, never with the home folder (issue 15)
    published = REGISTER_MISSING.format(raw="raw")
    log = (reports / "run.log").read_text(encoding="utf-8")
    assert f"gegevens ontbreken: {published}" in log and raw not in log
    index = text_of(reports / "index.html")
    assert "Ontbrekende gegevens" in index and published in index and raw not in index
    quality = text_of(reports / "datakwaliteit.html")
    assert "Ontbrekende gegevens" in quality and published in quality and raw not in quality
    sheet = load_workbook(reports / "datakwaliteit.xlsx")["Bronnen"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["activiteitenregister"][2] == "ontbreekt"
    assert rows["activiteitenregister"][3] == "raw/2025"
    assert rows["feedbackformulieren"][2] == "gevonden"
    assert rows["aanwezigheidslijsten"][2] == "niet gelezen"


def test_no_register_is_recorded_in_the_metadata(no_register):
    data = no_register["reports"] / "data"
    sources = {s["kind"]: s for s in load_sources(data)}
    assert sources["register"]["status"] == "missing" and sources["register"]["files"] == []
    assert sources["attendance"]["status"] == "unreadable"
    assert sources["attendance"]["reason"] == "no_register"
    assert [sources[k]["status"] for k in ("feedback", "targets", "survey_previous")] == [
        "found"
    ] * 3
    assert load_events(data).sources == load_sources(data)
    meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    assert meta["sources"] == load_sources(data)


def test_no_register_gives_no_indicator_zeros(no_register):
    indicators = pd.read_parquet(no_register["reports"] / "data" / "indicators.parquet")
    assert len(indicators) == 17
    assert indicators["realised"].isna().all()
    assert set(indicators["status"]) == {"geen gegevens"}


def test_no_register_report_says_so_instead_of_zeros(no_register):
    for report_id in (EVERYONE, "jaarrapport-limburg"):
        text = text_of(no_register["reports"] / report_id / "report.html")
        assert "Ontbrekende gegevens" in text
        assert REGISTER_MISSING.format(raw="raw") in text  # relative to the settings folder
        for zero in ("0 activiteiten", "niet gehaald", "vorig jaar geen activiteit",
                     "bereikten 0", "0 feedbackantwoorden", "minder dan 5 mensen"):  # fmt: skip
            assert zero not in text, (report_id, zero)
        assert "Het bereik van de activiteiten van 2025 is niet bekend" in text
        assert "wat er vorig jaar rond dit thema gebeurde, is niet bekend" in text
        assert "Niet meegeteld, omdat de gegevens ontbreken: hoe weinig er al rond gewerkt werd " \
               "en de beoordeling van vorige activiteiten" in text  # fmt: skip
    everyone = text_of(no_register["reports"] / EVERYONE / "report.html")
    assert "Of de indicatoren van het actieplan 2025 gehaald zijn, is niet bekend" in everyone
    assert "geen gegevens" in everyone  # the targets are shown, their realisation is not


# ---------------------------------------------------------------------------------------------
# No attendance lists, no feedback form, no earlier survey wave


def test_missing_lists_are_said_everywhere(no_lists):
    raw, reports = no_lists["raw"].as_posix(), no_lists["reports"]
    expected = [
        f"Voor 2025 zijn geen aanwezigheidslijsten gevonden in {raw}/2025/aanwezigheden",
        f"Voor 2025 is geen feedbackformulier gevonden in {raw}/2025",
        f"Er is geen bevraging van vóór 2025 gevonden; een vergelijking met een vorige bevraging "
        f"is daarom niet mogelijk. Zet de exports van een vorige bevraging in {raw}/2020/",
    ]
    log = (reports / "run.log").read_text(encoding="utf-8")
    places = {
        "console": no_lists["err"],
        "run.log": log,
        "index": text_of(reports / "index.html"),
        "datakwaliteit": text_of(reports / "datakwaliteit.html"),
        "rapport": text_of(reports / EVERYONE / "report.html"),
    }
    for place, text in places.items():
        for sentence in expected:
            if place != "console":  # published: relative to the settings folder
                sentence = sentence.replace(raw, "raw")
            assert sentence in text, (place, sentence)
    assert no_lists["code"] == 0  # nothing failed: the inputs are simply not there
    sources = {s["kind"]: s["status"] for s in load_sources(reports / "data")}
    assert sources == {"register": "found", "attendance": "missing", "feedback": "missing",
                       "targets": "found", "survey_previous": "missing"}  # fmt: skip


def test_missing_lists_report_sections(no_lists):
    raw = "raw"  # as the published report names it: relative to the settings folder
    text = text_of(no_lists["reports"] / EVERYONE / "report.html")
    reach = between(text, "Bereik Voor 2025", "Wie antwoordde")
    assert "aanwezigheidslijsten gevonden" in reach and "bereikten" not in reach
    feedback = text[text.index("Feedback op de activiteiten Voor") :]
    assert feedback.startswith(f"Feedback op de activiteiten Voor 2025 is geen feedbackformulier "
                               f"gevonden in {raw}/2025")  # fmt: skip
    assert "0 feedbackantwoorden" not in text and "Verandering sinds" not in text
    needs = between(text, "Leernoden Aandeel", "Feedback op de activiteiten")
    assert needs.rstrip().endswith("(met een codeboek voor die bevraging in surveys/codebooks).")
    # the register is there: activities and indicators are shown, the rating is left out
    assert "16 van de 17 indicatoren zijn gehaald" in text
    assert "Niet meegeteld, omdat de gegevens ontbreken: de beoordeling van vorige activiteiten;" \
           in text  # fmt: skip
    assert "hoe weinig er al rond gewerkt werd (22,2 %)" in text
    assert "Het bereik van de activiteiten van 2025 is niet bekend: er zijn geen " \
           "aanwezigheidslijsten." in text  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Cleaning only: targets, and the year chosen without --year


def test_a_year_without_targets_says_so(demo, make_settings, tmp_path):
    raw = copy_demo(demo, tmp_path, [])
    settings = make_settings(tmp_path, raw)
    code, out, err = run_cli("--settings", str(settings), "clean", "--year", "2024")
    assert code == 0
    # expected in the user's targets folder (paths.targets, default surveys/targets beside
    # the settings file), where `inclusie targets draft` writes it
    expected = (
        "Gegevens ontbreken: Voor 2024 zijn geen doelen van het actieplan gevonden (verwacht: "
        f"{tmp_path / 'surveys' / 'targets' / '2024.yaml'}); de indicatoren ontbreken daarom"
    )
    assert expected in err
    assert "inclusie targets draft --year 2024" in err
    # 2020 is the only wave up to 2024 and no codebook is older: the folder pattern is named
    assert f"Zet de exports van een vorige bevraging in {raw.as_posix()}/<jaar>/" in err
    log = (tmp_path / "reports" / "2024" / "run.log").read_text(encoding="utf-8")
    assert "gegevens ontbreken: Voor 2024 zijn geen doelen van het actieplan gevonden" in log
    sources = {s["kind"]: s for s in load_sources(tmp_path / "reports" / "2024" / "data")}
    assert sources["targets"]["status"] == "missing"
    assert [sources[k]["status"] for k in ("register", "attendance", "feedback")] == ["found"] * 3
    assert "Jaar 2024 gekozen" not in out  # an explicit --year is not announced


def test_without_year_the_latest_folder_with_data_is_chosen(demo, make_settings, tmp_path):
    raw = copy_demo(demo, tmp_path, [])
    (raw / "2027").mkdir()  # an empty folder holds no data
    (raw / "2026").mkdir()
    shutil.copy(raw / FEEDBACK, raw / "2026" / "feedback-2026_msforms_SYNTHETISCH.xlsx")
    assert latest_year(raw) == 2026
    settings = make_settings(tmp_path, raw)
    _, out, err = run_cli("--settings", str(settings), "clean")
    assert out.startswith(
        f"Jaar 2026 gekozen: de recentste map met gegevens in {raw.as_posix()}. Kies een ander "
        "jaar met --year.\n"
    )
    assert (tmp_path / "reports" / "2026" / "data" / "meta.json").exists()
    assert f"Voor 2026 is geen activiteitenregister gevonden in {raw.as_posix()}/2026" in err
    # an explicit year in the settings, or --year, wins
    settings.write_text(
        settings.read_text().replace("[report]\n", "[report]\nyear = 2025\n"), encoding="utf-8"
    )
    _, out, _ = run_cli("--settings", str(settings), "clean")
    assert "gekozen" not in out and (tmp_path / "reports" / "2025" / "data").is_dir()


def test_the_demo_latest_year_is_2025(demo):
    """`make report` (inclusie run --demo, no --year) still builds 2025."""
    assert latest_year(demo.out) == 2025


def test_no_year_folder_is_an_input_error(make_settings, tmp_path):
    (tmp_path / "raw" / "2025").mkdir(parents=True)  # empty: no data
    settings = make_settings(tmp_path, tmp_path / "raw")
    code, _, err = run_cli("--settings", str(settings), "clean")
    assert code == 2 and err.startswith("Fout:") and "geen map per jaar met gegevens" in err
