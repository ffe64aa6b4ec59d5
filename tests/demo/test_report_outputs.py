"""Issue 15, points 6 and 7: report folders that cannot collide, failures that stay with
their report, and outputs that can be published (relative paths, no kernel history, inert
formulas only where a spreadsheet needs them, a private data folder, exports out of git).

One run on a copy of the demo whose register was edited: '2025-002' became '2025_001'
(which slugifies like '2025-001'), '2025-003' an id of 300 characters, and the organiser of
'2025-004' a formula. Only those four sheets are made, in HTML and Excel, to stay fast.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import inclusie_analysis.publish.kernels as kernels
import inclusie_analysis.publish.report as report
from inclusie_analysis.clean.datasets import load_events
from inclusie_analysis.cli import main
from inclusie_analysis.publish.report import run_suite
from inclusie_analysis.publish.suite import MAX_REPORT_ID, make_report_id, plan_suite

ROOT = Path(__file__).resolve().parents[2]
LONG_ID = "2025-" + "lange-activiteit-" * 17 + "x" * 6  # 300 characters
FORMULA = "=VVSG+provincie"
ONLY = ["2025-001", "2025_001", LONG_ID, "2025-004"]
assert len(LONG_ID) == 300


def _edit_register(raw: Path) -> None:
    """The demo register with two colliding ids, a 300-character one and a formula."""
    from openpyxl import load_workbook as load

    path = raw / "2025" / "activiteiten-2025_SYNTHETISCH.xlsx"
    workbook = load(path)
    sheet = workbook["Activiteiten"]
    header = [c.value for c in sheet[1]]
    nr, organiser = header.index("Nr") + 1, header.index("Organisator") + 1
    for row in range(2, sheet.max_row + 1):
        value = sheet.cell(row, nr).value
        if value == "2025-002":
            sheet.cell(row, nr).value = "2025_001"
        elif value == "2025-003":
            sheet.cell(row, nr).value = LONG_ID
        elif value == "2025-004":
            cell = sheet.cell(row, organiser)
            cell.value = FORMULA
            cell.data_type = "s"
    workbook.save(path)
    for number in ("002", "003"):  # their attendance lists name the old ids
        for lst in (raw / "2025" / "aanwezigheden").glob(f"2025-{number}_*"):
            lst.unlink()


@pytest.fixture(scope="module")
def edited(demo, make_settings, tmp_path_factory):
    """The run (exit code, printed output, year folder, run folder, history folders)."""
    folder = tmp_path_factory.mktemp("issue15")
    raw = folder / "surveys" / "raw"
    shutil.copytree(demo.out, raw)
    _edit_register(raw)
    settings = make_settings(folder, raw)
    data = folder / "reports" / "2025" / "data"
    data.mkdir(parents=True)
    data.chmod(0o755)  # an existing data folder is tightened
    ipython, home = folder / "ipython", tmp_path_factory.mktemp("home")
    args = ["--settings", str(settings), "report", "--no-progress", "--jobs", "1",
            "--formats", "html,xlsx"]  # fmt: skip
    for name in ONLY:
        args += ["--only", name]
    printed = io.StringIO()
    old_umask = os.umask(0o022)
    try:
        with (
            pytest.MonkeyPatch.context() as patch,
            contextlib.redirect_stdout(printed),
            contextlib.redirect_stderr(printed),
        ):
            patch.setenv("IPYTHONDIR", str(ipython))
            patch.setenv("HOME", str(home))
            code = main(args)
    finally:
        os.umask(old_umask)
    return {
        "code": code,
        "printed": printed.getvalue(),
        "out": folder / "reports" / "2025",
        "folder": folder,
        "raw": raw,
        "history": (ipython, home),
    }


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_report_ids_are_unique_and_capped():
    assert make_report_id("activiteit-", "2025-001", exact=True) == "activiteit-2025-001"
    twin = make_report_id("activiteit-", "2025_001", exact=True)
    assert twin.startswith("activiteit-2025-001-") and twin != "activiteit-2025-001"
    # the folder depends on the id only: the same in every run, whatever else is planned
    assert make_report_id("activiteit-", "2025_001", exact=True) == twin
    a = make_report_id("activiteit-", "2025-" + "a" * 200 + "1", exact=True)
    b = make_report_id("activiteit-", "2025-" + "a" * 200 + "2", exact=True)
    assert a != b and len(a) == len(b) == MAX_REPORT_ID
    assert make_report_id("activiteit-", "???", exact=True).startswith("activiteit-")
    assert make_report_id("jaarrapport-", "West-Vlaanderen") == "jaarrapport-west-vlaanderen"


def test_every_activity_has_its_own_folder(edited):
    out = edited["out"]
    jobs = plan_suite(out / "data", 2025, only=["activiteiten"])
    ids = load_events(out / "data").events.query("year == 2025")["event_id"]
    assert {"2025-001", "2025_001", LONG_ID} <= set(ids)
    assert len({job.report_id for job in jobs}) == len(jobs) == len(ids)
    assert all(len(job.report_id) <= MAX_REPORT_ID for job in jobs)
    # '--only 2025_001' names that activity only, not also '2025-001'
    [only] = plan_suite(out / "data", 2025, only=["2025_001"])
    assert only.parameters["event_id"] == "2025_001"


def test_colliding_and_long_ids_each_get_their_sheet(edited):
    out, printed = edited["out"], edited["printed"]
    assert "Traceback" not in printed
    manifest = _manifest(out)
    entries = manifest["reports"]
    said = re.search(r"(\d+) van (\d+) rapporten klaar", printed)
    assert said, printed
    assert int(said.group(2)) == len(entries) == len(ONLY)
    assert int(said.group(1)) == sum(e["status"] == "ok" for e in entries.values()) == 4
    by_source = {e["source_id"]: e for e in entries.values()}
    assert set(by_source) == set(ONLY)
    folders = [e["folder"] for e in entries.values()]
    assert len(set(folders)) == 4
    index = (out / "index.html").read_text(encoding="utf-8")
    for source, entry in by_source.items():
        html = (out / entry["folder"] / "report.html").read_text(encoding="utf-8")
        assert source in html, source  # the sheet of that activity, not of its twin
        assert f'href="{entry["folder"]}/report.html"' in index
        assert f"<code>{entry['folder']}</code>" in index  # the mapping id → folder is shown
    assert len(by_source[LONG_ID]["folder"]) <= MAX_REPORT_ID


def test_published_files_hold_no_absolute_path(edited):
    out, folder = edited["out"], edited["folder"]
    needles = {str(folder), str(folder.resolve()), str(edited["raw"]), str(ROOT)}
    checked = 0
    for path in out.rglob("*"):
        if path.suffix in (".ipynb", ".json", ".html", ".log") and path.is_file():
            text = path.read_text(encoding="utf-8")
            for needle in needles:
                assert needle not in text, (path.relative_to(out), needle)
            checked += 1
    # per sheet: notebook, html, tabellen.json; index, manifest, datakwaliteit, run.log
    assert checked >= 4 * 3 + 4
    manifest = _manifest(out)
    entry = manifest["reports"]["activiteit-2025-001"]
    # relative to the settings folder (the run folder here): as staff know the paths
    assert manifest["paths_relative_to"] == manifest["data"]["paths_relative_to"] == "settings"
    assert entry["parameters"]["data_dir"] == "reports/2025/data"
    assert manifest["data"]["input_root"] == "surveys/raw"
    nb = json.loads((out / "activiteit-2025-001" / "report.ipynb").read_text(encoding="utf-8"))
    injected = "".join(nb["cells"][1]["source"])
    assert 'data_dir = "../data"' in injected and 'output_dir = "."' in injected
    assert nb["metadata"]["papermill"]["input_path"] == "activiteit.ipynb"


def test_the_kernel_keeps_no_history(edited):
    ipython, home = edited["history"]
    databases = [p for p in (ipython, home) if p.exists() for p in p.rglob("*.sqlite")]
    for database in databases:
        with contextlib.closing(sqlite3.connect(database)) as db:
            tables = {r[0] for r in db.execute("select name from sqlite_master")}
            if "history" in tables:
                sources = [r[0] for r in db.execute("select source from history")]
                assert not any("event_id" in s for s in sources), database


def test_history_is_off_by_the_kernel_option(tmp_path, monkeypatch):
    """Without the option, IPython keeps the parameters cell; with it, nothing."""
    from tiny import tiny_notebook

    from inclusie_analysis.publish.suite import ReportJob

    notebook = tiny_notebook(
        tmp_path / "a.ipynb", "open(output_dir + '/tabellen.xlsx', 'w').close()"
    )
    job = ReportJob("a", "jaarrapport", "a", notebook, {})

    def sources(options: tuple[str, ...], name: str) -> list[str]:
        # a warm kernel of an earlier test in this process keeps its own IPYTHONDIR and
        # options (with pytest-xdist any test may have run before this one here)
        kernels.shutdown_kernel()
        monkeypatch.setenv("IPYTHONDIR", str(tmp_path / name))
        monkeypatch.setattr(kernels, "KERNEL_OPTIONS", options)
        [result] = run_suite([job], tmp_path / name / "uit", formats=("xlsx",), workers=1,
                             progress=False)  # fmt: skip
        assert result.ok, result.error
        kernels.shutdown_kernel()  # IPython writes its history database when the kernel stops
        found = []
        for database in (tmp_path / name).rglob("history.sqlite"):
            with contextlib.closing(sqlite3.connect(database)) as db:
                found += [r[0] for r in db.execute("select source from history")]
        return found

    options = kernels.KERNEL_OPTIONS
    assert any("output_dir = " in s for s in sources((), "met")), "the control keeps history"
    assert not any("output_dir" in s for s in sources(options, "zonder"))


def test_a_report_after_a_failed_one_runs_in_the_same_kernel(tmp_path):
    """The failed report's folder is gone: the kernel leaves it before anything else."""
    from tiny import tiny_notebook

    from inclusie_analysis.publish.suite import ReportJob

    bad = tiny_notebook(tmp_path / "a.ipynb", "raise RuntimeError('opzettelijk')")
    good = tiny_notebook(tmp_path / "b.ipynb", "open(output_dir + '/tabellen.xlsx', 'w').close()")
    jobs = [ReportJob(p.stem, "jaarrapport", p.stem, p, {}) for p in (bad, good)]
    results = run_suite(jobs, tmp_path / "uit", formats=("xlsx",), workers=1, progress=False)
    assert [r.ok for r in results] == [False, True], [r.error for r in results]
    assert (tmp_path / "uit" / "b" / "tabellen.xlsx").exists()


def test_formulas_are_inert_in_excel_and_parquet_and_shown_as_typed(edited):
    out = edited["out"]
    raw = pd.read_parquet(out / "data" / "events.parquet").set_index("event_id")
    assert raw.loc["2025-004", "organiser"] == "'" + FORMULA  # inert at rest
    assert load_events(out / "data").events.set_index("event_id").loc["2025-004", "organiser"] == (
        FORMULA
    )  # as typed when loaded
    folder = out / "activiteit-2025-004"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert f">{FORMULA}<" in html and f"'{FORMULA}" not in html and f"&#x27;{FORMULA}" not in html
    cells = [
        cell
        for sheet in load_workbook(folder / "tabellen.xlsx").worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and FORMULA in cell.value
    ]
    assert cells
    for cell in cells:
        assert cell.value == FORMULA and cell.data_type == "s" and cell.quotePrefix


def test_data_folder_is_private_and_reports_follow_the_umask(edited):
    out = edited["out"]

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(out / "data") == 0o700
    assert mode(out / "activiteit-2025-001") == 0o755
    assert mode(out / "activiteit-2025-001" / "report.html") == 0o644
    assert mode(out / "index.html") == 0o644 and mode(out / "manifest.json") == 0o644


def test_a_failing_export_fails_only_its_report(edited, tmp_path, monkeypatch):
    data = edited["out"] / "data"
    jobs = plan_suite(data, 2025, only=["2025-001", "2025_001", "2025-004"])
    original = report.export_html

    def export(notebook, html_path, *args, **kwargs):
        if "2025_001" in kwargs.get("title", ""):
            raise OSError(f"schijf vol: {html_path}")
        return original(notebook, html_path, *args, **kwargs)

    def folder(out_root, report_id):
        if report_id == "activiteit-2025-004":
            raise OSError(36, "File name too long", str(out_root / ("x" * 300)))
        return original_folder(out_root, report_id)

    original_folder = report._work_folder
    monkeypatch.setattr(report, "export_html", export)
    monkeypatch.setattr(report, "_work_folder", folder)
    out = tmp_path / "uit"
    results = run_suite(jobs, out, formats=("html",), workers=1, progress=False)
    status = {r.report_id: r.ok for r in results}
    twin = jobs[1].report_id
    assert status == {"activiteit-2025-001": True, twin: False, "activiteit-2025-004": False}
    manifest = _manifest(out)
    assert {k: v["status"] for k, v in manifest["reports"].items()} == {
        "activiteit-2025-001": "ok", twin: "failed", "activiteit-2025-004": "failed"}  # fmt: skip
    errors = {k: v["error"] for k, v in manifest["reports"].items() if v["error"]}
    assert "de HTML maken mislukt" in errors[twin] and "schijf vol" in errors[twin]
    assert "de tijdelijke map maken mislukt" in errors["activiteit-2025-004"]
    assert str(out) not in json.dumps(manifest)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("laatste run mislukt") == 2
    assert (out / "activiteit-2025-001" / "report.html").exists()
    assert not (out / twin).exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary folders left"


def test_exports_stay_out_of_git():
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed: the .gitignore rules cannot be checked")
    inside = subprocess.run([git, "rev-parse", "--show-toplevel"], cwd=ROOT,
                            capture_output=True, text=True)  # fmt: skip
    if inside.returncode != 0 or Path(inside.stdout.strip()).resolve() != ROOT.resolve():
        pytest.skip("not a git checkout of the project: the .gitignore rules cannot be checked")

    def ignored(path: str) -> bool:
        done = subprocess.run([git, "check-ignore", "-q", "--no-index", path], cwd=ROOT)
        assert done.returncode in (0, 1), path
        return done.returncode == 0

    exports = ("surveys/raw/x.xlsx", "surveys/kopie-demo/2025/x.csv", "surveys/demo/x.csv",
               "surveys/x.xlsx", "reports/2025/data/x.parquet", ".secrets/key")  # fmt: skip
    for path in exports:
        assert ignored(path), path
    tracked = subprocess.run([git, "ls-files", "surveys"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()  # fmt: skip
    for path in (*tracked, "surveys/codebooks/leernoden-2025.yaml", "surveys/README.md"):
        assert not ignored(path), path
