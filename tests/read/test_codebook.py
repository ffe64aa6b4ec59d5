"""Codebooks: the committed ones fit the demo exports, every mistake in one is a clear error,
and columns are found tolerantly (case, spaces, entities, column families of each platform)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from inclusie_analysis.demo import write_demo
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.codebook import load_codebook, load_codebooks, parse_codebook
from inclusie_analysis.read.codebook_columns import check_wave, match_export
from inclusie_analysis.read.readers import read_export

ROOT = Path(__file__).resolve().parents[2]
CODEBOOKS = ROOT / "surveys" / "codebooks"
EXPORTS = {
    2020: Path("2020") / "leernoden-2020_limesurvey_SYNTHETISCH.csv",
    2025: Path("2025") / "leernoden-2025_msforms_SYNTHETISCH.xlsx",
}
# Every column of the demo exports is described by its codebook (LimeSurvey's bookkeeping
# columns as metadata), so nothing is reported as unmatched.
UNMATCHED: dict[int, set[str]] = {2020: set(), 2025: set()}  # every column is described


def write_survey_demo(out: Path) -> Path:
    """Only the survey waves when the generator can (`only=`), else the whole demo."""
    extra = {"only": "surveys"} if "only" in inspect.signature(write_demo).parameters else {}
    write_demo(out, seed=1, **extra)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return write_survey_demo(tmp_path_factory.mktemp("codebook") / "demo")


@pytest.fixture(scope="module")
def raws(demo) -> dict:
    return {wave: read_export(demo / path) for wave, path in EXPORTS.items()}


# --- the committed codebooks -----------------------------------------------------------------


def test_committed_codebooks_load_in_wave_order():
    books = load_codebooks(CODEBOOKS)
    assert [(b.instrument, b.wave, b.platform) for b in books] == [
        ("leernoden", 2020, "limesurvey"),
        ("leernoden", 2025, "msforms"),
    ]
    b2020, b2025 = books
    assert b2020.scale("nood").codes["A6"] == "Weet niet"
    assert b2025.scale("beleidsfase").levels == ("Rood", "Oranje", "Groen")
    assert b2025.variable("need_outreach").changed.kind == "reworded"
    assert b2025.variable("need_aanbod_vaardigheden").changed.from_ == ("need_aanbod_burgers",)
    assert [o.value for o in b2020.variable("formats").options][:2] == ["online", "fysiek"]
    # Backward compatible: scales stay plain dictionaries, spec keeps the YAML as written.
    assert b2020.scales["nood"]["levels"][0] == "Geen nood"
    assert b2025.variable("formats").spec["separator"] == ";"


@pytest.mark.parametrize("wave", [2020, 2025])
def test_every_variable_finds_its_column_in_its_wave(raws, wave):
    codebook = load_codebook(CODEBOOKS / f"leernoden-{wave}.yaml")
    match = match_export(codebook, raws[wave])
    assert match.not_found == ()
    assert match.missing == ()
    assert match.missing_options == {}
    assert set(match.unmatched) == UNMATCHED[wave]
    claimed = [m.column for hits in match.found.values() for m in hits]
    assert len(claimed) == len(set(claimed))  # a column belongs to one variable
    assert len(claimed) + len(match.unmatched) == raws[wave].frame.shape[1]


def test_2020_check_all_questions_find_one_column_per_option(raws):
    codebook = load_codebook(CODEBOOKS / "leernoden-2020.yaml")
    match = codebook.match_columns(raws[2020].frame.columns)
    assert match.option_columns("formats") == {
        value: f"Q5[SQ00{n}]"
        for n, value in enumerate(
            ["online", "fysiek", "meerdaags", "intervisie", "begeleiding", "handleidingen"], 1
        )
    }
    assert match.other_column("theme_wishes") == "Q6[other]"
    assert len(match.option_columns("theme_wishes")) == 9
    assert match.column("need_outreach") == "Q4[SQ001]"


def test_2025_texts_find_their_columns(raws):
    codebook = load_codebook(CODEBOOKS / "leernoden-2025.yaml")
    match = codebook.match_columns(raws[2025].frame.columns)
    assert match.column("role") == "Wat is uw functie?"
    # The codebook gives the start of the question; the header goes on.
    assert match.column("contact_email").startswith("Uw e-mailadres (optioneel")
    assert match.found["contact_email"][0].how == "prefix"
    assert match.renames()["Email"] == "email"


def test_find_column_keeps_its_old_contract(raws):
    codebook = load_codebook(CODEBOOKS / "leernoden-2020.yaml")
    columns = list(raws[2020].frame.columns)
    assert codebook.find_column(codebook.variable("org_type"), columns) == "Q1"
    assert codebook.find_column(codebook.variable("formats"), columns) == "Q5[SQ001]"
    assert codebook.find_column(codebook.variable("org_type"), ["x", "y"]) is None


@pytest.mark.parametrize(("book", "export"), [(2020, 2025), (2025, 2020)])
def test_codebook_of_another_wave_is_a_clear_error(raws, book, export):
    codebook = load_codebook(CODEBOOKS / f"leernoden-{book}.yaml")
    with pytest.raises(InputError) as caught:
        check_wave(codebook, raws[export])
    text = str(caught.value)
    assert f"leernoden-{book}.yaml" in text
    assert EXPORTS[export].name in text
    assert "andere golf" in text
    assert "dichtstbij" in text
    if book == 2020:
        # org_type looks for code Q1; its label points at the 2025 question.
        assert "'Wat voor organisatie vertegenwoordigt u?'" in text


def test_matches_file_by_name_pattern():
    codebook = load_codebook(CODEBOOKS / "leernoden-2025.yaml")
    assert codebook.matches_file(Path("Leernoden-2025_msforms.xlsx"))
    assert not codebook.matches_file(Path("leernoden-2020.csv"))


# --- every mistake in a codebook is an InputError naming file, variable and key -------------

GOOD = """\
instrument: test
wave: 2024
platform: limesurvey
scales:
  nood:
    levels: [Geen nood, Kleine nood, Grote nood]
    missing: [Weet niet]
    codes: {A1: Geen nood, A2: Kleine nood, A3: Grote nood, A9: Weet niet}
variables:
- name: email
  type: pii_drop
  find: {code: email}
  identity: true
- name: q1
  type: single_choice
  find: {code: Q1}
  labels: {A1: Ja, A2: Nee}
- name: need_a
  type: scale
  scale: nood
  find: {code: "Q2[SQ001]"}
  changed: {kind: reworded, previous: Oude tekst}
- name: formats
  type: check_all
  find: {code: Q3}
  options:
  - {value: online, label: Online, code: SQ001}
  - {value: fysiek, label: Fysiek, code: SQ002}
  other: {code: "Q3[other]"}
"""


def test_the_small_codebook_is_valid(tmp_path):
    book = load_codebook(write(tmp_path, GOOD))
    assert book.identity.name == "email"
    assert book.variable("formats").other == {"code": "Q3[other]"}
    assert book.variable("need_a").changed.comparable is False, "not comparable by default"


def test_a_rewording_can_be_marked_comparable(tmp_path):
    text = GOOD.replace("previous: Oude tekst}", "previous: Oude tekst, comparable: true}")
    change = load_codebook(write(tmp_path, text)).variable("need_a").changed
    assert (change.kind, change.previous, change.comparable) == ("reworded", "Oude tekst", True)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fout.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# (change to GOOD, words the message must contain: the variable/scale and the key)
MISTAKES = {
    "unknown top-level key": (("platform: limesurvey", "platform: limesurvey\ntitel: x"),
                              ["'titel'", "bedoelde u 'title'"]),
    "unknown platform": (("platform: limesurvey", "platform: limesurvy"),
                         ["'platform'", "bedoelde u 'limesurvey'"]),
    "wave not a year": (("wave: 2024", "wave: vorig jaar"), ["'wave'"]),
    "unknown variable key": (("  labels: {A1: Ja, A2: Nee}", "  lables: {A1: Ja, A2: Nee}"),
                             ["'q1'", "'lables'", "bedoelde u 'labels'"]),
    "unknown type": (("type: single_choice", "type: singel_choice"),
                     ["'q1'", "'type'", "bedoelde u 'single_choice'"]),
    "unknown find key": (("find: {code: Q1}", "find: {kode: Q1}"),
                         ["'q1'", "'kode'", "bedoelde u 'code'"]),
    "find without keys": (("find: {code: Q1}", "find: Q1"), ["'q1'", "'find'"]),
    "undefined scale": (("scale: nood\n  find", "scale: noot\n  find"),
                        ["'need_a'", "'scale'", "'noot'", "bedoelde u 'nood'"]),
    "scale variable without scale": (("  scale: nood\n", ""), ["'need_a'", "'scale'"]),
    "unknown scale key": (("    levels: [Geen", "    level: [Geen"),
                          ["schaal 'nood'", "'level'", "bedoelde u 'levels'"]),
    "scale code to an unknown level": (("A3: Grote nood,", "A3: Grote noot,"),
                                       ["schaal 'nood'", "'codes'", "'Grote noot'",
                                        "bedoelde u 'Grote nood'"]),
    "missing not a list": (("missing: [Weet niet]", "missing: Weet niet"),
                           ["schaal 'nood'", "'missing'"]),
    "check_all without options": (("  options:\n  - {value: online, label: Online, code: SQ001}"
                                   "\n  - {value: fysiek, label: Fysiek, code: SQ002}\n", ""),
                                  ["'formats'", "'options'"]),
    "option without code": ((", code: SQ002}", "}"), ["'formats'", "options nr. 2", "'code'"]),
    "unknown option key": (("{value: online,", "{waarde: online, value: online,"),
                           ["'formats'", "options nr. 1", "'waarde'"]),
    "per-option question with only a header": (("find: {code: Q3}", "find: {header: Q3}"),
                                               ["'formats'", "'find'", "separator"]),
    "unknown other key": (('other: {code: "Q3[other]"}', "other: {kolom: x}"),
                          ["'formats'", "'kolom'"]),
    "other in a list without a list": (('other: {code: "Q3[other]"}', "other: {in_list: true}"),
                                       ["'formats'", "'other.in_list'"]),
    "unknown change kind": (("kind: reworded", "kind: reworderd"),
                            ["'need_a'", "'changed.kind'", "bedoelde u 'reworded'"]),
    "reworded without previous": ((", previous: Oude tekst", ""),
                                  ["'need_a'", "'changed.previous'"]),
    "split without from": (("kind: reworded, previous: Oude tekst", "kind: split"),
                           ["'need_a'", "'changed.from'"]),
    "comparable on a split question": (("kind: reworded, previous: Oude tekst",
                                        "kind: split, from: need_x, comparable: true"),
                                       ["'need_a'", "'changed.comparable'", "reworded"]),
    "comparable not true/false": ((", previous: Oude tekst}", ", previous: Oude tekst, "
                                   "comparable: ja}"), ["'need_a'", "'changed.comparable'"]),
    "unknown change key": ((", previous: Oude tekst}", ", previous: Oude tekst, van: x}"),
                           ["'need_a'", "'van'"]),
    "identity on an answer": (("  labels: {A1: Ja, A2: Nee}",
                               "  labels: {A1: Ja, A2: Nee}\n  identity: true"),
                              ["'q1'", "'identity'", "pii_drop"]),
    "identity not true/false": (("identity: true", "identity: ja"), ["'email'", "'identity'"]),
    "required not true/false": (("  labels: {A1: Ja, A2: Nee}",
                                 "  labels: {A1: Ja, A2: Nee}\n  required: yes"),
                                ["'q1'", "'required'"]),
    "labels on a scale": (("  scale: nood\n", "  scale: nood\n  labels: {A1: x}\n"),
                          ["'need_a'", "'labels'", "single_choice"]),
    "separator on a single choice": (("  labels: {A1: Ja, A2: Nee}",
                                      "  labels: {A1: Ja, A2: Nee}\n  separator: ';'"),
                                     ["'q1'", "'separator'"]),
    "invalid name": (("- name: q1", "- name: vraag 1"), ["'vraag 1'", "'name'"]),
    "key given twice": (("  labels: {A1: Ja, A2: Nee}", "  labels: {A1: Ja, A2: Nee}\n  type: x"),
                        ["'q1'", "'type'", "twee keer", "regel 18"]),
    "variable name twice": (("- name: need_a", "- name: q1"), ["dubbel", "q1"]),
}  # fmt: skip


@pytest.mark.parametrize("mistake", MISTAKES)
def test_codebook_mistake_names_file_variable_and_key(tmp_path, mistake):
    (old, new), words = MISTAKES[mistake]
    assert old in GOOD, mistake
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(InputError) as caught:
        load_codebook(path)
    text = str(caught.value)
    assert str(path) in text
    for word in words:
        assert word in text, (mistake, text)


def test_variable_errors_give_the_line_in_the_file(tmp_path):
    path = write(tmp_path, GOOD.replace("type: single_choice", "type: singel"))
    with pytest.raises(InputError, match=r"variabele 'q1' \(nr\. 2, regel 14\)"):
        load_codebook(path)


def test_invalid_yaml_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="geen geldige YAML"):
        load_codebook(write(tmp_path, "instrument: [test\n"))


def test_yes_and_no_stay_answer_codes(tmp_path):
    # YAML 1.1 reads Yes/No as booleans; in a codebook they are answer codes.
    text = GOOD.replace("{A1: Ja, A2: Nee}", "{Yes: Ja, No: Nee}")
    assert load_codebook(write(tmp_path, text)).variable("q1").labels == {"Yes": "Ja", "No": "Nee"}


# --- tolerant column matching ----------------------------------------------------------------


def book(variables: str, platform: str = "msforms") -> object:
    return parse_codebook(
        f"instrument: t\nwave: 2024\nplatform: {platform}\nvariables:\n{variables}",
        "test.yaml",
    )


ROLE = "- name: role\n  type: free_text\n  find: {text: 'Wat is uw functie?'}\n"


@pytest.mark.parametrize(
    "header",
    [
        "Wat is uw functie?",
        "wat is uw FUNCTIE",
        "Wat  is\u00a0uw functie ?",
        "Wat&nbsp;is uw functie&#63;",
        " Wat is uw <b>functie</b>? ",
        "Wat is uw functie? (kies er één)",
        "Wat is uw functie\u2026",
    ],
)
def test_text_matching_tolerates_case_spaces_entities_and_trailing_text(header):
    match = book(ROLE).match_columns(["ID", header])
    assert match.column("role") == header
    assert match.unmatched == ("ID",)


def test_prefix_stops_at_a_word_boundary():
    match = book(ROLE).match_columns(["Wat is uw functiegroep?"])
    assert match.column("role") is None
    assert match.unmatched == ("Wat is uw functiegroep?",)


def test_question_text_from_the_reader_is_searched_too():
    match = book(ROLE).match_columns(["Q7"], questions={"Q7": "Wat is uw functie?"})
    assert match.column("role") == "Q7"


def test_ambiguous_text_names_both_columns():
    variables = "- name: t\n  type: free_text\n  find: {text: 'Hoe tevreden bent u'}\n"
    columns = ["Hoe tevreden bent u over de sessie?", "Hoe tevreden bent u over de spreker?"]
    with pytest.raises(InputError) as caught:
        book(variables).match_columns(columns, source="export.xlsx")
    text = str(caught.value)
    assert "export.xlsx" in text and "test.yaml" in text and "'t'" in text
    assert all(repr(c) in text for c in columns)


def test_exact_text_wins_over_a_longer_header():
    variables = (
        "- name: a\n  type: free_text\n  find: {text: Toegang}\n"
        "- name: b\n  type: free_text\n  find: {text: Toegang tot internet}\n"
    )
    match = book(variables).match_columns(["Toegang tot internet", "Toegang"])
    assert (match.column("a"), match.column("b")) == ("Toegang", "Toegang tot internet")


def test_two_variables_on_one_column_is_an_error():
    variables = (
        "- name: a\n  type: free_text\n  find: {header: Opmerking}\n"
        "- name: b\n  type: free_text\n  find: {text: Opmerking}\n"
    )
    # header wins first, so b simply finds nothing ...
    assert book(variables).match_columns(["Opmerking"]).not_found == ("b",)
    same = variables.replace("{text: Opmerking}", "{header: Opmerking}")
    with pytest.raises(InputError, match="'a' en 'b' wijzen naar dezelfde kolom"):
        book(same).match_columns(["Opmerking"])


CHECK_ALL = """\
- name: formats
  type: check_all
  find: {FIND}
  options:
  - {value: webinar, label: Webinar, code: 'OPT1'}
  - {value: workshop, label: Workshop op locatie, code: 'OPT2'}
  other: {code: 'OTHER'}
"""


@pytest.mark.parametrize(
    ("platform", "find", "codes", "columns"),
    [
        ("limesurvey", "{code: Q5}", ("SQ001", "SQ002"), ["Q5[SQ001]", "Q5[SQ002]", "Q5[other]"]),
        ("qualtrics", "{code: Q5}", ("1", "2"), ["Q5_1", "Q5_2", "Q5_4_TEXT"]),
        ("kobo", "{code: v}", ("webinar", "workshop"), ["v/webinar", "v/workshop", "v_andere"]),
        (
            "surveymonkey",
            "{text: 'Welke vormen verkiest u?'}",
            ("webinar", "workshop"),
            [
                "Welke vormen verkiest u? - Webinar",
                "Welke vormen verkiest u? - Workshop op locatie",
                "Welke vormen verkiest u? - Other (please specify)",
            ],
        ),
        (
            "limesurvey",
            "{text: 'Welke vormen verkiest u?'}",
            ("A", "B"),
            [
                "Welke vormen verkiest u? [Webinar]",
                "Welke vormen verkiest u? [Workshop op locatie]",
                "Welke vormen verkiest u? [Other]",
            ],
        ),
    ],
)  # fmt: skip
def test_check_all_finds_the_option_columns_of_each_platform(platform, find, codes, columns):
    text = CHECK_ALL.replace("{FIND}", find).replace("OPT1", codes[0]).replace("OPT2", codes[1])
    text = text.replace("OTHER", columns[2])
    match = book(text, platform).match_columns(["ID", *columns])
    assert match.option_columns("formats") == {"webinar": columns[0], "workshop": columns[1]}
    assert match.other_column("formats") == columns[2]
    assert match.unmatched == ("ID",)


def test_missing_option_column_is_reported():
    text = CHECK_ALL.replace("{FIND}", "{code: Q5}").replace("OPT1", "SQ001")
    text = text.replace("OPT2", "SQ002").replace("OTHER", "Q5[other]")
    match = book(text, "limesurvey").match_columns(["Q5[SQ001]", "Q5[SQ003]"])
    assert match.missing_options == {"formats": ("workshop",)}
    assert match.unmatched == ("Q5[SQ003]",)  # an option the codebook does not know


def test_required_variable_without_column_lists_the_closest_headers():
    variables = ROLE.replace("find:", "required: true\n  find:")
    match = book(variables).match_columns(["ID", "Wat was uw functie?", "Organisatie", "Gemeente"])
    assert match.column("role") is None
    assert match.missing[0].variable == "role"
    assert match.missing[0].closest[0] == "Wat was uw functie?"
    assert len(match.missing[0].closest) == 3
    with pytest.raises(InputError, match=r"'role'.*'Wat was uw functie\?'"):
        match.require("export.csv")
