"""Microsoft Forms: one header row, `Id, Start time, Completion time, Email, Name`, then one
column per question headed by its text (older exports: `ID`; quizzes add `Total points, Quiz
feedback` and per question `Points - <q>`, `Feedback - <q>`; `Last modified time` when answers
can be edited). A check-all answer is ONE cell, the ticked options joined with ';' and ending
in one (`Optie 1;Optie 3;`). A Likert row is its own column headed by the statement alone.
"""

from __future__ import annotations

from inclusie_analysis.read.readers._base import (
    CheckAllRule,
    HeaderRows,
    Layout,
    one_header_row,
    own_questions,
)

NAME = "msforms"
LABEL = "Microsoft Forms"
ORDER = 10
METADATA = frozenset(
    {
        "id",
        "start time",
        "completion time",
        "email",
        "name",
        "total points",
        "quiz feedback",
        "last modified time",
    }
)
CHECK_ALL = CheckAllRule(separator=";", columns=None)
GRID = None  # a Likert statement is headed by the statement only

_START = ("id", "start time", "completion time")
_QUIZ_COLUMNS = ("points - ", "feedback - ")


def detect(first: list[str]) -> bool:
    return tuple(first[:3]) == _START


def layout(header: HeaderRows) -> Layout:
    out = one_header_row(NAME, header)
    low1 = header.low1
    out.variant = (
        "quiz"
        if "total points" in low1
        else ("met laatste wijziging" if "last modified time" in low1 else None)
    )
    out.questions = [
        None if low.startswith(_QUIZ_COLUMNS) else q
        for q, low in zip(own_questions(header.first, low1, METADATA), low1, strict=True)
    ]
    return out
