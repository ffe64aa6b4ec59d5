"""Cleaning one export, checked against values worked out by hand on a tiny hand-made export."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook

from inclusie_analysis.clean.datasets import clean_needs, load_needs, write_needs
from inclusie_analysis.clean.geo import MunicipalityMatcher
from inclusie_analysis.clean.ledger import Ledger, LedgerError
from inclusie_analysis.clean.needs import clean_needs_export, need_items
from inclusie_analysis.clean.privacy import DEMO_KEY, pseudonym
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.codebook import load_codebook
from inclusie_analysis.read.readers import read_export

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK_2025 = ROOT / "surveys" / "codebooks" / "leernoden-2025.yaml"

ORG = "Wat voor organisatie vertegenwoordigt u?"
MUNI = "Voor welke gemeente of stad werkt u (of waar is uw organisatie gevestigd)?"
ROLE = "Wat is uw functie?"
OUTREACH = "Outreachend werken: kwetsbare groepen vinden, bereiken en ondersteunen"
CYBER = "Cyberveiligheid voor digitale starters"
FORMATS = "Welke vormen van ondersteuning verkiest u?"
THEMES = "Over welke thema's wilt u graag een sessie of opleiding volgen?"
OPEN = "Heeft u nog suggesties of vragen voor het netwerk digitale inclusie?"
CONTACT = "Uw e-mailadres (optioneel, als we u mogen contacteren over uw antwoorden)"
HEADER = ["ID", "Start time", "Completion time", "Email", "Name", ORG, MUNI, ROLE,
          OUTREACH, CYBER, FORMATS, THEMES, OPEN, CONTACT]  # fmt: skip
T0 = datetime(2025, 3, 4, 10, 0)
T1 = datetime(2025, 3, 4, 10, 12)
ROWS = [
    # row 2: a local government, typed with a prefix, one answer with an e-mail address
    [1, T0, T1, "anonymous", None, "Lokaal bestuur (gemeente, OCMW)", "Stad St.-Niklaas",
     "Beleidsmedewerker", "Grote nood", "Weet niet", "Fysieke bijeenkomst;Begeleiding op maat;",
     "Cyberveiligheid;AI;", "Mail me: an.peeters@example.org", None],
    # row 3: nothing at all (a row emptied by hand)
    [None] * 14,
    # row 4: a welfare association without a municipality, formula-like answer
    [2, T0, T1, "anonymous", None, "Welzijnsvereniging", "n.v.t.", "Andere",
     "Kleine nood", "Zeer grote nood", None, None, "=SUM(A1)", None],
    # row 5: a pre-merger name, an answer option the codebook does not know
    [3, T0, T1, "anonymous", None, "Lokaal bestuur (gemeente, OCMW)", "Kruibeke", "Iets anders",
     "Matige nood", "Onbekend", "Online sessie (webinar);", None, None, None],
]  # fmt: skip


@pytest.fixture
def export(tmp_path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet.cell(row=4, column=13).data_type = "s"  # the "=SUM(A1)" answer is text in the export
    path = tmp_path / "leernoden-2025_export.xlsx"
    book.save(path)
    return path


@pytest.fixture
def codebooks(tmp_path) -> Path:
    """The 2025 codebook cut down to the questions of the hand-made export."""
    spec = yaml.safe_load(CODEBOOK_2025.read_text(encoding="utf-8"))
    present = {h.strip() for h in HEADER}
    spec["variables"] = [
        v for v in spec["variables"] if any(str(x).strip() in present or
        any(h.startswith(str(x)) for h in present) for x in v["find"].values())
    ]  # fmt: skip
    folder = tmp_path / "codebooks"
    folder.mkdir()
    (folder / "leernoden-2025.yaml").write_text(
        yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8"
    )
    return folder


@pytest.fixture
def cleaned(export, codebooks):
    ledger = Ledger()
    codebook = load_codebook(codebooks / "leernoden-2025.yaml")
    result = clean_needs_export(
        read_export(export), codebook, MunicipalityMatcher(), DEMO_KEY, ledger
    )
    return result, ledger


def test_rows_go_where_worked_out_by_hand(cleaned):
    result, ledger = cleaned
    fates = {(r["row"], r["status"], r["reason"]) for r in ledger.rows}
    assert fates == {
        (2, "kept", None),
        (3, "rejected", "blank"),
        (4, "kept", None),
        (5, "kept", None),
    }
    respondents = result.respondents.set_index("source_row")
    assert (
        respondents.loc[2, "nis_code"] == "46021"
        and respondents.loc[2, "geo_method"] == "normalised"
    )
    assert pd.isna(respondents.loc[4, "nis_code"])
    assert respondents.loc[5, "nis_code"] == "46030"  # Kruibeke → Beveren-Kruibeke-Zwijndrecht
    assert respondents.loc[5, "province"] == "Oost-Vlaanderen"
    assert respondents.loc[2, "org_type"] == "Lokaal bestuur (gemeente/OCMW)"
    assert respondents.loc[4, "org_type"] == "Welzijnsvereniging"
    assert pd.isna(respondents.loc[5, "role"])  # "Iets anders" is not an option
    assert respondents.loc[2, "respondent_id"] == pseudonym(
        DEMO_KEY, "leernoden|2025|leernoden-2025_export.xlsx|1", "r"
    )


def test_needs_are_ordered_levels_with_dont_know_apart(cleaned):
    result, _ = cleaned
    needs = result.needs.merge(
        result.respondents[["respondent_id", "source_row"]], on="respondent_id"
    ).set_index(["source_row", "item"])
    assert needs.loc[(2, "need_outreach"), "level"] == "Grote nood"
    assert needs.loc[(2, "need_outreach"), "level_number"] == 4
    assert needs.loc[(2, "need_cyberveiligheid"), "dont_know"]
    assert pd.isna(needs.loc[(2, "need_cyberveiligheid"), "level"])
    assert needs.loc[(4, "need_cyberveiligheid"), "level_number"] == 5
    assert result.needs["level"].cat.ordered
    assert list(result.needs["level"].cat.categories) == [
        "Geen nood", "Kleine nood", "Matige nood", "Grote nood", "Zeer grote nood"
    ]  # fmt: skip
    assert needs.loc[(5, "need_outreach"), "level_number"] == 3
    assert (5, "need_cyberveiligheid") not in needs.index  # "Onbekend" is not on the scale
    assert needs.loc[(2, "need_outreach"), "theme"] == "outreach"


def test_check_all_and_other_answers(cleaned):
    result, _ = cleaned
    choices = result.choices.merge(
        result.respondents[["respondent_id", "source_row"]], on="respondent_id"
    )
    by_row = choices.groupby(["source_row", "question"])["choice"].agg(set).to_dict()
    assert by_row[(2, "formats")] == {"fysiek", "begeleiding"}
    assert by_row[(2, "theme_wishes")] == {"cyberveiligheid", "other"}
    assert by_row[(5, "formats")] == {"online"}
    texts = result.answers_text.merge(
        result.respondents[["respondent_id", "source_row"]], on="respondent_id"
    )
    texts = texts.set_index(["source_row", "question"])["text"]
    assert texts[(2, "theme_wishes_other")] == "AI"
    assert texts[(2, "remarks")] == "Mail me: [e-mail]"
    assert texts[(4, "remarks")] == "'=SUM(A1)"


def test_fixes_say_what_changed_without_personal_data(cleaned):
    _, ledger = cleaned
    fixes = pd.DataFrame(ledger.fixes)
    actions = fixes.groupby("row")["action"].agg(set)
    assert {"municipality_normalised", "pii_scrubbed"} <= actions[2]
    assert "formula_neutralised" in actions[4]
    assert {"municipality_pre_merger", "choice_unknown", "scale_unknown"} <= actions[5]
    assert not fixes["value"].astype(str).str.contains("@").any()
    unmatched = set(fixes.loc[fixes["action"] == "column_unmatched", "column"])
    assert unmatched == set()


def test_a_codebook_of_another_wave_is_refused(export):
    codebook = load_codebook(ROOT / "surveys" / "codebooks" / "leernoden-2020.yaml")
    with pytest.raises(InputError, match="past niet bij codeboek"):
        clean_needs_export(read_export(export), codebook, MunicipalityMatcher(), DEMO_KEY, Ledger())


def test_one_bad_file_does_not_stop_the_others(tmp_path, export, codebooks):
    (tmp_path / "in" / "2025").mkdir(parents=True)
    (tmp_path / "in" / "2025" / export.name).write_bytes(export.read_bytes())
    (tmp_path / "in" / "2025" / "leernoden-2025_kapot.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    data = clean_needs(tmp_path / "in", codebooks, 2025, key=DEMO_KEY)
    files = data.files.set_index("file")
    assert files.loc["leernoden-2025_kapot.xlsx", "status"] == "mislukt"
    assert "Excel" in files.loc["leernoden-2025_kapot.xlsx", "error"]
    assert files.loc[export.name, "kept"] == 3 and len(data.respondents) == 3


def test_need_items_say_how_each_item_changed_since_the_previous_wave():
    items = need_items(load_codebook(CODEBOOK_2025)).set_index("item")
    assert len(items) == 14 and set(items["wave"]) == {2025}
    outreach = items.loc["need_outreach"]
    assert outreach["change"] == "reworded" and not outreach["comparable"]
    assert outreach["previous"] == (
        "Kennis over outreachend werken: kwetsbare groepen bereiken en helpen"
    )
    assert outreach["label"] == OUTREACH and outreach["theme"] == "outreach"
    assert items.loc["need_aanbod_vaardigheden", "from_items"] == "need_aanbod_burgers"
    assert items.loc["need_cyberveiligheid", "change"] == "new"
    toegang = items.loc["need_toegang"]
    assert pd.isna(toegang["change"]) and toegang["comparable"], "unchanged: comparable"


def test_cleaning_writes_the_items_and_load_needs_reads_them(tmp_path, export, codebooks):
    (tmp_path / "in" / "2025").mkdir(parents=True)
    (tmp_path / "in" / "2025" / export.name).write_bytes(export.read_bytes())
    data = clean_needs(tmp_path / "in", codebooks, 2025, key=DEMO_KEY)
    write_needs(data, tmp_path / "data")
    items = load_needs(tmp_path / "data").items
    # the cut-down codebook has two need items: one reworded, one new
    assert items[["item", "change"]].values.tolist() == [
        ["need_outreach", "reworded"], ["need_cyberveiligheid", "new"]
    ]  # fmt: skip
    assert items["comparable"].tolist() == [False, False]
    assert str(items["wave"].dtype) == "int64"


def test_ledger_refuses_to_lose_rows():
    ledger = Ledger()
    ledger.row("a.csv", 2, "kept")
    with pytest.raises(LedgerError):
        ledger.file("a.csv", "bevraging", "plain", rows_in=2)


def _recode(codebooks: Path, **themes: str | None) -> None:
    """Change the `theme:` of variables of the cut-down codebook (None: no theme)."""
    path = codebooks / "leernoden-2025.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    for variable in spec["variables"]:
        if variable["name"] in themes:
            if themes[variable["name"]] is None:
                variable.pop("theme")
            else:
                variable["theme"] = themes[variable["name"]]
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")


def test_a_need_item_without_a_theme_stays_a_need_and_is_reported(export, codebooks):
    """An item on the needs' scale without `theme:` used to become a respondent column and
    vanish from the needs section; now it stays in `needs` under "zonder_thema" (its answers
    are counted like every item's) and the data-quality report says to give it a theme."""
    _recode(codebooks, need_cyberveiligheid=None)
    ledger = Ledger()
    result = clean_needs_export(
        read_export(export), load_codebook(codebooks / "leernoden-2025.yaml"),
        MunicipalityMatcher(), DEMO_KEY, ledger,
    )  # fmt: skip
    items = result.needs.set_index("item")
    assert set(items.loc["need_cyberveiligheid", "theme"]) == {"zonder_thema"}
    # row 2 "Weet niet", row 4 "Zeer grote nood" (row 5's "Onbekend" is not on the scale)
    assert items.loc["need_cyberveiligheid", "answer"].tolist() == ["Weet niet", "Zeer grote nood"]
    assert set(items.loc["need_outreach", "theme"]) == {"outreach"}
    assert "need_cyberveiligheid" not in result.respondents
    reported = [f for f in ledger.fixes if f["action"] == "theme_missing"]
    assert len(reported) == 1  # once per file, not per row
    assert reported[0]["variable"] == "need_cyberveiligheid" and reported[0]["row"] is None
    assert reported[0]["column"] == CYBER
    assert "leernoden-2025.yaml" in reported[0]["advice"]


def test_an_unknown_theme_in_a_codebook_stops_cleaning(export, codebooks, tmp_path):
    _recode(codebooks, need_cyberveiligheid="cyberveilgheid")
    (tmp_path / "in" / "2025").mkdir(parents=True)
    (tmp_path / "in" / "2025" / export.name).write_bytes(export.read_bytes())
    with pytest.raises(InputError) as caught:
        clean_needs(tmp_path / "in", codebooks, 2025, key=DEMO_KEY)
    assert caught.value.file == str(codebooks / "leernoden-2025.yaml")
    assert "'need_cyberveiligheid' heeft thema 'cyberveilgheid'" in str(caught.value)
    assert "dichtstbij: cyberveiligheid" in str(caught.value)


def test_a_new_theme_flows_from_codebook_to_needs_table_and_ranking(export, codebooks, tmp_path):
    """A user's themes file with `ai`, a codebook item with `theme: ai`: cleaning accepts it,
    the item is in the needs table and `ai` is ranked under its label; open answers about
    ChatGPT are coded `ai`."""
    from inclusie_analysis.analyse.needs_numbers import large_need_by_item
    from inclusie_analysis.analyse.planning import rank_themes, theme_signals
    from inclusie_analysis.read.themes import THEMES_FILE

    data = yaml.safe_load(THEMES_FILE.read_text(encoding="utf-8"))
    data["themes"]["ai"] = {"label": "Artificiële intelligentie", "kinds": ["opleidingsthema"],
                            "keywords": ["AI", "chatgpt", "algoritme"]}  # fmt: skip
    themes = tmp_path / "mijn-themas.yaml"
    themes.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _recode(codebooks, need_cyberveiligheid="ai")
    (tmp_path / "in" / "2025").mkdir(parents=True)
    (tmp_path / "in" / "2025" / export.name).write_bytes(export.read_bytes())
    with pytest.raises(InputError, match="'ai'"):
        clean_needs(tmp_path / "in", codebooks, 2025, key=DEMO_KEY)  # bundled themes: unknown
    data = clean_needs(tmp_path / "in", codebooks, 2025, key=DEMO_KEY, taxonomy=themes)
    table = large_need_by_item(data.needs, data.respondents, 2025).set_index("item")
    # the AI item (was the cyber question): row 4 "Zeer grote nood", row 5 unknown answer
    # (left empty), row 2 "Weet niet": 1 of 2 rated a large need
    assert table.loc["need_cyberveiligheid", "theme"] == "ai"
    assert (table.loc["need_cyberveiligheid", "n"], table.loc["need_cyberveiligheid", "k"]) == (
        1,
        1,
    )
    signals = theme_signals(data.needs, data.respondents, taxonomy=themes)
    ranked = rank_themes(signals, taxonomy=themes)
    assert "ai" in ranked.index and ranked.loc["ai", "label"] == "Artificiële intelligentie"
    # row 2 typed "AI" as the "other" theme wish: coded with the user's file
    wish = data.answers_text.loc[data.answers_text["text"] == "AI", "themes"]
    assert wish.tolist() == ["ai;vaardigheden"]  # geletterdheid (→ vaardigheden) lists AI too
