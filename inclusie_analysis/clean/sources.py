"""What a year's report rests on, and what to say when part of it is missing.

Missing is never zero: a year without an activity register has unknown activities, not zero
activities. Cleaning records per kind of input whether it was found (`data/meta.json`, key
"sources"); the console, run.log, the index, the data-quality report and the reports all
say the same sentences from here, and the sections that depend on a missing input say so
instead of showing zeros.

A source is a plain dict (it is stored as JSON):
`{"kind": "register", "year": 2026, "status": "missing", "folder": "surveys/raw/2026", ...}`
with `status` one of "found", "missing" (nothing there) or "unreadable" (files there, none
could be read). Kinds: register, attendance, feedback, targets, survey_previous (an earlier
survey wave to compare with).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

FOUND, MISSING, UNREADABLE = "found", "missing", "unreadable"
KINDS = ("register", "attendance", "feedback", "targets", "survey_previous")
LABELS = {
    "nl": {"register": "activiteitenregister", "attendance": "aanwezigheidslijsten",
           "feedback": "feedbackformulieren", "targets": "doelen van het actieplan",
           "survey_previous": "vorige bevraging"},
    "en": {"register": "activity register", "attendance": "attendance lists",
           "feedback": "feedback forms", "targets": "action-plan targets",
           "survey_previous": "earlier survey"},
}  # fmt: skip
STATUS_NL = {FOUND: "gevonden", MISSING: "ontbreekt", UNREADABLE: "niet gelezen"}
# Which report sections rest on which inputs.
SECTIONS = {
    "indicators": ("register", "targets"),
    "reach": ("register", "attendance"),
    "feedback": ("register", "feedback"),
    "ranking": ("register", "feedback"),
    "comparison": ("survey_previous",),
}
# Which planning signals come from which input (planning.WEIGHTS).
SIGNALS = {"register": ("gap", "rating"), "feedback": ("rating",)}
NO_REGISTER = "no_register"  # attendance lists that failed because there is no register


def display_path(path: Path | str) -> str:
    """A folder as the user knows it: relative to the working folder when inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# ---------------------------------------------------------------------------------------------
# Building the inventory (the caller lists the folders; these functions only judge)


def file_source(
    kind: str, year: int, folder: Path | str, found: list[Path], files: pd.DataFrame
) -> dict:
    """Whether the `found` files of one kind were read: "found" when at least one was read,
    "unreadable" when there were files but none could be read, "missing" when there were none.
    `files` is the ledger's file table (one row per file and sheet, with its status)."""
    names = sorted({p.name for p in found})
    read = files.loc[files["file"].isin(names) & (files["status"] == "ok"), "file"]
    status = FOUND if len(read) else UNREADABLE if names else MISSING
    return {"kind": kind, "year": year, "status": status, "folder": display_path(folder),
            "files": names}  # fmt: skip


def targets_source(year: int, error: Exception | None, file: str | None = None) -> dict:
    """Whether the year's targets could be loaded (`error`: what loading them raised)."""
    if error is None:
        return {"kind": "targets", "year": year, "status": FOUND, "file": file}
    where = getattr(error, "file", None) or file
    exists = bool(where) and Path(where).exists()
    return {"kind": "targets", "year": year, "status": UNREADABLE if exists else MISSING,
            "file": display_path(where) if where else None, "detail": str(error)}  # fmt: skip


def previous_wave_source(
    waves: Iterable[int], raw_root: Path | str, codebook_waves: Iterable[int], codebooks: Path | str
) -> dict:
    """Whether there is a survey wave before the latest one to compare with; when not, the
    folders where earlier exports must go (the waves that have a codebook but no export)."""
    waves = sorted({int(w) for w in waves})
    latest = waves[-1] if waves else None
    status = FOUND if len(waves) >= 2 else MISSING
    expected = [
        display_path(Path(raw_root) / str(w))
        for w in sorted({int(w) for w in codebook_waves})
        if latest is not None and w < latest and w not in waves
    ]
    return {"kind": "survey_previous", "year": latest, "status": status, "waves": waves,
            "folder": display_path(raw_root), "expected": expected,
            "codebooks": display_path(codebooks)}  # fmt: skip


def mark_unlinkable_attendance(sources: list[dict]) -> list[dict]:
    """Attendance lists that could not be read because the year has no register: say so."""
    register = find(sources, "register")
    if register is None or register["status"] == FOUND:
        return sources
    return [
        {**s, "reason": NO_REGISTER}
        if s["kind"] == "attendance" and s["status"] == UNREADABLE
        else s
        for s in sources
    ]


# ---------------------------------------------------------------------------------------------
# Reading the inventory


def find(sources: list[dict], kind: str) -> dict | None:
    return next((s for s in sources or [] if s["kind"] == kind), None)


def is_missing(sources: list[dict], kind: str) -> bool:
    """True when the kind was looked for and not found (or could not be read)."""
    source = find(sources, kind)
    return source is not None and source["status"] != FOUND


def missing_sources(sources: list[dict]) -> list[dict]:
    """The sources that were not found, in the order of KINDS."""
    return [s for kind in KINDS if (s := find(sources, kind)) and s["status"] != FOUND]


def unavailable_signals(sources: list[dict]) -> list[str]:
    """The planning signals that rest on a missing input (they get no weight)."""
    out: list[str] = []
    for kind, signals in SIGNALS.items():
        if is_missing(sources, kind):
            out += [s for s in signals if s not in out]
    return out


def sentence(source: dict, language: str = "nl") -> str:
    """What is missing, where it was looked for, and what that means for the figures."""
    kind = source["kind"]
    if kind not in _SENTENCES:
        raise ValueError(f"unknown source kind {kind!r}")
    return _SENTENCES[kind](source, language == "nl")


def _register_sentence(source: dict, nl: bool) -> str:
    """The activity register of the year is missing or unreadable."""
    year, folder = source.get("year"), source.get("folder", "")
    consequence = (
        "de cijfers over activiteiten, bereik, feedback per activiteit en doelen ontbreken "
        "daarom (ze zijn niet nul)."
        if nl
        else "figures on activities, reach, feedback per activity and targets are therefore "
        "missing (they are not zero)."
    )
    if source["status"] == UNREADABLE:
        return (
            f"Het activiteitenregister van {year} in {folder} kon niet gelezen worden; "
            f"{consequence} Wat er mis is, staat in datakwaliteit.html."
            if nl
            else f"The {year} activity register in {folder} could not be read; {consequence}"
        )
    return (
        f"Voor {year} is geen activiteitenregister gevonden in {folder}; {consequence}"
        if nl
        else f"No activity register for {year} was found in {folder}; {consequence}"
    )


def _attendance_sentence(source: dict, nl: bool) -> str:
    """The attendance lists of the year are missing or unreadable (also: no register)."""
    year, folder = source.get("year"), source.get("folder", "")
    consequence = (
        "wie er aan de activiteiten deelnam (deelnemers, gemeenten, provincies) ontbreekt "
        "daarom (het is niet nul)."
        if nl
        else "who took part in the activities (participants, municipalities, provinces) is "
        "therefore missing (it is not zero)."
    )
    if source["status"] == UNREADABLE:
        why = (
            (" omdat er geen activiteitenregister is om ze aan te koppelen" if nl
             else " because there is no activity register to link them to")
            if source.get("reason") == NO_REGISTER
            else ""
        )  # fmt: skip
        return (
            f"De aanwezigheidslijsten van {year} in {folder} konden niet gelezen worden{why}; "
            f"{consequence}"
            if nl
            else f"The {year} attendance lists in {folder} could not be read{why}; {consequence}"
        )
    return (
        f"Voor {year} zijn geen aanwezigheidslijsten gevonden in {folder}; {consequence}"
        if nl
        else f"No attendance lists for {year} were found in {folder}; {consequence}"
    )


def _feedback_sentence(source: dict, nl: bool) -> str:
    """The feedback form of the year is missing or unreadable."""
    year, folder = source.get("year"), source.get("folder", "")
    consequence = (
        "de feedback en de beoordeling van de activiteiten ontbreken daarom (ze zijn niet nul)."
        if nl
        else "feedback and ratings of the activities are therefore missing (they are not zero)."
    )
    if source["status"] == UNREADABLE:
        return (
            f"Het feedbackformulier van {year} in {folder} kon niet gelezen worden; {consequence}"
            if nl
            else f"The {year} feedback form in {folder} could not be read; {consequence}"
        )
    return (
        f"Voor {year} is geen feedbackformulier gevonden in {folder}; {consequence}"
        if nl
        else f"No feedback form for {year} was found in {folder}; {consequence}"
    )


def _targets_sentence(source: dict, nl: bool) -> str:
    """The action-plan targets of the year are missing or unreadable, and how to make them."""
    year, where = source.get("year"), source.get("file") or ""
    if source["status"] == UNREADABLE:
        return (
            f"De doelen van het actieplan {year} ({where}) konden niet gelezen worden; de "
            "indicatoren ontbreken daarom."
            if nl
            else f"The {year} action-plan targets ({where}) could not be read; the "
            "indicators are therefore missing."
        )
    return (
        f"Voor {year} zijn geen doelen van het actieplan gevonden (verwacht: {where}); de "
        "indicatoren ontbreken daarom (ze zijn niet nul). Maak ze met 'inclusie targets "
        f"draft --year {year}'."
        if nl
        else f"No action-plan targets for {year} were found (expected: {where}); the "
        "indicators are therefore missing (they are not zero). Make them with 'inclusie "
        f"targets draft --year {year}'."
    )


def _survey_previous_sentence(source: dict, nl: bool) -> str:
    """No earlier survey wave to compare with, and where its exports must go."""
    year, folder = source.get("year"), source.get("folder", "")
    expected = source.get("expected") or []
    place = (
        (" of " if nl else " or ").join(f"{e}/" for e in expected)
        if expected
        else f"{folder}/<{'jaar' if nl else 'year'}>/"
    )
    return (
        f"Er is geen bevraging van vóór {year} gevonden; een vergelijking met een vorige "
        f"bevraging is daarom niet mogelijk. Zet de exports van een vorige bevraging in "
        f"{place} (met een codeboek voor die bevraging in {source.get('codebooks')})."
        if nl
        else f"No survey wave before {year} was found, so no comparison with an earlier "
        f"survey is possible. Put the exports of an earlier survey in {place} (with a "
        f"codebook for that wave in {source.get('codebooks')})."
    )


_SENTENCES = {
    "register": _register_sentence,
    "attendance": _attendance_sentence,
    "feedback": _feedback_sentence,
    "targets": _targets_sentence,
    "survey_previous": _survey_previous_sentence,
}


def missing_sentences(sources: list[dict], language: str = "nl") -> list[str]:
    """One sentence per missing input, in the order of KINDS."""
    return [sentence(s, language) for s in missing_sources(sources)]


def section_note(sources: list[dict], section: str, language: str = "nl") -> str | None:
    """What a report section must say instead of its figures, or None when its inputs are
    there. Attendance lists that failed only for want of a register are not named twice."""
    missing = [
        s
        for s in missing_sources(sources)
        if s["kind"] in SECTIONS[section] and s.get("reason") != NO_REGISTER
    ]
    return " ".join(sentence(s, language) for s in missing) or None


def sources_table(sources: list[dict]) -> pd.DataFrame:
    """Every input kind with its status, for the data-quality report (Dutch headers)."""
    rows = []
    for kind in KINDS:
        source = find(sources, kind)
        if source is None:
            continue
        where = source.get("folder") if kind != "targets" else source.get("file")
        rows.append({
            "Gegevens": LABELS["nl"][kind],
            "Jaar": source.get("year"),
            "Status": STATUS_NL[source["status"]],
            "Gezocht in": where,
            "Bestanden": ", ".join(source.get("files") or [])
            or ", ".join(str(w) for w in source.get("waves") or []),
            "Gevolg": "" if source["status"] == FOUND else sentence(source, "nl"),
        })  # fmt: skip
    return pd.DataFrame(
        rows, columns=["Gegevens", "Jaar", "Status", "Gezocht in", "Bestanden", "Gevolg"]
    )
