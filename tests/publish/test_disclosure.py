"""The disclosure audit: hand-worked interval attacks on small published tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from inclusie_analysis.publish.disclosure import (
    audit_tables,
    hide_small_shares,
    protect_count_column,
)
from inclusie_analysis.publish.protection import CountTable, protect_linked
from inclusie_analysis.publish.published import PublishedTable, read_published

NA = pd.NA


def table(title, rows, counts, *, report="r", area=None, n=None, label="Rij"):
    """A published table from {row label: [count per column]}; None is a hidden cell."""
    frame = pd.DataFrame({label: list(rows)})
    for i, column in enumerate(counts):
        frame[column] = pd.array(
            [NA if v[i] is None else v[i] for v in rows.values()], dtype="Float64"
        )
    return PublishedTable(report, title, frame, tuple(counts), n, area)


def interval(result, row, column="n", report=None):
    hit = result.intervals
    hit = hit.loc[(hit["Rij"] == row) & (hit["Kolom"] == column)]
    if report:
        hit = hit.loc[hit["Rapport"] == report]
    assert len(hit) == 1, hit
    return hit["Ondergrens"].iloc[0], hit["Bovengrens"].iloc[0]


def test_one_hidden_cell_in_a_line_with_its_total_is_exact():
    # 10 + x + 7 = 20 → x = 3
    t = table("Antwoorden per soort organisatie", {"A": [10], "B": [None], "C": [7],
                                                   "Totaal": [20]}, ["n"])  # fmt: skip
    result = audit_tables([t])
    assert interval(result, "B") == (3, 3)
    assert not result.ok
    assert result.findings.loc[0, "Probleem"] == "exact"
    assert result.hidden == 1 and result.narrowest == 0


def test_sorted_table_with_caption_n_gives_the_hidden_cell():
    # "Feedback per soort activiteit": caption n = 123, shown 50 + 40 + 30 = 120 → x = 3
    t = table("Feedback per soort activiteit", {"a": [50], "b": [40], "c": [30], "d": [None]},
              ["Antwoorden"], n=123)  # fmt: skip
    result = audit_tables([t])
    assert interval(result, "d", "Antwoorden") == (3, 3)
    assert "klein aantal" not in result.findings["Probleem"].tolist()
    assert result.lines() == [
        "r · Feedback per soort activiteit · rij 'd' · kolom 'Antwoorden': tussen 3 en 3 (exact)"
    ]


def test_a_table_sorted_by_count_orders_its_hidden_cells():
    # 55 − 42 − 6 = 7 for two hidden cells listed largest first: a ≥ b ≥ 1 and a + b = 7
    # → a ∈ [4, 6], b ∈ [1, 3] (without the order both would be in [1, 6]).
    rows = {"Lokaal bestuur": [42], "Welzijn": [6], "Andere": [None], "Onderwijs": [None]}
    t = table("Bereikte deelnemers per soort organisatie", rows, ["n"], n=55)
    result = audit_tables([t])
    assert interval(result, "Andere") == (4, 6)
    assert interval(result, "Onderwijs") == (1, 3)
    unsorted = table("Antwoorden per soort organisatie", {**rows, "Totaal": [55]}, ["n"])
    assert interval(audit_tables([unsorted]), "Andere") == (1, 6)


def test_all_four_inner_cells_hidden_with_wide_totals_pass():
    # rows and columns add to 10: x11 = t, x12 = 10 − t, x21 = 10 − t, x22 = t, all ≥ 1
    # → every cell lies in [1, 9], width 8 ≥ 3 and 9 ≥ the threshold 5.
    t = table("Antwoorden per provincie en bevraging",
              {"a": [None, None, 10], "b": [None, None, 10], "Totaal": [10, 10, 20]},
              ["2020", "2025", "Totaal"])  # fmt: skip
    result = audit_tables([t])
    assert result.ok, result.findings
    assert interval(result, "a", "2020") == (1, 9)
    assert result.hidden == 4 and result.narrowest == 8


def test_four_hidden_cells_with_tight_totals_are_narrow():
    # row totals 6 and 4, column totals 5 and 5: x11 = t, x12 = 6 − t, x21 = 5 − t,
    # x22 = t − 1; all ≥ 1 gives 2 ≤ t ≤ 4: x11 ∈ [2, 4], x22 ∈ [1, 3] (width 2 < 3).
    t = table("Antwoorden per provincie en bevraging",
              {"a": [None, None, 6], "b": [None, None, 4], "Totaal": [5, 5, 10]},
              ["2020", "2025", "Totaal"])  # fmt: skip
    result = audit_tables([t])
    assert interval(result, "a", "2020") == (2, 4)
    assert interval(result, "b", "2025") == (1, 3)
    assert set(result.findings["Probleem"]) == {"interval te smal"}
    assert len(result.findings) == 4


def test_protection_width_and_threshold_are_parameters():
    t = table("Antwoorden per provincie en bevraging",
              {"a": [None, None, 6], "b": [None, None, 4], "Totaal": [5, 5, 10]},
              ["2020", "2025", "Totaal"])  # fmt: skip
    # width 2 is enough with protection width 2, but every upper bound (4, 4, 3, 3) is below
    # the threshold 5: the reader learns all four are small counts. With threshold 3 none is.
    result = audit_tables([t], threshold=5, protection_width=2)
    assert set(result.findings["Probleem"]) == {"klein aantal vastgelegd"}
    assert len(result.findings) == 4
    assert audit_tables([t], threshold=3, protection_width=2).ok


def test_differencing_the_total_report_with_the_parts_is_caught():
    title = "Antwoorden per soort organisatie"
    total = table(title, {"Lokaal bestuur": [20], "Welzijn": [10], "Totaal": [30]}, ["2025"],
                  report="vlaanderen", area="Vlaanderen en Brussel")  # fmt: skip
    antwerpen = table(title, {"Lokaal bestuur": [17], "Welzijn": [10], "Totaal": [27]},
                      ["2025"], report="antwerpen", area="Antwerpen")  # fmt: skip
    brussel = table(title, {"Lokaal bestuur": [None], "Welzijn": [0], "Totaal": [None]},
                    ["2025"], report="brussel", area="Brussel")  # fmt: skip
    # alone, Brussel's table hides its cells (nothing bounds them from above) ...
    alone = audit_tables([brussel])
    assert interval(alone, "Lokaal bestuur", "2025") == (1, math.inf)
    assert alone.ok
    # ... but 20 − 17 = 3 respondents at most are left for Brussel (some may have no
    # municipality, so not exactly 3): Lokaal bestuur ∈ [1, 3].
    result = audit_tables([total, antwerpen, brussel])
    assert interval(result, "Lokaal bestuur", "2025") == (1, 3)
    assert set(result.findings["Rapport"]) == {"brussel"}
    # with Brussel's total 12 (its cells hidden in it) and the total report's cells hidden,
    # 39 = 27 + 12 leaves no one without a municipality: Lokaal bestuur ∈ [1, 11].
    safe_total = table(title, {"Lokaal bestuur": [None], "Welzijn": [None], "Totaal": [39]},
                       ["2025"], report="vlaanderen", area="Vlaanderen en Brussel")  # fmt: skip
    safe_brussel = table(title, {"Lokaal bestuur": [None], "Welzijn": [None], "Totaal": [12]},
                         ["2025"], report="brussel", area="Brussel")  # fmt: skip
    safe = audit_tables([safe_total, antwerpen, safe_brussel])
    assert safe.ok, safe.findings
    assert interval(safe, "Lokaal bestuur", "2025", report="brussel") == (1, 11)


def test_network_wide_tables_are_the_same_in_every_report():
    # the hidden cell is protected in each copy alone, but copies are one and the same table
    a = table("Feedback per soort activiteit", {"a": [30], "b": [None], "c": [None]},
              ["Antwoorden"], report="r1", n=40)  # fmt: skip
    b = table("Feedback per soort activiteit", {"a": [30], "b": [None], "c": [6]},
              ["Antwoorden"], report="r2", n=40)  # fmt: skip
    result = audit_tables([a, b])
    assert interval(result, "b", "Antwoorden", report="r1") == (4, 4)


def test_tables_read_back_from_the_report_book(tmp_path):
    pytest.importorskip("IPython")
    from inclusie_analysis.publish.reportbook import ReportBook

    book = ReportBook(tmp_path, threshold=5)
    frame = pd.DataFrame({"Soort": ["a", "b", "c"], "Antwoorden": [1200, 3, pd.NA]})
    book.table(frame, "Feedback per soort activiteit", n=1210, source="test",
               counts=["Antwoorden"], index=False)  # fmt: skip
    book.table(frame.rename(columns={"Antwoorden": "Score"}), "Geen tellingen", n=3,
               source="test", index=False)  # fmt: skip
    book.write_excel()
    tables = read_published(tmp_path, "r")
    assert len(tables) == 1  # tables without count columns are not audited
    t = tables[0]
    assert t.n == 1210 and t.counts == ("Antwoorden",)
    assert t.frame["Antwoorden"].tolist()[0] == 1200
    assert t.frame["Antwoorden"].isna().tolist() == [False, True, True]
    # 1210 − 1200 = 10 for the two hidden cells: each in [1, 9]
    result = audit_tables(tables)
    assert interval(result, "b", "Antwoorden") == (1, 9)


# --- protection ------------------------------------------------------------------------------


def test_a_count_column_summing_to_the_caption_gets_a_second_hidden_cell():
    frame = pd.DataFrame({"n": [50, 40, 30, 3], "Respons": ["1 %", "2 %", "3 %", "4 %"]},
                         index=list("abcd"))  # fmt: skip
    out = protect_count_column(frame, "n", threshold=5)
    assert out["n"].isna().tolist() == [False, False, True, True]  # 30 is the smallest shown
    assert out.loc["c", "Respons"] == "–" and out.loc["a", "Respons"] == "1 %"
    published = table("Feedback per soort activiteit",
                      {k: [None if pd.isna(v) else v] for k, v in out["n"].items()},
                      ["Antwoorden"], n=123)  # fmt: skip
    # 123 − 90 = 33 for c and d, each ≥ 1: d ∈ [1, 32]
    assert interval(audit_tables([published]), "d", "Antwoorden") == (1, 32)


def test_protect_linked_hides_what_differencing_would_give_away():
    # Brussel's 3 local governments are hidden in its own report, but the total report minus
    # Antwerpen gives them (20 − 17): the protection hides another cell of that sum too.
    counts = {
        "Vlaanderen en Brussel": pd.DataFrame({"2025": [20, 30]}, index=["Lokaal", "Welzijn"]),
        "Antwerpen": pd.DataFrame({"2025": [17, 22]}, index=["Lokaal", "Welzijn"]),
        "Brussel": pd.DataFrame({"2025": [3, 8]}, index=["Lokaal", "Welzijn"]),
    }
    counts["Vlaanderen en Brussel"]["2024"] = [10, 10]
    counts["Antwerpen"]["2024"] = [6, 6]
    counts["Brussel"]["2024"] = [4, 4]
    title = "Antwoorden per soort organisatie"
    tables = [CountTable(title, area, frame) for area, frame in counts.items()]
    fulls = {t.area: t.full() for t in tables}
    naive = {a: f.astype("Float64").mask((f >= 1) & (f < 5)) for a, f in fulls.items()}
    assert not audit_tables(_as_published(naive)).ok
    out = dict(zip(counts, protect_linked(tables, threshold=5, protection_width=3), strict=True))
    assert pd.isna(out["Brussel"].loc["Lokaal", "2025"])
    # the total report minus Antwerpen would give it: one of those hides its cell too
    assert pd.isna(out["Vlaanderen en Brussel"].loc["Lokaal", "2025"]) or pd.isna(
        out["Antwerpen"].loc["Lokaal", "2025"]
    )
    assert out["Vlaanderen en Brussel"].loc["Totaal", "Totaal"] == 70  # the caption's n
    result = audit_tables(_as_published(out))
    assert result.ok, result.lines()
    # every published cell is the true count
    for area, frame in out.items():
        full = fulls[area]
        shown = frame.notna()
        assert (frame[shown] == full[shown]).fillna(True).all().all(), area


def _as_published(frames):
    title = "Antwoorden per soort organisatie"
    return [
        PublishedTable(a, title, f.rename_axis("Rij").reset_index(), tuple(f.columns), area=a)
        for a, f in frames.items()
    ]


def test_shares_giving_away_a_small_count_are_blanked():
    # 3 of 5 (60 %): k = 3 and n − k = 2 are small; 5 of 5: n − k = 0, shown; 5 of 10 shown
    frame = pd.DataFrame({"n": [5, 5, 10, 0], "share": [0.6, 1.0, 0.5, None]})
    out = hide_small_shares(frame, "share", "n", threshold=5)
    assert out["share"].isna().tolist() == [True, False, False, True]
    assert frame["share"].notna().sum() == 3  # the argument is not changed


def test_two_small_counts_that_the_sum_pins_get_a_third_hidden_cell():
    """By hand: a 50, b 40, c 2, d 1, n 93. Hiding c and d leaves c + d = 3, so each is 1 or 2
    (interval 1 wide, under the protection width 3): the audit says so, and the protection
    hides b (40) too: then b + c + d = 43, each small one in [1, 41]."""
    frame = pd.DataFrame({"n": [50, 40, 2, 1]}, index=list("abcd"))
    greedy = table("Feedback per soort activiteit", {"a": [50], "b": [40], "c": [None],
                   "d": [None]}, ["Antwoorden"], n=93)  # fmt: skip
    assert interval(audit_tables([greedy]), "d", "Antwoorden") == (1, 2)
    out = protect_count_column(frame, "n", threshold=5, protection_width=3)
    assert out["n"].isna().tolist() == [False, True, True, True]
    published = table("Feedback per soort activiteit",
                      {k: [None if pd.isna(v) else v] for k, v in out["n"].items()},
                      ["Antwoorden"], n=93)  # fmt: skip
    result = audit_tables([published])
    assert result.ok and interval(result, "d", "Antwoorden") == (1, 41)
