"""Qualtrics: export tags in row 1 (`StartDate, ..., ResponseId, Q1, Q3_1, Q3_2, ...`), question
texts in row 2 ("<question> - <row>" for a matrix row) and a JSON ImportId per column in row 3
(`{"ImportId":"QID3_1"}`; a single-quoted Python dict in the 2016-2017 exporter). The legacy
exporter has 2 header rows, `V1, V2, ...` over `ResponseID, ResponseSet, ...`. A check-all
question is split into one column per option, `Q3_1, Q3_2, ...` (1 or empty), its "other"
text in `Q3_4_TEXT`. Rows 2 and 3 are sometimes deleted by hand.
"""

from __future__ import annotations

import ast
import json
import re

from inclusie_analysis.read.readers._base import CheckAllRule, HeaderRows, Layout, one_header_row

NAME = "qualtrics"
LABEL = "Qualtrics"
ORDER = 40
METADATA = frozenset(
    {
        # current exporter (row 1)
        "startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)",
        "finished", "recordeddate", "responseid", "recipientlastname", "recipientfirstname",
        "recipientemail", "externalreference", "locationlatitude", "locationlongitude",
        "distributionchannel", "userlanguage",
        # legacy exporter (row 2) and the 2016-2017 exporter
        "responseset", "name", "externaldatareference", "emailaddress", "locationaccuracy",
    }
)  # fmt: skip
# `Q3_1`, `Q3_2`, ... and the "other" text `Q3_4_TEXT`; a matrix of check-all rows
# `Q2_<row>_<col>` gives one family per row (stem `Q2_1`).
CHECK_ALL = CheckAllRule(
    separator=None,
    columns=re.compile(r"^(?P<stem>[A-Za-z][A-Za-z0-9_.]*?)_(?P<sub>\d+)(?P<text>_TEXT)?$"),
)
# Matched against the question text of row 2 (the column names are `Q5_1, Q5_2, ...`); split
# at the first " - ", so "<question> - Andere - Tekst" (an "other" text) keeps its question. The
# legacy exporter joins with "-" without spaces, too ambiguous to match ("e-mail").
GRID = re.compile(r"^(?P<stem>.+?) - (?P<item>.+)$")

_NAMES = frozenset({"startdate", "enddate", "responseid"})
_LEGACY = (("v1", "v2"), ("responseid", "responseset"))
_RESPONSE_ID = re.compile(r"^R_[0-9A-Za-z]{5,}$")
_IMPORT_ID = re.compile(r"""^\{\s*["']ImportId["']\s*:""")


def detect(first: list[str]) -> bool:
    return set(first) >= _NAMES or tuple(first[:2]) == _LEGACY[1]


def recognise(header: HeaderRows) -> Layout | None:
    """Row 3 of ImportIds (current and 2016-2017 exporters), or the legacy `V1, V2` header."""
    questions = [q or None for q in header.second]
    import_ids = _import_ids(header.third)
    if import_ids is not None:
        old = any(c.startswith("{'") for c in header.third)
        variant = "2016-2017" if old else "huidig"
        return Layout(NAME, 3, header.first, questions, variant, import_ids)
    if (tuple(header.low1[:2]), tuple(header.low2[:2])) == _LEGACY:
        return Layout(NAME, 2, header.first, questions, "oud")
    return None


def layout(header: HeaderRows) -> Layout:
    """Rows 2 and 3 deleted by hand, or only row 3: row 2 is a header row when its ResponseId
    cell is not a response id (R_...)."""
    out = one_header_row(NAME, header)
    out.variant = "zonder ImportId-rij"
    low1, second = header.low1, header.second
    at = low1.index("responseid") if "responseid" in low1 else None
    if at is not None and header.n_rows > 1 and not _RESPONSE_ID.match(second[at]):
        out.header_rows = 2
        out.questions = [q or None for q in second]
    out.notes.append(
        f"Qualtrics-export zonder de rij met ImportId's: {out.header_rows} kopregel(s) gelezen."
    )
    return out


def _import_ids(row: list[str]) -> list[str | None] | None:
    cells = [c for c in row if c]
    if not cells or sum(bool(_IMPORT_ID.match(c)) for c in cells) < 0.8 * len(cells):
        return None
    ids: list[str | None] = []
    for cell in row:
        value = None
        if _IMPORT_ID.match(cell):
            try:
                parsed = json.loads(cell)
            except ValueError:
                try:
                    parsed = ast.literal_eval(cell)
                except (ValueError, SyntaxError):
                    parsed = None
            if isinstance(parsed, dict) and parsed.get("ImportId") is not None:
                value = str(parsed["ImportId"])
        ids.append(value)
    return ids
