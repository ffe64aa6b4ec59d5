"""The coding workbook (`inclusie themes sample`): which answers, how they are drawn, and what
the xlsx holds."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from inclusie_analysis.analyse.coding_workbook import (
    CODEBOOK_SHEET,
    HELP_SHEET,
    KEYS_SHEET,
    SAMPLING_RULE,
    SHEET,
    _allocate,
    answer_id,
    candidates,
    draw_sample,
    read_keys,
    second_coder_path,
    write_sample,
    write_workbook,
)
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.themes import groups, load_themes, theme_label
from inclusie_analysis.settings import ENV_VAR

PII = "Mail jan.peeters@gemeente.be of bel 0470 12 34 56, groeten Jan Peeters"


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def cleaned_data(folder: Path, extra: list[str] = ()) -> Path:
    """A small cleaned-data folder in the layout `inclusie clean` writes (the columns used)."""
    folder.mkdir(parents=True, exist_ok=True)
    remarks = [
        "Meer budget voor een digicoach.",  # middelen
        "Hoe bereiken we kwetsbare inwoners?",  # outreach
        "Geen opmerkingen.",  # overig
        "Goed bezig!",  # overig
        "Regierol, partners, budget en wifi: alles tegelijk.",  # 3+ groups
        "Meer budget voor een digicoach.",  # the same text again: once in the pool
        # one keyword explains little of it: the suggestion gives no group
        "Wij hebben vooral nood aan extra mensen, nu doet één collega dit naast haar gewone job.",
        *extra,
    ]
    texts = pd.DataFrame(
        {
            "respondent_id": [f"r_{i:016x}" for i in range(len(remarks))],
            "wave": [2025] * 3 + [2020] * (len(remarks) - 3),
            "question": "remarks",
            "text": pd.array(remarks, dtype="string"),
            "scrubbed": "",
            "formula": False,
            "themes": "overig",
        }
    )
    feedback = pd.DataFrame(
        {
            "response_id": ["f1", "f2", "f3"],
            "event_id": ["2025-001", "2024-009", "2023-004"],  # the last: not in the register
            "question": ["best", "better", "best"],
            "text": pd.array(["Concrete tips", "=SUM(A1:A9) meer tijd", "Goed tempo"], "string"),
        }
    )
    events = pd.DataFrame(
        {
            "event_id": ["2025-001", "2024-009"],
            "year": [2025, 2024],
            "title": pd.array(["Infosessie: toegankelijke websites", "Netwerkdag"], "string"),
        }
    )
    for name, frame in (("answers_text", texts), ("feedback_text", feedback), ("events", events)):
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


# ---------------------------------------------------------------------------------------------
# The pool


def test_candidates_are_the_distinct_answers_of_every_source(tmp_path):
    pool = candidates(cleaned_data(tmp_path / "data"))
    assert set(pool["source"]) == {"enquete", "feedback", "register"}
    assert len(pool) == 6 + 3 + 2  # one remark twice: once
    assert pool["id"].is_unique
    by_text = pool.set_index("text")
    assert by_text.at["Concrete tips", "year"] == 2025  # the activity's year
    assert by_text.at["Goed tempo", "year"] == 2023  # not in the register: the id's year
    assert by_text.at["Netwerkdag", "source"] == "register"
    assert by_text.at["Geen opmerkingen.", "unsure"] == "geen code"
    assert by_text.at["Regierol, partners, budget en wifi: alles tegelijk.", "unsure"] == (
        "3+ groepen"
    )
    assert by_text.at["Meer budget voor een digicoach.", "themes"] == "middelen"
    assert by_text.at["Meer budget voor een digicoach.", "unsure"] == ""
    unsure = by_text.loc["Wij hebben vooral nood aan extra mensen, nu doet één collega dit naast "
                         "haar gewone job."]  # fmt: skip
    assert unsure["themes"] == "professionalisering"
    assert unsure["unsure"] == "suggestie wijkt af"


def test_ids_are_stable_and_name_the_source():
    assert answer_id("feedback", "Goed tempo") == answer_id("feedback", "Goed tempo")
    assert answer_id("feedback", "Goed tempo") != answer_id("enquete", "Goed tempo")
    assert answer_id("register", "x").startswith("R-")


def test_missing_cleaned_data_is_a_clear_error(tmp_path):
    with pytest.raises(InputError) as error:
        candidates(tmp_path)
    assert "answers_text" in str(error.value) and "inclusie clean" in str(error.value)


def test_personal_data_in_the_cleaned_data_is_scrubbed_again(tmp_path):
    """Even when personal data reached the cleaned frames, the workbook never shows it."""
    data = cleaned_data(tmp_path / "data", extra=[PII])
    out = tmp_path / "werkboek.xlsx"
    write_sample(data, out, n=100, second_coder=True)
    for path in (out, second_coder_path(out)):
        xml = _xml(path)
        for needle in ("jan.peeters@", "gemeente.be", "0470", "Peeters"):
            assert needle not in xml, f"{needle} in {path.name}"
        assert "[e-mail]" in xml  # the planted answer is there, scrubbed


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


# ---------------------------------------------------------------------------------------------
# Drawing


def test_allocation_worked_by_hand():
    # one each, then 7 by weight 10:30:2 -> 1.67, 5, 0.33 -> +1, +5, +0; the last one to the
    # largest remainder of the second round (0.24, 0.71, 0.05): the second stratum
    assert _allocate([10, 10, 2], [10.0, 30.0, 2.0], 10) == [2, 7, 1]
    assert _allocate([1, 100], [1.0, 100.0], 50) == [1, 49]  # never more than a stratum holds
    assert _allocate([3, 3, 3], [1.0, 5.0, 2.0], 2) == [0, 1, 1]  # fewer than strata: heaviest
    assert _allocate([2, 3], [1.0, 1.0], 99) == [2, 3]  # n above the pool: all


def _pool(n_sure: int, n_unsure: int) -> pd.DataFrame:
    n = n_sure + n_unsure
    return pd.DataFrame(
        {
            "id": [f"E-{i:010d}" for i in range(n)],
            "source": "enquete",
            "year": pd.array([2025] * n, dtype="Int64"),
            "text": [f"antwoord {i}" for i in range(n)],
            "themes": "middelen",
            "unsure": [""] * n_sure + ["geen code"] * n_unsure,
        }
    )


def test_the_sample_is_deterministic_for_a_seed():
    pool = _pool(150, 50)
    first, again = draw_sample(pool, 40, seed=7), draw_sample(pool, 40, seed=7)
    assert first.rows["id"].tolist() == again.rows["id"].tolist()
    assert set(first.rows["id"]) != set(draw_sample(pool, 40, seed=8).rows["id"])
    assert len(first.rows) == 40 and first.rows["id"].is_unique


def test_unsure_answers_are_over_represented():
    pool = _pool(150, 50)  # a quarter unsure
    shares = [(draw_sample(pool, 40, seed=s).rows["unsure"] != "").mean() for s in range(5)]
    assert min(shares) > 0.4  # weight 3: about half of the sample
    assert sum(shares) / len(shares) == pytest.approx(0.5, abs=0.1)


def test_every_stratum_is_in_the_sample(tmp_path):
    pool = candidates(cleaned_data(tmp_path / "data"))
    strata = pool["source"] + pool["year"].astype(str) + pool["themes"].str.split(";").str[0]
    sample = draw_sample(pool, strata.nunique(), seed=3)
    drawn = sample.rows.merge(pool[["id"]], on="id")
    assert len(drawn) == strata.nunique()
    assert set(
        drawn["source"] + drawn["year"].astype(str) + drawn["themes"].str.split(";").str[0]
    ) == set(strata)


def test_a_sample_of_nothing_is_refused():
    with pytest.raises(InputError, match="minstens 1"):
        draw_sample(_pool(3, 0), 0)
    with pytest.raises(InputError, match="geen open antwoorden"):
        draw_sample(_pool(0, 0), 5)


# ---------------------------------------------------------------------------------------------
# The workbook


def test_the_workbook_layout(tmp_path):
    data = cleaned_data(tmp_path / "data")
    out = tmp_path / "werkboek.xlsx"
    first, second = write_sample(data, out, n=100, seed=2, second_coder=True, year=2025)
    assert second.name == "werkboek-codeur2.xlsx"
    book = load_workbook(first)
    assert book.sheetnames == [SHEET, CODEBOOK_SHEET, HELP_SHEET, KEYS_SHEET]
    assert book[KEYS_SHEET].sheet_state == "hidden"
    sheet, codes = book[SHEET], groups()
    keys = read_keys(book, SHEET, first)
    assert keys == ["id", "source", "year", "text", *codes, "notes"]
    headers = [c.value for c in sheet[1]]
    assert headers == ["id", "bron", "jaar", "tekst", *(theme_label(c) for c in codes), "notities"]
    assert sheet.max_row == 1 + 11 and sheet.freeze_panes == "E2"
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"ja,nee"'
    assert str(validation.sqref) == f"E2:{_letter(4 + len(codes))}12"
    assert sheet.column_dimensions["D"].width == 60
    assert sheet["D2"].alignment.wrap_text
    # the formula-like answer is text, never a formula
    formula = next(c for c in sheet["D"] if str(c.value).startswith("=SUM"))
    assert formula.data_type == "s"
    assert "<f>" not in _xml(first)
    # the second coder: the same answers, another order
    other = load_workbook(second)[SHEET]
    ids = [c.value for c in sheet["A"][1:]]
    other_ids = [c.value for c in other["A"][1:]]
    assert sorted(ids) == sorted(other_ids) and ids != other_ids


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def test_the_codebook_and_the_explanation(tmp_path):
    path = write_workbook(_pool(2, 0), tmp_path / "w.xlsx", about="toevalsgetal 5")
    book = load_workbook(path)
    codebook = book[CODEBOOK_SHEET]
    rows = list(codebook.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [theme_label(c) for c in groups()]
    themes = load_themes()
    for code, (_, description, _, examples) in zip(groups(), rows, strict=True):
        assert description == themes[code].description
        assert examples and 2 <= examples.count("• ") <= 3, code
    shown = "\n".join(str(v) for r in rows for v in r if v)
    listed = [t for t in themes.values() if len(t.keywords) >= 3]
    assert listed  # the taxonomy does have keyword lists to leave out
    for theme in listed:  # descriptions and examples, never a keyword list as a rule
        assert ", ".join(theme.keywords[:3]) not in shown
        assert "trefwoord" not in shown.lower()
    explanation = "\n".join(str(c.value) for c in book[HELP_SHEET]["A"] if c.value)
    assert SAMPLING_RULE in explanation and "toevalsgetal 5" in explanation
    assert "'ja' of 'nee'" in explanation
