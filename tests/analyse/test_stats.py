"""Statistics against independent values: scipy, published worked examples, hand computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inclusie_analysis.analyse.stats import (
    benjamini_hochberg,
    check_all_shares,
    crosstab_test,
    likert_summary,
    newcombe_difference,
    poststratification_weights,
    proportion_table,
    share_shown,
    suppress_table,
    wilson_interval,
)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 5000), data=st.data())
def test_wilson_contains_the_estimate_and_stays_in_0_1(n, data):
    k = data.draw(st.integers(0, n))
    low, high = wilson_interval(k, n)
    assert 0 <= low <= k / n <= high <= 1


def test_chi_square_on_the_published_example():
    # Wikipedia, "Chi-squared test", example: neighbourhoods A-D × occupation;
    # χ² ≈ 24.6 with 6 degrees of freedom, p ≈ 0.0004.
    table = {("white", "A"): 90, ("white", "B"): 60, ("white", "C"): 104, ("white", "D"): 95,
             ("blue", "A"): 30, ("blue", "B"): 50, ("blue", "C"): 51, ("blue", "D"): 20,
             ("no", "A"): 30, ("no", "B"): 40, ("no", "C"): 45, ("no", "D"): 35}  # fmt: skip
    frame = pd.DataFrame(
        [(job, area) for (job, area), count in table.items() for _ in range(count)],
        columns=["job", "area"],
    )
    result = crosstab_test(frame, "job", "area")
    assert result["test"] == "chi2" and result["dof"] == 6
    assert result["statistic"] == pytest.approx(24.57, abs=0.01)
    assert result["p"] == pytest.approx(0.0004, abs=0.0001)
    assert 0 < result["cramers_v"] < 1


def test_fisher_when_expected_counts_are_small():
    from scipy.stats import fisher_exact

    frame = pd.DataFrame({"a": ["x"] * 3 + ["y"] * 9, "b": ["p", "p", "q"] + ["q"] * 8 + ["p"]})
    result = crosstab_test(frame, "a", "b")
    assert result["test"] == "fisher"
    assert result["p"] == pytest.approx(fisher_exact(pd.crosstab(frame["a"], frame["b"])).pvalue)


def test_benjamini_hochberg_by_hand_and_against_scipy():
    from scipy.stats import false_discovery_control

    # sorted 0.005, 0.01, 0.03, 0.04 → ×4/rank 0.02, 0.02, 0.04, 0.04 (already monotone)
    adjusted = benjamini_hochberg([0.01, 0.04, 0.03, 0.005])
    assert adjusted.tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02])
    p = np.random.default_rng(1).uniform(size=30)
    assert benjamini_hochberg(p).to_numpy() == pytest.approx(false_discovery_control(p))


def test_newcombe_against_the_textbook():
    # Newcombe (1998), Statistics in Medicine 17:873-890, table II, example (a):
    # 56/70 − 48/80 = 0.2000, hybrid score interval (method 10) 0.0524 to 0.3339.
    diff, low, high = newcombe_difference(48, 80, 56, 70)
    assert diff == pytest.approx(0.2)
    assert low == pytest.approx(0.0524, abs=1e-4) and high == pytest.approx(0.3339, abs=1e-4)


def test_proportions_and_check_all_by_hand():
    respondents = pd.DataFrame(
        {
            "respondent_id": list("abcde"),
            "org": ["x", "x", "x", "y", "y"],
            "yes": [1, 1, 0, 1, None],
        }
    )
    table = proportion_table(respondents, "yes")
    assert table.set_index("answer").loc[1.0, "estimate"] == pytest.approx(3 / 4)
    assert table["n"].unique().tolist() == [4]
    choices = pd.DataFrame(
        {"respondent_id": ["a", "a", "b", "c"], "question": "formats",
         "choice": ["online", "fysiek", "online", "online"], "label": ["O", "F", "O", "O"]}
    )  # fmt: skip
    shares = check_all_shares(choices, respondents, "formats").set_index("choice")
    # 3 respondents answered; online ticked by 3, fysiek by 1 — shares of respondents
    assert shares.loc["online", "estimate"] == 1.0 and shares.loc[
        "fysiek", "estimate"
    ] == pytest.approx(1 / 3)
    assert shares["n"].unique().tolist() == [3]


def test_likert_summary_by_hand():
    levels = ["Geen", "Klein", "Matig", "Groot", "Zeer groot"]
    answers = ["Groot", "Zeer groot", "Klein", "Groot", None]
    needs = pd.DataFrame(
        {"item": "need_x", "level": pd.Categorical(answers, categories=levels, ordered=True),
         "dont_know": [False, False, False, False, True]}
    )  # fmt: skip
    row = likert_summary(needs).iloc[0]
    assert row["n"] == 4 and row["dont_know"] == 1
    assert row["top_box"] == pytest.approx(3 / 4)  # Groot, Zeer groot, Groot
    assert row["share_Klein"] == pytest.approx(1 / 4)
    assert row["median_level"] == "Groot"


def test_weights_bring_provinces_to_their_share_of_municipalities():
    respondents = pd.DataFrame(
        {"org_type": ["Lokaal bestuur (gemeente/OCMW)"] * 4 + ["Middenveldorganisatie"],
         "province": ["Limburg", "Limburg", "Limburg", "Antwerpen", None]}
    )  # fmt: skip
    population = pd.Series({"Limburg": 42, "Antwerpen": 42})
    weights = poststratification_weights(respondents, population)
    # sample shares 3/4 and 1/4, population 1/2 each → weights 2/3 and 2
    assert weights[:4].tolist() == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2])
    assert pd.isna(weights[4])
    assert weights[:4].groupby(respondents["province"][:4]).sum().tolist() == pytest.approx([2, 2])


def lines_with_one_hidden(table: pd.DataFrame) -> list:
    hidden = table.isna()
    return [r for r in hidden.index if hidden.loc[r].sum() == 1] + [
        c for c in hidden.columns if hidden[c].sum() == 1
    ]


def test_a_small_cell_cannot_be_worked_out():
    counts = pd.DataFrame({"A": [10, 3, 12], "B": [8, 9, 0]}, index=["x", "y", "z"])
    table = suppress_table(counts)
    assert pd.isna(table.loc["y", "A"])  # the small cell
    assert table.loc["z", "B"] == 0  # zeros are shown
    # neither its row total nor its column total gives it away
    assert lines_with_one_hidden(table) == []
    assert table.loc["Totaal", "Totaal"] == 42


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=2, max_size=6))
def test_suppression_never_leaves_a_single_hidden_number_in_a_line(rows):
    table = suppress_table(pd.DataFrame(rows, columns=["a", "b", "c"]))
    assert lines_with_one_hidden(table) == []
    shown = table.stack().dropna()
    assert not ((shown >= 1) & (shown < 5)).any()


def test_holm_by_hand():
    from inclusie_analysis.analyse.stats import holm

    # sorted 0.005 × 4 = 0.02, 0.01 × 3 = 0.03, 0.03 × 2 = 0.06, 0.04 × 1 = 0.04 → 0.06
    adjusted = holm([0.01, 0.04, 0.03, 0.005])
    assert adjusted.tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, None, 0.9]).tolist()[0] == pytest.approx(1.0)  # 0.5 × 2, capped at 1
    assert pd.isna(holm([0.5, None, 0.9])[1]) and holm([0.2, None, 0.9])[0] == 0.4
    assert holm([]).empty


def test_holm_levels_agree_with_the_verdict():
    from inclusie_analysis.analyse.stats import (
        holm,
        holm_levels,
        newcombe_difference,
        newcombe_pvalue,
    )

    # m = 4: 0.001 < 0.05/4 → 98.75 %; 0.01 < 0.05/3 → 98.33 %; 0.2 > 0.05/2: stop, 97.5 %
    levels = holm_levels([0.001, 0.2, 0.01, 0.5])
    assert levels.tolist() == pytest.approx([0.9875, 0.975, 1 - 0.05 / 3, 0.975])
    # the p-value that goes with Newcombe's interval: at 1 − p the interval touches 0
    p = newcombe_pvalue(3, 10, 8, 10)
    assert 0.01 < p < 0.05
    assert newcombe_difference(3, 10, 8, 10, 1 - p)[1] == pytest.approx(0, abs=1e-9)
    assert newcombe_pvalue(5, 10, 5, 10) == 1.0
    # a family of two: 3/10 → 8/10 (p ≈ 0.022) and 2/10 → 4/10 (p ≈ 0.33): Holm keeps the
    # first (0.022 × 2 < 0.05), its interval at 97.5 % excludes 0; the second (0.33 > 0.05
    # at Holm's second step) is not significant and its interval at 95 % includes 0
    pair = [p, newcombe_pvalue(2, 10, 4, 10)]
    assert (holm(pair) < 0.05).tolist() == [True, False]
    first, second = holm_levels(pair).tolist()
    assert (first, second) == pytest.approx((0.975, 0.95))
    assert newcombe_difference(3, 10, 8, 10, first)[1] > 0
    assert newcombe_difference(2, 10, 4, 10, second)[1] < 0


def test_shares_over_small_groups_are_not_shown():
    assert share_shown(0, 6) and share_shown(5, 10) and share_shown(10, 10)
    assert not share_shown(6, 6 + 1)  # n − k = 1
    assert not share_shown(4, 20)  # k = 4
    assert share_shown(4, 20, threshold=4)
