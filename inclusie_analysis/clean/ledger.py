"""The ledger: where every raw row went, and every value that was changed on the way.

Every data row of every input file ends in exactly one place: kept (a row of a cleaned
frame), merged (a repeated submission, pointing at the row that was kept) or rejected (with a
reason code and a Dutch message). `rows_in == kept + merged + rejected` is checked per file.
Field-level events (a municipality recognised from a postcode, an e-mail address removed
from an open answer, an unknown answer option) are kept as `fixes`, each with what a member
of staff can do about it.

The data-quality report quotes these values, so they are de-identified when recorded: a
value of a column that is personal by nature (a name, e-mail or phone column) is replaced by
where it stands ("rij 12, kolom E-mail"); any other quoted value and a file's error go
through `privacy.scrub`, like every open answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

KEPT, MERGED, REJECTED = "kept", "merged", "rejected"
# Fields whose values are personal by nature: a fix on them quotes the cell's place, not its
# value (the survey codebooks' pii_drop variables and the attendance lists' person columns).
PERSONAL_FIELDS = frozenset(
    {"email", "name", "first_name", "last_name", "contact_email", "phone", "telephone"}
)

REASONS = {
    "blank": "Lege rij: geen enkel antwoord.",
    "no_answers": "Begonnen maar geen enkele vraag beantwoord.",
    "duplicate": "Dubbele inzending: samengevoegd met een latere of volledigere inzending.",
    "total_row": "Rij met totalen, geen activiteit.",
    "unreadable": "De rij kon niet gelezen worden.",
}
ROW_COLUMNS = ["file", "sheet", "row", "status", "reason", "message", "kept_row", "record_id"]
FIX_COLUMNS = [
    "file",
    "sheet",
    "row",
    "column",
    "variable",
    "value",
    "result",
    "action",
    "message",
    "advice",
]
FILE_COLUMNS = [
    "file", "sheet", "kind", "platform", "rows_in", "kept", "merged", "rejected", "status", "error",
]  # fmt: skip


# Fixes about how a file was read, not about its rows: they stay when cleaning the file fails.
READ_ACTIONS = frozenset({"sheet_chosen"})
SHEET_ADVICE = (
    "Is dit niet het juiste blad, zet het blad met de antwoorden dan vooraan in het bestand. "
    "Elk blad bekijken kan met 'inclusie inspect <bestand> --sheet <blad>'."
)


class LedgerError(RuntimeError):
    """Rows were lost or counted twice: a bug in the cleaner, never a user's mistake."""


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _columns(frame: pd.DataFrame, columns: list[str]) -> dict[str, np.ndarray]:
    """`frame`'s `columns` as arrays of plain objects (absent ones empty), row numbers as
    Python integers (converted to Int64 once, when the frames are read)."""
    empty = np.full(len(frame), None, dtype=object)
    data = {c: frame[c].to_numpy(dtype=object) if c in frame else empty for c in columns}
    for column in ("row", "kept_row"):
        if column in data:
            data[column] = np.array(
                [None if _missing(v) else int(v) for v in data[column]], dtype=object
            )
    return data


def _stored(data: dict[str, np.ndarray], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: data[c] for c in columns}, dtype=object)


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The recorded parts as one frame (and the only part from now on)."""
    if len(parts) != 1:
        parts[:] = [
            pd.concat(parts, ignore_index=True)
            if parts
            else _stored(_columns(pd.DataFrame(), columns), columns)
        ]
    return parts[0]


def _transposed(items: list[tuple], width: int) -> list[np.ndarray]:
    """Tuples of one row each as arrays of one column each (plain objects)."""
    return [
        np.fromiter((item[k] for item in items), dtype=object, count=len(items))
        for k in range(width)
    ]


def _records(frame: pd.DataFrame) -> list[dict]:
    """A frame as a list of dicts with None for every missing value."""
    plain = frame.astype(object)
    return plain.where(plain.notna(), None).to_dict("records")


@dataclass
class Outcomes:
    """The fate of each row of one step, collected while the step reads its records and
    recorded in the ledger once (`Ledger.record_rows`)."""

    file: str
    sheet: str | None = None
    items: list[tuple] = field(default_factory=list)

    def add(
        self,
        row: int,
        status: str,
        reason: str | None = None,
        *,
        kept_row: int | None = None,
        record_id: str | None = None,
        message: str | None = None,
        sheet: str | None = None,
    ) -> None:
        """One row's fate; `sheet` (default: the outcomes' sheet) for a row of another."""
        self.items.append((row, status, reason, message, kept_row, record_id, sheet or self.sheet))

    def frame(self) -> pd.DataFrame:
        """The outcomes as a frame with the ledger's row columns."""
        columns = ["row", "status", "reason", "message", "kept_row", "record_id", "sheet"]
        data = dict(zip(columns, _transposed(self.items, len(columns)), strict=True))
        index = pd.RangeIndex(len(self.items))
        return pd.DataFrame({"file": self.file, **data}, index=index, dtype=object)


@dataclass
class FixLog:
    """A file's field-level fixes, collected while its values are read and recorded in the
    ledger once (`Ledger.record_fixes`), not one call per value."""

    file: str
    sheet: str | None = None
    items: list[tuple] = field(default_factory=list)

    def add(
        self,
        row: int | None,
        column: str | None,
        variable: str | None,
        value: object,
        result: object,
        action: str,
        message: str,
        advice: str = "",
        personal: bool | None = None,
    ) -> None:
        """One fix, with the arguments of `Ledger.fix` (the file and sheet are the log's)."""
        self.items.append((row, column, variable, value, result, action, message, advice, personal))

    def frame(self) -> pd.DataFrame:
        """The fixes as a frame with the fix columns and `personal`, not yet de-identified."""
        data = dict(zip(FIX_INPUT[2:], _transposed(self.items, 9), strict=True))
        index = pd.RangeIndex(len(self.items))
        return pd.DataFrame(
            {"file": self.file, "sheet": self.sheet, **data}, index=index, dtype=object
        )

    def record(self, ledger: Ledger) -> None:
        """Record the collected fixes in `ledger` and start an empty log."""
        ledger.record_fixes(self.frame())
        self.items = []


# What `record_fixes` takes: the fix columns before de-identification, and `personal`.
FIX_INPUT = ["file", "sheet", "row", "column", "variable", "value", "result", "action",
             "message", "advice", "personal"]  # fmt: skip


@dataclass(eq=False)  # holds frames: compare `frames()` instead
class Ledger:
    """Collects the fate of every row and every field-level fix during one cleaning run.

    Rows and fixes are recorded a step's frame at a time (`record_rows`, `record_fixes`) and
    concatenated when read; `rows` and `fixes` give them as lists of dicts, `frames()` as
    the three tidy frames that are written out."""

    files: list[dict] = field(default_factory=list)
    _row_parts: list[pd.DataFrame] = field(default_factory=list, repr=False)
    _fix_parts: list[pd.DataFrame] = field(default_factory=list, repr=False)
    _scrubbed: dict = field(default_factory=dict, repr=False)
    # rows per file, sheet and status, counted as each part is recorded (for `file`)
    _counts: dict[str, Counter] = field(default_factory=dict, repr=False)

    @property
    def rows(self) -> list[dict]:
        """Every recorded row as a dict (a copy: change rows with `merge`)."""
        return _records(_concat(self._row_parts, ROW_COLUMNS))

    @property
    def fixes(self) -> list[dict]:
        """Every recorded fix as a dict, de-identified."""
        return _records(_concat(self._fix_parts, FIX_COLUMNS))

    def quoted(self, value: object) -> str | None:
        """A value as the data-quality report may quote it: scrubbed of personal data
        (each distinct text once per run)."""
        if value is None:
            return None
        text = str(value)
        if text not in self._scrubbed:
            from inclusie_analysis.clean.privacy import scrub

            self._scrubbed[text] = scrub(text)[0]
        return self._scrubbed[text]

    def record_rows(self, outcomes: pd.DataFrame) -> None:
        """Record a step's row outcomes at once: a frame with the ROW_COLUMNS `file`, `row`
        and `status` and any of the others (absent: empty; no message: the reason's)."""
        if not len(outcomes):
            return
        data = _columns(outcomes, ROW_COLUMNS)
        data["message"] = np.array(
            [
                message
                if not _missing(message) and message != ""
                else ("" if _missing(reason) else REASONS.get(reason, ""))
                for message, reason in zip(data["message"], data["reason"], strict=True)
            ],
            dtype=object,
        )
        self._row_parts.append(_stored(data, ROW_COLUMNS))
        self._count(data["file"], data["sheet"], data["status"])

    def _counted(self, file: str, sheet: str | None) -> dict[str, int]:
        """The rows of a file (of one sheet, or all when `sheet` is None) by status."""
        found = self._counts.get(file, Counter())
        return {
            s: sum(n for (at, status), n in found.items() if status == s and sheet in (None, at))
            for s in (KEPT, MERGED, REJECTED)
        }

    def _count(self, files, sheets, statuses) -> None:
        for file, sheet, status in zip(files, sheets, statuses, strict=True):
            self._counts.setdefault(file, Counter())[(sheet, status)] += 1

    def record_fixes(self, fixes: pd.DataFrame) -> None:
        """Record a step's field-level events at once (columns FIX_INPUT; absent: empty).

        Each `value` (the cell as typed) is scrubbed (`quoted`); for a column that is personal
        by nature (`personal`, by default: `variable` is one of PERSONAL_FIELDS) it is
        replaced by its place, "rij 12, kolom E-mail". `result` is what the cleaner made of it
        (reference data, a date, a label or an already scrubbed answer): it must not hold
        personal data and is not scrubbed again, but dropped for a personal column."""
        if not len(fixes):
            return
        data = _columns(fixes, FIX_INPUT)
        personal = [
            variable in PERSONAL_FIELDS if _missing(given) else bool(given)
            for given, variable in zip(data["personal"], data["variable"], strict=True)
        ]
        data["value"] = np.array(
            [
                None
                if _missing(value)
                else self.quoted(value)
                if not mine
                else f"kolom {column}"
                if row is None
                else f"rij {row}, kolom {column}"
                for value, mine, row, column in zip(
                    data["value"], personal, data["row"], data["column"], strict=True
                )
            ],
            dtype=object,
        )
        data["result"] = np.array(
            [
                None if mine or _missing(result) else str(result)
                for result, mine in zip(data["result"], personal, strict=True)
            ],
            dtype=object,
        )
        self._fix_parts.append(_stored(data, FIX_COLUMNS))

    def row(
        self,
        file: str,
        row: int,
        status: str,
        reason: str | None = None,
        *,
        sheet: str | None = None,
        kept_row: int | None = None,
        record_id: str | None = None,
        message: str | None = None,
    ) -> None:
        """Record one row's fate (a one-off; a step records its rows with `record_rows`)."""
        outcomes = Outcomes(file, sheet)
        outcomes.add(row, status, reason, kept_row=kept_row, record_id=record_id, message=message)
        self.record_rows(outcomes.frame())

    def fix(
        self,
        file: str,
        row: int | None,
        column: str | None,
        variable: str | None,
        value: object,
        result: object,
        action: str,
        message: str,
        advice: str = "",
        sheet: str | None = None,
        personal: bool | None = None,
    ) -> None:
        """Record one field-level event (a one-off, such as a file's chosen sheet; a step
        records its fixes with `record_fixes`, which says how values are de-identified)."""
        log = FixLog(file, sheet)
        log.add(row, column, variable, value, result, action, message, advice, personal)
        log.record(self)

    def file(
        self,
        file: str,
        kind: str,
        platform: str | None,
        rows_in: int,
        error: str | None = None,
        sheet: str | None = None,
    ):
        """Close a file (or one sheet of it): count its rows by fate and check none was lost."""
        counts = self._counted(file, sheet)
        if error is None and sum(counts.values()) != rows_in:
            raise LedgerError(
                f"{file}{f' [{sheet}]' if sheet else ''}: {rows_in} rijen gelezen maar "
                f"{sum(counts.values())} verantwoord ({counts})."
            )
        self.files.append(
            {
                "file": file,
                "sheet": sheet,
                "kind": kind,
                "platform": platform,
                "rows_in": rows_in,
                **counts,
                "status": "mislukt" if error else "ok",
                "error": self.quoted(error),
            }
        )

    def sheet_chosen(self, raw) -> None:
        """The reader skipped an Excel file's first sheet (it held no table) and read another:
        one fix for the file, to check (`raw` is a RawExport)."""
        if raw.sheet_warning:
            self.fix(
                raw.path.name, None, None, None, None, raw.sheet, "sheet_chosen",
                raw.sheet_warning, SHEET_ADVICE, sheet=raw.sheet,
            )  # fmt: skip

    def forget(self, file: str) -> None:
        """Drop the rows and fixes of a file whose cleaning failed; how it was read stays."""
        rows = _concat(self._row_parts, ROW_COLUMNS)
        self._row_parts[:] = [rows.loc[rows["file"] != file].reset_index(drop=True)]
        self._counts.pop(file, None)
        fixes = _concat(self._fix_parts, FIX_COLUMNS)
        keep = (fixes["file"] != file) | fixes["action"].isin(READ_ACTIONS)
        self._fix_parts[:] = [fixes.loc[keep].reset_index(drop=True)]

    def merge(self, duplicates: pd.DataFrame) -> None:
        """Turn kept rows into merged ones (repeated submissions): `duplicates` has the
        `file` and `row` of each, and the `kept_file`, `kept_row` and `record_id` of the
        submission that was kept. The message names the kept file when it is another."""
        if not len(duplicates):
            return
        rows = _concat(self._row_parts, ROW_COLUMNS)
        kept = rows.loc[(rows["status"] == KEPT) & rows["file"].isin(duplicates["file"])]
        where = pd.Series(kept.index, index=pd.MultiIndex.from_frame(kept[["file", "row"]]))
        wanted = list(zip(duplicates["file"], duplicates["row"].astype(int), strict=True))
        found = where.reindex(pd.MultiIndex.from_tuples(wanted, names=["file", "row"]))
        lost = found.isna() | found.duplicated()
        if lost.any():
            file, row = wanted[int(np.flatnonzero(lost)[0])]
            raise LedgerError(f"{file} rij {row} staat niet als behouden in het grootboek.")
        at = found.astype("int64").to_numpy()
        rows.loc[at, "status"] = MERGED
        rows.loc[at, "reason"] = "duplicate"
        rows.loc[at, "message"] = [
            REASONS["duplicate"] + (f" (in {kept_file})" if kept_file != file else "")
            for file, kept_file in zip(duplicates["file"], duplicates["kept_file"], strict=True)
        ]
        rows.loc[at, "kept_row"] = duplicates["kept_row"].astype("Int64").to_numpy()
        rows.loc[at, "record_id"] = duplicates["record_id"].to_numpy(dtype=object)
        self._counts = {}
        self._count(rows["file"], rows["sheet"], rows["status"])

    def recount(self) -> None:
        """Recount the per-file totals after duplicates were merged across files."""
        for summary in self.files:
            summary.update(self._counted(summary["file"], summary["sheet"]))
            if (
                summary["status"] == "ok"
                and summary[KEPT] + summary[MERGED] + summary[REJECTED] != summary["rows_in"]
            ):
                raise LedgerError(f"{summary['file']}: rijen verloren bij het samenvoegen.")

    def frames(self) -> dict[str, pd.DataFrame]:
        """The ledger as three tidy frames: rows, fixes, files. Text columns are strings
        (pandas' `string` when a column holds no value at all)."""
        rows = _concat(self._row_parts, ROW_COLUMNS).copy()
        fixes = _concat(self._fix_parts, FIX_COLUMNS).copy()
        files = pd.DataFrame(self.files, columns=FILE_COLUMNS)
        for frame in (rows, fixes, files):
            for column in frame.columns:
                if column in ("row", "kept_row"):
                    frame[column] = frame[column].astype("Int64")
                elif frame[column].dtype == object:
                    empty = frame[column].isna().all()
                    frame[column] = frame[column].astype("string" if empty else "str")
        return {"ledger": rows, "fixes": fixes, "files": files}
