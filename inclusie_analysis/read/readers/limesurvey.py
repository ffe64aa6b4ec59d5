"""LimeSurvey: one header row, either question codes (`id, submitdate, lastpage, startlanguage,
..., Q5[SQ001], Q5[other]`; the API's CSV is ';'-separated with a BOM) or full question texts
(`Response ID, Date submitted, Last page, Start language, ..., <question> [<sub-question>]`,
the "R (data file)" export). A check-all question has one column per option, `Q5[SQ001]` or
"<question> [<option>]", holding Y/1 or empty; a matrix row looks the same.
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

NAME = "limesurvey"
LABEL = "LimeSurvey"
ORDER = 20
_CODES = ("id", "submitdate", "lastpage", "startlanguage")
_TEXT = ("response id", "date submitted", "last page", "start language")
METADATA = frozenset(
    {
        *_CODES, "seed", "startdate", "datestamp", "ipaddr", "refurl", "token",
        *_TEXT, "date started", "date last action", "ip address", "referrer url",
    }
)  # fmt: skip
# `Q5[SQ001]`, `Q5[other]`, "<question> [<option>]" (dual scale `Q4[SQ001][1]`: stem `Q4[SQ001]`).
_BRACKET = re.compile(r"^(?P<stem>.+?)\s*\[(?P<sub>[^\[\]]+)\]$")
CHECK_ALL = CheckAllRule(separator=None, columns=_BRACKET)
GRID = re.compile(_BRACKET.pattern.replace("?P<sub>", "?P<item>"))


def detect(first: list[str]) -> bool:
    return tuple(first[:4]) in (_CODES, _TEXT)


def layout(header: HeaderRows) -> Layout:
    out = one_header_row(NAME, header)
    full = tuple(header.low1[:4]) == _TEXT
    out.variant = "volledige vraagtekst" if full else "vraagcodes"
    if full:
        out.questions = own_questions(header.first, header.low1, METADATA)
    return out
