"""Every kind of broken input in the catalogue, run through `inclusie clean` on a copy of the
demo: a clear message (file, and row and column for a value; what to do), no traceback,
every row accounted for, and every other file still cleaned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from catalogue import CASES, Case

from inclusie_analysis.cli import main
from inclusie_analysis.demo import write_demo

ROOT = Path(__file__).resolve().parents[2]


def _clean(raw: Path, folder: Path) -> int:
    settings = folder / "inclusie.toml"
    settings.write_text(
        f'[paths]\nraw = "{raw.as_posix()}"\n'
        f'codebooks = "{(ROOT / "surveys" / "codebooks").as_posix()}"\n'
        f'reports = "{(folder / "reports").as_posix()}"\n',
        encoding="utf-8",
    )
    return main(["--settings", str(settings), "clean"])


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("bad-inputs") / "demo", seed=1).out


@pytest.fixture(scope="module")
def intact(pristine, tmp_path_factory) -> pd.DataFrame:
    """The files table of the intact demo: what each file gives when nothing is broken."""
    folder = tmp_path_factory.mktemp("intact")
    assert _clean(pristine, folder) == 0
    files = pd.read_parquet(folder / "reports" / "2025" / "data" / "files.parquet")
    return files.groupby("file")[["kept", "rejected"]].sum()


def test_the_catalogue_has_at_least_25_kinds():
    assert len({case.kind for case in CASES}) >= 25


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_bad_input(case: Case, pristine: Path, intact: pd.DataFrame, tmp_path: Path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(pristine, raw)
    case.mutate(raw)
    code = _clean(raw, tmp_path)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    data = tmp_path / "reports" / "2025" / "data"
    files = pd.read_parquet(data / "files.parquet")
    # every row of every file is kept, merged or rejected
    assert (files["rows_in"] == files[["kept", "merged", "rejected"]].sum(axis=1)).all()
    stem = Path(case.target).name.split(".")[0]
    mine = files[files["file"].str.startswith(stem)]
    others = files.drop(mine.index)
    # the other files were cleaned (a broken register also breaks the attendance lists that
    # point to its activities: they say so)
    for row in others.loc[others["status"] != "ok"].itertuples():
        assert "register" in row.error, row.error
    assert (others["status"] == "ok").sum() >= len(others) - 20
    assert len(pd.read_parquet(data / "respondents.parquet")) > 100
    if case.file_fails:
        assert code == 1
        assert len(mine) and (mine["status"] != "ok").all(), mine
        line = next(line for line in err.splitlines() if stem in line)
        assert line.startswith("Let op:") and str(raw) in line, "the message names the file"
        for word in case.words:
            assert word in line.lower(), line
        return
    assert code == 0, err
    assert len(mine) and (mine["status"] == "ok").all(), mine[["file", "error"]]
    if case.column is None:  # nothing flagged: the file came through whole
        name = mine["file"].iloc[0]
        kept = intact.at[name, "kept"] if case.kept is None else case.kept
        assert int(mine["kept"].sum()) == kept
        rejected = intact.at[name, "rejected"] + case.extra_rejected
        assert int(mine["rejected"].sum()) == rejected
        return
    fixes = pd.read_parquet(data / "fixes.parquet")
    fixes = fixes[fixes["file"].str.startswith(stem)]
    where = fixes["variable"].fillna("").str.lower().eq(case.column) | fixes["column"].fillna(
        ""
    ).str.lower().str.startswith(case.column)
    if case.row is None:  # a whole column: every row flagged for it
        text = (fixes["message"].fillna("") + " " + fixes["advice"].fillna("")).str.lower()
        for word in case.words:
            assert (where & text.str.contains(word)).sum() >= 100, fixes["action"].value_counts()
        return
    flagged = fixes[where & (fixes["row"].astype(int) == case.row)]
    assert len(flagged) == 1, fixes[["row", "column", "variable", "action"]].tail(10)
    text = f"{flagged['message'].iloc[0]} {flagged['advice'].iloc[0]}".lower()
    for word in case.words:
        assert word in text, text
