"""Report tables: Dutch numbers, statuses in words, suppressed groups without estimates."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.publish.report_tables import feedback_table, indicator_table


def test_indicator_table_formats_in_dutch():
    indicators = pd.DataFrame(
        {
            "goal": ["OD1.1", "OD1.2"],
            "description": ["Opnamen", "Deelnemersuren"],
            "unit": ["aandeel online bijeenkomsten", "deelnemersuren"],
            "target": [1.0, 100.0],
            "realised": [0.5, 102.5],
            "status": ["niet gehaald", "gehaald"],
            "expected": [float("nan"), float("nan")],
        }
    )
    table = indicator_table(indicators)
    assert table["Gerealiseerd"].tolist() == ["50 %", "102,5"]
    assert table["Doel"].tolist() == ["100 %", "100"]
    assert "Verwacht" not in table
    mid = indicator_table(indicators.assign(expected=[1.0, 49.6]))
    assert mid["Verwacht"].tolist() == ["100 %", "49,6"]


def test_feedback_table_hides_small_groups():
    summary = pd.DataFrame(
        {
            "type": ["info_session", "focus_group"],
            "n_responses": [12, 3],
            "response_rate": [0.25, None],
            "satisfaction_mean": [4.25, None],
            "satisfaction_low": [3.9, None],
            "satisfaction_high": [4.6, None],
            "satisfied_share": [0.75, None],
            "nps": [33.3, None],
            "nps_low": [5.0, None],
            "nps_high": [60.0, None],
        }
    )
    table = feedback_table(summary, names={"info_session": "Infosessie"})
    assert table.index.tolist() == ["Infosessie", "focus_group"]
    assert table.loc["Infosessie", "Tevredenheid (1-5)"] == "4,2 (3,9–4,6)"
    assert table.loc["Infosessie", "Respons"] == "25 %"
    assert (
        table.loc["focus_group", "Tevredenheid (1-5)"] == "–"
        and table.loc["focus_group", "Antwoorden"] == 3
    )


def test_feedback_table_never_publishes_the_counts_per_score():
    summary = pd.DataFrame(
        {
            "type": ["info_session", "workshop"],
            "n_responses": [12, 6],
            "response_rate": [0.25, 0.5],
            "satisfaction_mean": [4.25, None],
            "satisfaction_low": [3.9, None],
            "satisfaction_high": [4.6, None],
            "satisfied_share": [0.75, 4 / 6],
            "satisfied_low": [0.468, 0.3],
            "satisfied_high": [0.911, 0.903],
            "nps": [None, None],
            "nps_low": [None, None],
            "nps_high": [None, None],
            **{f"satisfaction_{s}": [0, 1, 2, 5, 4][s - 1 : s] * 1 + [[0, 0, 2, 3, 1][s - 1]]
               for s in range(1, 6)},
        }
    )  # fmt: skip
    table = feedback_table(summary)
    assert table.loc["workshop", "Tevredenheid (1-5)"] == "–"
    # the counts per score (0, 0, 2, 3, 1 for the workshop) are small cells: never a column
    assert "Verdeling 1-2-3-4-5" not in table.columns
    assert not table.astype(str).apply(lambda c: c.str.contains("·")).any().any()
    assert table.loc["workshop", "Tevreden (4-5)"] == "67 % (30 %–90 %)"
    assert table.loc["info_session", "NPS"] == "–"
