"""Feedback statistics against values worked out by hand."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from inclusie_analysis.analyse.feedback import summarise_feedback
from inclusie_analysis.analyse.stats import (
    bounded_mean_interval,
    mean_interval,
    nps,
    nps_interval,
    wilson_interval,
)

LIKERT = ["Helemaal niet akkoord", "Niet akkoord", "Neutraal", "Akkoord", "Helemaal akkoord"]


def test_wilson_by_hand():
    # 8 of 10, z = 1.95996: centre (0.8 + z²/20) / (1 + z²/10) = 0.71680,
    # half-width z·sqrt(0.016 + z²/400) / (1 + z²/10) = 0.22658 → (0.4902, 0.9434)
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9434, abs=1e-4)
    assert wilson_interval(0, 10)[0] == pytest.approx(0.0, abs=1e-12)
    assert all(v != v for v in wilson_interval(0, 0))


def test_t_interval_by_hand():
    # [3, 4, 5]: mean 4, s = 1, se = 1/√3, t(0.975, 2) = 4.30265 → 4 ± 2.48414
    mean, low, high = mean_interval([3, 4, 5, None])
    assert (
        mean == 4
        and low == pytest.approx(1.51586, abs=1e-4)
        and high == pytest.approx(6.48414, abs=1e-4)
    )
    assert mean_interval([4])[1] != mean_interval([4])[1]  # one value: no interval


def test_bounded_mean_interval_by_hand():
    # [5, 5, 4, 4, 3] on 1-5: mean 4.2, s = √0.7, se = 0.374166; p = (4.2 − 1)/4 = 0.8,
    # se(p) = 0.0935414; logit(0.8) = ln 4 = 1.386294, se = 0.0935414 / 0.16 = 0.584634;
    # t(0.975, 4) = 2.776445 → logit bounds −0.236910 and 3.009498 → p 0.441048 and
    # 0.952995 → 1 + 4p = 2.76419 and 4.81198, inside 1-5 (the t-interval: 3.161 to 5.239).
    mean, low, high = bounded_mean_interval([5, 5, 4, 4, 3, None], 1, 5)
    assert mean == pytest.approx(4.2)
    assert low == pytest.approx(2.76419, abs=1e-4) and high == pytest.approx(4.81201, abs=1e-4)
    assert 1 <= low < mean < high <= 5
    assert mean_interval([5, 5, 4, 4, 3])[2] > 5  # why: the t-interval leaves the scale
    # no spread or a mean on the edge: no interval, never one outside the scale
    assert all(v != v for v in bounded_mean_interval([5, 5, 5], 1, 5)[1:])
    assert all(v != v for v in bounded_mean_interval([4], 1, 5)[1:])


def test_nps_by_hand():
    assert nps([10, 9, 8, 7, 6, 0]) == 0.0  # 2 promoters, 2 detractors of 6
    assert nps([10, 10, 9, 3]) == pytest.approx(50.0)  # 75 % − 25 %
    low, high = nps_interval([10, 10, 9, 3, 8, 7, 9, 10])
    assert low <= nps([10, 10, 9, 3, 8, 7, 9, 10]) <= high
    assert (low, high) == nps_interval([10, 10, 9, 3, 8, 7, 9, 10])  # deterministic


@pytest.fixture
def frames():
    events = pd.DataFrame(
        {
            "event_id": ["E1", "E2", "E3"],
            "year": [2025, 2025, 2025],
            "type": ["info_session", "info_session", "training_thematic"],
            "themes": ["regierol;cyberveiligheid", "regierol", "cyberveiligheid"],
            "attended": pd.array([20, 10, 8], dtype="Int64"),
            "title": ["a", "b", "c"],
            "date": pd.to_datetime(["2025-02-01", "2025-03-01", "2025-04-01"]),
        }
    )
    rows = (
        [("E1", 5, "Akkoord", 10)] * 4 + [("E1", 3, "Neutraal", 6)] + [("E2", 4, "Akkoord", 9)] * 3
    )
    rows += [("E3", 2, "Niet akkoord", 3)] * 5 + [(None, 5, "Akkoord", 10)]
    feedback = pd.DataFrame(rows, columns=["event_id", "satisfaction", "relevance", "nps"])
    feedback["relevance"] = pd.Categorical(feedback["relevance"], categories=LIKERT, ordered=True)
    feedback["response_id"] = [f"r_{i:016x}" for i in range(len(feedback))]
    feedback["year"] = 2025
    texts = pd.DataFrame(
        {
            "response_id": ["r_0000000000000000", "r_0000000000000001", "r_0000000000000008"],
            "themes": ["regierol", "regierol;hr_beleid", "hr_beleid"],
        }
    )
    return feedback, events, texts


def test_per_event_by_hand(frames):
    feedback, events, texts = frames
    table = summarise_feedback(
        feedback, events, by="event", feedback_text=texts, mean_min_n=2, nps_min_n=2
    ).set_index("event_id")
    e1 = table.loc["E1"]
    assert e1["n_responses"] == 5 and e1["response_rate"] == pytest.approx(5 / 20)
    assert e1["satisfaction_mean"] == pytest.approx((4 * 5 + 3) / 5)
    # 4 of 5: the share would give away the one other answer (k or n - k below 5): hidden
    assert pd.isna(e1["satisfied_share"]) and pd.isna(e1["relevance"])
    shown = summarise_feedback(feedback, events, by="event", threshold=1).set_index("event_id")
    assert shown.loc["E1", "satisfied_share"] == pytest.approx(0.8)
    assert shown.loc["E1", "relevance"] == pytest.approx(0.8)
    assert e1["nps"] == pytest.approx(100 * (4 / 5 - 1 / 5))
    assert e1["open_themes"] == "regierol (2), hr_beleid (1)"
    assert not e1["suppressed"]
    e2 = table.loc["E2"]  # three responses: shown as a count only
    assert e2["suppressed"] and e2["n_responses"] == 3 and pd.isna(e2["satisfaction_mean"])
    assert pd.isna(e2["open_themes"])
    assert table.loc["E3", "satisfied_share"] == 0.0 and table.loc["E3", "nps"] == -100.0
    assert "E4" not in table.index and len(table) == 3  # the unlinked response is left out


def test_small_groups_show_spread_not_mean(frames):
    feedback, events, _ = frames
    # E1: five answers (5, 5, 5, 5, 3): below mean_min_n = 10 no mean, the spread and the
    # share 4-5 = 4/5 with Wilson; below nps_min_n = 30 no NPS
    table = summarise_feedback(feedback, events, by="event").set_index("event_id")
    e1 = table.loc["E1"]
    assert pd.isna(e1["satisfaction_mean"]) and pd.isna(e1["nps"]) and pd.isna(e1["nps_low"])
    assert [e1[f"satisfaction_{s}"] for s in range(1, 6)] == [0, 0, 1, 0, 4]
    assert pd.isna(e1["satisfied_share"]) and pd.isna(e1["satisfied_low"])  # 4 of 5: hidden
    shown = summarise_feedback(feedback, events, by="event", threshold=1).set_index("event_id")
    assert shown.loc["E1", "satisfied_share"] == pytest.approx(0.8)
    assert (shown.loc["E1", "satisfied_low"], shown.loc["E1", "satisfied_high"]) == pytest.approx(
        wilson_interval(4, 5)
    )
    # from mean_min_n on: the mean with its logit interval inside the scale
    per_type = summarise_feedback(feedback, events, by="type", mean_min_n=8).set_index("type")
    info = per_type.loc["info_session"]  # E1 and E2: 5, 5, 5, 5, 3, 4, 4, 4
    assert info["satisfaction_mean"] == pytest.approx(35 / 8)
    assert 1 <= info["satisfaction_low"] < 35 / 8 < info["satisfaction_high"] <= 5
    assert (info["satisfaction_low"], info["satisfaction_high"]) == pytest.approx(
        bounded_mean_interval([5, 5, 5, 5, 3, 4, 4, 4], 1, 5)[1:]
    )


def test_per_theme_counts_an_event_under_both_themes(frames):
    feedback, events, _ = frames
    table = summarise_feedback(feedback, events, by="theme").set_index("theme")
    assert table.loc["regierol", "n_responses"] == 5 + 3  # E1 and E2
    assert table.loc["cyberveiligheid", "n_responses"] == 5 + 5  # E1 and E3
    assert table.loc["regierol", "attendees"] == 30
    per_type = summarise_feedback(feedback, events, by="type").set_index("type")
    assert per_type.loc["info_session", "n_responses"] == 8


def test_import_stays_light():
    code = "import sys, inclusie_analysis.analyse.feedback; print('scipy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_feedback_sentence_says_what_is_shown(frames):
    from inclusie_analysis.analyse.feedback import feedback_sentence

    feedback, events, _ = frames
    table = summarise_feedback(feedback, events, by="event", threshold=1)
    small = table.set_index("event_id").loc["E1"]
    text = feedback_sentence(small)
    assert text.startswith("5 mensen vulden het feedbackformulier in, 25 % van de aanwezigen.")
    assert "80 % is tevreden of zeer tevreden (4 of 5; 95%-interval 38 % tot 96 %)" in text
    # with the default threshold 4 of 5 is not shown: the one other answer would be known
    hidden = summarise_feedback(feedback, events, by="event").set_index("event_id").loc["E1"]
    assert "tevreden" not in feedback_sentence(hidden)
    assert "vanaf 10 antwoorden" in text and "vanaf 30 antwoorden" in text
    assert "Gemiddelde" not in text
    big = summarise_feedback(feedback, events, by="type", mean_min_n=8, nps_min_n=8)
    info = big.set_index("type").loc["info_session"]
    text = feedback_sentence(info, "en", mean_min_n=8, nps_min_n=8)
    low, high = info["satisfaction_low"], info["satisfaction_high"]
    assert f"Mean satisfaction 4.4 out of 5 (95% interval {low:.1f} to {high:.1f})" in text
    assert f"NPS {info['nps']:.0f} (95% interval" in text
