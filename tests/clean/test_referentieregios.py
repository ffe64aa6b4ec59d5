"""The bundled referentieregio's: every Flemish municipality of 2025 in exactly one of the 15
regions, every name known, and the same partition as the verified table in ../shared."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from inclusie_analysis.clean import areas, geo
from inclusie_analysis.clean.areas import referentieregio_mapping
from inclusie_analysis.clean.geo import load_reference
from inclusie_analysis.errors import InputError

REGIONS = {
    "Regio Antwerpen",
    "Rivierenland",
    "Kempen",
    "Halle-Vilvoorde",
    "Oost-Brabant",
    "Regio Brugge",
    "Westhoek",
    "Zuid-West-Vlaanderen",
    "Middenkust",
    "Midwest",
    "Denderregio",
    "Vlaamse Ardennen",
    "Regio Gent",
    "Waasland",
    "Limburg",
}


def flemish_codes() -> set[str]:
    muni = load_reference().municipalities
    return set(muni.loc[muni["region"] == "Vlaanderen", "nis_code"])


def test_every_flemish_municipality_of_2025_is_in_exactly_one_region():
    mapping = referentieregio_mapping()
    assert mapping["nis_code"].is_unique
    assert set(mapping["nis_code"]) == flemish_codes()
    assert len(flemish_codes()) == 285  # the count the issue names, from the reference


def test_brussels_has_no_referentieregio():
    muni = load_reference().municipalities
    brussels = set(muni.loc[muni["region"] == "Brussel", "nis_code"])
    assert len(brussels) == 19
    assert not brussels & set(referentieregio_mapping()["nis_code"])


def test_fifteen_regions_with_stable_codes_and_the_governments_names():
    mapping = referentieregio_mapping()
    pairs = mapping[["region_code", "region"]].drop_duplicates()
    assert len(pairs) == 15
    assert pairs["region_code"].is_unique and pairs["region"].is_unique
    assert set(pairs["region"]) == REGIONS
    assert list(pairs["region_code"]) == [f"REFREG{i:02d}" for i in range(1, 16)]
    assert mapping["nis_code"].str.fullmatch(r"\d{5}").all()
    assert all(str(dtype) == "string" for dtype in mapping.dtypes)


def test_the_file_lists_the_300_municipalities_of_the_decision_once_each():
    facts = yaml.safe_load(geo._reference_file(areas.REFERENTIEREGIO_FILE).read_text("utf-8"))
    names = [name for region in facts["regions"] for name in region["municipalities"]]
    assert len(names) == len(set(names)) == 300  # 285 + the 15 that merged away in 2025


def test_merged_municipalities_follow_their_parts():
    mapping = referentieregio_mapping().set_index("nis_code")["region"]
    assert mapping["71072"] == "Limburg"  # Hasselt + Kortessem
    assert mapping["46030"] == "Waasland"  # Beveren-Kruibeke-Zwijndrecht
    assert mapping["46029"] == "Waasland"  # Lokeren + Moerbeke
    assert mapping["11002"] == "Regio Antwerpen"  # Antwerpen + Borsbeek
    assert mapping["23106"] == "Halle-Vilvoorde"  # Pajottegem


def write_facts(tmp_path, monkeypatch, regions, merged=None) -> None:
    (tmp_path / areas.REFERENTIEREGIO_FILE).write_text(
        yaml.safe_dump({"regions": regions, "merged_2025": merged or {}}), encoding="utf-8"
    )
    real = geo._reference_file
    monkeypatch.setattr(
        geo,
        "_reference_file",
        lambda name: tmp_path / name if name == areas.REFERENTIEREGIO_FILE else real(name),
    )
    areas._referentieregio_mapping.cache_clear()


@pytest.fixture
def fresh_cache():
    areas._referentieregio_mapping.cache_clear()
    yield
    areas._referentieregio_mapping.cache_clear()


def test_an_unknown_name_is_an_error_naming_the_region_and_the_name(
    tmp_path, monkeypatch, fresh_cache
):
    write_facts(
        tmp_path,
        monkeypatch,
        [{"code": "R1", "name": "Regio Gent", "municipalities": ["Gent", "Gentbrugge-Noord"]}],
    )
    with pytest.raises(InputError) as error:
        referentieregio_mapping()
    assert "Regio Gent" in str(error.value) and "Gentbrugge-Noord" in str(error.value)


def test_a_merger_across_two_regions_needs_a_decision(tmp_path, monkeypatch, fresh_cache):
    regions = [
        {"code": "R1", "name": "Waasland", "municipalities": ["Beveren", "Kruibeke"]},
        {"code": "R2", "name": "Regio Antwerpen", "municipalities": ["Zwijndrecht"]},
    ]
    write_facts(tmp_path, monkeypatch, regions)
    with pytest.raises(InputError) as error:
        referentieregio_mapping()
    assert "Beveren-Kruibeke-Zwijndrecht" in str(error.value)
    write_facts(tmp_path, monkeypatch, regions, {"Beveren-Kruibeke-Zwijndrecht": "R1"})
    assert referentieregio_mapping().to_dict("records") == [
        {"nis_code": "46030", "region_code": "R1", "region": "Waasland"}
    ]


def test_regions_equal_the_verified_table(shared_reference):
    path = shared_reference / "regions_2025.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent; this check runs where ../shared has it")
    theirs = pd.read_csv(path, dtype="string", keep_default_na=False)
    assert {"nis_code", "referentieregio_code", "referentieregio"} <= set(theirs.columns)
    ours = referentieregio_mapping().set_index("nis_code")["region"]
    theirs = theirs.set_index("nis_code")["referentieregio"]
    assert set(ours.index) == set(theirs.index)
    names = load_reference().municipalities.set_index("nis_code")["name_nl"]
    differ = sorted(
        f"{names[code]}: ours {ours[code]}, verified {theirs[code]}"
        for code in ours.index
        if ours[code] != theirs[code]
    )
    assert differ == []


def test_a_caller_changing_the_mapping_does_not_change_the_next_callers():
    first = referentieregio_mapping()
    first["region"] = "veranderd"
    assert "veranderd" not in set(referentieregio_mapping()["region"])
