"""SPSS (.sav, .zsav): recognised by the file's signature (`$FL2`, `$FL3` for zlib), not by a
header row. Variable names are the column names, variable labels the question texts, value
labels map the codes. A check-all question is a dichotomy set of 0/1 variables `Q5_1, Q5_2`
(or `Q5$1`); the multiple-response set itself is not read, so the family is found by name.
"""

from __future__ import annotations

import re

from inclusie_analysis.read.readers._base import CheckAllRule

NAME = "spss"
LABEL = "SPSS"
METADATA: frozenset[str] = frozenset()  # whatever the tool that wrote the file put first
CHECK_ALL = CheckAllRule(
    separator=None,
    columns=re.compile(r"^(?P<stem>[A-Za-z@][A-Za-z0-9@#_.$]*?)[_$](?P<sub>\d+)$"),
)
GRID = None  # a matrix row is a variable; its label is the row's text alone
