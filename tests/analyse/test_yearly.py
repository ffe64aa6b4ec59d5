"""The yearly report's numbers and building blocks, on small frames worked out by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from inclusie_analysis.analyse.findings import key_findings
from inclusie_analysis.analyse.needs_numbers import large_need_by_item
from inclusie_analysis.analyse.waves import comparison_note, wave_change
from inclusie_analysis.analyse.yearly import reach, reach_sentence
from inclusie_analysis.publish.reportbook import ReportBook

LEVELS = ["Geen nood", "Kleine nood", "Matige nood", "Grote nood", "Zeer grote nood"]


def _needs(rows: list[tuple[str, int, str, str | None]]) -> pd.DataFrame:
    """rows: (respondent, wave, item, level or None for 'weet niet')."""
    frame = pd.DataFrame(rows, columns=["respondent_id", "wave", "item", "answer"])
    return frame.assign(
        theme=frame["item"],
        item_label=frame["item"].str.upper(),
        level=pd.Categorical(frame["answer"], categories=LEVELS, ordered=True),
        dont_know=frame["answer"].isna(),
    )


@pytest.fixture
def survey():
    rows = []
    # wave 2020: item a, 10 respondents, 3 with a large need (levels 4-5)
    for i in range(10):
        rows.append((f"r{i}", 2020, "a", "Grote nood" if i < 3 else "Kleine nood"))
    # wave 2025: item a, 10 respondents, 8 with a large need; item b only in 2025: 1 of 2
    for i in range(10, 20):
        rows.append((f"r{i}", 2025, "a", "Zeer grote nood" if i < 18 else "Geen nood"))
    rows += [("r10", 2025, "b", "Grote nood"), ("r11", 2025, "b", "Matige nood")]
    rows.append(("r12", 2025, "b", None))  # "weet niet" is not a level
    respondents = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(20)],
                                "wave": [2020] * 10 + [2025] * 10})  # fmt: skip
    return _needs(rows), respondents


def test_large_need_by_item_counts_top_two_levels(survey):
    needs, respondents = survey
    table = large_need_by_item(needs, respondents, 2025).set_index("item")
    assert table.loc["a", ["n", "k"]].tolist() == [10, 8]
    assert table.loc["b", ["n", "k"]].tolist() == [2, 1], "'weet niet' is left out of n"
    assert table.loc["a", "share"] == pytest.approx(0.8)
    # Wilson 95 % for 8/10, worked out: (0.4902, 0.9433)
    assert table.loc["a", "low"] == pytest.approx(0.4902, abs=1e-4)
    assert table.loc["a", "high"] == pytest.approx(0.9433, abs=1e-4)
    assert table.index[0] == "a", "largest share first"


def test_large_need_only_counts_the_areas_respondents(survey):
    needs, respondents = survey
    some = respondents[respondents["respondent_id"].isin(["r10", "r11", "r18"])]
    table = large_need_by_item(needs, some, 2025).set_index("item")
    assert table.loc["a", ["n", "k"]].tolist() == [3, 2]


def test_wave_change_uses_items_of_both_waves(survey):
    needs, respondents = survey
    table, waves = wave_change(needs, respondents)
    assert waves == (2020, 2025)
    assert table["item"].tolist() == ["a"], "b was not asked in 2020"
    row = table.iloc[0]
    assert (row["share_a"], row["share_b"]) == (pytest.approx(0.3), pytest.approx(0.8))
    assert row["difference"] == pytest.approx(0.5)
    # Newcombe's hybrid score interval for 8/10 − 3/10, worked out by hand from the Wilson
    # intervals (0.1078, 0.6032) and (0.4902, 0.9433):
    # low  = 0.5 − √((0.8 − 0.4902)² + (0.6032 − 0.3)²) = 0.0665,
    # high = 0.5 + √((0.9433 − 0.8)² + (0.3 − 0.1078)²) = 0.7397
    assert row["low"] == pytest.approx(0.0665, abs=1e-3)
    assert row["high"] == pytest.approx(0.7397, abs=1e-3)
    assert bool(row["significant"])


def test_reach_counts_people_once_and_only_the_area():
    attendance = pd.DataFrame({
        "event_id": ["e1", "e1", "e2", "e2", "e3", "e2"],
        "participant_id": ["p1", "p2", "p1", "p3", "p4", "p5"],
        "present": [True, True, True, True, True, False],
        "org_type": ["lokaal_bestuur", "andere", "lokaal_bestuur", "lokaal_bestuur",
                     "lokaal_bestuur", "andere"],
        "nis_code": ["71002", "71002", "71002", "72003", "11002", "71004"],
        "province": ["Limburg", "Limburg", "Limburg", "Limburg", "Antwerpen", "Limburg"],
        "region": ["Vlaanderen"] * 6,
    })  # fmt: skip
    events = pd.DataFrame({"event_id": ["e1", "e2"]})  # e3 is another year's
    limburg = reach(attendance, events, "Limburg")
    assert limburg["participants"] == 3, "p1 twice counts once; p5 was absent"
    assert limburg["attendances"] == 4
    assert limburg["municipalities"] == 2 and limburg["local_governments"] == 2
    assert limburg["municipalities_in_area"] == 38  # since the 2025 mergers (Statbel)
    assert limburg["by_type"].to_dict() == {"lokaal_bestuur": 2, "andere": 1}
    assert reach(attendance, events, "Antwerpen")["participants"] == 0


def test_key_findings_are_five_and_follow_the_numbers(survey):
    needs, respondents = survey
    items = large_need_by_item(needs, respondents, 2025)
    change, waves = wave_change(needs, respondents)
    indicators = pd.DataFrame({"status": ["gehaald", "gehaald", "niet gehaald"]})
    reached = {"participants": 12, "municipalities": 4, "local_governments": 3,
               "municipalities_in_area": 304}  # fmt: skip
    ranking = pd.DataFrame({"label": ["Thema A", "Thema B", "Thema C", "Thema D"]})
    findings = key_findings(
        area="Vlaanderen en Brussel", year=2025, respondents=respondents, needs_items=items,
        change=change, waves=waves, indicators=indicators, reached=reached, ranking=ranking,
    )  # fmt: skip
    assert len(findings) == 5
    # answers are counted, not organisations (no organisation type here: no municipalities)
    assert findings[0] == "10 antwoorden uit Vlaanderen en Brussel op de bevraging van 2025."
    assert "A. 80 % ziet hier een grote of zeer grote nood" in findings[1]
    # issue 14: the interval is always shown (one question judged: Holm's level is 95 %,
    # Newcombe 0.0665 to 0.7397 worked out above) and the verdict is named
    assert "+50 procentpunten (interval 7 tot 74; 30 % → 80 %)" in findings[2]
    assert findings[2].endswith("statistisch significant na Holm-correctie.")
    assert findings[3] == "2 van de 3 indicatoren van het actieplan 2025 zijn gehaald."
    assert "12 deelnemers uit 4 gemeenten, waaronder 3 lokale besturen" in findings[4]
    english = key_findings(
        area="Limburg", year=2025, respondents=respondents.head(3), needs_items=items.head(0),
        change=change, waves=waves, indicators=indicators, reached=reached, ranking=ranking,
        language="en",
    )  # fmt: skip
    assert english[0].startswith("Fewer than 5 responses from Limburg")
    assert not any("indicators" in f for f in english), "targets are network-wide"
    assert english[-1] == "Recommended themes for 2026: Thema A, Thema B, Thema C."


def test_book_hides_small_counts_and_keeps_tables_for_excel(tmp_path):
    book = ReportBook(tmp_path, "nl", threshold=5)
    frame = pd.DataFrame({"Provincie": ["Limburg", "Brussel", "Antwerpen"],
                          "Antwoorden": [12, 3, 0], "Aandeel": [0.5, 0.25, 0.0]})  # fmt: skip
    shown = book.table(frame, "Test", n=15, source="bevraging", counts=["Antwoorden"], index=False)
    html = shown.data
    assert "<td>12</td>" in html and "<td>x</td>" in html and "<td>3</td>" not in html
    assert "<td>0</td>" in html, "zero is shown"
    assert "<td>0,5</td>" in html, "decimal comma"
    assert "x = verborgen" in html and "n = 15 · Bron: bevraging" in html
    assert '<th scope="col">Antwoorden</th>' in html and "<caption>Tabel 1. Test</caption>" in html
    path = book.write_excel()
    sheet = load_workbook(path)["1 Test"]
    assert "n = 15" in sheet.cell(1, 1).value
    assert [c.value for c in sheet[3]] == ["Provincie", "Antwoorden", "Aandeel"]
    assert [sheet.cell(r, 2).value for r in (4, 5, 6)] == [12, "x", 0]
    meta = json.loads((tmp_path / "tabellen.json").read_text(encoding="utf-8"))
    assert meta["1 Test"]["counts"] == ["Antwoorden"]


def test_book_saves_figures_in_its_own_folder_with_alt_text(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first, second = ReportBook(tmp_path / "a"), ReportBook(tmp_path / "b")
    for book, value in ((first, 1), (second, 2)):
        fig, ax = plt.subplots()
        ax.bar(["x"], [value])
        shown = book.figure(fig, "Staaf", alt="Eén staaf met de waarde")
        assert 'alt="Eén staaf met de waarde"' in shown.data
    assert first.figures[0].parent == tmp_path / "a" / "figures"
    assert first.figures[0].read_bytes() != second.figures[0].read_bytes()
    assert plt.get_fignums() == [], "figures are closed once saved"


def test_book_headings_get_unique_ids(tmp_path):
    book = ReportBook(tmp_path, "en")
    assert 'id="leernoden"' in book.heading("Leernoden").data
    assert 'id="leernoden-2"' in book.heading("Leernoden").data
    with pytest.raises(ValueError, match="language"):
        ReportBook(tmp_path, "fr")


NO_REGISTER = [
    {"kind": "register", "year": 2025, "status": "missing", "folder": "surveys/raw/2025"},
    {"kind": "attendance", "year": 2025, "status": "unreadable", "reason": "no_register",
     "folder": "surveys/raw/2025/aanwezigheden"},
    {"kind": "targets", "year": 2025, "status": "found"},
]  # fmt: skip


def test_key_findings_say_unknown_without_a_register(survey):
    needs, respondents = survey
    items = large_need_by_item(needs, respondents, 2025)
    change, waves = wave_change(needs, respondents)
    indicators = pd.DataFrame({"status": ["geen gegevens"] * 3})
    nothing = {"participants": 0, "municipalities": 0, "local_governments": 0,
               "municipalities_in_area": 304}  # fmt: skip
    findings = key_findings(
        area="Vlaanderen en Brussel", year=2025, respondents=respondents, needs_items=items,
        change=change, waves=waves, indicators=indicators, reached=nothing,
        ranking=pd.DataFrame({"label": []}), sources=NO_REGISTER,
    )  # fmt: skip
    assert findings[3] == (
        "Of de indicatoren van het actieplan 2025 gehaald zijn, is niet bekend: er is geen "
        "activiteitenregister."
    )
    assert findings[4] == (
        "Het bereik van de activiteiten van 2025 is niet bekend: er is geen activiteitenregister."
    )
    assert not any("0 van de" in f or "minder dan 5 mensen" in f for f in findings)


def test_reach_sentence_by_hand_and_without_attendance_lists():
    events = pd.DataFrame({"event_id": ["e1", "e2", "e3"]})
    reached = {"participants": 1234, "attendances": 2000, "municipalities": 50,
               "municipalities_in_area": 304}  # fmt: skip
    assert reach_sentence(events, reached, "Vlaanderen en Brussel", 2025) == (
        "De 3 activiteiten van 2025 bereikten 1.234 verschillende deelnemers uit Vlaanderen en "
        "Brussel (2.000 aanwezigheden), uit 50 van de 304 gemeenten."
    )
    no_lists = [{"kind": "register", "year": 2025, "status": "found"},
                {"kind": "attendance", "year": 2025, "status": "missing",
                 "folder": "surveys/raw/2025/aanwezigheden"}]  # fmt: skip
    text = reach_sentence(events, reached, "Limburg", 2025, "nl", no_lists)
    assert text.startswith(
        "Voor 2025 zijn geen aanwezigheidslijsten gevonden in surveys/raw/2025/aanwezigheden;"
    )
    # without a register, the attendance lists that failed for want of it are not named twice
    text = reach_sentence(events, reached, "Limburg", 2025, "en", NO_REGISTER)
    assert text.startswith("No activity register for 2025 was found in surveys/raw/2025;")
    assert "attendance" not in text


def test_comparison_note_names_the_folder_or_the_area():
    assert comparison_note([], "Limburg", (2020, 2025)) is None
    no_wave = [{"kind": "survey_previous", "year": 2026, "status": "missing", "waves": [2026],
                "folder": "surveys/raw", "expected": ["surveys/raw/2025"],
                "codebooks": "surveys/codebooks"}]  # fmt: skip
    assert comparison_note(no_wave, "Limburg", None) == (
        "Er is geen bevraging van vóór 2026 gevonden; een vergelijking met een vorige bevraging "
        "is daarom niet mogelijk. Zet de exports van een vorige bevraging in surveys/raw/2025/ "
        "(met een codeboek voor die bevraging in surveys/codebooks)."
    )
    found = [{**no_wave[0], "status": "found", "waves": [2020, 2026]}]
    assert comparison_note(found, "Brussel", None, "en") == (
        "Organisations from Brussel answered only one survey, so no comparison with an earlier "
        "survey is possible."
    )


def test_book_header_lists_what_is_missing(tmp_path):
    book = ReportBook(tmp_path, "nl")
    header = book.header("Titel", "Limburg", {}, None, None, False, "0.1",
                         missing=["Voor 2025 is <geen> register gevonden."]).data  # fmt: skip
    assert "Ontbrekende gegevens" in header and "Voor 2025 is &lt;geen&gt; register" in header
    assert "Ontbrekende" not in book.header("Titel", "Limburg", {}, None, None, False, "0.1").data
