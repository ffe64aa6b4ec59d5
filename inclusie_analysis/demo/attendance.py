"""Synthetic attendance lists: one registration-tool CSV per event that keeps a list.

Two tools, as in practice: a Dutch one (';', cp1252, "ja"/"nee") and an international one
(',', UTF-8, English headers, "Yes"/"No"), with municipalities typed with faults, e-mails
with capitals and blank rows. Split from `events.py`, which draws the events themselves.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from inclusie_analysis.demo.events import Event, EventFaults
from inclusie_analysis.demo.world import assign_municipality_faults, pick

ATTENDANCE_TOOLS = {
    # Dutch tool: ';', cp1252 (saved by Excel with a Belgian locale), "ja"/"nee"
    "nl": (
        ";",
        "cp1252",
        ("Voornaam", "Naam", "E-mailadres", "Organisatie", "Gemeente", "Aanwezig"),
        ("ja", "nee"),
    ),
    # International tool: ',', UTF-8, English headers, "Yes"/"No"
    "en": (
        ",",
        "utf-8",
        ("First name", "Last name", "Email", "Organisation", "Municipality", "Attended"),
        ("Yes", "No"),
    ),
}


def write_attendance(
    rng: random.Random, folder: Path, events: list[Event], faults: EventFaults
) -> list[dict]:
    """Write one attendance CSV per event with a list; return truth per data row (no names)."""
    truth = []
    for e in events:
        if not e.has_list:
            continue
        tool = "nl" if rng.random() < 0.7 else "en"
        delimiter, encoding, header, (yes, no) = ATTENDANCE_TOOLS[tool]
        path = folder / f"{e.event_id}_aanwezigheden_SYNTHETISCH.csv"
        written = assign_municipality_faults(
            rng, [p.place for p in e.registered], e.year, faults.municipality
        )
        upper = pick(rng, list(range(len(e.registered))), faults.email_case)
        blanks = pick(rng, list(range(len(e.registered))), faults.attendance_blank_rows)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        row = 1
        for i, (person, present) in enumerate(zip(e.registered, e.present, strict=True)):
            if i in blanks:
                writer.writerow([""] * len(header))
                row += 1
                truth.append(
                    {"file": path.name, "row": row, "event_id": e.event_id, "kind": "blank"}
                )
            email = person.email
            if i in upper:
                local, domain = email.split("@")
                email = ".".join(part.capitalize() for part in local.split(".")) + "@" + domain
            writer.writerow(
                [
                    person.first,
                    person.last,
                    email,
                    person.organisation,
                    written[i][0],
                    yes if present else no,
                ]
            )
            row += 1
            truth.append(
                {
                    "file": path.name,
                    "row": row,
                    "event_id": e.event_id,
                    "kind": "participant",
                    "participant": person.key,
                    "present": present,
                    "nis_code": person.place.nis_2025 if person.place else None,
                    "municipality_fault": written[i][1],
                    "email_case": i in upper,
                }
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return truth
