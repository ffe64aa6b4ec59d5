"""SurveyMonkey: two header rows. Row 1 holds the metadata names (`Respondent ID, Collector ID,
Start Date, ...`) and each question's text above the first column of its block only; row 2 is
empty under the metadata and holds `Response` / `Open-Ended Response`, or the option, matrix
row or field label of each column of the block. The reader joins them into one column name,
"<question> - <option>", so a check-all question is a family of such columns (cell = the option
text when ticked), and so is a matrix.
"""

from __future__ import annotations

import re

from inclusie_analysis.read.readers._base import CheckAllRule, HeaderRows, Layout

NAME = "surveymonkey"
LABEL = "SurveyMonkey"
ORDER = 50
METADATA = frozenset(
    {
        "respondent id",
        "collector id",
        "start date",
        "end date",
        "ip address",
        "email address",
        "first name",
        "last name",
        "custom data",
        "custom data 1",
    }
)
# The column names made by `layout`: "<question> - <option>", split at the first " - ": a dash
# in an option label then still leaves every column of the question with the same stem.
_DASH = re.compile(r"^(?P<stem>.+?) - (?P<sub>.+)$")
CHECK_ALL = CheckAllRule(separator=None, columns=_DASH)
GRID = re.compile(_DASH.pattern.replace("?P<sub>", "?P<item>"))

_START = ("respondent id", "collector id")
# Row-2 labels that only say "the answer" (the column is named after the question alone).
_ANSWER = frozenset({"response", "open-ended response"})


def detect(first: list[str]) -> bool:
    return tuple(first[:2]) == _START


def recognise(header: HeaderRows) -> Layout | None:
    if detect(header.low1) or _without_metadata(header):
        return layout(header)
    return None


def layout(header: HeaderRows) -> Layout:
    first, second, low1, low2 = header.first, header.second, header.low1, header.low2
    # Row 2 is a header row when it is blank under "Respondent ID" (data rows have an id there).
    two = header.n_rows > 1 and (not second[0] or low1[0] != "respondent id")
    if not two:
        questions = [
            c if c and low not in METADATA else None for c, low in zip(first, low1, strict=True)
        ]
        notes = (
            ["SurveyMonkey-export zonder tweede kopregel: 1 kopregel gelezen."]
            if header.n_rows > 1
            else []
        )
        return Layout(NAME, 1, first, questions, "1 kopregel", notes=notes)
    names: list[str] = []
    questions: list[str | None] = []
    current = ""
    for top, sub, low_top, low_sub in zip(first, second, low1, low2, strict=True):
        if top:
            current = top
        if not sub:
            names.append(top)
            questions.append(top if top and low_top not in METADATA else None)
        elif low_sub in _ANSWER:
            names.append(current)
            questions.append(current or None)
        else:
            names.append(f"{current} - {sub}" if current else sub)
            questions.append(current or None)
    return Layout(NAME, 2, names, questions)


def _without_metadata(header: HeaderRows) -> bool:
    # Metadata columns left out of the export: still "Response"/"Open-Ended Response" in row 2
    # under a row 1 that has the question text only above the first column of each block.
    first, low2 = header.first, header.low2
    answers = [c for c in low2 if c in _ANSWER]
    if not answers or not first or not first[0]:
        return False
    filled = [c for c in low2 if c]
    return len(answers) == len(filled) or any(not c for c in first[1:])
