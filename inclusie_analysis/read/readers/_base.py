"""What every platform module is made of: the check-all rule, the header rows it looks at and
the layout it returns, and the small text helpers for header cells.

A platform module (`readers/<platform>.py`) holds, as data and small functions:

- `NAME`, `LABEL`: the platform key and the name users read;
- `METADATA`: the lower-cased names of the platform's bookkeeping columns (dates, ids, ...);
- `CHECK_ALL`: a `CheckAllRule`, how the ticked options of a check-all question are stored;
- `GRID`: the pattern of a grid (matrix) item's header or question text, or None;
- `ORDER`: where detection tries the platform (lower first) — only for platforms recognised
  from their header rows;
- `detect(first)`: is this the platform, judged from the first header row (lower-cased);
- `layout(header)`: the header layout (rows, names, question texts, variant) once it is;
- optionally `recognise(header)`: a layout when the extra header rows alone make it sure
  (Qualtrics' ImportId row, SurveyMonkey's second row); tried before any `detect`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckAllRule:
    """How a platform stores the ticked options of a check-all question.

    `separator`: how the ticked options are joined in ONE cell (None: the platform does not
    do that). `columns`: the pattern of a family of per-option columns, with the named groups
    `stem` (the question) and `sub` (the option); None when the platform has no such family.
    """

    separator: str | None = None
    columns: re.Pattern | None = None


@dataclass
class Layout:
    """What the header rows say: platform, how many rows, column names and question texts."""

    platform: str
    header_rows: int
    names: list[str]
    questions: list[str | None]
    variant: str | None = None
    import_ids: list[str | None] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HeaderRows:
    """The first three rows of a table, as text, padded to one width; `low1`, `low2` are the
    first two lower-cased with blanks collapsed; `n_rows` counts the table's rows."""

    first: list[str]
    second: list[str]
    third: list[str]
    low1: list[str]
    low2: list[str]
    n_rows: int

    @classmethod
    def of(cls, rows: list[list]) -> HeaderRows:
        first = header(rows[0])
        second = header(rows[1]) if len(rows) > 1 else []
        third = header(rows[2]) if len(rows) > 2 else []
        width = max(len(first), len(second), len(third))
        first, second, third = pad(first, width), pad(second, width), pad(third, width)
        return cls(
            first, second, third, [norm(c) for c in first], [norm(c) for c in second], len(rows)
        )


def norm(value: object) -> str:
    """A header cell lower-cased, without BOM, blanks collapsed: how headers are compared."""
    return " ".join(text(value).replace("\ufeff", "").split()).lower()


def text(value: object) -> str:
    """A header cell as text (Excel may store a number or a date in a header)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def header(row: list) -> list[str]:
    return [text(c).replace("\ufeff", "").strip() for c in row]


def pad(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row))


def own_questions(names: list[str], lower: list[str], meta: frozenset[str]) -> list[str | None]:
    """For exports whose headers are the question texts: the header, except metadata columns."""
    return [n if n and low not in meta else None for n, low in zip(names, lower, strict=True)]


def one_header_row(platform: str, header: HeaderRows) -> Layout:
    """One header row whose cells are the column names, no question texts (yet)."""
    return Layout(platform, 1, header.first, [None] * len(header.first))
