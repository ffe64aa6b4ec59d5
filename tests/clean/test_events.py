"""Registers, attendance lists and feedback forms, on hand-made files with values worked out by
hand; and the bad inputs staff really produce."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from inclusie_analysis.clean.events import (
    clean_events,
    load_events_config,
    parse_date,
    parse_goal,
    parse_hours,
)
from inclusie_analysis.clean.geo import MunicipalityMatcher
from inclusie_analysis.clean.ledger import Ledger
from inclusie_analysis.clean.privacy import DEMO_KEY

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_events_config()
HEADER = ["Nr", "Datum", "Titel", "Type", "Thema", "Vorm", "Duur", "Organisator", "Doelstelling",
          "Ingeschreven", "Aanwezig", "Opname gepubliceerd"]  # fmt: skip
REGISTER = [
    ["2025-001", datetime(2025, 2, 4), "Netwerkvergadering voorjaar", "Netwerkvergadering ",
     "regierol, senioren", "online", "2,5", "VVSG", "OD 1.1", 40, 31, "ja"],
    ["2025-002", 45720, "Webinar cyberveiligheid", "Webinar", "cyberveiligheid", "Via Teams",
     "1u30", "VVSG", "1.2", 60, 44, "nee"],
    [None] * 12,
    ["2025-003", "14 maart 2025", "Adviesgesprek Zele", "adviesgesprek", "", "fysiek", "60 min",
     "VVSG", "od3.2", None, 2, "n.v.t."],
    ["2025-004", "02/04/2025", "Opleiding toegankelijke websites", "Thematische opleiding",
     "toegankelijke websites", "fysiek", "09:00-12:30", "VVSG", "OD2.2", 20, 18, None],
    ["2025-005", datetime(2025, 5, 6), "Iets nieuws", "Hackathon", None, "hybride", "lang",
     "VVSG", "OD9", 10, 9, None],
    [None, None, "Totaal", None, None, None, None, None, None, 130, 104, None],
]  # fmt: skip
COMMUNICATION = [
    [datetime(2025, 1, 15), "Nieuwsbrief", "Nieuwsbrief januari"],
    [datetime(2025, 2, 20), "Artikel Lokaal", "Lokaal: outreach"],
    [None, None, None],
    [datetime(2025, 3, 3), "Goede praktijk", "Goede praktijk: computerruimte"],
    [datetime(2025, 3, 9), "Podcast", "Een podcast"],
]  # fmt: skip


def write_register(folder: Path, rows=REGISTER, sheets=("Activiteiten", "Communicatie")) -> Path:
    book = Workbook()
    first = book.active
    first.title = sheets[0]
    first.append(HEADER)
    for row in rows:
        first.append(row)
    if len(sheets) > 1:
        comm = book.create_sheet(sheets[1])
        comm.append(["Datum", "Soort", "Titel"])
        for row in COMMUNICATION:
            comm.append(row)
    path = folder / "activiteiten-2025.xlsx"
    book.save(path)
    return path


def write_attendance(folder: Path) -> Path:
    (folder / "aanwezigheden").mkdir(exist_ok=True)
    path = folder / "aanwezigheden" / "2025-001_aanwezigheden.csv"
    rows = [
        ["Voornaam", "Naam", "E-mailadres", "Organisatie", "Gemeente", "Aanwezig"],
        ["An", "Peeters", "an.peeters@example.org", "Stad Gent", "Gent", "ja"],
        ["Bart", "Maes", "bart.maes@example.com", "OCMW Lier", "2500", "nee"],
        ["", "", "", "", "", ""],
        ["An", "Peeters", "AN.PEETERS@example.org", "Stad Gent", "Gent", "ja"],  # registered twice
        ["Els", "Claes", "els.claes@example.net", "Gemeente Kruibeke", "Kruibeke", "ja"],
        ["Tom", "Wuyts", "tom.wuyts@example.org", "Welzijnsvereniging X", "n.v.t.", "misschien"],
    ]
    with path.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    return path


def write_feedback(folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name",
                  "Welke activiteit heeft u gevolgd?", "Hoe tevreden bent u over deze activiteit?",
                  "De inhoud was relevant voor mijn werk.",
                  "Hoe waarschijnlijk is het dat u deze activiteit aanbeveelt aan een collega?",
                  "Wat kan beter, en over welke thema's wilt u nog een sessie?"])  # fmt: skip
    t = datetime(2025, 2, 5, 10)
    rows = [
        [1, t, t, "anonymous", None, "Netwerkvergadering voorjaar (04/02/2025)", 4, "Akkoord", 9,
         None],
        [2, t, t, "anonymous", None, "Webinar cyberveiligheid (04/03/2025)", 5, "Helemaal akkoord",
         10, "Mail me op an.peeters@example.org"],
        [3, t, t, "anonymous", None, "2025-004 opleiding", 3, "Neutraal", 12, None],
        [4, t, t, "anonymous", None, "de sessie van vorige week", 2, "Soms", "tien", None],
        [None] * 10,
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    path = folder / "feedback-2025.xlsx"
    book.save(path)
    return path


@pytest.fixture
def cleaned(tmp_path):
    folder = tmp_path / "in" / "2025"
    folder.mkdir(parents=True)
    write_register(folder)
    write_attendance(folder)
    write_feedback(folder)
    ledger = Ledger()
    frames = clean_events(
        tmp_path / "in", 2025, CONFIG, key=DEMO_KEY, matcher=MunicipalityMatcher(), ledger=ledger
    )
    return frames, ledger


@pytest.mark.parametrize(
    ("text", "hours"),
    [(2.5, 2.5), ("2,5", 2.5), ("1u30", 1.5), ("1u", 1.0), ("90 min", 1.5), ("09:00-12:30", 3.5),
     ("9u-12u30", 3.5), ("lang", None), (-3, None), ("3 uur", 3.0)],
)  # fmt: skip
def test_hours_as_staff_type_them(text, hours):
    assert parse_hours(text) == hours


def test_dates_and_goals():
    # Excel serial: 45658 is 1 January 2025, so 45720 is 62 days later, 4 March 2025
    assert parse_date(45720).isoformat() == "2025-03-04"
    assert parse_date("14 maart 2025").isoformat() == "2025-03-14"
    assert parse_date("02/04/2025").isoformat() == "2025-04-02"  # Belgian: day first
    assert parse_date("30/02/2025") is None
    assert parse_goal("OD 1.1") == parse_goal("1.1") == parse_goal("od1.1 ") == "OD1.1"
    assert parse_goal("OD9") is None


def test_register_worked_out_by_hand(cleaned):
    frames, _ = cleaned
    events = frames.events.set_index("event_id")
    assert list(events.index) == ["2025-001", "2025-002", "2025-003", "2025-004", "2025-005"]
    assert events["type"].tolist()[:4] == [
        "general_meeting",
        "info_session",
        "advice",
        "training_thematic",
    ]
    assert pd.isna(events.loc["2025-005", "type"])  # "Hackathon" is not in the vocabulary
    assert events["hours"].tolist()[:4] == [2.5, 1.5, 1.0, 3.5]
    assert pd.isna(events.loc["2025-005", "hours"])  # "lang"
    assert events["mode"].tolist() == ["online", "online", "physical", "physical", "hybrid"]
    assert events["goal"].tolist()[:4] == ["OD1.1", "OD1.2", "OD3.2", "OD2.2"]
    assert events.loc["2025-001", "themes"] == "regierol;senioren"
    assert events.loc["2025-002", "date"] == pd.Timestamp("2025-03-04")
    assert (
        events.loc["2025-001", "recording_published"]
        and not events.loc["2025-002", "recording_published"]
    )
    assert pd.isna(events.loc["2025-003", "recording_published"])
    # 2025-001 has a list: An (present, twice), Bart (absent), Els (present), Tom ("misschien")
    assert events.loc["2025-001", "attended_list"] == 2
    assert (
        events.loc["2025-001", "attended"] == 2
        and events.loc["2025-001", "attendance_source"] == "lijst"
    )
    assert (
        events.loc["2025-002", "attended"] == 44
        and events.loc["2025-002", "attendance_source"] == "register"
    )


def test_every_row_accounted_and_problems_named(cleaned):
    _, ledger = cleaned
    frames = ledger.frames()
    files = frames["files"].set_index(["file", "sheet"])
    register = files.loc[("activiteiten-2025.xlsx", "Activiteiten")]
    assert (register["rows_in"], register["kept"], register["rejected"]) == (7, 5, 2)
    comm = files.loc[("activiteiten-2025.xlsx", "Communicatie")]
    assert (comm["rows_in"], comm["kept"], comm["rejected"]) == (5, 4, 1)
    att = (
        files.loc[("2025-001_aanwezigheden.csv", pd.NA)]
        if False
        else frames["files"].query("file == '2025-001_aanwezigheden.csv'").iloc[0]
    )
    assert (att["rows_in"], att["kept"], att["merged"], att["rejected"]) == (6, 4, 1, 1)
    fixes = frames["fixes"]
    by = {(r.file, r.row, r.action) for r in fixes.itertuples()}
    assert ("activiteiten-2025.xlsx", 7, "type_unknown") in by
    assert ("activiteiten-2025.xlsx", 7, "hours_unreadable") in by
    assert ("activiteiten-2025.xlsx", 7, "goal_unknown") in by
    assert ("activiteiten-2025.xlsx", 2, "attendance_mismatch") in by  # register 31, list 2
    assert ("feedback-2025.xlsx", 4, "nps_rejected") in by  # 12
    assert ("feedback-2025.xlsx", 5, "nps_rejected") in by  # "tien"
    assert ("feedback-2025.xlsx", 5, "feedback_unlinked") in by
    mismatch = fixes[fixes["action"] == "attendance_mismatch"].iloc[0]
    assert mismatch["column"] == "aanwezig" and "lijst wordt gebruikt" in mismatch["message"]


def test_communication_outputs(cleaned):
    frames, _ = cleaned
    assert frames.activities["type"].tolist() == ["newsletter", "article", "good_practice", "other"]


def test_attendance_is_pseudonymised_and_placed(cleaned):
    frames, _ = cleaned
    attendance = frames.attendance
    assert (
        len(attendance) == 4 and attendance["participant_id"].str.match(r"^p_[0-9a-f]{16}$").all()
    )
    assert not attendance.astype(str).apply(lambda c: c.str.contains("@|Peeters")).any().any()
    by_row = attendance.set_index("source_row")
    assert by_row.loc[3, "nis_code"] == "12021"  # postcode 2500 → Lier
    assert by_row.loc[6, "nis_code"] == "46030"  # Kruibeke → Beveren-Kruibeke-Zwijndrecht
    assert by_row.loc[2, "org_type"] == "lokaal_bestuur"


def test_feedback_linked_or_reported(cleaned):
    frames, _ = cleaned
    feedback = frames.feedback.set_index("source_row")
    assert (
        feedback.loc[2, "event_id"] == "2025-001" and feedback.loc[2, "link_method"] == "title_date"
    )
    assert feedback.loc[3, "event_id"] == "2025-002"
    assert feedback.loc[4, "event_id"] == "2025-004" and feedback.loc[4, "link_method"] == "id"
    assert pd.isna(feedback.loc[5, "event_id"])
    assert pd.isna(feedback.loc[4, "nps"]) and feedback.loc[2, "nps"] == 9
    assert feedback["relevance"].cat.ordered and pd.isna(feedback.loc[5, "relevance"])
    texts = frames.feedback_text
    assert texts["text"].tolist() == ["Mail me op [e-mail]"]


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("empty", "geen kopregel"),
        ("missing_sheet", "geen blad met de activiteiten"),
        ("1925", "valt niet in 2025"),
    ],
)
def test_bad_registers_are_named_and_the_run_goes_on(tmp_path, case, fragment):
    folder = tmp_path / "in" / "2025"
    folder.mkdir(parents=True)
    if case == "empty":
        book = Workbook()
        book.active.title = "Activiteiten"
        book.save(folder / "activiteiten-2025.xlsx")
    elif case == "missing_sheet":
        write_register(folder, sheets=("Blad2",))
    else:
        rows = [list(r) for r in REGISTER]
        rows[0][1] = datetime(1925, 2, 4)
        write_register(folder, rows=rows)
    write_feedback(folder)
    ledger = Ledger()
    frames = clean_events(
        tmp_path / "in", 2025, CONFIG, key=DEMO_KEY, matcher=MunicipalityMatcher(), ledger=ledger
    )
    files = ledger.frames()["files"]
    messages = " ".join(files["error"].dropna()) + " ".join(ledger.frames()["fixes"]["message"])
    assert fragment in messages
    assert (
        files.loc[files["file"] == "feedback-2025.xlsx", "status"] == "ok"
    ).all()  # the rest goes on
    assert len(frames.feedback) == 4


def test_indicators_of_the_hand_made_register(cleaned):
    from inclusie_analysis.analyse.indicators import compute_indicators, load_targets

    frames, _ = cleaned
    table = compute_indicators(frames.events, frames.activities, load_targets(2025), 2025)
    realised = table.set_index("indicator")["realised"].to_dict()
    counted = table.set_index("indicator")["counted"].to_dict()
    # worked out by hand from REGISTER, COMMUNICATION and the attendance list above
    assert (
        realised["od1_1_algemene_bijeenkomsten"] == 1
        and counted["od1_1_algemene_bijeenkomsten"] == "2025-001"
    )
    assert realised["od1_2_infosessies"] == 1
    assert realised["od1_2_deelnemersuren_infosessies"] == 44 * 1.5  # register count, no list
    assert realised["od2_2_deelnemersuren_opleidingen"] == 18 * 3.5
    assert realised["od3_2_adviesgesprekken"] == 1
    assert realised["od1_1_opnames_online"] == 1.0  # the one online meeting, published
    assert realised["od1_3_nieuwsbrieven"] == 1 and realised["od1_3_artikels_lokaal"] == 1
    assert realised["od1_3_goede_praktijken"] == 1
    assert realised["od3_3_trajecten"] == 0


def test_register_themes_fall_back_on_the_theme_taxonomy(tmp_path):
    """Words that events.yaml does not know are looked up in the themes file (id, label,
    keyword); what neither knows is reported, not silently dropped."""
    import yaml

    from inclusie_analysis.read.themes import THEMES_FILE

    data = yaml.safe_load(THEMES_FILE.read_text(encoding="utf-8"))
    data["themes"]["ai"] = {"label": "Artificiële intelligentie", "kinds": ["opleidingsthema"],
                            "keywords": ["AI", "chatgpt", "algoritme"]}  # fmt: skip
    themes = tmp_path / "themes.yaml"
    themes.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rows = [list(REGISTER[0]), list(REGISTER[1])]
    rows[0][4] = "regierol, Artificiële intelligentie"  # events.yaml word + a taxonomy label
    rows[1][4] = "ChatGPT; mediawijsheid; breiwerk"  # keyword, bundled keyword, unknown
    folder = tmp_path / "in" / "2025"
    folder.mkdir(parents=True)
    write_register(folder, rows)
    ledger = Ledger()
    frames = clean_events(
        tmp_path / "in", 2025, CONFIG, key=DEMO_KEY, matcher=MunicipalityMatcher(), ledger=ledger,
        taxonomy=themes,
    )  # fmt: skip
    assert frames.events["themes"].tolist() == ["regierol;ai", "ai;geletterdheid"]
    unknown = [f for f in ledger.fixes if f["action"] == "theme_unknown"]
    assert [(f["row"], f["value"]) for f in unknown] == [(3, "breiwerk")]
    assert "paths.themes" in unknown[0]["advice"]
