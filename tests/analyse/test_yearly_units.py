"""The needs of the yearly report per unit: municipalities for local governments, answers for
the other organisation types; worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from inclusie_analysis.analyse.findings import key_findings
from inclusie_analysis.analyse.needs_numbers import (
    need_by_unit,
    need_unit_table,
    unit_counts,
    unit_counts_text,
    without_hidden_units,
)

LEVELS = ["Geen nood", "Kleine nood", "Matige nood", "Grote nood", "Zeer grote nood"]
LOCAL = "Lokaal bestuur (gemeente/OCMW)"
OTHER = "Welzijnsvereniging"


@pytest.fixture
def survey():
    """Item a, 2025. Local governments: municipality m1 answers twice (large, small), m2 once
    (large), m3 once (none), one local government without a known municipality (large);
    other organisations: 1 of 3 large, and one "weet niet"."""
    people = [
        ("r1", LOCAL, "m1", "Grote nood"),
        ("r2", LOCAL, "m1", "Kleine nood"),
        ("r3", LOCAL, "m2", "Zeer grote nood"),
        ("r4", LOCAL, "m3", "Geen nood"),
        ("r5", LOCAL, None, "Grote nood"),
        ("r6", OTHER, "m1", "Grote nood"),
        ("r7", OTHER, None, "Matige nood"),
        ("r8", OTHER, "m2", "Kleine nood"),
        ("r9", OTHER, "m2", None),
    ]
    frame = pd.DataFrame(people, columns=["respondent_id", "org_type", "nis_code", "answer"])
    respondents = frame[["respondent_id", "org_type", "nis_code"]].assign(wave=2025)
    needs = frame[["respondent_id", "answer"]].assign(
        wave=2025,
        item="a",
        theme="a",
        item_label="A",
        level=pd.Categorical(frame["answer"], categories=LEVELS, ordered=True),
        dont_know=frame["answer"].isna(),
    )
    return needs, respondents


def test_local_governments_count_municipalities(survey):
    """m1 = 1/2, m2 = 1, m3 = 0: share 1/2 over 3 municipalities (per answer it was 2/4).
    s² of (1/2, 1, 0) = 1/4; Antwerpen has N = 67, so SE = √((1 − 3/67) · 0.25 / 3) = 0.28214;
    logit interval 0 ± t(0.975, 2) · 0.28214 / 0.25 = ±4.85577 → 0.00772 to 0.99228."""
    needs, respondents = survey
    table = need_by_unit(needs, respondents, 2025, "Antwerpen").set_index("unit")
    row = table.loc["municipalities"]
    assert (row["n"], row["answers"], row["k"]) == (3, 4, 1.5), "r5 has no municipality"
    assert row["share"] == pytest.approx(0.5)
    assert row["se"] == pytest.approx(math.sqrt((1 - 3 / 67) * 0.25 / 3))
    assert (row["low"], row["high"]) == pytest.approx((0.00772, 0.99228), abs=1e-5)
    assert row["method"] == "logit"


def test_other_organisations_stay_answers(survey):
    needs, respondents = survey
    row = need_by_unit(needs, respondents, 2025, "Antwerpen").set_index("unit").loc["answers"]
    assert (row["n"], row["answers"], row["k"]) == (3, 3, 1.0), "'weet niet' left out"
    assert (row["low"], row["high"]) == pytest.approx((0.0615, 0.7923), abs=1e-4)  # Wilson 1/3


def test_the_area_sets_the_finite_population_correction(survey):
    needs, respondents = survey
    everyone = need_by_unit(needs, respondents, 2025, "Vlaanderen en Brussel")
    se = everyone.set_index("unit").at["municipalities", "se"]
    assert se == pytest.approx(math.sqrt((1 - 3 / 304) * 0.25 / 3))


def test_unit_table_names_the_units_and_hides_small_shares(survey):
    needs, respondents = survey
    units = need_by_unit(needs, respondents, 2025, "Antwerpen")
    table = need_unit_table(units, ["a"], threshold=1)  # no suppression: the figures
    assert list(table.columns) == [
        "Gemeenten (lokale besturen)",
        "Grote nood, lokale besturen",
        "Antwoorden (andere organisaties)",
        "Grote nood, andere organisaties",
    ]
    assert table.iloc[0].tolist() == [3, "50 % (1 %–99 %)", 3, "33 % (6 %–79 %)"]
    assert need_unit_table(units, ["a"], threshold=4).iloc[0, 1] == "–", "3 < 4 municipalities"
    # k or n - k from 1 to threshold - 1 would give a small count away (issue 14)
    hidden = need_unit_table(units, ["a"], threshold=3)
    assert hidden.iloc[0].tolist() == [3, "x", 3, "x"]
    assert without_hidden_units(hidden).empty and without_hidden_units(table).shape[1] == 4


def test_unit_counts_and_their_sentence(survey):
    _, respondents = survey
    counts = unit_counts(respondents, 2025)
    assert counts == {"municipalities": 3, "local_answers": 4, "other_answers": 5, "answers": 9}
    assert unit_counts_text(counts, threshold=3) == (
        "3 gemeenten (4 antwoorden van lokale besturen) en 5 antwoorden van andere organisaties"
    )
    assert unit_counts_text(counts, threshold=5).startswith("minder dan 5 gemeenten (minder dan")
    plain = respondents[["respondent_id", "wave"]]  # no organisation type: all are answers
    assert unit_counts(plain, 2025)["other_answers"] == 9


def test_response_finding_counts_answers_and_municipalities(survey):
    _, respondents = survey
    findings = key_findings(
        area="Antwerpen", year=2025, respondents=respondents, needs_items=pd.DataFrame(),
        change=pd.DataFrame(), waves=None, indicators=pd.DataFrame(),
        reached={"participants": 0}, ranking=pd.DataFrame(), threshold=3,
    )  # fmt: skip
    assert findings[0] == (
        "9 antwoorden uit Antwerpen op de bevraging van 2025, waarvan 4 van lokale besturen "
        "uit 3 gemeenten."
    )
    fewer = key_findings(
        area="Antwerpen", year=2025, respondents=respondents, needs_items=pd.DataFrame(),
        change=pd.DataFrame(), waves=None, indicators=pd.DataFrame(),
        reached={"participants": 0}, ranking=pd.DataFrame(), threshold=4,
    )  # fmt: skip
    assert fewer[0] == "9 antwoorden uit Antwerpen op de bevraging van 2025.", "3 < 4 hidden"
