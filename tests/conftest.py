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


# Parallel runs (pytest-xdist, `make test` uses `-n auto`): a worker builds a session or module
# fixture for itself, so the tests that share an expensive one must go to the same worker. Every
# module that reads the session's demo suite (the fixture `run` of tests/demo) is one group, so
# its 62 reports are built once; each other module of the end-to-end layers (demo, scenarios,
# bad inputs, notebooks) is a group of its own, since its fixtures run the CLI; unit tests go
# one by one. (xdist's own `--dist loadgroup` does not group under pytest 9.2: it renames
# `item._nodeid`, which pytest no longer reads, so the groups are given to its scope scheduler.)
END_TO_END = ("tests/demo/", "tests/scenarios/", "tests/bad_inputs/", "tests/test_notebooks.py")


def _uses_the_demo_suite(path: Path) -> bool:
    """A module with a test or fixture that takes the session's `run`."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.FunctionDef) and any(a.arg == "run" for a in node.args.args)
        for node in ast.walk(tree)
    )


DEMO_SUITE = frozenset(
    p.relative_to(ROOT).as_posix()
    for p in (ROOT / "tests" / "demo").glob("test_*.py")
    if _uses_the_demo_suite(p)
)


def worker_group(nodeid: str) -> str:
    """The unit of tests one worker runs together."""
    path = nodeid.split("::")[0]
    if path in DEMO_SUITE:
        return "demo-suite"
    return path if path.startswith(END_TO_END) else nodeid


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    return ByGroup(config, log)
