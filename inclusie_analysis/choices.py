"""Split a check-all answer cell into the options ticked, as the platforms join them.

Microsoft Forms joins ticked options with ';', a Google Forms sheet with ', ', and an option
may itself contain the separator ("Toegang (toestellen, internet, computerruimtes)"). A plain
`str.split` cuts such an option in pieces. Here a cell is cut only at separators outside
brackets, and neighbouring pieces are joined again wherever they make a known option (longest
first). An option ticked twice counts once; what is left is the respondent's own "other" text,
with its position in the cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_OPEN, _CLOSE = "([{", ")]}"


@dataclass(frozen=True)
class SplitCell:
    """What one check-all cell holds: known options (each once, in cell order), the options
    that were ticked more than once, and the leftover texts with their 1-based position
    among the cell's parts."""

    options: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    others: list[tuple[int, str]] = field(default_factory=list)


def option_key(text: object) -> str:
    """An option as compared: case, repeated spaces and spaces around ',' or ';' ignored."""
    text = " ".join(str(text).split()).casefold()
    return re.sub(r"\s*([,;])\s*", r"\1", text).strip(" ,;")


def split_parts(cell: str, separator: str) -> list[str]:
    """The cell cut at `separator` (its ',' or ';') outside brackets, parts stripped, empty
    parts (a trailing ';') left out."""
    mark = separator.strip() or separator
    parts, depth, current = [], 0, []
    for char in str(cell):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        if char == mark and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def split_cell(cell: object, separator: str, options: Iterable[str]) -> SplitCell:
    """Split a joined check-all cell by the known `options` (codes or labels, any case).

    >>> split_cell("Regierol, Toegang (toestellen, internet), Regierol, iets anders", ", ",
    ...            ["Regierol", "Toegang (toestellen, internet)"])
    SplitCell(options=['Regierol', 'Toegang (toestellen, internet)'], repeated=['Regierol'], \
others=[(4, 'iets anders')])
    """
    known: dict[str, str] = {}
    for option in options:
        known.setdefault(option_key(option), str(option))
    parts = split_parts(str(cell), separator)
    mark = (separator.strip() or separator) + " "
    longest = max((k.count(separator.strip() or separator) + 1 for k in known), default=1)
    found: list[str] = []
    repeated: list[str] = []
    others: list[tuple[int, str]] = []
    pending: list[tuple[int, str]] = []  # unmatched parts in a row form one "other" text
    i = 0
    while i < len(parts):
        hit = None
        for size in range(min(longest, len(parts) - i), 0, -1):
            key = option_key(mark.join(parts[i : i + size]))
            if key in known:
                hit = (known[key], size)
                break
        if hit is None:
            pending.append((i + 1, parts[i]))
            i += 1
            continue
        if pending:
            others.append((pending[0][0], mark.join(p for _, p in pending)))
            pending = []
        option, size = hit
        if option in found:
            if option not in repeated:
                repeated.append(option)
        else:
            found.append(option)
        i += size
    if pending:
        others.append((pending[0][0], mark.join(p for _, p in pending)))
    return SplitCell(found, repeated, others)
