"""`inclusie codebook draft`: a reviewable first codebook that always loads, carries last
wave's names over by question text, and never contains personal data."""

from __future__ import annotations

import csv
import inspect
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from inclusie_analysis.cli import main
from inclusie_analysis.demo import write_demo
from inclusie_analysis.read.codebook import load_codebook, parse_codebook
from inclusie_analysis.read.codebook_columns import match_export
from inclusie_analysis.read.codebook_draft import DEFAULT_THRESHOLD, draft_codebook
from inclusie_analysis.read.codebook_draft_scales import _fit_scale
from inclusie_analysis.read.codebook_draft_yaml import quote
from inclusie_analysis.read.readers import read_export

ROOT = Path(__file__).resolve().parents[2]
CODEBOOKS = ROOT / "surveys" / "codebooks"
EXPORTS = {
    2020: Path("2020") / "leernoden-2020_limesurvey_SYNTHETISCH.csv",
    2025: Path("2025") / "leernoden-2025_msforms_SYNTHETISCH.xlsx",
}


def write_survey_demo(out: Path) -> Path:
    """Only the survey waves when the generator can (`only=`), else the whole demo."""
    extra = {"only": "surveys"} if "only" in inspect.signature(write_demo).parameters else {}
    write_demo(out, seed=1, **extra)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return write_survey_demo(tmp_path_factory.mktemp("draft") / "demo")


@pytest.fixture(scope="module")
def draft_2025(demo):
    return draft_codebook(demo / EXPORTS[2025], CODEBOOKS / "leernoden-2020.yaml")


def proposal(draft, *, name=None, text=None):
    for p in draft.proposals:
        if p.name == name or (text is not None and p.find.get("text") == text):
            return p
    raise AssertionError(f"no proposal {name or text!r}")


# --- 2025 (Microsoft Forms) from the 2020 codebook -------------------------------------------


def test_draft_loads_and_fits_its_export(demo, draft_2025, tmp_path):
    path = tmp_path / "leernoden-2025.yaml"
    path.write_text(draft_2025.text, encoding="utf-8")
    codebook = load_codebook(path)
    assert (codebook.instrument, codebook.wave, codebook.platform) == ("leernoden", 2025, "msforms")
    match = match_export(codebook, read_export(demo / EXPORTS[2025]))
    assert match.not_found == () and match.unmatched == ()
    assert draft_2025.unplaced == []


@pytest.mark.parametrize(
    "name",
    [
        "need_outreach",
        "need_regierol",
        "need_middelen",
        "need_beleidskader",
        "need_professionalisering",
        "need_bewoners_bevragen",
    ],
)
def test_reworded_items_keep_their_2020_name_with_a_score(draft_2025, name):
    p = proposal(draft_2025, name=name)
    assert p.previous == name
    assert DEFAULT_THRESHOLD <= p.score < 100
    assert p.changed["kind"] == "reworded"
    previous = load_codebook(CODEBOOKS / "leernoden-2020.yaml").variable(name).label
    assert p.changed["previous"] == previous
    assert p.theme == name.removeprefix("need_")
    assert f"- name: {name}  # 2020: {name}, score {p.score:.0f}" in draft_2025.text


def test_unchanged_items_are_matched_without_a_change(draft_2025):
    for name in ("need_toegang", "need_partners"):
        p = proposal(draft_2025, name=name)
        assert p.score == 100 and p.changed is None


@pytest.mark.parametrize(
    "text",
    [
        "Toegankelijke websites en digitale communicatie",
        "Een digitaal inclusief HR-beleid",
        "Omgaan met digitaal kwetsbare inwoners of collega's",
        "Cyberveiligheid voor digitale starters",
        "Aanbod voor inwoners: digitale vaardigheden oefenen",  # split from aanbod_burgers
        "Toegang tot toestellen en internet",  # the policy-stage question, new in 2025
    ],
)
def test_new_items_are_marked_new_for_review(draft_2025, text):
    p = proposal(draft_2025, text=text)
    assert p.previous is None
    assert p.changed == {"kind": "new"}
    assert "CONTROLEER: niet gevonden in 2020" in p.notes["changed"]


def test_new_need_items_get_the_need_prefix_and_split_candidate(draft_2025):
    p = proposal(draft_2025, text="Aanbod voor inwoners: digitale vaardigheden oefenen")
    assert p.name.startswith("need_aanbod_inwoners")
    assert "need_aanbod_burgers" in p.notes["changed"]  # the 2020 item it was split from
    assert "need_aanbod_burgers" in draft_2025.missing_previous


def test_scales_are_recognised_and_ordered(draft_2025):
    book = parse_codebook(draft_2025.text)
    assert book.scale("nood").levels == (
        "Geen nood",
        "Kleine nood",
        "Matige nood",
        "Grote nood",
        "Zeer grote nood",
    )
    assert book.scale("nood").missing == ("Weet niet",)
    stages = {
        v.scale for v in book.variables if "Digitale vaardigheden van inwoners" in v.find.values()
    }
    (stage,) = stages
    assert book.scale(stage).levels == ("Rood", "Oranje", "Groen")
    assert book.scale(stage).codes["Rood (nog geen acties)"] == "Rood"


def test_choices_and_options_carry_over(draft_2025):
    book = parse_codebook(draft_2025.text)
    org = book.variable("org_type")
    assert org.labels["Lokaal bestuur (gemeente, OCMW)"] == "Lokaal bestuur (gemeente/OCMW)"
    formats = book.variable("formats")
    assert formats.separator == ";"
    assert [o.value for o in formats.options] == [
        "online",
        "fysiek",
        "meerdaags",
        "intervisie",
        "begeleiding",
        "handleidingen",
    ]
    themes = book.variable("theme_wishes")
    values = {o.value for o in themes.options}
    assert {"outreach", "regierol", "partners"} <= values
    assert "toegankelijke_websites" in values  # new option, name from its label
    assert themes.other == {"in_list": True}  # the rare typed-in themes
    assert book.variable("municipality").type == "municipality"


def test_draft_never_contains_personal_data_or_open_answers(demo, draft_2025):
    raw = read_export(demo / EXPORTS[2025])
    book = parse_codebook(draft_2025.text)
    match = book.match_columns(raw.frame.columns)
    private = [v.name for v in book.variables if v.type in ("pii_drop", "free_text")]
    assert {"email", "remarks"} <= set(private)
    for name in private:
        for value in raw.frame[match.column(name)].dropna().astype(str).unique():
            if len(value) > 3:
                assert value not in draft_2025.text, (name, value)
    assert "@" not in draft_2025.text


# --- 2020 (LimeSurvey codes) -----------------------------------------------------------------


def test_limesurvey_column_families(demo, tmp_path):
    draft = draft_codebook(demo / EXPORTS[2020])
    book = parse_codebook(draft.text)
    q4 = [v for v in book.variables if v.find.get("code", "").startswith("Q4[")]
    assert [v.find["code"] for v in q4] == [f"Q4[SQ00{n}]" for n in range(1, 10)]
    assert {v.type for v in q4} == {"scale"} and {v.scale for v in q4} == {"q4"}
    assert book.scale("q4").levels == ("A1", "A2", "A3", "A4", "A5", "A6")
    assert "CONTROLEER: volgorde en labels onbekend" in draft.text
    q5 = book.variable("q5")
    assert q5.type == "check_all" and q5.find == {"code": "Q5"} and q5.separator is None
    assert [o.code for o in q5.options] == [f"SQ00{n}" for n in range(1, 7)]
    assert book.variable("q6").other == {"code": "Q6[other]"}
    match = match_export(book, read_export(demo / EXPORTS[2020]))
    assert match.unmatched == () and match.not_found == ()
    assert match.option_columns("q5")["sq001"] == "Q5[SQ001]"


def test_redraft_with_its_own_codebook_gives_the_same_names(demo):
    previous = load_codebook(CODEBOOKS / "leernoden-2020.yaml")
    draft = draft_codebook(demo / EXPORTS[2020], previous)
    book = parse_codebook(draft.text)
    assert {v.name for v in previous.variables} <= {v.name for v in book.variables}
    assert book.variable("need_outreach").scale == "nood"
    assert book.scale("nood").codes["A6"] == "Weet niet"
    assert book.variable("role").labels["A1"] == "Beleidsmedewerker"
    assert book.variable("formats").options[0].value == "online"
    assert draft.missing_previous == []


# --- other platforms' families, rare answers, scales ------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_qualtrics_style_option_columns_and_open_answers(tmp_path):
    header = ["ResponseId", "Q1_1", "Q1_2", "Q1_3", "Q1_4_TEXT", "Q2"]
    rows = [
        [f"R_{n}", "1" if n % 2 else "", "1" if n % 3 else "", "1", "iets" if n == 4 else "",
         f"Een lange open opmerking nummer {n} met jan{n}@example.org"]
        for n in range(1, 9)
    ]  # fmt: skip
    path = write_csv(tmp_path / "bevraging-2024.csv", header, rows)
    draft = draft_codebook(path)
    book = parse_codebook(draft.text)
    q1 = next(v for v in book.variables if v.type == "check_all")
    assert q1.find == {"code": "Q1"} and [o.code for o in q1.options] == ["1", "2", "3"]
    assert q1.other == {"code": "Q1_4_TEXT"}
    assert book.wave == 2024 and book.instrument == "bevraging"
    assert "example.org" not in draft.text and "opmerking nummer" not in draft.text
    assert book.match_columns(read_export(path).frame.columns).unmatched == ()


def test_separated_answers_rare_ones_become_other(tmp_path):
    common = ["Webinar;Workshop;", "Webinar;", "Workshop;Begeleiding;"] * 12
    rows = [[str(n), a] for n, a in enumerate([*common, "Mijn buurman Jef Peeters;"], 1)]
    path = write_csv(tmp_path / "vormen-2023.csv", ["id", "Welke vormen?"], rows)
    draft = draft_codebook(path)
    variable = parse_codebook(draft.text).variable(draft.proposals[1].name)
    assert [o.code for o in variable.options] == ["Webinar", "Workshop", "Begeleiding"]
    assert variable.other == {"in_list": True}
    assert "Peeters" not in draft.text


def test_known_likert_scales_are_put_in_order():
    fit = _fit_scale(["Akkoord", "Helemaal niet akkoord", "Neutraal", "Weet niet"], {})
    assert fit.levels[0] == "Helemaal niet akkoord" and fit.levels[-1] == "Helemaal akkoord"
    assert fit.missing == ["Weet niet"]
    fit = _fit_scale(["Strongly agree", "Disagree", "Agree"], {})
    assert fit.name == "agree" and fit.levels[2] == "Neither agree nor disagree"
    assert _fit_scale(["Rood", "Blauw"], {}) is None


@given(st.text())
def test_quoted_text_reads_back_unchanged(text):
    assert yaml.safe_load(f"x: {quote(text)}")["x"] == text


# --- the command -----------------------------------------------------------------------------


def test_cli_writes_the_draft_and_never_overwrites(demo, tmp_path, capsys):
    out = tmp_path / "leernoden-2025.yaml"
    export = str(demo / EXPORTS[2025])
    args = ["codebook", "draft", export, "--from", str(CODEBOOKS / "leernoden-2020.yaml")]
    assert main([*args, "--out", str(out)]) == 0
    assert load_codebook(out).wave == 2025
    summary = capsys.readouterr().err
    assert "Gekoppeld zoals in 2020: " in summary
    assert "Niet meer gevraagd (uit 2020): " in summary
    before = out.read_text(encoding="utf-8")
    assert main([*args, "--out", str(out)]) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == before


def test_cli_asks_for_the_wave_when_the_name_has_none(demo, tmp_path, capsys):
    export = shutil.copy(demo / EXPORTS[2020], tmp_path / "export.csv")
    assert main(["codebook", "draft", str(export)]) == 2
    assert "--wave" in capsys.readouterr().err
    assert main(["codebook", "draft", str(export), "--wave", "2019", "--instrument", "x"]) == 0
    printed = capsys.readouterr().out
    assert parse_codebook(printed).wave == 2019


# --- next year's wave on another platform (issue 13) -----------------------------------------

PREVIOUS = """
instrument: bevraging
wave: 2025
platform: msforms
scales:
  nood:
    levels: [Geen nood, Kleine nood, Grote nood]
variables:
- name: soort
  type: single_choice
  find: {text: "Welk soort organisatie?"}
  labels: {Gemeente: Gemeente, "Vlaamse, provinciale of federale overheid": Overheid}
- name: need_toegang
  type: scale
  scale: nood
  theme: toegang
  find: {text: "Toegang: publieke computerruimtes"}
  label: "Toegang: publieke computerruimtes"
- name: need_partners
  type: scale
  scale: nood
  theme: partners
  find: {text: "Een beter zicht op partners"}
  label: Een beter zicht op partners
- name: wensen
  type: check_all
  find: {text: "Welke thema's?"}
  label: Gewenste thema's
  separator: ;
  options:
  - value: toegang
    label: "Toegang (toestellen, internet)"
    code: "Toegang (toestellen, internet)"
  - {value: regie, label: Regierol, code: Regierol}
  - {value: partners, label: Partners, code: Partners}
"""
GRID = "Hoe groot is uw nood? [{}]"


@pytest.fixture
def google_next(tmp_path) -> tuple[Path, Path]:
    """A Google Forms sheet CSV of the next wave: grid items, ', '-joined check-all."""
    previous = tmp_path / "bevraging-2025.yaml"
    previous.write_text(PREVIOUS, encoding="utf-8")
    header = ["Tijdstempel", "Welk soort organisatie?",
              GRID.format("Toegang: publieke computerruimtes"),
              GRID.format("Een beter zicht op partners in de regio"), "Welke thema's?"]  # fmt: skip
    wishes = ["Regierol, Toegang (toestellen, internet)", "Partners, Regierol",
              "Toegang (toestellen, internet), Partners, Regierol", "Regierol"]  # fmt: skip
    kinds = ["Gemeente", "Vlaamse, provinciale of federale overheid"]
    levels = ["Geen nood", "Kleine nood", "Grote nood"]
    rows = [
        [f"0{n % 9 + 1}/03/2026 10:0{n % 9}:00", kinds[n % 2], levels[n % 3], levels[(n + 1) % 3],
         wishes[n % 4]]
        for n in range(24)
    ]  # fmt: skip
    return write_csv(tmp_path / "bevraging-2026.csv", header, rows), previous


def test_grid_items_link_by_item_text_and_only_the_real_rewording_is_flagged(google_next):
    export, previous = google_next
    draft = draft_codebook(export, previous)
    book = parse_codebook(draft.text)
    toegang, partners = book.variable("need_toegang"), book.variable("need_partners")
    assert toegang.changed is None and toegang.label == "Toegang: publieke computerruimtes"
    assert toegang.theme == "toegang"
    assert partners.changed.kind == "reworded"
    assert partners.changed.previous == "Een beter zicht op partners"
    line = next(x for x in draft.text.splitlines() if "CONTROLEER: andere tekst" in x)
    assert "'Een beter zicht op partners'" in line and "partners in de regio'" in line
    assert [p.name for p in draft.reworded] == ["need_partners"]


def test_comma_joined_check_all_is_found_and_linked_by_its_options(google_next):
    export, previous = google_next
    draft = draft_codebook(export, previous)
    wishes = parse_codebook(draft.text).variable("wensen")
    assert wishes.type == "check_all" and wishes.separator == ", "
    assert {o.value for o in wishes.options} == {"toegang", "regie", "partners"}
    assert wishes.changed is None  # same text, same options: not reworded
    # a single choice whose option holds ", " stays a single choice
    kind = parse_codebook(draft.text).variable("soort")
    assert kind.type == "single_choice"
    assert "Vlaamse, provinciale of federale overheid" in kind.labels


def test_draft_of_the_next_wave_cleans_the_comma_option_as_one_choice(google_next, tmp_path):
    from inclusie_analysis.clean.needs import clean_needs_export

    export, previous = google_next
    book = parse_codebook(draft_codebook(export, previous).text)
    raw = read_export(export)
    result = clean_needs_export(raw, book, _matcher(), b"k" * 32, _ledger())
    wishes = result.choices.loc[result.choices["question"] == "wensen"]
    # by hand: wishes cycle over 4 cells; "Toegang (...)" is in cells 0 and 2 → 12 of 24
    assert (wishes["choice"] == "toegang").sum() == 12
    assert (wishes["choice"] == "regie").sum() == 24
    assert result.answers_text.empty  # no "other" pieces cut from the option


def _matcher():
    from inclusie_analysis.clean.geo import MunicipalityMatcher

    return MunicipalityMatcher()


def _ledger():
    from inclusie_analysis.clean.ledger import Ledger

    return Ledger()


def test_bookkeeping_columns_are_named_after_the_platform_code_not_its_ui_language(
    shared_samples,
):
    draft = draft_codebook(shared_samples / "qualtRics_sample.csv", wave=2024)
    names = [p.name for p in draft.proposals]
    assert {"status", "recipient_last_name", "distribution_channel", "user_language"} <= set(names)
    assert not any("antworttyp" in n or "empfanger" in n for n in names)


def test_a_time_only_column_is_not_last_waves_start_time(shared_samples):
    draft = draft_codebook(
        shared_samples / "pyreadstat_sample.sav", CODEBOOKS / "leernoden-2025.yaml", wave=2026
    )
    assert "started_at" not in [p.name for p in draft.proposals]


def test_inspect_names_check_all_questions_and_matrices(google_next, capsys):
    export, _ = google_next
    assert main(["inspect", str(export)]) == 0
    printed = capsys.readouterr().out
    assert "aanvinkvraag 'Welke thema's?': 3 opties, aangevinkte opties in één cel" in printed
    assert "matrixvraag 'Hoe groot is uw nood?': 2 deelvragen" in printed
