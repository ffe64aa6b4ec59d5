"""One demo (seed 1) written once per test session, shared by the demo and end-to-end tests."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from inclusie_analysis.demo import write_demo


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
