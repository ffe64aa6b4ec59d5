"""The ledger records a step's outcomes and fixes as frames (issue 17): the same
de-identification as one fix at a time, the same accounting of every row."""

from __future__ import annotations

import pandas as pd
import pytest

from inclusie_analysis.clean.ledger import (
    KEPT,
    MERGED,
    REASONS,
    REJECTED,
    FixLog,
    Ledger,
    LedgerError,
    Outcomes,
)

PHONE, MAIL = "0470 12 34 56", "jan.peeters@example.org"


def _fixes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": "a.xlsx",
            "sheet": "Blad1",
            "row": [12, 13, 14, None],
            "column": ["Gemeente", "E-mail", "Functie", "Thema"],
            "variable": ["municipality", "email", "role", None],
            "value": [f"Gent, bel {PHONE}", MAIL, "Jan Peeters", None],
            "result": ["44021 Gent", "iets", "directeur", "zonder thema"],
            "action": ["municipality_part_of_name", "x", "choice_unknown", "theme_missing"],
            "message": "bericht",
            "advice": "",
            "personal": [None, None, True, None],
        }
    )


def test_record_fixes_scrubs_values_and_references_personal_columns():
    ledger = Ledger()
    ledger.record_fixes(_fixes())
    fixes = ledger.frames()["fixes"]
    assert fixes["value"].tolist()[:3] == [
        "Gent, bel [telefoon]",  # scrubbed
        "rij 13, kolom E-mail",  # personal by its variable
        "rij 14, kolom Functie",  # personal because the codebook says so
    ]
    assert pd.isna(fixes["value"].iloc[3])  # nothing typed: nothing quoted
    # the result of a personal column is dropped, reference data kept
    assert fixes["result"].tolist()[0] == "44021 Gent" and fixes["result"].iloc[3] == "zonder thema"
    assert fixes["result"].iloc[1:3].isna().all()
    assert not fixes.astype(str).apply(lambda c: c.str.contains(MAIL, regex=False)).any().any()
    assert fixes["row"].dtype == "Int64" and pd.isna(fixes["row"].iloc[3])


def test_record_fixes_matches_one_fix_at_a_time():
    one_by_one, at_once = Ledger(), Ledger()
    for fix in _fixes().to_dict("records"):
        row = None if pd.isna(fix["row"]) else int(fix["row"])
        one_by_one.fix(
            fix["file"], row, fix["column"], fix["variable"], fix["value"], fix["result"],
            fix["action"], fix["message"], fix["advice"], sheet=fix["sheet"],
            personal=fix["personal"],
        )  # fmt: skip
    log = FixLog("a.xlsx", "Blad1")
    for fix in _fixes().to_dict("records"):
        row = None if pd.isna(fix["row"]) else int(fix["row"])
        log.add(row, fix["column"], fix["variable"], fix["value"], fix["result"], fix["action"],
                fix["message"], fix["advice"], personal=fix["personal"])  # fmt: skip
    log.record(at_once)
    assert log.items == []
    pd.testing.assert_frame_equal(one_by_one.frames()["fixes"], at_once.frames()["fixes"])
    assert one_by_one.fixes == at_once.fixes and at_once.fixes[3]["row"] is None


def test_record_rows_accounts_for_each_row_and_fills_messages():
    ledger = Ledger()
    outcomes = Outcomes("a.csv", "Blad1")
    outcomes.add(2, KEPT, record_id="p-1")
    outcomes.add(3, REJECTED, "blank")
    outcomes.add(4, REJECTED, "no_answers", sheet="Blad2")
    outcomes.add(5, MERGED, "duplicate", kept_row=2, record_id="p-1", message="Twee keer.")
    ledger.record_rows(outcomes.frame())
    rows = ledger.frames()["ledger"].set_index("row")
    assert rows.loc[3, "message"] == REASONS["blank"]
    assert rows.loc[5, "message"] == "Twee keer." and rows.loc[5, "kept_row"] == 2
    assert rows.loc[2, "message"] == "" and rows.loc[4, "sheet"] == "Blad2"
    ledger.file("a.csv", "bevraging", "plain", rows_in=4)
    assert {k: ledger.files[0][k] for k in (KEPT, MERGED, REJECTED)} == {
        KEPT: 1, MERGED: 1, REJECTED: 2
    }  # fmt: skip
    ledger.file("a.csv", "register", "register", rows_in=1, sheet="Blad2")
    assert ledger.files[1][REJECTED] == 1 and ledger.files[1][KEPT] == 0


def test_a_lost_row_raises():
    ledger = Ledger()
    ledger.record_rows(pd.DataFrame({"file": "a.csv", "row": [2, 3], "status": KEPT}))
    with pytest.raises(LedgerError, match="3 rijen gelezen maar 2 verantwoord"):
        ledger.file("a.csv", "bevraging", "plain", rows_in=3)


def test_merge_points_duplicates_at_the_kept_row():
    ledger = Ledger()
    ledger.record_rows(pd.DataFrame({"file": "a.csv", "row": [2, 3], "status": KEPT}))
    ledger.record_rows(pd.DataFrame({"file": "b.csv", "row": [2], "status": KEPT}))
    ledger.file("a.csv", "bevraging", "plain", rows_in=2)
    ledger.file("b.csv", "bevraging", "plain", rows_in=1)
    ledger.merge(
        pd.DataFrame({"file": ["a.csv", "b.csv"], "row": [2, 2], "kept_file": ["a.csv", "a.csv"],
                      "kept_row": [3, 3], "record_id": ["p-1", "p-1"]})
    )  # fmt: skip
    ledger.recount()
    rows = ledger.frames()["ledger"].set_index(["file", "row"])
    assert rows.loc[("a.csv", 2), "status"] == MERGED and rows.loc[("a.csv", 2), "kept_row"] == 3
    assert rows.loc[("a.csv", 2), "message"] == REASONS["duplicate"]
    assert rows.loc[("b.csv", 2), "message"] == REASONS["duplicate"] + " (in a.csv)"
    assert [(f[KEPT], f[MERGED]) for f in ledger.files] == [(1, 1), (0, 1)]
    with pytest.raises(LedgerError, match="rij 2 staat niet als behouden"):
        ledger.merge(pd.DataFrame({"file": ["b.csv"], "row": [2], "kept_file": ["a.csv"],
                                   "kept_row": [3], "record_id": ["p-1"]}))  # fmt: skip


def test_forget_keeps_how_the_file_was_read():
    ledger = Ledger()
    ledger.record_rows(pd.DataFrame({"file": ["a.xlsx", "b.csv"], "row": 2, "status": KEPT}))
    ledger.fix("a.xlsx", None, None, None, None, "Blad2", "sheet_chosen", "Ander blad.")
    ledger.fix("a.xlsx", 2, "Gemeente", "municipality", "Gnt", None, "municipality_fuzzy", "x")
    ledger.forget("a.xlsx")
    assert [r["file"] for r in ledger.rows] == ["b.csv"]
    assert [f["action"] for f in ledger.fixes] == ["sheet_chosen"]


def test_an_empty_ledger_has_typed_frames():
    frames = Ledger().frames()
    assert len(frames["ledger"]) == 0 and frames["ledger"]["row"].dtype == "Int64"
    assert list(frames["fixes"].columns)[:3] == ["file", "sheet", "row"]
