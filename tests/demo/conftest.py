"""One demo (seed 1) written once per test session, shared by the demo and end-to-end tests."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from inclusie_analysis.cli import main
from inclusie_analysis.demo import write_demo

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("demo-run") / "demo"
    return write_demo(out, seed=1)


@pytest.fixture(scope="session")
def truth(demo) -> dict[str, pd.DataFrame]:
    """The ground-truth tables, codes kept as text."""
    tables = {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in demo.truth.glob("*.csv")
    }
    tables["rates"] = json.loads((demo.truth / "rates.json").read_text(encoding="utf-8"))["rates"]
    return tables


def write_settings(
    folder: Path, raw: Path, areas: tuple[str, ...] | None = ("provincie",), **paths: Path | str
) -> Path:
    """A settings file that keeps a run's reports in `folder`. The yearly reports are made
    per province only (`areas`), unless a test asks for more: the session's `run` builds the
    whole default suite with the referentieregio's once (None: the settings' default)."""
    lines = [
        "[paths]",
        f'raw = "{raw.as_posix()}"',
        f'codebooks = "{(ROOT / "surveys" / "codebooks").as_posix()}"',
        f'reports = "{(folder / "reports").as_posix()}"',
        *(f'{key} = "{Path(value).as_posix() if isinstance(value, Path) else value}"'
          for key, value in paths.items()),
    ]  # fmt: skip
    if areas is not None:
        lines += ["[report]", f"areas = {json.dumps(list(areas))}"]
    settings = folder / "inclusie.toml"
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return settings


@pytest.fixture(scope="session")
def make_settings():
    """`make_settings(folder, raw, notebooks=...)` writes a settings file for a test run."""
    return write_settings


@pytest.fixture(scope="session")
def run(demo, tmp_path_factory):
    """The whole 2025 suite on the demo, once, as `make report` (`inclusie run --demo`) makes
    it: with the public demo key, which only `run --demo` on the unchanged demo may use (two
    at a time). The backtest's figures depend on the demo key's pseudonyms."""
    folder = tmp_path_factory.mktemp("run")
    settings = write_settings(folder, demo.out, areas=None)
    code = main(["--settings", str(settings), "run", "--demo", "--input", str(demo.out),
                 "--year", "2025", "--no-progress", "--jobs", "2"])  # fmt: skip
    return code, folder / "reports" / "2025"
