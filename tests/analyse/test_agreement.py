"""Coder agreement (`inclusie themes agree`): kappa and alpha checked against worked examples,
the filled workbooks read with clear errors, the disagreements, and the gold file."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from test_coding_workbook import cleaned_data  # tests/analyse is on sys.path (pytest)

from inclusie_analysis.analyse.agreement import (
    AGREEMENT_SHEET,
    ALL_GROUPS,
    DIFFERENCES_SHEET,
    cohen_kappa,
    krippendorff_alpha,
    landis_koch,
    read_coded,
)
from inclusie_analysis.analyse.coding_workbook import SHEET, read_keys, write_sample
from inclusie_analysis.clean.privacy import as_typed
from inclusie_analysis.cli import main
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.themes import groups, theme_label
from inclusie_analysis.settings import ENV_VAR


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


# ---------------------------------------------------------------------------------------------
# The measures, against worked examples


def test_cohen_kappa_on_a_two_by_two_table_worked_by_hand():
    # 50 items: yes-yes 20, no-no 15, yes-no 5, no-yes 10. p_o = 35/50 = 0.70; coder a says
    # yes 25/50, coder b 30/50: p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.50; kappa = 0.20 / 0.50 = 0.40
    a = ["ja"] * 20 + ["nee"] * 15 + ["ja"] * 5 + ["nee"] * 10
    b = ["ja"] * 20 + ["nee"] * 15 + ["nee"] * 5 + ["ja"] * 10
    assert cohen_kappa(a, b) == pytest.approx(0.40)
    # 10 items, 4 + 4 agree, 1 + 1 differ: p_o 0.8, p_e 0.5, kappa 0.6
    assert cohen_kappa([1, 1, 1, 1, 0, 0, 0, 0, 1, 0], [1, 1, 1, 1, 0, 0, 0, 0, 0, 1]) == (
        pytest.approx(0.6)
    )


def test_cohen_kappa_with_three_categories_worked_by_hand():
    # 3 x 3 table (rows coder a, columns coder b): [[8, 1, 1], [2, 6, 2], [0, 0, 5]], 25 items
    # p_o = 19/25 = 0.76; a: 10, 10, 5; b: 10, 7, 8 -> p_e = (100 + 70 + 40) / 625 = 0.336
    # kappa = (0.76 - 0.336) / (1 - 0.336) = 0.6386
    cells = {("x", "x"): 8, ("x", "y"): 1, ("x", "z"): 1, ("y", "x"): 2, ("y", "y"): 6,
             ("y", "z"): 2, ("z", "z"): 5}  # fmt: skip
    a = [r for (r, _), n in cells.items() for _ in range(n)]
    b = [c for (_, c), n in cells.items() for _ in range(n)]
    assert cohen_kappa(a, b) == pytest.approx(0.424 / 0.664)


def test_kappa_without_variation_is_undefined():
    assert math.isnan(cohen_kappa(["nee"] * 5, ["nee"] * 5))
    assert landis_koch(math.nan).startswith("niet te berekenen")


def test_landis_and_koch_in_words():
    assert [landis_koch(k) for k in (-0.1, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)] == [
        "slechter dan toeval", "gering", "redelijk", "matig", "substantieel", "bijna perfect",
        "bijna perfect",
    ]  # fmt: skip


def test_krippendorff_alpha_on_the_published_example_with_missing_values():
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: nominal
    data, 4 observers, 12 units, missing values: alpha = 0.743."""
    m = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, m, m, m],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, m, 3],
        [m, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, m],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, m],
    ]
    assert round(krippendorff_alpha(data), 3) == 0.743
    assert round(krippendorff_alpha([[float("nan") if v is None else v for v in row]
                                     for row in data]), 3) == 0.743  # fmt: skip


def test_krippendorff_alpha_binary_two_observers():
    """Krippendorff (2011), section A: binary data, two observers, 10 units: alpha = 0.095."""
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha([a, b]), 3) == 0.095


def test_krippendorff_alpha_on_the_two_by_two_table_worked_by_hand():
    # the 50 items above: 100 values, 55 yes and 45 no; 15 disagreeing units give
    # o(yes,no) = o(no,yes) = 15; alpha = 1 - (n - 1) * 30 / (2 * 55 * 45) = 1 - 99 * 30 / 4950
    a = [1] * 20 + [0] * 15 + [1] * 5 + [0] * 10
    b = [1] * 20 + [0] * 15 + [0] * 5 + [1] * 10
    assert krippendorff_alpha([a, b]) == pytest.approx(1 - 99 * 30 / 4950)
    assert math.isnan(krippendorff_alpha([[1, 1], [1, 1]]))


# ---------------------------------------------------------------------------------------------
# Round trip: sample -> filled by a script -> agree -> besluiten -> gold


def fill(path: Path, codes: dict[str, set[str]]) -> None:
    """Fill a coding workbook: `codes` gives per answer text the groups coded "ja"."""
    book = load_workbook(path)
    sheet, keys = book[SHEET], read_keys(book, SHEET, path)
    text = keys.index("text") + 1
    for r in range(2, sheet.max_row + 1):
        yes = codes.get(sheet.cell(row=r, column=text).value, set())
        for col, key in enumerate(keys, start=1):
            if key in groups():
                sheet.cell(row=r, column=col, value="ja" if key in yes else "nee")
    book.save(path)


def _sampled(tmp_path) -> tuple[Path, Path, list[str]]:
    data = cleaned_data(tmp_path / "data")
    first, second = write_sample(data, tmp_path / "codeur1.xlsx", n=100, second_coder=True)
    texts = read_coded_texts(first)
    return first, second, texts


def read_coded_texts(path: Path) -> list[str]:
    book = load_workbook(path)
    keys = read_keys(book, SHEET, path)
    col = keys.index("text")
    return [r[col] for r in book[SHEET].iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def filled(tmp_path):
    """Two workbooks of the 11 answers: coder 1 codes each answer "middelen" (and the first
    "outreach" too); coder 2 the same except that the first answer is not "middelen" and the
    second is also "toegang": 2 disagreements out of 11 x 14 decisions."""
    first, second, texts = _sampled(tmp_path)
    one = {t: {"middelen"} for t in texts}
    one[texts[0]] = {"middelen", "outreach"}
    two = {t: set(c) for t, c in one.items()}
    two[texts[0]] = {"outreach"}
    two[texts[1]] = {"middelen", "toegang"}
    fill(first, one)
    fill(second, two)
    return first, second, texts


def test_agreement_round_trip(filled, tmp_path, capsys):
    first, second, texts = filled
    out = tmp_path / "overeenstemming.xlsx"
    assert main(["themes", "agree", str(first), str(second), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"Overeenstemming van 2 codeurs over {len(texts)} antwoorden" in printed
    assert "2 verschillen" in printed
    table = pd.read_excel(out, sheet_name=AGREEMENT_SHEET, engine="openpyxl").dropna(subset=["n"])
    table = table.set_index("groep")
    middelen = table.loc[theme_label("middelen")]
    # middelen: coder 1 ja to all n, coder 2 to n - 1; one difference: p_o = p_e = (n - 1) / n,
    # so kappa 0 (coder 1 says ja to everything)
    n = len(texts)
    assert middelen["ja codeur1"] == n and middelen["ja codeur1-codeur2"] == n - 1
    assert middelen["% overeenstemming"] == round(100 * (n - 1) / n, 1)
    assert middelen["kappa"] == pytest.approx(0.0)
    # toegang: 0 vs 1 ja of n -> p_o = p_e = (n - 1) / n, kappa 0
    assert table.loc[theme_label("toegang"), "% overeenstemming"] == round(100 * (n - 1) / n, 1)
    assert table.loc[theme_label("toegang"), "kappa"] == pytest.approx(0.0)
    # outreach: both coded one answer: perfect
    assert table.loc[theme_label("outreach"), "kappa"] == 1.0
    assert table.loc[theme_label("outreach"), "interpretatie (kappa)"] == "bijna perfect"
    overall = table.loc[ALL_GROUPS]
    decisions = n * len(groups())
    assert overall["n"] == decisions
    assert overall["% overeenstemming"] == round(100 * (decisions - 2) / decisions, 1)
    expected = cohen_kappa(*_flat(first, second))
    assert overall["kappa"] == pytest.approx(round(expected, 3))
    differences = pd.read_excel(out, sheet_name=DIFFERENCES_SHEET, engine="openpyxl")
    assert len(differences) == 2
    assert set(differences["tekst"]) == {texts[0], texts[1]}
    assert differences["besluit"].isna().all()
    book = load_workbook(out)
    (validation,) = book[DIFFERENCES_SHEET].data_validations.dataValidation
    assert validation.formula1 == '"ja,nee"'


def _flat(first: Path, second: Path) -> tuple[list, list]:
    a, b = read_coded(first), read_coded(second).set_index("id").loc[read_coded(first)["id"]]
    return a[groups()].to_numpy().ravel().tolist(), b[groups()].to_numpy().ravel().tolist()


def _decide(path: Path, decisions: dict[str, str]) -> None:
    """Fill the besluit of each disagreement: `decisions` by group id."""
    book = load_workbook(path)
    sheet, keys = book[DIFFERENCES_SHEET], read_keys(book, DIFFERENCES_SHEET, path)
    group, decision = keys.index("group") + 1, keys.index("besluit") + 1
    for r in range(2, sheet.max_row + 1):
        code = sheet.cell(row=r, column=group).value.rsplit("[", 1)[1].rstrip("]")
        sheet.cell(row=r, column=decision, value=decisions.get(code))
    book.save(path)


def test_gold_after_the_besluiten(filled, tmp_path, capsys):
    first, second, texts = filled
    out = tmp_path / "overeenstemming.xlsx"
    assert main(["themes", "agree", str(first), str(second), "--out", str(out)]) == 0
    gold = tmp_path / "gold.xlsx"
    args = ["themes", "agree", str(first), str(second), "--decisions", str(out), "--gold",
            str(gold)]  # fmt: skip
    _decide(out, {"middelen": "ja"})  # toegang left open
    assert main(args) == 2
    assert "besluit is niet ingevuld" in capsys.readouterr().err
    _decide(out, {"middelen": "ja", "toegang": "nee"})
    assert main(args) == 0
    table = pd.read_csv(gold.with_suffix(".csv"), dtype=str)
    assert list(table.columns) == ["id", "text", "themes", "source"]
    typed = [as_typed(t) for t in table["text"]]  # the CSV keeps formula-like text inert
    themes = dict(zip(typed, table["themes"], strict=True))
    assert themes[texts[0]] == "middelen;outreach"  # outreach agreed, middelen decided
    assert themes[texts[1]] == "middelen"  # toegang decided nee
    assert {themes[t] for t in texts[2:]} == {"middelen"}
    # the gold workbook has the coding workbook's layout: it reads back as one
    coded = read_coded(gold)
    assert read_keys(load_workbook(gold), SHEET, gold) == read_keys(
        load_workbook(first), SHEET, first
    )
    assert sorted(coded["id"]) == sorted(table["id"])
    assert set(table["source"]) <= {"enquete", "feedback", "register"}
    formula = next(t for t in table["text"] if "SUM" in t)  # never a formula in a spreadsheet
    assert formula.startswith("'=SUM")
    # 11 answers are too few to learn from: said, not a traceback
    assert main(["themes", "learn", str(gold), "--out", str(tmp_path / "model.json")]) == 2
    assert "te weinig om een codeerder te leren" in capsys.readouterr().err


def test_a_gold_workbook_trains_the_learnt_coder(tmp_path, capsys):
    """The end of the round trip: a gold workbook in the coding workbook's layout (the bundled
    sample's first 494 answers, filled in by a script with their settled codes; the whole
    sample takes minutes) -> `inclusie themes learn` -> a model that codes answers and names
    itself in the `coder` column."""
    from inclusie_analysis.analyse.coding_workbook import write_workbook
    from inclusie_analysis.read.theme_model import SAMPLE_FILE
    from inclusie_analysis.read.themes import code_answers

    sample = pd.read_csv(SAMPLE_FILE, dtype=str).head(494)
    rows = sample.assign(source="enquete", year=2025)[["id", "source", "year", "text"]]
    gold = write_workbook(rows, tmp_path / "gold.xlsx")
    fill(gold, {t: set(c.split(";")) for t, c in zip(sample["text"], sample["themes"],
                                                     strict=True)})  # fmt: skip
    model = tmp_path / "model.json"
    assert main(["themes", "learn", str(gold), "--out", str(model)]) == 0
    assert "Kruisvalidatie" in capsys.readouterr().out
    texts = ["Niemand neemt bij ons het voortouw.", "Geen opmerkingen."]
    coded = code_answers(pd.DataFrame({"text": texts}), coder=model)
    assert coded["coder"].str.startswith("geleerd: model.json (494 antwoorden").all()
    assert coded["themes"].tolist()[1] == "overig"


def test_gold_without_besluiten_is_refused_when_coders_differ(filled, tmp_path, capsys):
    first, second, _ = filled
    code = main(["themes", "agree", str(first), str(second), "--gold", str(tmp_path / "g.xlsx")])
    assert code == 2
    assert "--decisions" in capsys.readouterr().err


def test_three_coders(filled, tmp_path, capsys):
    first, second, _ = filled
    third = tmp_path / "codeur3.xlsx"
    third.write_bytes(first.read_bytes())
    out = tmp_path / "o.xlsx"
    assert main(["themes", "agree", str(first), str(second), str(third), "--out", str(out)]) == 0
    assert "gemiddelde kappa per paar" in capsys.readouterr().out
    table = (
        pd.read_excel(out, sheet_name=AGREEMENT_SHEET, engine="openpyxl")
        .dropna(subset=["n"])
        .set_index("groep")
    )
    overall = table.loc[ALL_GROUPS]
    a, b = _flat(first, second)
    pairs = [cohen_kappa(a, b), cohen_kappa(a, b), 1.0]  # 1-2, 2-3 (3 = 1), 1-3
    assert overall["kappa"] == pytest.approx(round(sum(pairs) / 3, 3))
    assert overall["alpha"] == pytest.approx(round(krippendorff_alpha([a, b, a]), 3))


# ---------------------------------------------------------------------------------------------
# Bad inputs: each names file, sheet, row and column


def _set_cell(path: Path, text_row: int, key: str, value) -> None:
    book = load_workbook(path)
    keys = read_keys(book, SHEET, path)
    book[SHEET].cell(row=text_row, column=keys.index(key) + 1).value = value  # also None
    book.save(path)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("middelen", None, "niet ingevuld"),
        ("middelen", "misschien", "niet ja of nee"),
        ("id", None, "id ontbreekt"),
    ],
)
def test_a_bad_cell_is_named(filled, key, value, message):
    first, _, _ = filled
    _set_cell(first, 4, key, value)
    with pytest.raises(InputError) as error:
        read_coded(first)
    text = str(error.value)
    assert message in text
    assert str(first) in text and f"blad '{SHEET}'" in text and "rij 4" in text
    label = theme_label("middelen") if key == "middelen" else "id"
    assert f"({label})" in text


def test_ja_and_nee_are_read_whatever_their_case(filled):
    first, _, _ = filled
    _set_cell(first, 3, "toegang", " JA ")
    coded = read_coded(first).set_index("row")
    assert coded.at[3, "toegang"]


def test_a_repeated_id_is_named(filled):
    first, _, _ = filled
    book = load_workbook(first)
    book[SHEET]["A5"] = book[SHEET]["A3"].value
    book.save(first)
    with pytest.raises(InputError) as error:
        read_coded(first)
    assert "twee keer" in str(error.value) and "rij 5" in str(error.value)
    assert "rij 3" in str(error.value)


def test_different_answers_are_named(filled, capsys):
    first, second, _ = filled
    _set_cell(second, 6, "id", "E-0000000000")
    assert main(["themes", "agree", str(first), str(second)]) == 2
    error = capsys.readouterr().err
    assert str(second) in error and "E-0000000000" in error and "ontbrekende id's" in error


def test_an_unknown_group_column_is_named(filled):
    first, _, _ = filled
    book = load_workbook(first)
    keys_sheet = book["_kolommen"]
    for row in keys_sheet.iter_rows(min_row=2):
        if row[2].value == "toegang":
            row[2].value = "digitale_toegang"
    book.save(first)
    with pytest.raises(InputError) as error:
        read_coded(first)
    assert "onbekende codeergroep 'digitale_toegang'" in str(error.value)
    assert f"({theme_label('toegang')})" in str(error.value)


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "codeur.xlsx"
    bad.write_text("geen Excel", encoding="utf-8")
    with pytest.raises(InputError, match="geen leesbaar Excel-werkboek"):
        read_coded(bad)
    with pytest.raises(InputError, match="bestaat niet"):
        read_coded(tmp_path / "weg.xlsx")


def test_a_workbook_without_the_coding_sheet(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "ander.xlsx"
    Workbook().save(path)
    with pytest.raises(InputError, match=f"blad '{SHEET}' ontbreekt"):
        read_coded(path)


def test_one_workbook_is_not_enough(filled, capsys):
    first, _, _ = filled
    assert main(["themes", "agree", str(first)]) == 2
    assert "minstens twee" in capsys.readouterr().err


def test_sample_command_writes_both_workbooks(tmp_path, capsys):
    data = cleaned_data(tmp_path / "data")
    out = tmp_path / "w.xlsx"
    args = ["themes", "sample", "--data", str(data), "--out", str(out), "--n", "4"]
    assert main([*args, "--second-coder", "--seed", "9"]) == 0
    assert "codeur2" in capsys.readouterr().out
    assert len(read_coded_texts(out)) == 4
    assert sorted(read_coded_texts(out)) == sorted(
        read_coded_texts(out.with_name("w-codeur2.xlsx"))
    )


def test_the_bundled_sample_was_coded_twice_with_high_agreement():
    """reference/coded_answers.csv keeps both coders' own codes beside the settled ones: two
    coders who had not seen the keyword lists coded every answer independently; where they
    differed a third reader settled. Measured 2026-11-30 on 3,942 answers (366 settled):
    kappa 0.950 over all groups, 0.911 the lowest (professionalisering); pinned as floors."""
    from inclusie_analysis.analyse.agreement import sample_agreement
    from inclusie_analysis.read.theme_model import SAMPLE_FILE

    table = sample_agreement(SAMPLE_FILE).set_index("groep")
    sample = pd.read_csv(SAMPLE_FILE, dtype="string")
    assert len(sample) == sample["id"].nunique() == 3942
    assert table.loc["Alle groepen samen", "n"] == len(sample) * 14
    assert table.loc["Alle groepen samen", "kappa"] >= 0.945
    assert table["kappa"].min() >= 0.90
    settled = sample["coder_1"] != sample["coder_2"]
    assert settled.sum() == 366
    # where the coders agreed, their codes are the sample's (up to order)
    same = sample.loc[~settled]
    assert (same["themes"].str.split(";").map(sorted) == same["coder_1"].str.split(";").map(
        sorted)).all()  # fmt: skip
