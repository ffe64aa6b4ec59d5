"""Clean reports: library warnings go to run.log, never into a report's HTML, PDF or
notebook; long item labels are wrapped in the charts."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from tiny import tiny_notebook

from inclusie_analysis.cli import main
from inclusie_analysis.publish.kernels import move_stderr_to_log
from inclusie_analysis.publish.report import run_suite
from inclusie_analysis.publish.suite import ReportJob, plan_suite

ROOT = Path(__file__).resolve().parents[2]
LONG = "Een heel lange omschrijving van een leernood zoals een codeboek ze soms heeft " * 4


def visible_text(page: str) -> str:
    """What a reader sees: the page without its style sheets and scripts."""
    return re.sub(r"<(style|script)[^>]*>.*?</\1>", "", page, flags=re.S)


WARNS = f"""
import sys, warnings
import matplotlib.pyplot as plt
warnings.warn("een verouderde functie", UserWarning)
fig, ax = plt.subplots(figsize=(7, 2))
ax.barh([{LONG!r}], [1])
fig.tight_layout()
plt.close(fig)
print("een bericht op stderr", file=sys.stderr)
print("gewone uitvoer")
"""


@pytest.fixture(scope="module")
def warned(tmp_path_factory):
    """Two reports in one warm kernel, each raising the same warnings."""
    folder = tmp_path_factory.mktemp("warnings")
    path = tiny_notebook(folder / "w.ipynb", WARNS)
    jobs = [ReportJob(name, "jaarrapport", name, path, {}) for name in ("eerste", "tweede")]
    results = run_suite(jobs, folder / "out", formats=("html",), workers=1, progress=False)
    return results, folder / "out"


def test_warnings_stay_out_of_the_report(warned):
    results, out = warned
    assert [r.ok for r in results] == [True, True], [r.error for r in results]
    for name in ("eerste", "tweede"):
        page = visible_text((out / name / "report.html").read_text(encoding="utf-8"))
        assert "gewone uitvoer" in page  # ordinary output is still shown
        for leak in ("Warning", "warnings.warn", "ipykernel", "/tmp/", "stderr", "tight_layout"):
            assert leak not in page, (name, leak)
        nb = nbformat.read(out / name / "report.ipynb", as_version=4)
        streams = [o for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"]
        assert streams == []


def test_each_reports_warnings_are_in_the_run_log(warned):
    _, out = warned
    log = (out / "run.log").read_text(encoding="utf-8")
    for name in ("eerste", "tweede"):  # the second report logs the same warnings again
        lines = [line for line in log.splitlines() if f" {name}: " in line]
        assert any("UserWarning: een verouderde functie" in line for line in lines), name
        assert any("Tight layout not applied" in line for line in lines), name
        assert any("een bericht op stderr" in line for line in lines), name


def test_move_stderr_to_log_by_hand(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="/pad/plots.py:84: UserWarning: x\n"),
        nbformat.v4.new_output("stream", name="stdout", text="blijft\n"),
    ]
    path = tmp_path / "r.ipynb"
    nbformat.write(nb, path)
    assert move_stderr_to_log(path, tmp_path / "run.log", "rapport-x") == 1
    outputs = nbformat.read(path, as_version=4).cells[0].outputs
    assert [o["name"] for o in outputs] == ["stdout"]
    log = (tmp_path / "run.log").read_text(encoding="utf-8")
    assert "rapport-x: cel 1: /pad/plots.py:84: UserWarning: x" in log


@pytest.fixture(scope="module")
def long_label_report(demo, tmp_path_factory):
    """The yearly report on the demo with one item label of 300+ characters."""
    folder = tmp_path_factory.mktemp("long-label")
    settings = folder / "inclusie.toml"
    settings.write_text(
        f'[paths]\nraw = "{demo.out.as_posix()}"\n'
        f'codebooks = "{(ROOT / "surveys" / "codebooks").as_posix()}"\n'
        f'reports = "{(folder / "reports").as_posix()}"\n',
        encoding="utf-8",
    )
    assert main(["--settings", str(settings), "clean", "--year", "2025"]) in (0, 1)
    out = folder / "reports" / "2025"
    needs = pd.read_parquet(out / "data" / "needs.parquet")
    item = needs.loc[needs["wave"] == 2025, "item"].iloc[0]
    needs["item_label"] = needs["item_label"].mask(needs["item"] == item, LONG)
    needs.to_parquet(out / "data" / "needs.parquet", index=False)
    jobs = plan_suite(out / "data", 2025, only=["jaarrapport-vlaanderen-en-brussel"])
    [result] = run_suite(jobs, out, formats=("html",), workers=1, progress=False)
    return result, out


def test_a_long_item_label_gives_a_clean_report(long_label_report):
    result, out = long_label_report
    assert result.ok, result.error
    page = (out / "jaarrapport-vlaanderen-en-brussel" / "report.html").read_text(encoding="utf-8")
    assert LONG.strip()[:60] in page  # the table keeps the whole label
    shown = visible_text(page)
    assert "Warning" not in shown and "warnings.warn" not in shown
    assert str(ROOT) not in shown and "/tmp/" not in shown and "site-packages" not in shown
    log = (out / "run.log").read_text(encoding="utf-8")
    assert "jaarrapport-vlaanderen-en-brussel: klaar" in log
    assert "Tight layout not applied" not in log  # plots.py wraps the label: no warning at all
