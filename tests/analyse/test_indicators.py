"""Indicators on a hand-made register whose values are worked out by hand, mid-year status on
constructed cases, and the targets files themselves."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from inclusie_analysis.analyse.indicators import (
    TARGETS_DIR,
    compute_indicators,
    draft_targets,
    find_targets,
    latest_targets,
    load_targets,
    parse_targets,
    target_folders,
    unmeasured,
    write_targets_draft,
)
from inclusie_analysis.errors import InputError
from inclusie_analysis.settings import ENV_VAR, load_settings


def events_frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["event_id", "date", "type", "mode", "hours", "attended", "recording_published"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["year"] = frame["date"].dt.year
    frame["attended"] = frame["attended"].astype("Int64")
    frame["hours"] = frame["hours"].astype("Float64")
    frame["recording_published"] = frame["recording_published"].astype("boolean")
    for column in ("goal", "organiser", "attendance_source"):
        frame[column] = pd.NA
    return frame


def activities_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["activity_id", "date", "type"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["year"] = frame["date"].dt.year
    return frame


# Ten events of 2025, typed by hand.
EVENTS = events_frame([
    ("A1", "2025-02-04", "general_meeting", "online", 2.5, 40, True),
    ("A2", "2025-06-10", "general_meeting", "physical", 3.0, 55, None),
    ("A3", "2025-03-12", "specific_meeting", "online", 2.0, 20, False),
    ("A4", "2025-03-20", "info_session", "online", 1.5, 30, True),
    ("A5", "2025-09-15", "info_session", "hybrid", 2.0, 25, None),
    ("A6", "2025-05-22", "inspiration_day", "physical", 6.0, 70, None),
    ("A7", "2025-04-01", "training_thematic", "physical", 3.5, 18, None),
    ("A8", "2025-10-07", "training_thematic", "online", 3.0, 20, None),
    ("A9", "2025-01-20", "advice", "physical", 1.0, 2, None),
    ("A10", "2025-11-03", "advice", "online", 1.0, 1, None),
])  # fmt: skip
ACTIVITIES = activities_frame([
    ("N1", "2025-01-15", "newsletter"), ("N2", "2025-02-15", "newsletter"),
    ("L1", "2025-03-01", "article"), ("G1", "2025-05-01", "good_practice"),
])  # fmt: skip


@pytest.fixture(scope="module")
def year_end() -> pd.DataFrame:
    table = compute_indicators(EVENTS, ACTIVITIES, load_targets(2025), 2025)
    return table.set_index("indicator")


def test_counts_by_hand(year_end):
    assert year_end.loc["od1_1_algemene_bijeenkomsten", "realised"] == 2  # A1, A2 (target 3)
    assert year_end.loc["od1_1_algemene_bijeenkomsten", "status"] == "niet gehaald"
    assert year_end.loc["od1_1_algemene_bijeenkomsten", "counted"] == "A1;A2"
    assert year_end.loc["od1_1_specifieke_bijeenkomsten", "realised"] == 1  # A3
    assert year_end.loc["od1_2_infosessies", "realised"] == 2  # A4, A5: target 2 met
    assert year_end.loc["od1_2_infosessies", "status"] == "gehaald"
    assert year_end.loc["od2_2_thematische_opleidingen", "realised"] == 2
    assert year_end.loc["od3_2_adviesgesprekken", "realised"] == 2  # target 8
    assert year_end.loc["od1_3_nieuwsbrieven", "realised"] == 2
    assert year_end.loc["od1_3_nieuwsbrieven", "counted"] == "N1;N2"
    assert year_end.loc["od1_3_artikels_lokaal", "realised"] == 1
    assert year_end.loc["od1_3_goede_praktijken", "realised"] == 1
    assert year_end.loc["od3_3_trajecten", "realised"] == 0
    assert year_end.loc["od3_3_trajecten", "counted"] == ""


def test_participant_hours_by_hand(year_end):
    # info sessions: A4 30 × 1.5 = 45, A5 25 × 2.0 = 50 → 95 (target 100: not met)
    assert year_end.loc["od1_2_deelnemersuren_infosessies", "realised"] == pytest.approx(95.0)
    assert year_end.loc["od1_2_deelnemersuren_infosessies", "status"] == "niet gehaald"
    # thematic trainings: A7 18 × 3.5 = 63, A8 20 × 3.0 = 60 → 123 (target 160)
    assert year_end.loc["od2_2_deelnemersuren_opleidingen", "realised"] == pytest.approx(123.0)
    assert year_end.loc["od2_2_deelnemersuren_opleidingen", "counted"] == "A7;A8"


def test_recordings_and_both_inspiration_days_by_hand(year_end):
    # online/hybrid general or specific meetings: A1 (published), A3 (not) → 1 of 2
    assert year_end.loc["od1_1_opnames_online", "realised"] == pytest.approx(0.5)
    assert year_end.loc["od1_1_opnames_online", "status"] == "niet gehaald"
    assert year_end.loc["od1_1_opnames_online", "counted"] == "A1"
    # only the physical inspiration day (A6) happened: 1 of the 2 cases
    assert year_end.loc["od1_2_inspiratiedagen", "realised"] == 1
    assert year_end.loc["od1_2_inspiratiedagen", "status"] == "niet gehaald"


def test_mid_year_without_a_previous_year():
    table = compute_indicators(EVENTS, ACTIVITIES, load_targets(2025), 2025, as_of="2025-06-30")
    table = table.set_index("indicator")
    elapsed = 181 / 365  # 1 January to 30 June 2025
    # general meetings up to 30 June: A1, A2 → 2; expected 3 × 181/365 = 1.49 → on track
    general = table.loc["od1_1_algemene_bijeenkomsten"]
    assert general["realised"] == 2 and general["expected"] == pytest.approx(3 * elapsed)
    assert general["status"] == "op koers"
    # advice up to 30 June: A9 → 1; expected 8 × 0.496 = 3.97 → behind
    assert table.loc["od3_2_adviesgesprekken", "realised"] == 1
    assert table.loc["od3_2_adviesgesprekken", "status"] == "achter"
    # info sessions: A4 only (A5 is in September) → 1 of 2; expected 0.99 → on track
    assert table.loc["od1_2_infosessies", "status"] == "op koers"
    # a share does not accrue: expected is the target
    assert table.loc["od1_1_opnames_online", "expected"] == 1.0


def test_mid_year_with_last_year_as_the_yardstick():
    # Last year all three general meetings fell after June: by 30 June none is expected yet.
    previous = events_frame([
        ("P1", "2024-09-10", "general_meeting", "online", 2.0, 30, True),
        ("P2", "2024-10-10", "general_meeting", "online", 2.0, 30, True),
        ("P3", "2024-11-10", "general_meeting", "online", 2.0, 30, True),
        ("P4", "2024-02-01", "advice", "online", 1.0, 1, None),
        ("P5", "2024-03-01", "advice", "online", 1.0, 1, None),
        ("P6", "2024-09-01", "advice", "online", 1.0, 1, None),
        ("P7", "2024-10-01", "advice", "online", 1.0, 1, None),
    ])  # fmt: skip
    none_yet = EVENTS[EVENTS["type"] != "general_meeting"]
    table = compute_indicators(
        none_yet, ACTIVITIES, load_targets(2025), 2025, as_of="2025-06-30", previous_events=previous
    ).set_index("indicator")
    general = table.loc["od1_1_algemene_bijeenkomsten"]
    assert general["realised"] == 0 and general["expected"] == 0 and general["status"] == "op koers"
    # last year 2 of 4 advice conversations by 30 June → expected 8 × 0.5 = 4; realised 1
    advice = table.loc["od3_2_adviesgesprekken"]
    assert advice["expected"] == pytest.approx(4.0) and advice["status"] == "achter"


def test_the_2025_file_transcribes_the_plan():
    targets = load_targets(2025)
    assert len(targets) == 17
    assert sorted({t.goal for t in targets}) == [
        "OD1.1", "OD1.2", "OD1.3", "OD2.1", "OD2.2", "OD3.1", "OD3.2", "OD3.3"
    ]  # fmt: skip
    by_id = {t.id: t for t in targets}
    # the plan's table (../shared/context/README.md)
    assert [t.target for t in targets if t.goal == "OD1.1"] == [3, 2, 1.0]
    assert by_id["od1_2_deelnemersuren_infosessies"].target == 100
    assert by_id["od2_2_deelnemersuren_opleidingen"].target == 160
    assert by_id["od1_3_nieuwsbrieven"].target == 9
    assert (
        by_id["od3_2_adviesgesprekken"].target == 8
        and by_id["od3_2_adviesgesprekken"].op == "at_least"
    )
    assert (
        by_id["od1_2_inspiratiedagen"].op == "all_of"
        and len(by_id["od1_2_inspiratiedagen"].cases) == 2
    )


def test_a_new_year_is_a_new_file(tmp_path):
    path = tmp_path / "2026.yaml"
    path.write_text(
        "year: 2026\nindicators:\n"
        "  - {id: nieuwsbrieven, goal: OD1.3, description: Nieuwsbrieven, unit: nieuwsbrieven,\n"
        "     op: at_least, target: 10, rule: {frame: activities, where: {type: [newsletter]},\n"
        "     measure: count}}\n",
        encoding="utf-8",
    )
    table = compute_indicators(EVENTS, ACTIVITIES, load_targets(2026, path), 2026)
    assert table.loc[0, "realised"] == 2 and table.loc[0, "status"] == "niet gehaald"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (("op: at_least", "op: minstens"), "op 'minstens'"),
        (("measure: count", "measure: som"), "measure 'som'"),
        (("type: [newsletter]", "soort: [newsletter]"), "kolom 'soort'"),
        (("target: 10", "target: tien"), "target moet een getal"),
        (("unit: nieuwsbrieven,", "eenheid: nieuwsbrieven,"), "eenheid"),
    ],
)
def test_mistakes_in_a_targets_file_are_named(tmp_path, change, fragment):
    text = (
        "year: 2026\nindicators:\n"
        "  - {id: nieuwsbrieven, goal: OD1.3, description: Nieuwsbrieven, unit: nieuwsbrieven,\n"
        "     op: at_least, target: 10, rule: {frame: activities, where: {type: [newsletter]},\n"
        "     measure: count}}\n"
    ).replace(*change)
    path = tmp_path / "2026.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_targets(2026, path)
    assert fragment in str(caught.value) and "nieuwsbrieven" in str(caught.value)
    assert str(path) in str(caught.value)


def test_no_targets_for_a_year_is_a_clear_error(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(InputError, match="geen doelen voor 1999") as caught:
        load_targets(1999)
    assert str(TARGETS_DIR) in str(caught.value)  # where it looked
    assert "inclusie targets draft --year 1999" in str(caught.value)  # what to do


# ---------------------------------------------------------------------------------------------
# The user's targets folder (paths.targets) and next year's draft

ONE_INDICATOR = (
    "year: {year}\nindicators:\n"
    "  - {{id: nieuwsbrieven, goal: OD1.3, description: Nieuwsbrieven, unit: nieuwsbrieven,\n"
    "     op: at_least, target: 10, rule: {{frame: activities, where: {{type: [newsletter]}},\n"
    "     measure: count}}}}\n"
)


@pytest.fixture
def settings(tmp_path):
    path = tmp_path / "inclusie.toml"
    path.write_text('[paths]\ntargets = "doelen"\n', encoding="utf-8")
    return load_settings(path)


def test_the_users_folder_is_looked_in_first(settings):
    folder = settings.targets
    assert folder == settings.root / "doelen"
    assert target_folders(settings) == [folder, TARGETS_DIR]
    assert target_folders(folder) == [folder, TARGETS_DIR]  # the folder itself will do
    assert find_targets(2025, settings) == TARGETS_DIR / "2025.yaml"  # folder absent: bundled
    assert find_targets(2026, settings) is None  # no targets, which is not "zero targets"
    folder.mkdir()
    (folder / "2025.yaml").write_text(ONE_INDICATOR.format(year=2025), encoding="utf-8")
    (folder / "2026.yaml").write_text("year: 2026\nindicators: []\n", encoding="utf-8")
    assert find_targets(2025, settings) == folder / "2025.yaml"  # the user's wins
    assert [t.id for t in load_targets(2025, settings=settings)] == ["nieuwsbrieven"]
    assert load_targets(2026, settings=settings) == []  # a file with zero targets
    with pytest.raises(InputError) as caught:
        load_targets(2027, settings=settings)
    assert str(folder) in str(caught.value) and str(TARGETS_DIR) in str(caught.value)


def test_the_settings_in_use_give_the_folder(settings, monkeypatch):
    settings.targets.mkdir()
    (settings.targets / "2031.yaml").write_text(ONE_INDICATOR.format(year=2031), encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(settings.source))
    assert find_targets(2031) == settings.targets / "2031.yaml"
    assert len(load_targets(2031)) == 1


def test_a_targets_file_for_another_year_is_refused(tmp_path):
    path = tmp_path / "2026.yaml"
    path.write_text(ONE_INDICATOR.format(year=2025), encoding="utf-8")  # copied, year not changed
    with pytest.raises(InputError, match="zegt year: 2025, maar wordt gebruikt voor 2026"):
        load_targets(2026, path)


def test_the_draft_keeps_every_indicator_and_marks_each_target():
    source = (TARGETS_DIR / "2025.yaml").read_text(encoding="utf-8")
    draft = draft_targets(source, 2026, 2025, "2025.yaml")
    old, new = load_targets(2025), parse_targets(draft, Path("2026.yaml"), 2026)
    assert new == old  # every indicator, rule and target as it was
    lines = draft.splitlines()
    targets = [line for line in lines if line.strip().startswith("target:")]
    assert len(targets) == 17 and all("# CONTROLEER: doel van 2025" in t for t in targets)
    assert "year: 2026" in lines and "year: 2025" not in lines
    assert any(line.startswith("source:") and "# CONTROLEER" in line for line in lines)
    assert "# rule.measure: count" in draft  # the source's explanations stay


def test_a_draft_of_a_draft_does_not_pile_up_marks():
    first = draft_targets((TARGETS_DIR / "2025.yaml").read_text(encoding="utf-8"), 2026, 2025, "a")
    second = draft_targets(first, 2027, 2026, "b")
    assert second.count("# CONTROLEER") == first.count("# CONTROLEER") == 1 + 17 + 1
    assert "doel van 2025" not in second and "year: 2027" in second


def test_a_draft_of_an_inline_file_is_rewritten_in_blocks():
    draft = draft_targets(ONE_INDICATOR.format(year=2026), 2027, 2026, "2026.yaml")
    assert [t.target for t in parse_targets(draft, "2027.yaml", 2027)] == [10]
    assert "  target: 10  # CONTROLEER: doel van 2026" in draft


def test_write_draft_takes_the_latest_earlier_year_and_never_overwrites(settings):
    assert latest_targets(2026, settings) == TARGETS_DIR / "2025.yaml"
    draft = write_targets_draft(2026, settings)
    assert draft.path == settings.targets / "2026.yaml" and draft.found
    assert draft.source == TARGETS_DIR / "2025.yaml" and draft.checks == 18  # 17 targets + source
    assert len(load_targets(2026, settings=settings)) == 17
    with pytest.raises(InputError, match="bestaat al"):
        write_targets_draft(2026, settings)
    # the next year starts from the user's 2026, not the bundled 2025
    assert latest_targets(2027, settings) == settings.targets / "2026.yaml"
    with pytest.raises(InputError, match="geen doelen voor 2019"):
        write_targets_draft(2028, settings, from_year=2019)
    elsewhere = write_targets_draft(2028, settings, 2025, settings.root / "elders" / "2028.yaml")
    assert not elsewhere.found and elsewhere.source == TARGETS_DIR / "2025.yaml"


def test_without_a_targets_folder_the_draft_goes_to_surveys_targets(tmp_path):
    path = tmp_path / "inclusie.toml"
    path.write_text('[paths]\ntargets = ""\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.targets is None and target_folders(settings) == [TARGETS_DIR]
    draft = write_targets_draft(2026, settings)
    assert draft.path == tmp_path / "surveys" / "targets" / "2026.yaml"
    assert not draft.found  # paths.targets must point there first


def test_without_a_register_nothing_is_realised_not_zero(year_end):
    table = unmeasured(load_targets(2025))
    assert len(table) == 17
    assert table.dtypes.to_dict() == year_end.reset_index().dtypes[table.columns].to_dict()
    assert table["realised"].isna().all() and table["expected"].isna().all()
    assert set(table["status"]) == {"geen gegevens"} and (table["n_counted"] == 0).all()
    assert table["target"].tolist() == [i.target for i in load_targets(2025)]
