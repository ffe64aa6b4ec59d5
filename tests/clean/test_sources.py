"""What a year rests on: which inputs were found, and the sentences that say what is missing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inclusie_analysis.clean.sources import (
    file_source,
    mark_unlinkable_attendance,
    missing_sentences,
    previous_wave_source,
    section_note,
    sources_table,
    targets_source,
    unavailable_signals,
)
from inclusie_analysis.errors import InputError

FILES = pd.DataFrame({
    "file": ["activiteiten-2025.xlsx", "activiteiten-2025.xlsx", "2025-001_aanw.csv"],
    "status": ["ok", "ok", "failed"],
})  # fmt: skip


def test_a_kind_is_found_missing_or_unreadable(tmp_path):
    year = tmp_path / "2025"
    register = file_source("register", 2025, year, [year / "activiteiten-2025.xlsx"], FILES)
    assert register["status"] == "found" and register["files"] == ["activiteiten-2025.xlsx"]
    lists = file_source("attendance", 2025, year / "aanwezigheden",
                        [year / "aanwezigheden" / "2025-001_aanw.csv"], FILES)  # fmt: skip
    assert lists["status"] == "unreadable"
    feedback = file_source("feedback", 2025, year, [], FILES)
    assert feedback["status"] == "missing" and feedback["folder"] == year.as_posix()


def test_attendance_that_failed_for_want_of_a_register_is_marked():
    sources = [{"kind": "register", "status": "missing"},
               {"kind": "attendance", "status": "unreadable"}]  # fmt: skip
    marked = mark_unlinkable_attendance(sources)
    assert marked[1]["reason"] == "no_register" and "reason" not in sources[1]
    found = [{**sources[0], "status": "found"}, sources[1]]
    assert mark_unlinkable_attendance(found) == found


def test_targets_missing_or_unreadable(tmp_path):
    absent = InputError("er zijn geen doelen voor 2026.", file=str(tmp_path / "2026.yaml"))
    source = targets_source(2026, absent)
    assert source["status"] == "missing" and source["file"] == (tmp_path / "2026.yaml").as_posix()
    broken = tmp_path / "2027.yaml"
    broken.write_text("indicators: [", encoding="utf-8")
    assert targets_source(2027, InputError("geen YAML", file=str(broken)))["status"] == "unreadable"
    assert targets_source(2025, None)["status"] == "found"


def test_previous_wave_names_the_folders_of_codebook_waves_without_exports():
    source = previous_wave_source([2026], Path("raw"), [2020, 2025, 2026], Path("codebooks"))
    assert source["status"] == "missing" and source["expected"] == ["raw/2020", "raw/2025"]
    text = missing_sentences([source])[0]
    assert "Zet de exports van een vorige bevraging in raw/2020/ of raw/2025/ (met een codeboek" \
           in text  # fmt: skip
    assert previous_wave_source([2020, 2026], "raw", [2020], "cb")["status"] == "found"
    alone = previous_wave_source([2020], "raw", [2020], "cb")
    assert "in raw/<jaar>/" in missing_sentences([alone])[0]
    assert "in raw/<year>/" in missing_sentences([alone], "en")[0]


SOURCES = [
    {"kind": "survey_previous", "year": 2026, "status": "found", "waves": [2025, 2026]},
    {"kind": "feedback", "year": 2026, "status": "missing", "folder": "raw/2026", "files": []},
    {"kind": "register", "year": 2026, "status": "missing", "folder": "raw/2026", "files": []},
    {"kind": "targets", "year": 2026, "status": "missing", "file": "targets/2026.yaml"},
    {"kind": "attendance", "year": 2026, "status": "unreadable", "reason": "no_register",
     "folder": "raw/2026/aanwezigheden", "files": ["2026-001.csv"]},
]  # fmt: skip


def test_missing_sentences_in_a_fixed_order():
    sentences = missing_sentences(SOURCES)
    assert [s[:40] for s in sentences] == [
        "Voor 2026 is geen activiteitenregister g",
        "De aanwezigheidslijsten van 2026 in raw/",
        "Voor 2026 is geen feedbackformulier gevo",
        "Voor 2026 zijn geen doelen van het actie",
    ]
    assert sentences[0] == (
        "Voor 2026 is geen activiteitenregister gevonden in raw/2026; de cijfers over activiteiten,"
        " bereik, feedback per activiteit en doelen ontbreken daarom (ze zijn niet nul)."
    )
    assert "omdat er geen activiteitenregister is om ze aan te koppelen" in sentences[1]
    assert "(verwacht: targets/2026.yaml)" in sentences[3]
    assert missing_sentences(SOURCES, "en")[0].startswith(
        "No activity register for 2026 was found in raw/2026; figures on activities"
    )


def test_section_notes_name_only_their_own_inputs():
    indicators = section_note(SOURCES, "indicators")
    assert "activiteitenregister" in indicators and "doelen van het actieplan" in indicators
    reach = section_note(SOURCES, "reach")
    assert "activiteitenregister" in reach and "aanwezigheidslijsten" not in reach
    assert section_note(SOURCES, "comparison") is None
    assert section_note([], "feedback") is None


def test_planning_signals_from_missing_inputs():
    assert unavailable_signals(SOURCES) == ["gap", "rating"]
    only_feedback = [{"kind": "register", "status": "found"}, SOURCES[1]]
    assert unavailable_signals(only_feedback) == ["rating"]
    assert unavailable_signals([]) == []


def test_sources_table_for_the_quality_report():
    table = sources_table(SOURCES)
    assert table["Gegevens"].tolist() == [
        "activiteitenregister", "aanwezigheidslijsten", "feedbackformulieren",
        "doelen van het actieplan", "vorige bevraging",
    ]  # fmt: skip
    assert table["Status"].tolist() == ["ontbreekt", "niet gelezen", "ontbreekt", "ontbreekt",
                                        "gevonden"]  # fmt: skip
    assert table.loc[4, "Bestanden"] == "2025, 2026" and table.loc[4, "Gevolg"] == ""
    assert table.loc[3, "Gezocht in"] == "targets/2026.yaml"
