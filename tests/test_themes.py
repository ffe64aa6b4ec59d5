"""The theme taxonomy and the coding of open answers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from inclusie_analysis.themes import (
    OTHER,
    code_answers,
    code_text,
    groups,
    load_themes,
    theme_label,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "open_answers_labelled.csv"


def test_every_theme_used_elsewhere_is_in_the_taxonomy():
    themes = load_themes()
    used = set()
    for path in (ROOT / "surveys" / "codebooks").glob("*.yaml"):
        used |= {
            v["theme"] for v in yaml.safe_load(path.read_text())["variables"] if v.get("theme")
        }
    events = yaml.safe_load((ROOT / "inclusie_analysis" / "reference" / "events.yaml").read_text())
    used |= set(events["themes"])
    assert used - set(themes) == set()
    assert {"toegang", "vaardigheden", "dienstverlening", "regierol"} <= set(themes)  # the pillars
    assert theme_label("regierol") == "Regierol" and theme_label(OTHER) == "Overig"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Meer oefenkansen voor digitale vaardigheden", ["vaardigheden"]),
        ("een vaardigheid die ontbreekt", ["vaardigheden"]),
        ("Hoe pakken andere besturen cyberveiligheid aan?", ["cyberveiligheid", "uitwisseling"]),
        ("Onze senioren willen lessen op de tablet", ["doelgroepen", "vaardigheden"]),
        ("Geen opmerkingen.", [OTHER]),
        (None, [OTHER]),
    ],
)
def test_coding_is_dutch_aware_and_multi_label(text, expected):
    assert code_text(text) == expected


def test_code_answers_adds_a_themes_column():
    coded = code_answers(pd.DataFrame({"text": ["Meer budget a.u.b.", "Niets"]}))
    assert coded["themes"].tolist() == ["middelen", OTHER]
    assert set(groups()) >= {"middelen", "regierol", "uitwisseling"}
