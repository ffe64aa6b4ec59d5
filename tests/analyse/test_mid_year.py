"""Mid-year 'verwacht' (issue 14): from the register's plan where it lists the rest of the
year, else from earlier years' pace (how many said), and 'achter' only beyond one activity.
Every expected value worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from inclusie_analysis.analyse.indicators import compute_indicators, expected_sentence, load_targets


def events_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["event_id", "date", "type", "mode", "hours", "attended"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["year"] = frame["date"].dt.year
    frame["attended"] = frame["attended"].astype("Int64")
    frame["hours"] = frame["hours"].astype("Float64")
    frame["recording_published"] = pd.array([pd.NA] * len(frame), dtype="boolean")
    for column in ("goal", "organiser", "attendance_source"):
        frame[column] = pd.NA
    return frame


NO_ACTIVITIES = pd.DataFrame(
    {"activity_id": pd.Series(dtype="string"), "date": pd.Series(dtype="datetime64[ns]"),
     "type": pd.Series(dtype="string"), "year": pd.Series(dtype="int64")}
)  # fmt: skip


def indicators(events, previous=None) -> pd.DataFrame:
    table = compute_indicators(
        events, NO_ACTIVITIES, load_targets(2025), 2025, as_of="2025-06-30",
        previous_events=previous,
    )  # fmt: skip
    return table.set_index("indicator")


def test_the_plan_in_the_register_sets_what_is_expected():
    # The register lists the whole year: the physical inspiration day in May (held), the
    # online one planned in October. Target: both (2 cases). By 30 June the plan has 1 of
    # its 2 cases due → expected 2 × 1/2 = 1; realised 1 → on track (last year's timing, or
    # the share of the year, would not know that the online day is planned for autumn).
    events = events_frame([
        ("I1", "2025-05-22", "inspiration_day", "physical", 6.0, 70),
        ("I2", "2025-10-09", "inspiration_day", "online", 3.0, pd.NA),
        # advice: 6 planned, 2 by 30 June → expected 8 × 2/6 = 2.67; realised 2 → on track
        *[(f"A{i}", d, "advice", "online", 1.0, 1) for i, d in enumerate(
            ["2025-01-20", "2025-05-02", "2025-07-15", "2025-09-01", "2025-10-01", "2025-11-03"]
        )],
    ])  # fmt: skip
    table = indicators(events)
    days = table.loc["od1_2_inspiratiedagen"]
    assert days["realised"] == 1 and days["expected"] == pytest.approx(1.0)
    assert days["expected_basis"] == "plan" and days["status"] == "op koers"
    advice = table.loc["od3_2_adviesgesprekken"]
    assert advice["expected"] == pytest.approx(8 * 2 / 6) and advice["status"] == "op koers"
    # general meetings: nothing in the register → no plan; no earlier year → the share of
    # the year elapsed, 181/365
    general = table.loc["od1_1_algemene_bijeenkomsten"]
    assert general["expected_basis"] == "elapsed"
    assert general["expected"] == pytest.approx(3 * 181 / 365)


def test_earlier_years_give_their_mean_pace_and_behind_needs_more_than_one_activity():
    # 2023: 2 of 4 advice conversations by 30 June (0.5); 2024: 1 of 4 (0.25) → mean 0.375,
    # expected 8 × 0.375 = 3. The 2025 register has nothing after June (no plan).
    previous = events_frame([
        *[(f"P{i}", d, "advice", "online", 1.0, 1) for i, d in enumerate(
            ["2023-02-01", "2023-06-30", "2023-09-01", "2023-12-01",
             "2024-03-01", "2024-08-01", "2024-09-01", "2024-10-01"]
        )],
    ])  # fmt: skip
    two = events_frame([("A1", "2025-01-20", "advice", "online", 1.0, 1),
                        ("A2", "2025-03-01", "advice", "online", 1.0, 1)])  # fmt: skip
    advice = indicators(two, previous).loc["od3_2_adviesgesprekken"]
    assert advice["expected"] == pytest.approx(3.0)
    assert advice["expected_basis"] == "previous_years" and advice["expected_years"] == 2
    # gap 3 − 2 = 1 activity: not more than one → still on track
    assert advice["status"] == "op koers"
    one = indicators(two.iloc[:1], previous).loc["od3_2_adviesgesprekken"]
    assert one["status"] == "achter"  # gap 2 > 1
    # one earlier year only: 2024's 0.25 → expected 2, said as one year
    only_2024 = previous[previous["year"] == 2024]
    single = indicators(two.iloc[:1], only_2024).loc["od3_2_adviesgesprekken"]
    assert single["expected"] == pytest.approx(2.0) and single["expected_years"] == 1
    assert single["status"] == "op koers"  # gap exactly 1


def test_participant_hours_are_behind_on_any_shortfall():
    # info sessions: 2 held by June (30 × 1.5 + 20 × 1.0 = 65 participant-hours), 2 planned
    # after → expected 100 × 2/4 = 50 → on track
    events = events_frame([
        ("S1", "2025-03-20", "info_session", "online", 1.5, 30),
        ("S2", "2025-05-20", "info_session", "online", 1.0, 20),
        ("S3", "2025-09-20", "info_session", "online", 1.0, pd.NA),
        ("S4", "2025-11-20", "info_session", "online", 1.0, pd.NA),
    ])  # fmt: skip
    hours = indicators(events).loc["od1_2_deelnemersuren_infosessies"]
    assert hours["realised"] == 65 and hours["expected"] == pytest.approx(50.0)
    assert hours["status"] == "op koers"
    # only S1 held, by 20 people: 1.5 × 20 = 30 hours; the plan has 3 sessions, 1 due →
    # expected 100 / 3 = 33.3; short by 3.3 hours (less than one session) → behind all the same
    fewer = events.drop(index=1)
    fewer.loc[0, "attended"] = 20
    hours = indicators(fewer).loc["od1_2_deelnemersuren_infosessies"]
    assert hours["expected"] == pytest.approx(100 / 3) and hours["realised"] == 30
    assert hours["status"] == "achter"


def test_the_sentence_says_how_expected_was_found():
    previous = events_frame([("P1", "2024-02-01", "advice", "online", 1.0, 1),
                             ("P2", "2023-02-01", "advice", "online", 1.0, 1)])  # fmt: skip
    events = events_frame([
        ("I1", "2025-05-22", "inspiration_day", "physical", 6.0, 70),
        ("I2", "2025-10-09", "inspiration_day", "online", 3.0, pd.NA),
    ])  # fmt: skip
    text = expected_sentence(indicators(events, previous).reset_index(), "2025-06-30")
    assert text.startswith("Stand op 30 juni 2025: 'Verwacht' is wat op dit moment")
    assert "geplande activiteiten" in text and "vorige 2 jaar" in text
    assert "groter is dan één activiteit" in text
    year_end = compute_indicators(events, NO_ACTIVITIES, load_targets(2025), 2025)
    assert expected_sentence(year_end, "2025-12-31") == ""
