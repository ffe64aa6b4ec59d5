"""Attendance lists → the attendance frame, and the attendees of each event.

One row per registration: the participant pseudonymised (by e-mail, else by name and
organisation), present or not, the organisation's rough type and the 2025 municipality. The
same person twice on a list is merged into one row; every row is kept, merged or rejected in
the ledger. `_attach_attendance` then counts each event's attendees from its list where there
is one. Split from `clean.events`, which shares the spellings and column lists used here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inclusie_analysis.clean.events import (
    ATTENDANCE_COLUMNS,
    EventsConfig,
    _blank,
    _find_columns,
    _Fixes,
    _norm,
    _trailing_blanks,
)
from inclusie_analysis.clean.geo import MunicipalityMatcher, load_reference
from inclusie_analysis.clean.ledger import KEPT, MERGED, REJECTED, Ledger, Outcomes
from inclusie_analysis.clean.privacy import normalise_email, pseudonym
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers import RawExport, read_export

# how the matcher placed a participant's municipality, for each of which the ledger gets a fix
MATCH_FIXES = ("fuzzy", "part_of_name", "ambiguous", "unknown", "outside")


def _attendance(
    path: Path,
    config: EventsConfig,
    events: pd.DataFrame,
    key: bytes,
    matcher: MunicipalityMatcher,
    ledger: Ledger,
) -> pd.DataFrame:
    """One attendance list: the event its file name names, and one row per participant."""
    spec = config.section("attendance")
    raw = read_export(path)
    ledger.sheet_chosen(raw)
    event_id = _listed_event(path, spec, events)
    columns = _find_columns(raw, spec["columns"], spec.get("required", []), "aanwezigheidslijst")
    reader = _AttendanceReader(
        event_id=event_id,
        columns=columns,
        present_words={_norm(w) for w in spec.get("present", [])},
        absent_words={_norm(w) for w in spec.get("absent", [])},
        key=key,
        matcher=matcher,
        fix=_Fixes(ledger, path.name, columns),
    )
    out, outcomes = reader.rows(raw)
    ledger.record_rows(outcomes)
    ledger.record_rows(_trailing_blanks(path.name, raw))
    reader.fix.record()
    ledger.file(path.name, "aanwezigheden", raw.platform, len(raw.frame) + raw.trailing_blank_rows)
    return pd.DataFrame(out, columns=ATTENDANCE_COLUMNS)


def _listed_event(path: Path, spec: dict, events: pd.DataFrame) -> str:
    """The register's event id in the list's file name; a user mistake when there is none."""
    match = re.search(spec.get("event_id_pattern", r"(\d{4}-\d{3})"), path.name)
    year = match.group(1)[:4] if match else None
    if year and not events["event_id"].astype(str).str.startswith(f"{year}-").any():
        raise InputError(
            f"er is geen activiteitenregister van {year}, dus deze aanwezigheidslijst kan aan "
            "geen activiteit gekoppeld worden.",
            file=str(path),
            hint=f"Zet het register van {year} (bv. activiteiten-{year}.xlsx) in dezelfde "
            "jaarmap en start opnieuw.",
        )
    if not match or match.group(1) not in set(events["event_id"]):
        raise InputError(
            "deze aanwezigheidslijst hoort bij geen activiteit uit het register"
            + (f" (nummer {match.group(1)})." if match else " (geen nummer in de bestandsnaam)."),
            file=str(path),
            hint="Begin de bestandsnaam met het nummer van de activiteit, "
            "bv. 2025-014_aanwezigheden.csv.",
        )
    return match.group(1)


@dataclass
class _AttendanceReader:
    """Reads the rows of one attendance list for one event, writing each row's fate and fixes
    to the ledger (through `fix`)."""

    event_id: str
    columns: dict[str, str]
    present_words: set[str]
    absent_words: set[str]
    key: bytes
    matcher: MunicipalityMatcher
    fix: _Fixes

    def __post_init__(self) -> None:
        self.muni = load_reference().municipalities.set_index("nis_code")

    def rows(self, raw: RawExport) -> tuple[list[dict], pd.DataFrame]:
        """One record per participant, in list order, and every row's outcome for the ledger:
        blank rows rejected, a participant's second row merged, the others kept."""
        outcomes = Outcomes(self.fix.file)
        out, seen = [], {}
        for i, record in enumerate(raw.frame.itertuples(index=False)):
            row = raw.spreadsheet_row(i)
            cells = dict(zip(raw.frame.columns, record, strict=True))
            if all(_blank(v) for v in cells.values()):
                outcomes.add(row, REJECTED, "blank")
                continue
            participant = self.participant(cells)
            present = self.present(row, cells)
            if participant in seen:
                kept = out[seen[participant]]
                outcomes.add(
                    row,
                    MERGED,
                    "duplicate",
                    kept_row=kept["source_row"],
                    record_id=participant,
                    message="Dezelfde persoon staat twee keer op de lijst.",
                )
                kept["present"] = kept["present"] or present
                continue
            seen[participant] = len(out)
            out.append(self.record(row, cells, participant, present) | {"source_row": row})
            outcomes.add(row, KEPT, record_id=participant)
        return out, outcomes.frame()

    def cell(self, cells: dict, field: str) -> object:
        """The cell of a field (None when the list has no such column)."""
        return cells.get(self.columns.get(field)) if field in self.columns else None

    def participant(self, cells: dict) -> str:
        """The participant's pseudonym: by e-mail, else by name and organisation."""
        email = normalise_email(self.cell(cells, "email")) if "email" in self.columns else None
        if email:
            return pseudonym(self.key, email, "p")
        who = "|".join(
            _norm(cells.get(self.columns.get(f)))
            for f in ("first_name", "last_name", "organisation")
            if f in self.columns and not _blank(cells.get(self.columns.get(f)))
        )
        return pseudonym(self.key, f"naam|{who}", "p")

    def present(self, row: int, cells: dict) -> bool:
        """Present by the list's words; an empty or absent word is absent, anything else too
        (with a fix)."""
        written = cells.get(self.columns["present"])
        flag = _norm(written) if not _blank(written) else ""
        if flag in self.present_words:
            return True
        if flag in self.absent_words or flag == "":
            return False
        self.fix(
            row,
            "present",
            # as typed: the quote is scrubbed, and names are found by their capitals
            " ".join(str(written).split()),
            "nee",
            "present_unknown",
            "Aanwezigheid niet herkend; als afwezig geteld.",
            "Gebruik ja/nee.",
        )
        return False

    def record(self, row: int, cells: dict, participant: str, present: bool) -> dict:
        """A participant's row (without source_row): organisation type and place."""
        written = self.cell(cells, "municipality")
        found = self.matcher.match(written)
        if found.method in MATCH_FIXES:
            self.fix(
                row,
                "municipality",
                written,
                found.nis_code,
                f"municipality_{found.method}",
                "Gemeente van een deelnemer: "
                + ("niet herkend." if not found.nis_code else "herkend ondanks tikfout."),
                "Voeg de schrijfwijze toe aan het aliasbestand als dit fout is.",
            )
        code, muni = found.nis_code, self.muni
        return {
            "event_id": self.event_id,
            "participant_id": participant,
            "present": present,
            "org_type": _org_type(self.cell(cells, "organisation")),
            "nis_code": code,
            "municipality": muni.loc[code, "name_nl"] if code else None,
            "province": (
                "Brussel"
                if muni.loc[code, "region"] == "Brussel"
                else muni.loc[code, "province_nl"]
            )
            if code
            else None,
            "region": muni.loc[code, "region"] if code else None,
            "geo_method": found.method,
            "source_file": self.fix.file,
        }


ORG_KEYWORDS = (
    ("lokaal_bestuur", ("gemeente", "stad ", "ocmw", "lokaal bestuur", "sociaal huis")),
    ("intergemeentelijk", ("intergemeentelijk", "welzijnsband", "regio ")),
    ("welzijnsvereniging", ("welzijnsvereniging",)),
    ("overheid", ("provincie", "vlaamse overheid", "digitaal vlaanderen", "agentschap")),
    ("onderwijs_onderzoek", ("hogeschool", "universiteit", "cvo")),
)


def _org_type(organisation: object) -> str | None:
    """A rough organisation type from the organisation's name (for reach by type)."""
    if _blank(organisation):
        return None
    text = _norm(organisation) + " "
    return next((kind for kind, words in ORG_KEYWORDS if any(w in text for w in words)), "andere")


def _attach_attendance(
    events: pd.DataFrame, attendance: pd.DataFrame, ledger: Ledger
) -> pd.DataFrame:
    """Attendees per event: the list where there is one (checked per person), else the register."""
    present = (
        attendance.groupby("event_id")["present"].sum()
        if len(attendance)
        else pd.Series(dtype="int64")
    )
    events = events.copy()
    events["attended_list"] = events["event_id"].map(present).astype("Int64")
    register = events["attended_register"].astype("Int64")
    events["attended"] = events["attended_list"].fillna(register).astype("Int64")
    events["attendance_source"] = (
        events["attended_list"].notna().map({True: "lijst", False: "register"})
    )
    events.loc[events["attended"].isna(), "attendance_source"] = pd.NA
    disagree = (
        events["attended_list"].notna() & register.notna() & (events["attended_list"] != register)
    )
    mismatched = events.loc[disagree]
    said = mismatched["attended_register"].astype(str)
    counted = mismatched["attended_list"].astype(str)
    ledger.record_fixes(
        pd.DataFrame(
            {
                "file": mismatched["source_file"],
                "row": mismatched["source_row"],
                "column": "aanwezig",
                "variable": "attended",
                "value": mismatched["attended_register"].astype(object),
                "result": mismatched["attended_list"].astype(object),
                "action": "attendance_mismatch",
                "message": "Het register telt "
                + said
                + " aanwezigen, de aanwezigheidslijst "
                + counted
                + "; de lijst wordt gebruikt omdat ze per persoon is nagekeken.",
                "advice": "Pas het register aan, of de lijst als die onvolledig is.",
            }
        )
    )
    return events
