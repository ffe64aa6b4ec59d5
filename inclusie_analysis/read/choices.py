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


class ChoiceSplitter:
    """Splits the cells of one check-all question: the known options are indexed once, so a
    column of thousands of cells costs one pass over each cell."""

    def __init__(self, separator: str, options: Iterable[str]):
        self.separator = separator
        self.mark = separator.strip() or separator
        self.known: dict[str, str] = {}
        for option in options:
            self.known.setdefault(option_key(option), str(option))
        self.longest = max((k.count(self.mark) + 1 for k in self.known), default=1)

    def split(self, cell: object) -> SplitCell:
        """The options of one cell, each once, the repeats, and the leftover texts."""
        parts = split_parts(str(cell), self.separator)
        joiner = self.mark + " "
        found: list[str] = []
        repeated: list[str] = []
        others: list[tuple[int, str]] = []
        pending: list[tuple[int, str]] = []  # unmatched parts in a row form one "other" text
        i = 0
        while i < len(parts):
            hit = None
            for size in range(min(self.longest, len(parts) - i), 0, -1):
                option = self.known.get(option_key(joiner.join(parts[i : i + size])))
                if option is not None:
                    hit = (option, size)
                    break
            if hit is None:
                pending.append((i + 1, parts[i]))
                i += 1
                continue
            if pending:
                others.append((pending[0][0], joiner.join(p for _, p in pending)))
                pending = []
            option, size = hit
            if option not in found:
                found.append(option)
            elif option not in repeated:
                repeated.append(option)
            i += size
        if pending:
            others.append((pending[0][0], joiner.join(p for _, p in pending)))
        return SplitCell(found, repeated, others)


def split_cell(cell: object, separator: str, options: Iterable[str]) -> SplitCell:
    """Split a joined check-all cell by the known `options` (codes or labels, any case).

    >>> split_cell("Regierol, Toegang (toestellen, internet), Regierol, iets anders", ", ",
    ...            ["Regierol", "Toegang (toestellen, internet)"])
    SplitCell(options=['Regierol', 'Toegang (toestellen, internet)'], repeated=['Regierol'], \
others=[(4, 'iets anders')])
    """
    return ChoiceSplitter(separator, options).split(cell)
