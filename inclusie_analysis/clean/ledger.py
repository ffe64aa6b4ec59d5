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


@dataclass
class Ledger:
    """Collects the fate of every row and every field-level fix during one cleaning run."""

    rows: list[dict] = field(default_factory=list)
    fixes: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    _where: dict = field(default_factory=dict, repr=False)
    _indexed: int = field(default=-1, repr=False)
    _scrubbed: dict = field(default_factory=dict, repr=False)

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
        self.rows.append(
            {
                "file": file,
                "sheet": sheet,
                "row": row,
                "status": status,
                "reason": reason,
                "message": message or (REASONS.get(reason, "") if reason else ""),
                "kept_row": kept_row,
                "record_id": record_id,
            }
        )

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
        """Record a field-level event. `value` (the cell as typed) is scrubbed (`quoted`); for
        a column that is personal by nature (`personal`, by default: `variable` is one of
        PERSONAL_FIELDS) it is replaced by its place, "rij 12, kolom E-mail". `result` is
        what the cleaner made of it and must not hold personal data."""
        if personal is None:
            personal = variable in PERSONAL_FIELDS
        if personal and value is not None:
            value = f"rij {row}, kolom {column}" if row is not None else f"kolom {column}"
        else:
            value = self.quoted(value)
        self.fixes.append(
            {
                "file": file,
                "sheet": sheet,
                "row": row,
                "column": column,
                "variable": variable,
                "value": value,
                # what the cleaner made of it: reference data (a municipality), a date, a
                # label or an already scrubbed answer, so not scrubbed again
                "result": None if personal or result is None else str(result),
                "action": action,
                "message": message,
                "advice": advice,
            }
        )

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
        mine = [
            r for r in self.rows if r["file"] == file and (sheet is None or r["sheet"] == sheet)
        ]
        counts = {s: sum(r["status"] == s for r in mine) for s in (KEPT, MERGED, REJECTED)}
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
        self.rows = [r for r in self.rows if r["file"] != file]
        self.fixes = [f for f in self.fixes if f["file"] != file or f["action"] in READ_ACTIONS]

    def redirect(self, file: str, row: int, kept_row: int, record_id: str | None) -> dict:
        """Turn a kept row into a merged one that points at `kept_row` (duplicates)."""
        if self._indexed != len(self.rows):
            self._where = {(r["file"], r["row"]): r for r in self.rows if r["status"] == KEPT}
            self._indexed = len(self.rows)
        entry = self._where.get((file, row))
        if entry is None or entry["status"] != KEPT:
            raise LedgerError(f"{file} rij {row} staat niet als behouden in het grootboek.")
        entry.update(
            status=MERGED,
            reason="duplicate",
            message=REASONS["duplicate"],
            kept_row=kept_row,
            record_id=record_id,
        )
        return entry

    def recount(self) -> None:
        """Recount the per-file totals after duplicates were merged across files."""
        for summary in self.files:
            mine = [
                r
                for r in self.rows
                if r["file"] == summary["file"] and summary["sheet"] in (None, r["sheet"])
            ]
            for status in (KEPT, MERGED, REJECTED):
                summary[status] = sum(r["status"] == status for r in mine)
            if (
                summary["status"] == "ok"
                and summary[KEPT] + summary[MERGED] + summary[REJECTED] != summary["rows_in"]
            ):
                raise LedgerError(f"{summary['file']}: rijen verloren bij het samenvoegen.")

    def frames(self) -> dict[str, pd.DataFrame]:
        """The ledger as three tidy frames: rows, fixes, files."""
        rows = pd.DataFrame(self.rows, columns=ROW_COLUMNS).astype(
            {"row": "Int64", "kept_row": "Int64"}
        )
        fixes = pd.DataFrame(self.fixes, columns=FIX_COLUMNS).astype({"row": "Int64"})
        files = pd.DataFrame(self.files, columns=FILE_COLUMNS)
        for frame in (rows, fixes, files):
            for column in frame.columns:
                if frame[column].dtype == object:
                    frame[column] = frame[column].astype("string")
        return {"ledger": rows, "fixes": fixes, "files": files}
