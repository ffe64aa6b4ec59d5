"""Events, attendance, feedback and indicators of the demo, checked against its ground truth."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from inclusie_analysis.clean.privacy import DEMO_KEY
from inclusie_analysis.datasets import clean_year

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cleaned(demo):
    return clean_year(
        demo.out,
        2025,
        codebooks_dir=ROOT / "surveys" / "codebooks",
        key=DEMO_KEY,
    )


@pytest.fixture(scope="module")
def truth_events(truth) -> pd.DataFrame:
    events = truth["events"]
    events = events[events["kind"] == "event"].set_index("event_id")
    attended = events["attended_list"].where(
        events["has_list"] == "True", events["attended_register"]
    )
    return events.assign(
        attended=attended.astype(int),
        hours=events["hours"].astype(float),
        year=events["date"].str[:4],
    )


def test_events_match_the_ground_truth(cleaned, truth_events):
    events = cleaned[1].events.set_index("event_id")
    assert set(events.index) == set(truth_events.index)
    truth = truth_events.loc[events.index]
    assert (events["type"] == truth["type"]).all()
    assert (events["mode"] == truth["mode"]).all()
    assert (events["hours"].astype(float) == truth["hours"]).all()
    assert (events["goal"].fillna("") == truth["goal"]).all()
    assert (events["date"].dt.strftime("%Y-%m-%d") == truth["date"]).all()
    assert (events["themes"] == truth["themes"]).all()
    assert (events["attended"].astype(int) == truth["attended"]).all()
    mismatched = truth[
        (truth["has_list"] == "True") & (truth["attended_register"] != truth["attended_list"])
    ]
    fixes = cleaned[0].fixes
    flagged = fixes.loc[fixes["action"] == "attendance_mismatch", ["file", "row"]]
    assert len(flagged) == len(mismatched) > 0


def test_every_file_is_accounted_for(cleaned, truth):
    files = cleaned[0].files
    assert (files["status"] == "ok").all()
    assert (files["rows_in"] == files["kept"] + files["merged"] + files["rejected"]).all()
    kinds = files.groupby("kind")["rows_in"].sum()
    assert kinds["aanwezigheden"] == len(truth["attendance_rows"])
    assert kinds["feedback"] == len(truth["feedback_rows"])
    register_rows = len(truth["events"]) + len(truth["communication"])
    assert kinds["register"] == register_rows


def test_feedback_is_linked_or_reported(cleaned, truth):
    feedback = cleaned[1].feedback
    rows = truth["feedback_rows"]
    merged = feedback.assign(row=feedback["source_row"].astype(str)).merge(
        rows, left_on=["source_file", "row"], right_on=["file", "row"], validate="one_to_one"
    )
    linkable = merged["linkable"] == "True"
    assert (merged.loc[linkable, "event_id_x"] == merged.loc[linkable, "event_id_y"]).all()
    assert merged.loc[~linkable, "event_id_x"].isna().all()
    unlinked = cleaned[0].fixes.query("action == 'feedback_unlinked'")
    assert len(unlinked) == (~linkable).sum() > 0
    assert (merged["nps_x"].astype(int) == merged["nps_y"].astype(int)).all()


def test_attendance_is_placed_and_pseudonymised(cleaned, truth):
    attendance = cleaned[1].attendance
    rows = truth["attendance_rows"]
    merged = attendance.assign(row=attendance["source_row"].astype(str)).merge(
        rows, left_on=["source_file", "row"], right_on=["file", "row"], validate="one_to_one"
    )
    assert (merged["nis_code_x"].fillna("") == merged["nis_code_y"]).all()
    # one pseudonym per synthetic person, whatever the capitals in their e-mail address
    per_person = merged.groupby("participant")["participant_id"].nunique()
    assert (per_person == 1).all()


def test_indicators_equal_the_ground_truth(cleaned, truth_events, truth):
    indicators = cleaned[1].indicators.set_index("indicator")
    assert len(indicators) == 17
    events = truth_events[truth_events["year"] == "2025"]
    communication = truth["communication"]
    communication = communication[communication["date"].str.startswith("2025")]

    def count(*types):
        return int(events["type"].isin(types).sum())

    def hours(*types):
        chosen = events[events["type"].isin(types)]
        return float((chosen["attended"] * chosen["hours"]).sum())

    realised = indicators["realised"].astype(float)
    by_goal = indicators.reset_index().set_index(["goal", "unit"])["realised"]
    assert sorted(indicators["goal"].unique()) == [
        "OD1.1", "OD1.2", "OD1.3", "OD2.1", "OD2.2", "OD3.1", "OD3.2", "OD3.3"
    ]  # fmt: skip
    expected_counts = {
        count("general_meeting"),
        count("specific_meeting"),
        count("info_session"),
        count("presentation_on_request"),
        count("training_multiday"),
        count("training_integrated"),
        count("training_thematic"),
        count("focus_group"),
        count("advice"),
        count("support_trajectory"),
        int((communication["type"] == "newsletter").sum()),
        int((communication["type"] == "article").sum()),
        int((communication["type"] == "good_practice").sum()),
    }
    assert expected_counts <= set(realised.round(6))
    assert hours("info_session") in set(realised.round(6))
    assert hours("training_thematic") in set(realised.round(6))
    assert len(by_goal) == 17
    # every indicator lists the rows it counts, and their number matches a count indicator
    counted = indicators["counted"].fillna("")
    assert (counted.str.len() > 0).sum() >= 15


def test_feedback_summaries_on_the_demo(cleaned, truth):
    from inclusie_analysis.feedback import summarise_feedback

    events = cleaned[1]
    per_event = summarise_feedback(events.feedback, events.events, by="event")
    rows = truth["feedback_rows"]
    linked = rows[rows["linkable"] == "True"].groupby("event_id").size()
    assert per_event.set_index("event_id")["n_responses"].to_dict() == linked.to_dict()
    assert (per_event["suppressed"] == per_event["n_responses"].between(1, 4)).all()
    per_year = summarise_feedback(events.feedback, events.events, by="year").set_index("year")
    assert per_year.loc[2025, "n_responses"] == linked[linked.index.str.startswith("2025")].sum()
    assert 1 <= per_year.loc[2025, "satisfaction_mean"] <= 5
