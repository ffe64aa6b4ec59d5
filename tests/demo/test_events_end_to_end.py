"""Events, attendance, feedback and indicators of the demo, checked against its ground truth."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from inclusie_analysis.clean.datasets import clean_year
from inclusie_analysis.clean.privacy import DEMO_KEY

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

    def ids(*types, frame=events):
        return sorted(frame.index[frame["type"].isin(types)])

    def hours(*types):
        chosen = events[events["type"].isin(types)]
        return float((chosen["attended"] * chosen["hours"]).sum())

    count_rules = {
        "od1_1_algemene_bijeenkomsten": ids("general_meeting"),
        "od1_1_specifieke_bijeenkomsten": ids("specific_meeting"),
        "od1_2_infosessies": ids("info_session"),
        "od1_3_op_vraag": ids("presentation_on_request"),
        "od2_1_meerdaagse_opleiding": ids("training_multiday"),
        "od2_2_geintegreerde_opleiding": ids("training_integrated"),
        "od2_2_thematische_opleidingen": ids("training_thematic"),
        "od3_1_focusgroepen": ids("focus_group"),
        "od3_2_adviesgesprekken": ids("advice"),
        "od3_3_trajecten": ids("support_trajectory"),
    }
    for indicator, expected in count_rules.items():
        assert indicators.loc[indicator, "realised"] == len(expected), indicator
        assert sorted(indicators.loc[indicator, "counted"].split(";")) == expected, indicator
    communication_rules = {
        "od1_3_nieuwsbrieven": "newsletter",
        "od1_3_artikels_lokaal": "article",
        "od1_3_goede_praktijken": "good_practice",
    }
    for indicator, kind in communication_rules.items():
        assert indicators.loc[indicator, "realised"] == (communication["type"] == kind).sum()
    assert indicators.loc["od1_2_deelnemersuren_infosessies", "realised"] == hours("info_session")
    assert indicators.loc["od2_2_deelnemersuren_opleidingen", "realised"] == hours(
        "training_thematic"
    )
    online = events[events["type"].isin(["general_meeting", "specific_meeting"])
                    & events["mode"].isin(["online", "hybrid"])]  # fmt: skip
    share = (online["recording_published"] == "True").mean()
    assert indicators.loc["od1_1_opnames_online", "realised"] == pytest.approx(share)
    inspiration = events[events["type"] == "inspiration_day"]
    cases = int((inspiration["mode"] == "physical").any()) + int(
        inspiration["mode"].isin(["online", "hybrid"]).any()
    )
    assert indicators.loc["od1_2_inspiratiedagen", "realised"] == cases


def test_feedback_summaries_on_the_demo(cleaned, truth):
    from inclusie_analysis.analyse.feedback import summarise_feedback

    events = cleaned[1]
    per_event = summarise_feedback(events.feedback, events.events, by="event")
    rows = truth["feedback_rows"]
    linked = rows[rows["linkable"] == "True"].groupby("event_id").size()
    assert per_event.set_index("event_id")["n_responses"].to_dict() == linked.to_dict()
    assert (per_event["suppressed"] == per_event["n_responses"].between(1, 4)).all()
    per_year = summarise_feedback(events.feedback, events.events, by="year").set_index("year")
    assert per_year.loc[2025, "n_responses"] == linked[linked.index.str.startswith("2025")].sum()
    assert 1 <= per_year.loc[2025, "satisfaction_mean"] <= 5
