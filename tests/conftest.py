"""Shared fixtures: the repository root, the verified reference tables in ../shared, and the
test run's pseudonym key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# Every `inclusie clean/report/run` needs a user key, also on the demo files (the public demo
# key is only for `run --demo`). The whole session gets this one, as a user sets it, through
# $INCLUSIE_PSEUDONYM_KEY (papermill kernels and subprocesses inherit it); a user's own key
# in the environment is put aside for the session. Tests of the key rules unset it.
TEST_KEY = "inclusie-analysis test key: synthetic data only, not secret"
_KEY_BEFORE: list[str | None] = []


def pytest_configure(config: pytest.Config) -> None:
    from inclusie_analysis.clean.privacy import ENV_KEY

    _KEY_BEFORE.append(os.environ.get(ENV_KEY))
    os.environ[ENV_KEY] = TEST_KEY


def pytest_unconfigure(config: pytest.Config) -> None:
    from inclusie_analysis.clean.privacy import ENV_KEY

    before = _KEY_BEFORE.pop() if _KEY_BEFORE else None
    if before is None:
        os.environ.pop(ENV_KEY, None)
    else:
        os.environ[ENV_KEY] = before


@pytest.fixture(scope="session")
def test_key() -> str:
    """The session's pseudonym key (what $INCLUSIE_PSEUDONYM_KEY holds during the tests)."""
    return TEST_KEY


@pytest.fixture(scope="session")
def shared_reference() -> Path:
    """The verified reference tables beside the repository; skipped, with the reason, without."""
    folder = SHARED / "reference"
    if not (folder / "municipalities.csv").exists():
        pytest.skip(f"../shared/reference is absent ({folder}); these checks run in CI")
    return folder


@pytest.fixture(scope="session")
def shared_samples() -> Path:
    folder = SHARED / "samples"
    if not folder.is_dir():
        pytest.skip(f"../shared/samples is absent ({folder}); these checks run in CI")
    return folder


# Parallel runs (pytest-xdist, `make test` uses `-n auto --dist loadgroup`): a worker builds a
# session or module fixture for itself, so the tests that share an expensive one go to the same
# worker. Every test that reads the session's demo suite (`run` of tests/demo) is one group, so
# the 62 reports are built once; each other module of the end-to-end layers (demo, scenarios,
# bad inputs, notebooks) is a group of its own, since its fixtures run the CLI. Unit tests are
# spread one by one.
END_TO_END = ("tests/demo/", "tests/scenarios/", "tests/bad_inputs/", "tests/test_notebooks.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(item.path).resolve().relative_to(ROOT).as_posix()
        if path.startswith("tests/demo/") and "run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo-suite"))
        elif path.startswith(END_TO_END):
            item.add_marker(pytest.mark.xdist_group(path))
