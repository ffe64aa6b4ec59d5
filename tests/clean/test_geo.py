"""Matching typed municipality answers to 2025 NIS codes, and selecting report areas.

Expected codes are taken from the bundled reference (inclusie_analysis/reference) and, where
../shared is present, checked against the verified tables there.
"""

from __future__ import annotations

import pandas as pd
import pytest

from inclusie_analysis.clean.geo import (
    MATCH_METHODS,
    MunicipalityMatcher,
    load_reference,
    normalise_name,
    province_order,
    resolve_municipalities,
    select_area,
)
from inclusie_analysis.errors import InputError

# 2025 NIS codes, as in inclusie_analysis/reference/municipalities.csv.
GENT = "44021"
LIER = "12021"
ZELE = "42028"
AALST = "41002"
SINT_NIKLAAS = "46021"
SINT_TRUIDEN = "71053"
KORTRIJK = "34022"
BRUSSEL = "21004"
ELSENE = "21009"
ETTERBEEK = "21005"
ANTWERPEN = "11002"
BKZ = "46030"  # Beveren-Kruibeke-Zwijndrecht
TIELT = "37022"
DEINZE = "44083"
HASSELT = "71072"


@pytest.fixture(scope="module")
def matcher() -> MunicipalityMatcher:
    return MunicipalityMatcher()


def name_of(code: str) -> str:
    muni = load_reference().municipalities.set_index("nis_code")
    return str(muni.loc[code, "name_nl"])


def test_expected_codes_belong_to_the_expected_names():
    # Guards the constants above against the bundled reference.
    assert name_of(GENT) == "Gent"
    assert name_of(SINT_NIKLAAS) == "Sint-Niklaas"
    assert name_of(BRUSSEL) == "Brussel"
    assert name_of(ELSENE) == "Elsene"
    assert name_of(BKZ) == "Beveren-Kruibeke-Zwijndrecht"
    assert name_of(TIELT) == "Tielt"
    assert name_of(DEINZE) == "Deinze"
    assert name_of(HASSELT) == "Hasselt"
    assert name_of(ANTWERPEN) == "Antwerpen"
    assert name_of(KORTRIJK) == "Kortrijk"


# --- normalise_name -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("  Stad St.-Niklaas ", "sint niklaas"),
        ("OCMW Sint-Genesius-Rode", "sint genesius rode"),
        ("Rhode-Saint-Genèse", "rhode saint genese"),
        ("GENT", "gent"),
        ("Lokaal bestuur   Aalst", "aalst"),
        ("Gemeente Zele", "zele"),
        ("St-Truiden", "sint truiden"),
        ("Sinte-Truiden", "sint truiden"),
        ("Herk-de-Stad", "herk de stad"),
    ],
)
def test_normalise_name(typed, key):
    assert normalise_name(typed) == key


def test_normalise_name_keeps_stad_inside_a_name():
    # Only a leading "Stad" is a prefix; "Herk-de-Stad" keeps it.
    assert normalise_name("Stad Herk-de-Stad") == "herk de stad"


# --- MunicipalityMatcher ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Gent", GENT), ("Sint-Niklaas", SINT_NIKLAAS), ("Elsene", ELSENE), ("Hasselt", HASSELT)],
)
def test_exact_official_name(matcher, typed, code):
    match = matcher.match(typed)
    assert (match.nis_code, match.method, match.score) == (code, "exact", 100.0)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("gent", GENT),
        ("GENT", GENT),
        ("  sint-niklaas  ", SINT_NIKLAAS),
        ("sint-niklaas\t", SINT_NIKLAAS),
        ("Sint-Genesius-Rodé", "23101"),
        ("Stad Gent", GENT),
        ("OCMW Lier", LIER),
        ("Gemeente Zele", ZELE),
        ("Lokaal bestuur Aalst", AALST),
        ("lokaal bestuur aalst", AALST),
        ("Gemeentebestuur Lier", LIER),
        ("Sociaal Huis Lier", LIER),
        ("St.-Niklaas", SINT_NIKLAAS),
        ("St-Truiden", SINT_TRUIDEN),
        ("Sint Niklaas", SINT_NIKLAAS),
        ("Stad St. Niklaas", SINT_NIKLAAS),
        ("Gent (Oost-Vlaanderen)", GENT),
    ],
)
def test_normalised_names(matcher, typed, code):
    match = matcher.match(typed)
    assert match.nis_code == code
    assert match.method == "normalised"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("9100", SINT_NIKLAAS), ("9100 Sint-Niklaas", SINT_NIKLAAS), ("3800", SINT_TRUIDEN)],
)
def test_postal_codes(matcher, typed, code):
    match = matcher.match(typed)
    assert (match.nis_code, match.method) == (code, "postcode")


def test_postcodes_in_the_reference_point_to_the_expected_municipality():
    postal = load_reference().postal_codes
    pairs = set(zip(postal["postcode"], postal["nis_code"], strict=True))
    assert ("9100", SINT_NIKLAAS) in pairs
    assert ("3800", SINT_TRUIDEN) in pairs
    assert ("1000", BRUSSEL) in pairs
    assert {c for p, c in pairs if p == "1050"} == {BRUSSEL, ELSENE}


def test_postcode_shared_by_two_municipalities_is_ambiguous_unless_named(matcher):
    # Statbel assigns 1050 to Brussel and Elsene: the bare code is not guessed.
    bare = matcher.match("1050")
    assert bare.nis_code is None
    assert bare.method == "ambiguous"
    assert set(bare.candidates) == {BRUSSEL, ELSENE}
    assert matcher.match("1050 Ixelles").nis_code == ELSENE
    assert matcher.match("1040 Etterbeek").nis_code == ETTERBEEK


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Kruibeke", BKZ),
        ("Zwijndrecht", BKZ),
        ("Meulebeke", TIELT),
        ("Borsbeek", ANTWERPEN),
        ("Nevele", DEINZE),  # 2019 merger
        ("Kortessem", HASSELT),  # 2025 merger; Hasselt itself got the new code 71072
        ("OCMW Kruibeke", BKZ),
    ],
)
def test_pre_merger_names(matcher, typed, code):
    match = matcher.match(typed)
    assert (match.nis_code, match.method) == (code, "pre_merger")


def test_kortessem_and_old_hasselt_code_are_gone():
    codes = set(load_reference().municipalities["nis_code"])
    assert "73040" not in codes  # Kortessem
    assert "71022" not in codes  # Hasselt before 2025
    assert HASSELT in codes


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Ixelles", ELSENE),
        ("Bruxelles", BRUSSEL),
        ("Ville de Bruxelles", BRUSSEL),
        ("Saint-Gilles", "21013"),
        ("Anvers", ANTWERPEN),
        ("Renaix", "45041"),
    ],
)
def test_french_names(matcher, typed, code):
    match = matcher.match(typed)
    assert (match.nis_code, match.method) == (code, "normalised")


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Sint-Niklas", SINT_NIKLAAS), ("Kortrjik", KORTRIJK), ("Gentt", GENT), ("Alst", AALST)],
)
def test_misspellings_match_fuzzily(matcher, typed, code):
    match = matcher.match(typed)
    assert (match.nis_code, match.method) == (code, "fuzzy")
    assert MunicipalityMatcher.FUZZY_CUTOFF <= match.score < 100


def test_fuzzy_match_between_two_close_names_is_ambiguous(matcher):
    # "Hamm" is one letter from Hamme and from Ham (old name, now Tessenderlo-Ham).
    match = matcher.match("Hamm")
    assert match.nis_code is None
    assert match.method == "ambiguous"
    assert {"42008", "71071"} <= set(match.candidates)


@pytest.mark.parametrize(
    ("typed", "method"),
    [
        ("?", "unknown"),
        ("Vlaanderen", "unknown"),
        ("België", "unknown"),
        ("n.v.t.", "unknown"),
        ("nvt", "unknown"),
        ("xyz", "unknown"),
        ("1040", "ambiguous"),  # Brussel + Etterbeek
        ("1804", "ambiguous"),  # Vilvoorde + Zemst
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        (float("nan"), "empty"),
        (pd.NA, "empty"),
    ],
)
def test_unresolvable_answers_are_not_guessed(matcher, typed, method):
    match = matcher.match(typed)
    assert match.nis_code is None
    assert match.method == method
    assert match.method in MATCH_METHODS


def test_postcode_1000_is_brussel(matcher):
    assert matcher.match("1000").nis_code == BRUSSEL


def test_aliases_are_used_and_bad_aliases_are_refused():
    aliases = {"Sinnekloas": "Sint-Niklaas", "Kortessemse": "Kortessem"}
    matcher = MunicipalityMatcher(aliases=aliases)
    assert matcher.match("Sinnekloas") == matcher.match("sinnekloas")
    assert (matcher.match("Sinnekloas").nis_code, matcher.match("Sinnekloas").method) == (
        SINT_NIKLAAS,
        "alias",
    )
    assert matcher.match("Kortessemse").nis_code == HASSELT
    with pytest.raises(InputError, match="Atlantis"):
        MunicipalityMatcher(aliases={"Atlantis city": "Atlantis"})


def test_every_bundled_name_resolves_to_its_own_code(matcher):
    muni = load_reference().municipalities
    for code, nl, fr in zip(muni["nis_code"], muni["name_nl"], muni["name_fr"], strict=True):
        assert matcher.match(nl).nis_code == code, nl
        assert matcher.match(nl.upper()).nis_code == code, nl
        if fr:
            assert matcher.match(fr).nis_code == code, fr


# --- resolve_municipalities ------------------------------------------------------------------


@pytest.fixture(scope="module")
def resolved() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "gemeente": [
                *("Gent", "1000", None, "Kortessem"),
                *("Ixelles", "xyz", "Zwijndrecht", "Gent"),
            ],
            "andere": list("abcdefgh"),
        },
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )
    return resolve_municipalities(frame, "gemeente")


def test_resolve_keeps_rows_index_and_columns(resolved):
    assert len(resolved) == 8
    assert resolved.index.tolist() == [10, 11, 12, 13, 14, 15, 16, 17]
    assert resolved["andere"].tolist() == list("abcdefgh")
    for column in (
        "nis_code",
        "municipality",
        "arrondissement",
        "province",
        "region",
        "geo_method",
        "geo_score",
    ):
        assert column in resolved.columns


def test_resolve_adds_geography(resolved):
    gent = resolved.loc[10]
    assert (gent["nis_code"], gent["municipality"], gent["province"], gent["region"]) == (
        GENT,
        "Gent",
        "Oost-Vlaanderen",
        "Vlaanderen",
    )
    assert gent["arrondissement"] == "Gent"
    assert gent["geo_method"] == "exact"
    # Kortessem joined Hasselt in 2025 and moved to arrondissement Hasselt.
    kortessem = resolved.loc[13]
    assert (kortessem["nis_code"], kortessem["municipality"], kortessem["arrondissement"]) == (
        HASSELT,
        "Hasselt",
        "Hasselt",
    )
    assert kortessem["province"] == "Limburg"
    # Zwijndrecht moved from province Antwerpen to Oost-Vlaanderen with the merger.
    zwijndrecht = resolved.loc[16]
    assert zwijndrecht["municipality"] == "Beveren-Kruibeke-Zwijndrecht"
    assert zwijndrecht["province"] == "Oost-Vlaanderen"


def test_resolve_brussels_province_is_brussel(resolved):
    for index, code in ((11, BRUSSEL), (14, ELSENE)):
        row = resolved.loc[index]
        assert row["nis_code"] == code
        assert row["province"] == "Brussel"
        assert row["region"] == "Brussel"
    assert resolved.loc[11, "geo_method"] == "postcode"


def test_resolve_leaves_unmatched_rows_missing(resolved):
    for index, method in ((12, "empty"), (15, "unknown")):
        row = resolved.loc[index]
        assert pd.isna(row["nis_code"])
        assert pd.isna(row["province"])
        assert pd.isna(row["region"])
        assert row["geo_method"] == method


# --- select_area -----------------------------------------------------------------------------


def test_select_area_everyone_keeps_rows_without_municipality(resolved):
    everyone = select_area(resolved, "Vlaanderen en Brussel")
    assert len(everyone) == len(resolved)
    assert everyone["nis_code"].isna().sum() == 2


def test_select_area_province(resolved):
    oost = select_area(resolved, "Oost-Vlaanderen")
    assert oost.index.tolist() == [10, 16, 17]
    assert (oost["province"] == "Oost-Vlaanderen").all()
    assert select_area(resolved, "Limburg").index.tolist() == [13]
    assert select_area(resolved, "West-Vlaanderen").empty


def test_select_area_brussel_is_the_19(resolved):
    assert select_area(resolved, "Brussel").index.tolist() == [11, 14]
    muni = load_reference().municipalities
    frame = pd.DataFrame({"g": [*muni["name_nl"].tolist(), None]})
    brussels = select_area(resolve_municipalities(frame, "g"), "Brussel")
    assert len(brussels) == 19
    assert brussels["nis_code"].str.startswith("21").all()


def test_select_area_unknown_area_is_an_input_error(resolved):
    with pytest.raises(InputError, match="Gent"):
        select_area(resolved, "Gent")


def test_every_province_has_rows_and_the_areas_partition_all_municipalities():
    muni = load_reference().municipalities
    frame = resolve_municipalities(pd.DataFrame({"g": muni["name_nl"]}), "g")
    sizes = {area: len(select_area(frame, area)) for area in province_order()}
    assert sizes == {
        "West-Vlaanderen": 62,
        "Oost-Vlaanderen": 55,
        "Antwerpen": 67,
        "Vlaams-Brabant": 63,
        "Limburg": 38,
        "Brussel": 19,
    }
    assert sum(sizes.values()) == len(frame) == 304


# --- against the verified tables in ../shared ------------------------------------------------


def read_shared(folder, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype="string", keep_default_na=False)


def test_every_verified_name_resolves_to_its_own_code(shared_reference, matcher):
    muni = read_shared(shared_reference, "municipalities.csv")
    assert len(muni) == 304
    wrong = {
        name: matcher.match(name).nis_code
        for code, name in zip(muni["nis_code"], muni["name_nl"], strict=True)
        if matcher.match(name).nis_code != code
    }
    wrong |= {
        name: matcher.match(name).nis_code
        for code, name in zip(muni["nis_code"], muni["name_fr"], strict=True)
        if name and matcher.match(name).nis_code != code
    }
    assert wrong == {}


def test_every_verified_old_name_resolves_to_its_new_code(shared_reference, matcher):
    mergers = read_shared(shared_reference, "mergers_2025.csv")
    assert len(mergers) == 43
    wrong = {
        old: (matcher.match(old).nis_code, new)
        for old, new in zip(mergers["old_name_nl"], mergers["new_nis"], strict=True)
        if matcher.match(old).nis_code != new
    }
    assert wrong == {}


def test_verified_postcodes_resolve_or_are_ambiguous(shared_reference, matcher):
    postal = read_shared(shared_reference, "postal_codes.csv")
    per_code: dict[str, set[str]] = {}
    for postcode, code in zip(postal["postcode"], postal["nis_code"], strict=True):
        per_code.setdefault(postcode, set()).add(code)
    assert len(per_code) == 543
    for postcode, codes in per_code.items():
        match = matcher.match(postcode)
        if len(codes) == 1:
            assert match.nis_code == next(iter(codes)), postcode
        else:
            assert match.method == "ambiguous", postcode
            assert set(match.candidates) == codes, postcode
    # A postcode with the municipality's 2025 name settles a shared postcode.
    for postcode, code, name in zip(
        postal["postcode"], postal["nis_code"], postal["municipality_nl"], strict=True
    ):
        assert matcher.match(f"{postcode} {name}").nis_code == code, (postcode, name)


def test_aliases_file_from_the_settings_is_used(tmp_path):
    from inclusie_analysis.clean.geo import load_aliases

    path = tmp_path / "aliases.yaml"
    path.write_text('"Het Stadhuis van Aalst": Aalst\n"Pajot": Pajottegem\n', encoding="utf-8")
    matcher = MunicipalityMatcher(aliases=load_aliases(path))
    assert matcher.match("het stadhuis van aalst").nis_code == "41002"
    assert matcher.match("Pajot").method == "alias"
    assert load_aliases(tmp_path / "none.yaml") == {}


def test_a_wrong_aliases_file_is_an_input_error(tmp_path):
    from inclusie_analysis.clean.geo import load_aliases

    path = tmp_path / "aliases.yaml"
    path.write_text("- Aalst\n- Gent\n", encoding="utf-8")
    with pytest.raises(InputError, match="aliasbestand"):
        load_aliases(path)


def test_aliases_win_over_official_names():
    # The user's aliases file is honoured first, even over an exact municipality name.
    matcher = MunicipalityMatcher(aliases={"Bever": "Brussel"})
    assert matcher.match("Bever").nis_code == "21004"
    assert matcher.match("Bever").method == "alias"
    assert MunicipalityMatcher().match("Bever").nis_code == "23009"
