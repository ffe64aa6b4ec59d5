"""The explore notebooks' overviews on small frames, every number worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from inclusie_analysis.analyse.overview import (
    answers_per_theme,
    events_by_type,
    item_need_summary,
    proposal_sentence,
    reach_by_province,
    theme_need_by_province,
)

LEVELS = ["geen", "kleine", "grote", "zeer grote"]
DK = None  # "weet niet"

# Latest wave (2025): five respondents in Antwerpen, one in Limburg; items i1, i2 (theme t1)
# and i3 (theme t2).
ANSWERS_2025 = {
    "r1": ("grote", "geen", "zeer grote"),
    "r2": ("zeer grote", "kleine", "geen"),
    "r3": ("geen", DK, "grote"),
    "r4": ("kleine", "grote", "geen"),
    "r5": ("grote", "grote", "kleine"),
    "r6": ("grote", "grote", "grote"),
}
THEMES = {"i1": "t1", "i2": "t1", "i3": "t2"}


@pytest.fixture
def needs() -> pd.DataFrame:
    rows = [
        {"wave": 2025, "respondent_id": r, "item": item, "item_label": f"Vraag {item}",
         "theme": THEMES[item], "level": level, "dont_know": level is None}
        for r, levels in ANSWERS_2025.items()
        for item, level in zip(THEMES, levels, strict=True)
    ]  # fmt: skip
    # An earlier wave that must not count: it would make t1 in Antwerpen 6/10.
    rows.append({"wave": 2023, "respondent_id": "r1", "item": "i1", "item_label": "Vraag i1",
                 "theme": "t1", "level": "zeer grote", "dont_know": False})  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["level"] = pd.Categorical(frame["level"], categories=LEVELS, ordered=True)
    return frame


@pytest.fixture
def respondents() -> pd.DataFrame:
    return pd.DataFrame(
        {"respondent_id": list(ANSWERS_2025), "province": ["Antwerpen"] * 5 + ["Limburg"]}
    )


def test_item_need_summary_ranks_the_latest_wave_by_top_two_share(needs):
    summary = item_need_summary(needs)
    # i1: grote, zeer grote, geen, kleine, grote, grote → 4 of 6; i2: one "weet niet", 3 of 5;
    # i3: zeer grote, geen, grote, geen, kleine, grote → 3 of 6.
    assert summary["item"].tolist() == ["i1", "i2", "i3"]
    assert summary["label"].tolist() == ["Vraag i1", "Vraag i2", "Vraag i3"]
    assert summary["n"].tolist() == [6, 5, 6]
    assert summary["dont_know"].tolist() == [0, 1, 0]
    assert summary["top_box"].tolist() == pytest.approx([4 / 6, 3 / 5, 3 / 6])


def test_theme_need_by_province_counts_answers_and_hides_small_provinces(needs, respondents):
    share, n = theme_need_by_province(needs, respondents, threshold=5)
    # t1 in Antwerpen: 9 rated answers (r3's "weet niet" left out), large: r1 i1, r2 i1,
    # r4 i2, r5 i1 and i2 → 5/9. t2: zeer grote, geen, grote, geen, kleine → 2/5.
    assert share.loc["t1", "Antwerpen"] == pytest.approx(5 / 9)
    assert share.loc["t2", "Antwerpen"] == pytest.approx(2 / 5)
    # Limburg has one respondent: hidden, though its shares are 1.
    assert share["Limburg"].isna().all()
    assert n == 6


def test_theme_need_by_province_threshold_is_respondents(needs, respondents):
    share, _ = theme_need_by_province(needs, respondents, threshold=6)
    assert share.isna().all().all()  # Antwerpen has 9 answers but only 5 respondents


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e4"],
            "year": [2025, 2025, 2025, 2024],
            "type_label": ["Workshop", "Workshop", "Webinar", "Webinar"],
            "attended": pd.array([10, 4, 30, 100], dtype="Int64"),
            "hours": [2.0, 1.5, 1.0, 1.0],
        }
    )


def test_events_by_type_counts_the_year_and_its_participant_hours(events):
    table = events_by_type(events, 2025)
    # Workshop: 2 activities, 10 + 4 attendees, 10 × 2 + 4 × 1,5 = 26 hours; Webinar: 1, 30,
    # 30 (the 2024 webinar left out).
    assert table.index.tolist() == ["Workshop", "Webinar"]
    assert table["activiteiten"].tolist() == [2, 1]
    assert table["aanwezigen"].tolist() == [14, 30]
    assert table["deelnemersuren"].tolist() == pytest.approx([26.0, 30.0])


def test_reach_by_province_counts_different_present_participants(events):
    rows = [("e1", f"p{i}", "Antwerpen", True) for i in range(1, 7)]
    rows += [("e1", "p7", "Antwerpen", False)]  # absent
    rows += [("e3", "p1", "Antwerpen", True)]  # p1 again: still one participant
    rows += [("e3", "p8", "Limburg", True), ("e3", "p9", "Limburg", True)]
    rows += [("e4", f"p{i}", "Limburg", True) for i in range(10, 21)]  # 2024
    attendance = pd.DataFrame(rows, columns=["event_id", "participant_id", "province", "present"])
    reach, n = reach_by_province(attendance, events, 2025, threshold=5)
    assert reach["Antwerpen"] == 6
    assert math.isnan(reach["Limburg"])  # 2 participants: hidden
    assert n == 8


def test_answers_per_theme_counts_an_answer_for_each_of_its_themes():
    texts = pd.DataFrame({"themes": ["a;b", "a", "b;c", "a"]})
    table = answers_per_theme(texts)
    assert table.index.tolist() == ["a", "b", "c"]
    assert table["antwoorden"].tolist() == [3, 2, 1]


def test_proposal_sentence_lists_the_first_themes_by_rank():
    ranking = pd.DataFrame({"rank": [2, 1, 3], "label": ["E-id", "Veilig online", "Apps"]})
    assert proposal_sentence(ranking, top=2) == "**Voorstel:** 1. Veilig online; 2. E-id."
    assert proposal_sentence(ranking, top=1, language="en") == "**Proposal:** 1. Veilig online."
