"""Every free text goes through one de-identification step (issue 15): the register's titles
and organisers, quoted values in the data-quality report, and the open answers an activity
sheet may show (none for a small group)."""

from __future__ import annotations

import pandas as pd
import pytest
from test_events import COMMUNICATION, REGISTER, write_register

from inclusie_analysis.analyse.feedback import open_answers, withheld_answers_sentence
from inclusie_analysis.clean import privacy
from inclusie_analysis.clean.events import clean_events, load_events_config
from inclusie_analysis.clean.geo import MunicipalityMatcher
from inclusie_analysis.clean.ledger import Ledger
from inclusie_analysis.clean.privacy import DEMO_KEY, scrub_column

PHONE, MAIL = "0470 12 34 56", "jan.peeters@example.org"


def test_scrub_column_scrubs_each_distinct_value_once_and_keeps_na(monkeypatch):
    calls = []
    original = privacy.scrub

    def counting(text):
        calls.append(text)
        return original(text)

    monkeypatch.setattr(privacy, "scrub", counting)
    values = pd.Series([f"bel {PHONE}", None, "goed", f"bel {PHONE}"], index=[5, 6, 7, 8],
                       dtype="string", name="title")  # fmt: skip
    out = scrub_column(values)
    assert out.tolist()[0] == "bel [telefoon]" and out.tolist()[2:] == ["goed", "bel [telefoon]"]
    assert out.isna().tolist() == [False, True, False, False]
    assert list(out.index) == [5, 6, 7, 8] and out.name == "title" and out.dtype == "string"
    assert sorted(calls) == sorted({f"bel {PHONE}", "goed"})
    empty = pd.Series([None, None], dtype="string")
    assert scrub_column(empty).isna().all()


def test_quoted_values_are_scrubbed_and_personal_columns_referenced():
    ledger = Ledger()
    ledger.fix("a.xlsx", 12, "Gemeente", "municipality", f"Gent, bel {PHONE}", "44021 Gent",
               "municipality_part_of_name", "Gemeente herkend.")  # fmt: skip
    ledger.fix("a.xlsx", 13, "E-mail", "email", "jan", None, "choice_unknown", "x")
    ledger.fix("a.xlsx", 14, "Functie", "role", "Jan", None, "choice_unknown", "x", personal=True)
    ledger.file("a.xlsx", "bevraging", "msforms", 0, error=f"kapot, vraag {MAIL}")
    fixes, files = ledger.frames()["fixes"], ledger.frames()["files"]
    assert fixes["value"].tolist() == [
        "Gent, bel [telefoon]", "rij 13, kolom E-mail", "rij 14, kolom Functie",
    ]  # fmt: skip
    assert fixes["result"].tolist()[0] == "44021 Gent"  # reference data, kept
    assert files["error"].tolist() == ["kapot, vraag [e-mail]"]


@pytest.fixture
def register_with_personal_data(tmp_path):
    rows = [list(r) for r in REGISTER]
    rows[0][2] = f"Netwerkvergadering voorjaar, info bij {MAIL}"  # title
    rows[0][7] = f"VVSG (Jan, {PHONE})"  # organiser
    rows[1][6] = f"lang, bel {PHONE}"  # duration: unreadable, quoted in the quality report
    folder = tmp_path / "in" / "2025"
    folder.mkdir(parents=True)
    write_register(folder, rows)
    ledger = Ledger()
    frames = clean_events(
        tmp_path / "in", 2025, load_events_config(), key=DEMO_KEY,
        matcher=MunicipalityMatcher(), ledger=ledger,
    )  # fmt: skip
    return frames, ledger


def test_register_free_text_is_scrubbed(register_with_personal_data):
    frames, ledger = register_with_personal_data
    event = frames.events.set_index("event_id").loc["2025-001"]
    assert event["title"] == "Netwerkvergadering voorjaar, info bij [e-mail]"
    assert event["organiser"] == "VVSG ([naam], [telefoon])"  # a first name after a bracket
    assert frames.events["title"].dtype == "string"
    assert sorted(frames.activities["title"]) == sorted(r[2] for r in COMMUNICATION if r[2])
    fixes = ledger.frames()["fixes"]
    duration = fixes.loc[fixes["action"] == "hours_unreadable", "value"].tolist()
    assert "lang, bel [telefoon]" in duration
    assert not fixes["value"].fillna("").str.contains(PHONE, regex=False).any()


def _texts(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "question": ["best", "better"] * (n // 2) + ["best"] * (n % 2),
            "text": [f"antwoord {i}" for i in range(n)],
            "themes": [None] * n,
        }
    )


def test_open_answers_withheld_below_the_threshold():
    assert open_answers(_texts(1), n_responses=1, threshold=5, seed="2025-004") is None
    assert open_answers(_texts(8), n_responses=4, threshold=5, seed="2025-004") is None
    sentence = withheld_answers_sentence(1, 1, 5, "nl")
    assert "1 open antwoord" in sentence and "niet getoond" in sentence
    assert "minder dan 5" in sentence
    assert "3 open answers" in withheld_answers_sentence(3, 2, 5, "en")


def test_open_answers_shown_in_a_reproducible_random_order():
    texts = _texts(40)
    shown = open_answers(texts, n_responses=20, threshold=5, seed="2025-004")
    assert sorted(shown["text"]) == sorted(texts["text"])  # all of them, nothing else
    assert shown["question"].is_monotonic_increasing  # grouped by question
    again = open_answers(texts, n_responses=20, threshold=5, seed="2025-004")
    assert shown["text"].tolist() == again["text"].tolist()  # reproducible
    other = open_answers(texts, n_responses=20, threshold=5, seed="2025-005")
    assert shown["text"].tolist() != other["text"].tolist()  # seeded by the activity
    in_file_order = texts.sort_values("question", kind="stable")["text"].tolist()
    assert shown["text"].tolist() != in_file_order  # not the order of the file
    blank = pd.concat([texts, pd.DataFrame({"question": ["best"], "text": ["  "]})])
    assert len(open_answers(blank, 20, 5, "x")) == 40
