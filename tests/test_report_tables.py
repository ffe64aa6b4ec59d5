"""Report tables: Dutch numbers, statuses in words, suppressed groups without estimates."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.report_tables import feedback_table, indicator_table


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
