"""The one exception type for user mistakes: it says where the problem is and what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class InputError(Exception):
    """A problem in something the user gave us (a file, a cell, a setting).

    Rows are numbered as the user sees them in a spreadsheet (header rows counted). The CLI
    prints `str(error)` without a traceback and exits with code 2.
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    hint: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.sheet:
            where.append(f"blad '{self.sheet}'")
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None:
            text += f" (waarde: {self.value!r})"
        if self.hint:
            text += f" {self.hint}"
        return text
