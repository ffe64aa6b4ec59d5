"""A plain table: no survey platform recognised (a register kept by hand, a re-typed export).
One header row of column names; nothing is known about metadata, check-all questions or grids,
so the codebook names each column itself.
"""

from __future__ import annotations

from inclusie_analysis.read.readers._base import CheckAllRule, HeaderRows, Layout, one_header_row

NAME = "plain"
LABEL = "gewone tabel (geen enquêteplatform herkend)"
METADATA: frozenset[str] = frozenset()
CHECK_ALL = CheckAllRule(separator=None, columns=None)
GRID = None


def layout(header: HeaderRows) -> Layout:
    return one_header_row(NAME, header)
