"""The platform registry: every public module of this package is a platform.

Supporting a new platform is adding `readers/<platform>.py` with the interface described in
`_base.py` (and its fixtures); nothing needs to be registered by hand. Shared machinery lives
in the modules whose names start with '_'.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from inclusie_analysis.read.readers._base import HeaderRows, Layout

FALLBACK = "plain"


def _discover() -> dict[str, ModuleType]:
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        found[module.NAME] = module
    return found


PLATFORMS: dict[str, ModuleType] = _discover()
# Platforms recognised from their header rows, in the order detection tries them.
DETECTED: list[ModuleType] = sorted(
    (m for m in PLATFORMS.values() if hasattr(m, "detect")), key=lambda m: m.ORDER
)


def detect_platform(columns: list[str]) -> str:
    """Name the survey platform from the first header row (each export format's fixed names).

    Formats that need more than one row to be sure (Qualtrics' ImportId row, SurveyMonkey's
    second header row, the legacy Qualtrics `V1, V2, ...` header) are recognised by
    `read_export`, which sees the first rows.
    """
    lower = HeaderRows.of([list(columns)]).low1
    return next((m.NAME for m in DETECTED if m.detect(lower)), FALLBACK)


def header_layout(rows: list[list]) -> Layout:
    """Platform, number of header rows, column names and question texts from the first rows."""
    header = HeaderRows.of(rows)
    for module in DETECTED:
        recognise = getattr(module, "recognise", None)
        layout = recognise(header) if recognise else None
        if layout is not None:
            return layout
    platform = next((m for m in DETECTED if m.detect(header.low1)), PLATFORMS[FALLBACK])
    return platform.layout(header)
