"""What the figures leave out, said: reach with partial attendance lists, "weet niet" and
unlinked feedback (issue 14), on frames made by hand."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.analyse.coverage import (
    dont_know_counts,
    exclusions_sentence,
    unlinked_feedback,
)
from inclusie_analysis.analyse.findings import key_findings
from inclusie_analysis.analyse.yearly import list_coverage, reach, reach_sentence


def year_frames():
    # 4 activities; lists for e1 and e2 only (register: 10 + 6 of 10 + 6 + 3 + 1 = 20 present)
    events = pd.DataFrame({"event_id": ["e1", "e2", "e3", "e4"], "attended": [10, 6, 3, 1]})
    attendance = pd.DataFrame({
        "event_id": ["e1", "e1", "e2", "e2"],
        "participant_id": ["p1", "p2", "p1", "p3"],
        "present": [True, True, True, False],
        "org_type": ["lokaal_bestuur"] * 4,
        "nis_code": ["71002", "71002", "72003", "72003"],
        "province": ["Limburg"] * 4,
        "region": ["Vlaanderen"] * 4,
    })  # fmt: skip
    return events, attendance


def test_list_coverage_by_hand():
    events, attendance = year_frames()
    assert list_coverage(attendance, events) == {
        "events_total": 4, "events_with_lists": 2, "attended_total": 20, "attended_listed": 16
    }  # fmt: skip
    # without `attended` in the register, the attendances are unknown, not 0
    unknown = list_coverage(attendance, events[["event_id"]])
    assert unknown["attended_total"] is None and unknown["events_with_lists"] == 2


def test_reach_with_partial_lists_says_how_many_and_that_it_is_a_lower_bound():
    events, attendance = year_frames()
    reached = reach(attendance, events, "Limburg")
    assert reached["participants"] == 2 and reached["attendances"] == 3
    text = reach_sentence(events, reached, "Limburg", 2025)
    assert text == (
        "Van de 4 activiteiten van 2025 hebben er 2 een aanwezigheidslijst (16 van de 20 "
        "aanwezigheden in het register). Die bereikten 2 verschillende deelnemers uit Limburg "
        "(3 aanwezigheden), uit 2 van de 38 gemeenten. Dat is een ondergrens: wie alleen aan de "
        "andere 2 activiteiten deelnam, is niet geteld."
    )
    assert "lower bound" in reach_sentence(events, reached, "Limburg", 2025, "en")
    # with a list for every activity the sentence stays as it was
    full = reach(attendance, events.iloc[:2], "Limburg")
    assert reach_sentence(events.iloc[:2], full, "Limburg", 2025).startswith(
        "De 2 activiteiten van 2025 bereikten 2 verschillende deelnemers"
    )


def test_key_finding_on_reach_says_at_least_with_partial_lists():
    events, attendance = year_frames()
    reached = reach(attendance, events, "Limburg")
    findings = key_findings(
        area="Limburg", year=2025, respondents=pd.DataFrame(columns=["wave"]),
        needs_items=pd.DataFrame(), change=pd.DataFrame(), waves=None,
        indicators=pd.DataFrame(), reached=reached, ranking=pd.DataFrame({"label": []}),
        threshold=2,
    )  # fmt: skip
    assert any(
        f.startswith("De activiteiten van 2025 bereikten minstens 2 deelnemers") for f in findings
    )


def test_dont_know_and_unlinked_feedback_are_counted_and_said():
    needs = pd.DataFrame({
        "respondent_id": ["a", "a", "b", "b", "c", "c"],
        "wave": [2020, 2025, 2025, 2025, 2025, 2025],
        "dont_know": [True, True, True, False, True, True],
    })  # fmt: skip
    respondents = pd.DataFrame({"respondent_id": ["a", "b"]})  # c is from another area
    counts = dont_know_counts(needs, respondents)
    assert counts.to_dict() == {2020: 1, 2025: 2}
    feedback = pd.DataFrame({"event_id": ["e1", None, "e9", "e2", None],
                             "year": [2025, 2025, 2025, 2025, 2024]})  # fmt: skip
    events = pd.DataFrame({"event_id": ["e1", "e2"]})
    # no event id, and an id that is no activity of 2025; the 2024 response is another year's
    assert unlinked_feedback(feedback, events, 2025) == 2
    assert exclusions_sentence(counts, 2) == (
        "**Weggelaten.** Antwoorden 'weet niet' tellen niet mee in de noemers van de aandelen "
        "(1 in 2020, 2 in 2025). 2 feedbackantwoorden konden aan geen activiteit gekoppeld "
        "worden; ze staan niet in de tabel met feedback per soort activiteit."
    )
    assert exclusions_sentence(counts, 0, "en").endswith(
        "Every feedback response is linked to an activity."
    )
    assert "feedback" not in exclusions_sentence(counts, None)
