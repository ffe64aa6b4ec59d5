"""Google Forms: one header row, `Timestamp` (`Tijdstempel` in Dutch), optionally `Email
Address` and `Score`, then one column per question headed by its text. A checkbox answer is
ONE cell, the ticked options joined with ", " in the linked Sheet's CSV and .xlsx (the form's
own "Download responses (.csv)" joins them with ';', no space). A grid question has one column
per row, headed "<question> [<row>]".
"""

from __future__ import annotations

import re

from inclusie_analysis.read.readers._base import (
    CheckAllRule,
    HeaderRows,
    Layout,
    one_header_row,
    own_questions,
)

NAME = "googleforms"
LABEL = "Google Forms"
ORDER = 30
METADATA = frozenset({"timestamp", "tijdstempel", "email address", "e-mailadres", "score"})
CHECK_ALL = CheckAllRule(separator=", ", columns=None)
GRID = re.compile(r"^(?P<stem>.+?)\s*\[(?P<item>[^\[\]]+)\]$")

_FIRST = frozenset({"timestamp", "tijdstempel"})


def detect(first: list[str]) -> bool:
    return bool(first) and first[0] in _FIRST


def layout(header: HeaderRows) -> Layout:
    out = one_header_row(NAME, header)
    out.variant = "quiz" if "score" in header.low1 else None
    out.questions = own_questions(header.first, header.low1, METADATA)
    return out
