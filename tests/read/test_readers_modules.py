"""One module per platform: each has the interface the codebook draft relies on, and each
check-all rule and grid pattern is what the platform's export format says (FORMATS.md in
../shared/samples) and what the fixtures in tests/read/exports hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inclusie_analysis.read.readers import (
    PLATFORM_NAMES,
    PLATFORMS,
    CheckAllRule,
    check_all_rule,
    grid_pattern,
    metadata_columns,
    read_export,
)
from inclusie_analysis.read.readers._base import HeaderRows, Layout

FIXTURES = Path(__file__).resolve().parent / "exports"
ALL = ["qualtrics", "limesurvey", "msforms", "googleforms", "surveymonkey", "spss", "kobo", "plain"]


def test_every_platform_has_a_module():
    assert sorted(PLATFORMS) == sorted(ALL)
    assert PLATFORM_NAMES["msforms"] == "Microsoft Forms"
    assert PLATFORM_NAMES["kobo"] == "KoboToolbox"


@pytest.mark.parametrize("name", ALL)
def test_platform_module_interface(name):
    module = PLATFORMS[name]
    assert name == module.NAME
    assert isinstance(module.LABEL, str) and module.LABEL
    assert isinstance(module.METADATA, frozenset)
    assert all(m == m.lower() and m.strip() == m for m in module.METADATA)
    rule = module.CHECK_ALL
    assert isinstance(rule, CheckAllRule)
    assert rule.separator is None or (isinstance(rule.separator, str) and rule.separator)
    if rule.columns is not None:
        assert isinstance(rule.columns, re.Pattern)
        assert {"stem", "sub"} <= set(rule.columns.groupindex)
    if module.GRID is not None:
        assert isinstance(module.GRID, re.Pattern)
        assert {"stem", "item"} <= set(module.GRID.groupindex)
    if hasattr(module, "detect"):  # recognised from its header rows
        assert isinstance(module.ORDER, int)
        assert callable(module.layout)
    if module.__doc__ is None or len(module.__doc__.strip().splitlines()) < 3:
        pytest.fail(f"{name}: the module docstring says what the export looks like")


def test_rule_is_frozen():
    with pytest.raises(AttributeError):
        check_all_rule("msforms").separator = ","  # type: ignore[misc]


def test_unknown_platform_names_the_known_ones():
    with pytest.raises(KeyError, match="googleforms"):
        check_all_rule("typeform")


def test_detection_order_is_unique():
    orders = [m.ORDER for m in PLATFORMS.values() if hasattr(m, "detect")]
    assert len(orders) == len(set(orders)) == 6  # every platform but spss and plain


def test_a_layout_is_returned_for_every_detected_platform():
    header = HeaderRows.of([["Timestamp", "Vraag"], ["2025/01/01", "Ja"]])
    for module in PLATFORMS.values():
        if hasattr(module, "layout"):
            layout = module.layout(header)
            assert isinstance(layout, Layout) and layout.platform == module.NAME


# --- each platform's check-all rule, as FORMATS.md describes it -------------------------------


def family(rule: CheckAllRule, header: str) -> tuple[str, str] | None:
    m = rule.columns.match(header)
    return (m.group("stem"), m.group("sub")) if m else None


def test_qualtrics_split_columns():
    rule = check_all_rule("qualtrics")
    assert rule.separator is None
    assert family(rule, "Q3_1") == ("Q3", "1")
    assert family(rule, "Q3_12") == ("Q3", "12")
    assert rule.columns.match("Q3_4_TEXT").group("text") == "_TEXT"  # "other, please specify"
    assert family(rule, "Q2_3_1") == ("Q2_3", "1")  # matrix of check-all rows: per row
    assert family(rule, "Q1") is None
    assert family(rule, "StartDate") is None


def test_qualtrics_fixture_family():
    raw = read_export(FIXTURES / "qualtrics_current.csv")
    rule = check_all_rule("qualtrics")
    stems = {c: family(rule, c) for c in raw.frame.columns if family(rule, c)}
    assert stems == {
        "Q3_1": ("Q3", "1"),
        "Q3_2": ("Q3", "2"),
        "Q3_4": ("Q3", "4"),
        "Q3_4_TEXT": ("Q3", "4"),
    }
    assert set(raw.frame["Q3_1"].dropna()) == {"1"}  # ticked = 1, not ticked = empty


def test_limesurvey_bracket_columns():
    rule = check_all_rule("limesurvey")
    assert rule.separator is None
    assert family(rule, "Q5[SQ001]") == ("Q5", "SQ001")
    assert family(rule, "Q5[other]") == ("Q5", "other")
    assert family(rule, "Welke vormen verkiest u? [Workshop]") == (
        "Welke vormen verkiest u?",
        "Workshop",
    )
    assert family(rule, "Q4[SQ001][1]") == ("Q4[SQ001]", "1")  # dual scale
    assert family(rule, "submitdate") is None


def test_limesurvey_fixture_ticks_are_y():
    raw = read_export(FIXTURES / "limesurvey_codes.csv")
    rule = check_all_rule("limesurvey")
    members = [c for c in raw.frame.columns if rule.columns.match(c)]
    assert members == ["Q3[SQ001]", "Q3[SQ002]", "Q3[other]"]
    assert set(raw.frame["Q3[SQ001]"].dropna()) == {"Y"}


def test_msforms_one_cell_with_semicolons():
    rule = check_all_rule("msforms")
    assert rule == CheckAllRule(separator=";", columns=None)
    raw = read_export(FIXTURES / "msforms.xlsx")
    cell = raw.frame["Welke vormen van ondersteuning verkiest u?"].iloc[0]
    assert [o for o in cell.split(rule.separator) if o] == ["Workshop", "Webinar"]


def test_googleforms_one_cell_with_comma_space():
    rule = check_all_rule("googleforms")
    assert rule == CheckAllRule(separator=", ", columns=None)
    raw = read_export(FIXTURES / "googleforms.xlsx")  # the linked sheet's download
    assert raw.frame["Welke vormen verkiest u?"].iloc[0].split(rule.separator) == [
        "Workshop",
        "Webinar",
    ]


def test_surveymonkey_continuation_columns_after_assembly():
    rule = check_all_rule("surveymonkey")
    assert rule.separator is None
    raw = read_export(FIXTURES / "surveymonkey.csv")
    question = "Welke vormen van ondersteuning verkiest u?"
    subs = [
        family(rule, c)[1] for c in raw.frame.columns if (family(rule, c) or ("",))[0] == question
    ]
    assert subs == ["Workshop", "Webinar", "Begeleiding op maat", "Other (please specify)"]
    # a ticked cell holds the option's text
    assert raw.frame[f"{question} - Workshop"].iloc[0] == "Workshop"
    assert family(rule, "Respondent ID") is None


def test_kobo_summary_and_detail_columns():
    rule = check_all_rule("kobo")
    assert rule.separator == " "
    assert family(rule, "ondersteuning/workshop") == ("ondersteuning", "workshop")
    assert family(rule, "groep_a/ondersteuning/webinar") == ("groep_a/ondersteuning", "webinar")
    assert family(rule, "Welke vormen?") is None
    raw = read_export(FIXTURES / "kobo.csv")
    # the summary cell lists exactly the options whose detail column is 1
    for _, row in raw.frame.iterrows():
        ticked = {
            family(rule, c)[1]
            for c in raw.frame.columns
            if c.startswith("ondersteuning/") and row[c] == "1"
        }
        assert set(row["ondersteuning"].split(rule.separator)) == ticked


def test_spss_dichotomy_sets_by_name():
    rule = check_all_rule("spss")
    assert rule.separator is None
    assert family(rule, "Q5_1") == ("Q5", "1")
    assert family(rule, "Q5$2") == ("Q5", "2")
    assert family(rule, "nood_digitaal_3") == ("nood_digitaal", "3")
    assert family(rule, "gemeente") is None


def test_plain_knows_nothing():
    assert check_all_rule("plain") == CheckAllRule(None, None)
    assert grid_pattern("plain") is None


# --- grid items -----------------------------------------------------------------------------


def item(platform: str, text: str) -> tuple[str, str] | None:
    m = grid_pattern(platform).match(text)
    return (m.group("stem"), m.group("item")) if m else None


def test_grid_patterns():
    assert item("googleforms", "Hoe sterk is uw team in? [Toegankelijkheid]") == (
        "Hoe sterk is uw team in?",
        "Toegankelijkheid",
    )
    assert item("surveymonkey", "Hoe sterk is uw team in: - Digitale vaardigheden") == (
        "Hoe sterk is uw team in:",
        "Digitale vaardigheden",
    )
    assert item("limesurvey", "Q6[SQ002]") == ("Q6", "SQ002")
    assert item("googleforms", "In welke gemeente werkt u?") is None
    for platform in ("msforms", "kobo", "spss"):
        assert grid_pattern(platform) is None


def test_qualtrics_grid_is_on_the_question_text():
    raw = read_export(FIXTURES / "qualtrics_2016.csv")
    assert item("qualtrics", raw.questions["Q2_1"]) == (
        "Hoe sterk is uw team in:",
        "Digitale vaardigheden",
    )
    # an "other" text keeps its question as stem
    current = read_export(FIXTURES / "qualtrics_current.csv")
    assert item("qualtrics", current.questions["Q3_4_TEXT"])[0] == (
        "Welke vormen van ondersteuning verkiest u?"
    )


def test_surveymonkey_grid_fixture():
    raw = read_export(FIXTURES / "surveymonkey.csv")
    rows = [item("surveymonkey", c) for c in raw.frame.columns if c.startswith("Hoe sterk")]
    assert rows == [
        ("Hoe sterk is uw team in:", "Digitale vaardigheden"),
        ("Hoe sterk is uw team in:", "Toegankelijkheid"),
    ]


# --- metadata --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, fixture, expected",
    [
        ("qualtrics", "qualtrics_current.csv", 17),
        ("limesurvey", "limesurvey_codes.csv", 7),
        ("msforms", "msforms_quiz.csv", 8),
        ("googleforms", "googleforms.csv", 2),
        ("surveymonkey", "surveymonkey.csv", 9),
        ("kobo", "kobo.csv", 12),
    ],
)
def test_metadata_columns_of_the_fixtures(name, fixture, expected):
    raw = read_export(FIXTURES / fixture)
    assert raw.platform == name
    found = [c for c in raw.frame.columns if c.lower() in metadata_columns(name)]
    assert len(found) == expected, found
