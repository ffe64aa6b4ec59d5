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


def _stored(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`frame`'s `columns` (absent ones empty) as plain objects, rows numbered from 0."""
    empty = np.full(len(frame), None, dtype=object)
    data = {c: frame[c].to_numpy(dtype=object) if c in frame else empty for c in columns}
    out = pd.DataFrame(data, dtype=object)
    return out.astype({c: "Int64" for c in ("row", "kept_row") if c in out})


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The recorded parts as one frame (and the only part from now on)."""
    if len(parts) != 1:
        parts[:] = [
            pd.concat(parts, ignore_index=True) if parts else _stored(pd.DataFrame(), columns)
        ]
    return parts[0]


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
        return pd.DataFrame(self.items, columns=columns, dtype=object).assign(file=self.file)


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
        frame = pd.DataFrame(self.items, columns=FIX_INPUT[2:], dtype=object)
        return frame.assign(file=self.file, sheet=self.sheet)

    def record(self, ledger: Ledger) -> None:
        """Record the collected fixes in `ledger` and start an empty log."""
        ledger.record_fixes(self.frame())
        self.items = []


# What `record_fixes` takes: the fix columns before de-identification, and `personal`.
FIX_INPUT = ["file", "sheet", "row", "column", "variable", "value", "result", "action",
             "message", "advice", "personal"]  # fmt: skip


@dataclass
class Ledger:
    """Collects the fate of every row and every field-level fix during one cleaning run.

    Rows and fixes are recorded a step's frame at a time (`record_rows`, `record_fixes`) and
    concatenated when read; `rows` and `fixes` give them as lists of dicts, `frames()` as
    the three tidy frames that are written out."""

    files: list[dict] = field(default_factory=list)
    _row_parts: list[pd.DataFrame] = field(default_factory=list, repr=False)
    _fix_parts: list[pd.DataFrame] = field(default_factory=list, repr=False)
    _scrubbed: dict = field(default_factory=dict, repr=False)

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
        part = _stored(outcomes, ROW_COLUMNS)
        default = part["reason"].map(REASONS).fillna("")
        given = part["message"].notna() & (part["message"] != "")
        part["message"] = part["message"].where(given, default)
        self._row_parts.append(part)

    def record_fixes(self, fixes: pd.DataFrame) -> None:
        """Record a step's field-level events at once (columns FIX_INPUT; absent: empty).

        Each `value` (the cell as typed) is scrubbed (`quoted`); for a column that is personal
        by nature (`personal`, by default: `variable` is one of PERSONAL_FIELDS) it is
        replaced by its place, "rij 12, kolom E-mail". `result` is what the cleaner made of it
        (reference data, a date, a label or an already scrubbed answer): it must not hold
        personal data and is not scrubbed again, but dropped for a personal column."""
        if not len(fixes):
            return
        part = _stored(fixes, FIX_INPUT)
        given = part["personal"]
        personal = given.where(given.notna(), part["variable"].isin(PERSONAL_FIELDS)).astype(bool)
        places = [
            f"rij {row}, kolom {column}" if not _missing(row) else f"kolom {column}"
            for row, column in zip(part["row"].astype(object), part["column"], strict=True)
        ]
        part["value"] = [
            None if _missing(value) else place if mine else self.quoted(value)
            for value, place, mine in zip(part["value"], places, personal, strict=True)
        ]
        result = part["result"]
        part["result"] = result.map(str, na_action="ignore").where(~personal & result.notna())
        part["result"] = part["result"].astype(object).where(part["result"].notna(), None)
        self._fix_parts.append(part[FIX_COLUMNS])

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
        rows = _concat(self._row_parts, ROW_COLUMNS)
        mine = rows["file"] == file
        if sheet is not None:
            mine &= rows["sheet"] == sheet
        found = rows.loc[mine, "status"].value_counts()
        counts = {s: int(found.get(s, 0)) for s in (KEPT, MERGED, REJECTED)}
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

    def recount(self) -> None:
        """Recount the per-file totals after duplicates were merged across files."""
        rows = _concat(self._row_parts, ROW_COLUMNS)
        by_file = rows.groupby("file")["status"].value_counts()
        by_sheet = rows.groupby(["file", "sheet"])["status"].value_counts()
        for summary in self.files:
            for status in (KEPT, MERGED, REJECTED):
                if summary["sheet"] is None:
                    summary[status] = int(by_file.get((summary["file"], status), 0))
                else:
                    key = (summary["file"], summary["sheet"], status)
                    summary[status] = int(by_sheet.get(key, 0))
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
