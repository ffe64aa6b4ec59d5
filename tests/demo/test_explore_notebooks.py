"""The researchers' notebooks run top to bottom on the demo data."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusie_analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks" / "explore").glob("*.ipynb"))


@pytest.fixture(scope="module")
def data_dir(demo, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("explore")
    settings = folder / "inclusie.toml"
    settings.write_text(
        f'[paths]\nraw = "{demo.out.as_posix()}"\n'
        f'codebooks = "{(ROOT / "surveys" / "codebooks").as_posix()}"\n'
        f'reports = "{(folder / "reports").as_posix()}"\n',
        encoding="utf-8",
    )
    assert main(["--settings", str(settings), "clean", "--year", "2025"]) == 0
    return folder / "reports" / "2025" / "data"


def test_there_are_three_explore_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_explore_notebook_runs_on_the_demo(notebook, data_dir, tmp_path):
    import papermill

    executed = tmp_path / notebook.name
    papermill.execute_notebook(
        str(notebook),
        str(executed),
        parameters={"data_dir": str(data_dir)},
        kernel_name="python3",
        cwd=str(notebook.parent),
        progress_bar=False,
    )
    text = executed.read_text(encoding="utf-8")
    assert '"output_type": "error"' not in text
    assert "image/png" in text or notebook.stem.startswith("03")
