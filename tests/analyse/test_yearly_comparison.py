"""Comparing survey waves honestly (yearly.py): a changed question is marked and not judged, a
dropped or new one is listed, and a theme's trend counts only questions asked the same way.

The two-wave survey below is small enough to work out by hand:

| item | 2020 | 2025 | codebook 2025 |
|---|---|---|---|
| a | 2 of 10 large need | 4 of 10 | unchanged (theme t1) |
| r | 3 of 10 | 9 of 10 | reworded: "R oud" → "R nieuw" (theme t1) |
| d | 5 of 10 | – | dropped (theme t2) |
| n | – | 6 of 10 | kind: new (theme t2) |
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from inclusie_analysis.analyse.findings import key_findings
from inclusie_analysis.analyse.needs_numbers import large_need_by_item
from inclusie_analysis.analyse.waves import (
    change_table,
    compare_items,
    theme_change,
    wave_change,
    wording_changes,
)
from inclusie_analysis.clean.datasets import describe_items
from inclusie_analysis.clean.needs import need_items_table
from inclusie_analysis.publish.reportbook import ReportBook
from inclusie_analysis.read.codebook import load_codebooks

ROOT = Path(__file__).resolve().parents[2]
LEVELS = ["Geen nood", "Kleine nood", "Matige nood", "Grote nood", "Zeer grote nood"]
# item → (wave → number of the 10 respondents with a large need, the first ones)
LARGE = {"a": {2020: 2, 2025: 4}, "r": {2020: 3, 2025: 9}, "d": {2020: 5}, "n": {2025: 6}}
THEME = {"a": "t1", "r": "t1", "d": "t2", "n": "t2"}


def _item(wave, item, label, change=None, previous=None, from_items=None, comparable=None):
    if comparable is None:
        comparable = change is None
    return {"wave": wave, "instrument": "leernoden", "item": item, "label": label,
            "theme": THEME.get(item, "t1"), "change": change, "previous": previous,
            "from_items": from_items, "comparable": comparable}  # fmt: skip


def _items(comparable: bool = False) -> pd.DataFrame:
    return need_items_table([
        _item(2020, "a", "A"), _item(2020, "r", "R oud"), _item(2020, "d", "D"),
        _item(2025, "a", "A"),
        _item(2025, "r", "R nieuw", "reworded", "R oud", comparable=comparable),
        _item(2025, "n", "N", "new"),
    ])  # fmt: skip


@pytest.fixture
def survey() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for item, waves in LARGE.items():
        for wave, large in waves.items():
            for i in range(10):
                level = "Grote nood" if i < large else "Kleine nood"
                rows.append((f"r{wave}-{i}", wave, item, level))
    frame = pd.DataFrame(rows, columns=["respondent_id", "wave", "item", "answer"])
    needs = frame.assign(
        theme=frame["item"].map(THEME),
        item_label=frame["item"].str.upper(),
        level=pd.Categorical(frame["answer"], categories=LEVELS, ordered=True),
        dont_know=False,
    )
    respondents = needs.drop_duplicates("respondent_id")[["respondent_id", "wave"]]
    return needs, respondents


def test_compare_items_sorts_same_changed_new_and_dropped():
    comparison = compare_items(_items(), 2020, 2025).set_index("item")
    assert comparison["status"].to_dict() == {
        "a": "same", "r": "changed", "n": "new", "d": "dropped"
    }  # fmt: skip
    assert comparison["comparable"].to_dict() == {"a": True, "r": False, "n": False, "d": False}
    assert comparison.at["r", "previous_label"] == "R oud"
    assert (
        compare_items(_items(comparable=True), 2020, 2025).set_index("item").at["r", "comparable"]
    )


def test_a_renamed_rewording_is_paired_with_its_old_name():
    items = need_items_table([
        _item(2020, "old_name", "Oud"),
        _item(2025, "new_name", "Nieuw", "reworded", "Oud", "old_name", comparable=True),
    ])  # fmt: skip
    comparison = compare_items(items, 2020, 2025)
    assert comparison["item"].tolist() == ["new_name"], "the old name is not 'dropped'"
    assert comparison.iloc[0]["previous_item"] == "old_name"
    assert comparison.iloc[0]["status"] == "changed" and comparison.iloc[0]["comparable"]


def test_an_item_absent_from_the_previous_codebook_is_new_without_a_kind():
    items = need_items_table([_item(2020, "a", "A"), _item(2025, "a", "A"), _item(2025, "x", "X")])
    comparison = compare_items(items, 2020, 2025).set_index("item")
    assert comparison.at["x", "status"] == "new" and not comparison.at["x", "comparable"]


def test_wave_change_keeps_the_reworded_item_but_does_not_call_it_clear(survey):
    needs, respondents = survey
    change, waves = wave_change(needs, respondents, items=_items())
    assert waves == (2020, 2025)
    rows = change.set_index("item")
    assert sorted(rows.index) == ["a", "r"], "d was dropped and n is new"
    r = rows.loc["r"]
    assert (r["status"], r["change"], r["comparable"]) == ("changed", "reworded", False)
    # 3/10 → 9/10: Wilson (0.1078, 0.6032) and (0.5958, 0.9821); Newcombe by hand:
    # low = 0.6 − √((0.9 − 0.5958)² + (0.6032 − 0.3)²) = 0.1705
    assert r["difference"] == pytest.approx(0.6)
    assert r["low"] == pytest.approx(0.1705, abs=1e-3)
    # `significant` is now Holm's verdict within the judged rows: a changed question is not
    # judged, so it is not significant, though its own interval excludes 0
    assert r["p"] < 0.05 and not r["significant"] and not r["clear"], "the question changed"
    assert pd.isna(r["p_holm"]) and r["level"] == pytest.approx(0.95)
    a = rows.loc["a"]
    assert a["comparable"] and not a["significant"] and not a["clear"]
    marked, _ = wave_change(needs, respondents, items=_items(comparable=True))
    assert marked.set_index("item").at["r", "clear"], "comparable: true lets it be judged"


def test_change_table_marks_the_reworded_item_and_lists_dropped_and_new(survey):
    needs, respondents = survey
    change, waves = wave_change(needs, respondents, items=_items())
    table, notes = change_table(change, waves, _items(), threshold=5)
    # issue 14: the verdict is Holm's, in words, with the interval's level in its own column
    assert list(table.columns) == ["Thema", "Vraag", "n 2020", "2020", "n 2025", "2025",
                                   "Verschil (procentpunten)", "Betrouwbaarheid interval",
                                   "Oordeel (Holm)"]  # fmt: skip
    rows = table.set_index("Thema")
    assert rows.loc["R¹", "Vraag"] == "vraag gewijzigd"
    assert rows.loc["R¹", "Oordeel (Holm)"] == "niet beoordeeld"
    assert rows.loc["R¹", "Betrouwbaarheid interval"] == "95,0 %", "not judged: 95 %"
    assert rows.loc["R¹", "2020"] == "30 %" and rows.loc["R¹", "2025"] == "90 %"
    assert rows.loc["R¹", "Verschil (procentpunten)"].startswith("60,0 (")
    assert rows.loc["A", "Vraag"] == "zelfde vraag"
    assert rows.loc["A", "Oordeel (Holm)"] == "geen significant verschil aangetoond"
    # A alone is judged: a family of one, Holm = the 95 % test, the interval at 95 %:
    # 2/10 → 4/10, Newcombe (−18,7 tot 52,1)
    assert rows.loc["A", "Verschil (procentpunten)"] == "20,0 (−18,7 tot 52,1)".replace("−", "-")
    assert notes[0].startswith("Oordeel na Holm-correctie over de 1 beoordeelde vragen")
    assert notes[1].startswith("¹ Vraag gewijzigd sinds 2020 (anders geformuleerd)")
    assert notes[2:] == ["Niet meer gevraagd in 2025: 'D'.", "Nieuw in 2025: 'N'."]


def test_change_table_judges_a_rewording_marked_comparable(survey):
    needs, respondents = survey
    change, waves = wave_change(needs, respondents, items=_items(comparable=True))
    table, notes = change_table(change, waves, _items(comparable=True), threshold=5)
    rows = table.set_index("Thema")
    # R (3/10 → 9/10) and A (2/10 → 4/10) both judged: Holm keeps R, its interval at
    # 97,5 % (the first step, 0.05 / 2) excludes 0; A's at 95 % (the second step, 0.05 / 1,
    # where Holm stopped) does not
    assert rows.loc["R²", "Oordeel (Holm)"] == "statistisch significant"
    assert rows.loc["A", "Oordeel (Holm)"] == "geen significant verschil aangetoond"
    assert rows["Betrouwbaarheid interval"].tolist() == ["97,5 %", "95,0 %"]
    assert rows.loc["R²", "Vraag"] == "vraag gewijzigd (vergelijkbaar)"
    assert "over de 2 beoordeelde vragen" in notes[0]
    assert notes[1].startswith("² Vraag anders geformuleerd sinds 2020")
    assert not any(n.startswith("¹") for n in notes)


def test_change_table_in_english(survey):
    needs, respondents = survey
    change, waves = wave_change(needs, respondents, items=_items())
    table, notes = change_table(change, waves, _items(), threshold=5, language="en")
    rows = table.set_index("Theme")
    assert rows.loc["R¹", "Question"] == "question changed"
    assert rows.loc["R¹", "Verdict (Holm)"] == "not judged"
    assert rows.loc["A", "Verdict (Holm)"] == "no significant difference shown"
    assert rows.loc["R¹", "Difference (points)"].startswith("60.0 (")
    assert notes[2:] == ["No longer asked in 2025: 'D'.", "New in 2025: 'N'."]


def test_small_rows_are_left_out_of_the_change_table(survey):
    needs, respondents = survey
    change, waves = wave_change(needs, respondents, items=_items())
    table, notes = change_table(change, waves, _items(), threshold=11)
    assert table.empty
    assert notes == ["Niet meer gevraagd in 2025: 'D'.", "Nieuw in 2025: 'N'."], (
        "no footnote for a mark that is not shown; the asked lists stay"
    )


def test_theme_trend_leaves_out_the_reworded_item(survey):
    needs, respondents = survey
    trend, waves = theme_change(needs, respondents, _items())
    assert waves == (2020, 2025)
    rows = trend.set_index("theme")
    t1 = rows.loc["t1"]
    assert t1["items"] == "a" and t1["left_out"] == "r (vraag gewijzigd)"
    # only item a: 2/10 → 4/10; Wilson (0.0567, 0.5098) and (0.1682, 0.6873); Newcombe:
    # low = 0.2 − √((0.4 − 0.1682)² + (0.5098 − 0.2)²) = −0.1869,
    # high = 0.2 + √((0.6873 − 0.4)² + (0.2 − 0.0567)²) = 0.5211
    assert (t1["n_a"], t1["share_a"], t1["n_b"], t1["share_b"]) == (10, 0.2, 10, 0.4)
    assert t1["low"] == pytest.approx(-0.1869, abs=1e-3)
    assert t1["high"] == pytest.approx(0.5211, abs=1e-3)
    assert not t1["significant"]
    t2 = rows.loc["t2"]
    assert t2["n_a"] == 0 and pd.isna(t2["difference"]) and pd.isna(t2["items"])
    assert t2["left_out"] == "n (nieuw in 2025); d (niet meer gevraagd in 2025)"


def test_theme_trend_keeps_a_rewording_marked_comparable(survey):
    needs, respondents = survey
    trend, _ = theme_change(needs, respondents, _items(comparable=True), language="en")
    t1 = trend.set_index("theme").loc["t1"]
    # a respondent counts once: large need on a or r. 2020: r2020-0..4 (a: 0-1, r: 0-2) = 3
    # of 10; 2025: r2025-0..8 (a: 0-3, r: 0-8) = 9 of 10
    assert t1["items"] == "a;r" and pd.isna(t1["left_out"])
    assert (t1["share_a"], t1["share_b"]) == (pytest.approx(0.3), pytest.approx(0.9))
    assert (
        trend.set_index("theme").at["t2", "left_out"] == "n (new in 2025); d (no longer "
        "asked in 2025)"
    )


def test_key_findings_name_no_change_of_a_changed_question(survey):
    needs, respondents = survey
    change, waves = wave_change(needs, respondents, items=_items())
    args = dict(area="Vlaanderen en Brussel", year=2025, respondents=respondents,
                needs_items=large_need_by_item(needs, respondents, 2025), waves=waves,
                indicators=pd.DataFrame(), ranking=pd.DataFrame(),
                reached={"participants": 0})  # fmt: skip
    findings = key_findings(change=change, **args)
    assert not any("'R" in f for f in findings), "r's +60 points must not be reported"
    assert (  # issue 14: "no significant difference shown", not "no change"
        "Bij geen enkele leernood die in 2020 en 2025 op dezelfde manier bevraagd werd, is een "
        "statistisch significant verschil aangetoond (na Holm-correctie)" in " ".join(findings)
    )
    judged, _ = wave_change(needs, respondents, items=_items(comparable=True))
    assert any("'R'" in f and "+60" in f for f in key_findings(change=judged, **args))


def test_wording_changes_lists_old_and_new_wording():
    text = wording_changes(_items(), (2020, 2025))
    assert text.startswith("**Gewijzigde vragen sinds 2020.**")
    assert "- 2020: 'R oud' → 2025: 'R nieuw'" in text
    assert "(als vergelijkbaar aangeduid)" in wording_changes(_items(comparable=True), (2020, 2025))
    assert wording_changes(need_items_table([_item(2020, "a", "A"), _item(2025, "a", "A")]),
                           (2020, 2025)) == ""  # fmt: skip


def test_the_excel_table_says_vraag_gewijzigd(survey, tmp_path):
    needs, respondents = survey
    change, waves = wave_change(needs, respondents, items=_items())
    table, notes = change_table(change, waves, _items())
    book = ReportBook(tmp_path, "nl", threshold=5)
    shown = book.table(table, "Verandering", n="10 + 10", source="bevraging",
                       counts=["n 2020", "n 2025"], note=notes, index=False)  # fmt: skip
    assert "Niet meer gevraagd in 2025: &#x27;D&#x27;." in shown.data
    sheet = load_workbook(book.write_excel())["1 Verandering"]
    header = [c.value for c in sheet[3]]
    column = header.index("Vraag") + 1
    values = {sheet.cell(r, 1).value: sheet.cell(r, column).value for r in (4, 5)}
    assert values == {"R¹": "vraag gewijzigd", "A": "zelfde vraag"}
    assert "Nieuw in 2025: 'N'." in sheet.cell(1, 1).value
    meta = json.loads((tmp_path / "tabellen.json").read_text(encoding="utf-8"))
    assert meta["1 Verandering"]["counts"] == ["n 2020", "n 2025"]


# --- the demo's codebooks (2020 → 2025) -------------------------------------------------------

REWORDED_2025 = ["need_outreach", "need_regierol", "need_middelen", "need_beleidskader",
                 "need_professionalisering", "need_bewoners_bevragen"]  # fmt: skip


def test_the_demo_codebooks_get_their_marks_in_the_report_table():
    items = describe_items(load_codebooks(ROOT / "surveys" / "codebooks"))
    rows = []
    for item in items.itertuples():
        for i in range(8):
            level = LEVELS[(i + len(item.item)) % 5]
            rows.append((f"r{item.wave}-{i}", item.wave, item.item, item.theme, level))
    frame = pd.DataFrame(rows, columns=["respondent_id", "wave", "item", "theme", "answer"])
    labels = dict(zip(items["item"], items["label"], strict=False))  # 2025's label wins
    needs = frame.assign(
        item_label=frame["item"].map(labels),
        level=pd.Categorical(frame["answer"], categories=LEVELS, ordered=True),
        dont_know=False,
    )
    respondents = needs.drop_duplicates("respondent_id")[["respondent_id", "wave"]]
    change, waves = wave_change(needs, respondents, items=items)
    table, notes = change_table(change, waves, items, threshold=5)
    marked = {row.item for row in change.itertuples() if row.status == "changed"}
    assert marked == set(REWORDED_2025)
    shown = dict(zip(table["Thema"], table["Oordeel (Holm)"], strict=True))
    for item in REWORDED_2025:
        assert shown[f"{labels[item]}¹"] == "niet beoordeeld", item
    assert shown["Een beter zicht op mogelijke partners"] in (
        "statistisch significant",
        "geen significant verschil aangetoond",
    ), "unchanged: judged"
    assert notes[0].startswith("Oordeel na Holm-correctie")  # issue 14: the Holm note first
    assert notes[2].startswith(
        "Niet meer gevraagd in 2025: 'Een breder ondersteuningsaanbod voor burgers"
    )
    assert "opgesplitst in 'Aanbod voor inwoners: digitale vaardigheden oefenen'" in notes[2]
    assert notes[3].startswith("Nieuw in 2025: 'Aanbod voor inwoners: digitale vaardigheden")
    assert "'Cyberveiligheid voor digitale starters'." in notes[3]
    method = wording_changes(items, waves)
    assert (
        "- 2020: 'Kennis over outreachend werken: kwetsbare groepen bereiken en helpen' → "
        "2025: 'Outreachend werken: kwetsbare groepen vinden, bereiken en ondersteunen'" in method
    )
