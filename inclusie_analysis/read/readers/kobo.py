"""KoboToolbox: one header row, `start, end` (optionally `today, deviceid, username`), the
questions by XML name with their group path (`groep/vraag`), then `_id, _uuid,
_submission_time, _validation_status, ..., _index`; the CSV is ';'-separated. A select_multiple
question is a summary column with the chosen XML values joined by a space (`workshop webinar`)
plus detail columns `vraag/optie` holding 1/0. Repeat groups are extra sheets linked by
`_index` / `_parent_index`.
"""

from __future__ import annotations

import re

from inclusie_analysis.read.readers._base import CheckAllRule, HeaderRows, Layout, one_header_row

NAME = "kobo"
LABEL = "KoboToolbox"
ORDER = 60
METADATA = frozenset(
    {
        "start", "end", "today", "deviceid", "username",
        "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
        "_submitted_by", "__version__", "_tags", "_index",
        # repeat-group sheets
        "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid",
        "_submission__submission_time",
    }
)  # fmt: skip
# Detail columns `vraag/optie` (inside a group `groep/vraag/optie`: stem `groep/vraag`). A
# plain question inside a group (`groep/vraag`) matches too: its cells are no 1/0 ticks.
CHECK_ALL = CheckAllRule(
    separator=" ",
    columns=re.compile(r"^(?P<stem>[^/\s]+(?:/[^/\s]+)*)/(?P<sub>[^/\s]+)$"),
)
GRID = None  # a Kobo matrix is a group of questions (`groep/vraag`), not a header decoration

_SUBMISSION = frozenset({"_uuid", "_submission_time"})
_REPEAT = frozenset({"_index", "_parent_index"})


def detect(first: list[str]) -> bool:
    names = set(first)
    return (
        names >= _SUBMISSION
        or (tuple(first[:2]) == ("start", "end") and "_id" in names)
        or names >= _REPEAT
    )


def layout(header: HeaderRows) -> Layout:
    out = one_header_row(NAME, header)
    if set(header.low1) >= _REPEAT:
        out.variant = "herhaalgroep"
    return out
