"""Shared fixtures: the repository root and the verified reference tables in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


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
