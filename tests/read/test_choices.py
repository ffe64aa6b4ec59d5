"""Splitting joined check-all cells: options that contain the separator, repeats, leftovers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inclusie_analysis.read.choices import option_key, split_cell, split_parts

OPTIONS = [
    "Regierol",
    "Toegang (toestellen, internet, computerruimtes)",
    "Vlaamse, provinciale of federale overheid",
    "Partners en samenwerking",
]


def test_option_with_the_separator_inside_brackets_stays_whole():
    cell = "Regierol, Toegang (toestellen, internet, computerruimtes), Partners en samenwerking"
    assert split_cell(cell, ", ", OPTIONS).options == [
        "Regierol",
        "Toegang (toestellen, internet, computerruimtes)",
        "Partners en samenwerking",
    ]


def test_option_with_the_separator_outside_brackets_is_found_by_the_known_options():
    cell = "Vlaamse, provinciale of federale overheid, Regierol"
    split = split_cell(cell, ", ", OPTIONS)
    assert split.options == ["Vlaamse, provinciale of federale overheid", "Regierol"]
    assert split.others == []


def test_an_option_ticked_twice_counts_once_and_is_reported():
    split = split_cell("Regierol, Partners en samenwerking, Regierol", ", ", OPTIONS)
    assert split.options == ["Regierol", "Partners en samenwerking"]
    assert split.repeated == ["Regierol"]


def test_leftover_text_is_other_with_its_position():
    # Google Forms puts the typed "Other:" answer in the same cell, commas and all.
    cell = "Regierol, werken met chatbots, vooral in het sociaal huis, Partners en samenwerking"
    split = split_cell(cell, ", ", OPTIONS)
    assert split.options == ["Regierol", "Partners en samenwerking"]
    assert split.others == [(2, "werken met chatbots, vooral in het sociaal huis")]


def test_microsoft_forms_trailing_semicolon_and_case_and_spacing():
    split = split_cell("regierol;Toegang (toestellen,internet,  computerruimtes);", ";", OPTIONS)
    assert split.options == ["Regierol", "Toegang (toestellen, internet, computerruimtes)"]
    assert split.others == []


def test_split_parts_cuts_only_outside_brackets():
    assert split_parts("a (b, c), d [e, f], g", ", ") == ["a (b, c)", "d [e, f]", "g"]
    assert split_parts("a;;b;", ";") == ["a", "b"]


def test_option_key_ignores_spacing_around_separators():
    assert option_key("Toegang (toestellen ,internet)") == option_key(
        "toegang (toestellen, internet)"
    )


@given(
    st.lists(st.sampled_from(OPTIONS), min_size=1, max_size=8),
    st.sampled_from([", ", ";", " ; "]),
)
def test_any_joined_selection_splits_back_into_its_distinct_options(ticked, separator):
    split = split_cell(separator.join(ticked), separator, OPTIONS)
    assert split.options == list(dict.fromkeys(ticked))
    assert split.others == []
    assert set(split.repeated) == {o for o in ticked if ticked.count(o) > 1}
