"""Feedback statistics against values worked out by hand."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from inclusie_analysis.feedback import summarise_feedback
from inclusie_analysis.stats import mean_interval, nps, nps_interval, wilson_interval

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
    table = summarise_feedback(feedback, events, by="event", feedback_text=texts).set_index(
        "event_id"
    )
    e1 = table.loc["E1"]
    assert e1["n_responses"] == 5 and e1["response_rate"] == pytest.approx(5 / 20)
    assert e1["satisfaction_mean"] == pytest.approx((4 * 5 + 3) / 5)
    assert e1["satisfied_share"] == pytest.approx(0.8) and e1["relevance"] == pytest.approx(0.8)
    assert e1["nps"] == pytest.approx(100 * (4 / 5 - 1 / 5))
    assert e1["open_themes"] == "regierol (2), hr_beleid (1)"
    assert not e1["suppressed"]
    e2 = table.loc["E2"]  # three responses: shown as a count only
    assert e2["suppressed"] and e2["n_responses"] == 3 and pd.isna(e2["satisfaction_mean"])
    assert pd.isna(e2["open_themes"])
    assert table.loc["E3", "satisfied_share"] == 0.0 and table.loc["E3", "nps"] == -100.0
    assert "E4" not in table.index and len(table) == 3  # the unlinked response is left out


def test_per_theme_counts_an_event_under_both_themes(frames):
    feedback, events, _ = frames
    table = summarise_feedback(feedback, events, by="theme").set_index("theme")
    assert table.loc["regierol", "n_responses"] == 5 + 3  # E1 and E2
    assert table.loc["cyberveiligheid", "n_responses"] == 5 + 5  # E1 and E3
    assert table.loc["regierol", "attendees"] == 30
    per_type = summarise_feedback(feedback, events, by="type").set_index("type")
    assert per_type.loc["info_session", "n_responses"] == 8


def test_import_stays_light():
    code = "import sys, inclusie_analysis.feedback; print('scipy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
