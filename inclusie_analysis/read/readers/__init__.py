"""Read survey and register exports into a raw table, and say what was found out about the file.

`read_export(path)` reads a CSV, Excel or SPSS file into a `RawExport`: the table as typed,
the platform, the header rows, encoding, delimiter or sheet, and notes in Dutch for the user.

One module per platform says how its export looks (see ../shared/samples/FORMATS.md):
`qualtrics`, `limesurvey`, `msforms`, `googleforms`, `surveymonkey`, `spss`, `kobo`, and
`plain` for a table no platform made. Each holds how the platform is recognised from the first
header row(s), its header layout, its metadata columns, its check-all rule (`CHECK_ALL`) and
the decoration of grid items (`GRID`); `_base.py` describes that interface. A new platform is
one new module here plus its fixtures. The shared machinery is in the modules starting with
"_": `_files.py` (the entry point and turning rows into the table), `_text.py` (decoding and
delimiters), `_excel.py`, `_spss.py`; `inclusie inspect`'s summary in `_describe.py`.
"""

from __future__ import annotations

import re

from inclusie_analysis.read.readers._base import CheckAllRule
from inclusie_analysis.read.readers._describe import describe_export
from inclusie_analysis.read.readers._files import (
    EXCEL_SUFFIXES,
    SPSS_SUFFIXES,
    TEXT_SUFFIXES,
    RawExport,
    read_export,
)
from inclusie_analysis.read.readers._registry import PLATFORMS, detect_platform
from inclusie_analysis.read.readers._text import DELIMITERS, ENCODINGS

PLATFORM_NAMES: dict[str, str] = {name: module.LABEL for name, module in PLATFORMS.items()}

__all__ = [
    "DELIMITERS",
    "ENCODINGS",
    "EXCEL_SUFFIXES",
    "PLATFORMS",
    "PLATFORM_NAMES",
    "SPSS_SUFFIXES",
    "TEXT_SUFFIXES",
    "CheckAllRule",
    "RawExport",
    "check_all_rule",
    "describe_export",
    "detect_platform",
    "grid_pattern",
    "metadata_columns",
    "read_export",
]


def _platform(platform: str):
    try:
        return PLATFORMS[platform]
    except KeyError:
        raise KeyError(
            f"unknown platform {platform!r} (known: {', '.join(sorted(PLATFORMS))})"
        ) from None


def check_all_rule(platform: str) -> CheckAllRule:
    """How `platform` stores a check-all question: the separator of ticked options in one cell,
    and the pattern (groups `stem`, `sub`) of a family of per-option columns."""
    return _platform(platform).CHECK_ALL


def grid_pattern(platform: str) -> re.Pattern | None:
    """The pattern (groups `stem`, `item`) of a grid item's header, or of its question text
    where the platform keeps that apart (Qualtrics row 2); None when items are not decorated."""
    return _platform(platform).GRID


def metadata_columns(platform: str) -> frozenset[str]:
    """The lower-cased names of `platform`'s bookkeeping columns (dates, ids, ...)."""
    return _platform(platform).METADATA
