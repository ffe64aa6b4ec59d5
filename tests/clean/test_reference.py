"""The bundled reference data: counts, internal consistency, and agreement with ../shared."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from inclusie_analysis.clean.geo import load_reference


def read_shared(folder, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype="string", keep_default_na=False)


def test_2025_has_285_flemish_and_19_brussels_municipalities():
    counts = load_reference().municipalities["region"].value_counts()
    assert counts.to_dict() == {"Vlaanderen": 285, "Brussel": 19}


def test_nis_codes_are_unique_five_digit_strings():
    codes = load_reference().municipalities["nis_code"]
    assert codes.is_unique
    assert codes.str.fullmatch(r"\d{5}").all()


def test_municipalities_per_province():
    muni = load_reference().municipalities
    per_province = muni["province_nl"].replace("", "Brussel").value_counts().to_dict()
    # 2025 counts as checked once against ../shared/reference (check_reference.py output).
    assert per_province == {
        "Antwerpen": 67,
        "Vlaams-Brabant": 63,
        "West-Vlaanderen": 62,
        "Oost-Vlaanderen": 55,
        "Limburg": 38,
        "Brussel": 19,
    }


def test_every_postcode_points_to_an_existing_municipality():
    ref = load_reference()
    assert ref.postal_codes["nis_code"].isin(ref.municipalities["nis_code"]).all()
    assert set(ref.municipalities["nis_code"]) <= set(ref.postal_codes["nis_code"])
    assert ref.postal_codes["postcode"].str.fullmatch(r"[1-9]\d{3}").all()


def test_every_merger_points_to_an_existing_2025_municipality():
    ref = load_reference()
    assert ref.mergers["new_nis"].isin(ref.municipalities["nis_code"]).all()
    gone = set(ref.mergers["old_nis"]) - set(ref.mergers["new_nis"])
    assert not gone & set(ref.municipalities["nis_code"])


def test_merger_counts_give_308_then_300_then_285():
    m = load_reference().mergers
    flemish_2025 = 285
    per_year = {y: (g["old_nis"].nunique(), g["new_nis"].nunique()) for y, g in m.groupby("year")}
    assert per_year == {2019: (15, 7), 2025: (28, 13)}
    flemish_2024 = flemish_2025 + 28 - 13
    assert (flemish_2024, flemish_2024 + 15 - 7) == (300, 308)


def test_municipalities_equal_the_verified_table(shared_reference):
    ours = load_reference().municipalities.set_index("nis_code")
    theirs = read_shared(shared_reference, "municipalities.csv").set_index("nis_code")
    assert set(ours.index) == set(theirs.index)
    columns = [c for c in theirs.columns if c != "name_fr"]
    pd.testing.assert_frame_equal(
        ours.loc[theirs.index, columns], theirs[columns], check_dtype=False
    )
    # Our name_fr also keeps French names that differ from the Dutch one ("Anvers");
    # wherever the verified table has one, ours is the same.
    has_fr = theirs["name_fr"] != ""
    assert (ours.loc[theirs.index[has_fr], "name_fr"] == theirs.loc[has_fr, "name_fr"]).all()


def test_postcode_pairs_equal_the_verified_table(shared_reference):
    theirs = read_shared(shared_reference, "postal_codes.csv")
    ours = load_reference().postal_codes
    assert set(zip(ours["postcode"], ours["nis_code"], strict=True)) == set(
        zip(theirs["postcode"], theirs["nis_code"], strict=True)
    )


def test_mergers_equal_the_verified_table(shared_reference):
    theirs = read_shared(shared_reference, "mergers_2025.csv")
    ours = load_reference().mergers
    key = ["year", "old_nis", "old_name", "new_nis", "new_name"]
    theirs = theirs.rename(columns={"old_name_nl": "old_name", "new_name_nl": "new_name"})
    as_set = lambda f: set(map(tuple, f[key].astype(str).to_numpy()))  # noqa: E731
    assert as_set(ours) == as_set(theirs)


def test_shared_check_reference_script_passes(shared_reference):
    result = subprocess.run(
        [sys.executable, str(shared_reference / "check_reference.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ALL CHECKS PASSED" in result.stdout


def test_province_boundaries_cover_the_verified_provinces(shared_reference):
    import json

    from shapely.geometry import shape

    ours = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in load_reference().province_boundaries()["features"]
    }
    theirs_fc = json.loads((shared_reference / "provinces.geojson").read_text(encoding="utf-8"))
    theirs = {f["properties"]["code"]: shape(f["geometry"]) for f in theirs_fc["features"]}
    assert set(ours) == set(theirs) == {"10000", "20001", "30000", "40000", "70000", "04000"}
    for code, geom in ours.items():
        assert geom.is_valid, code
        # Independent sources, both simplified: the shapes agree to within a few percent of area.
        overlap = geom.intersection(theirs[code]).area / geom.union(theirs[code]).area
        assert overlap > 0.97, (code, overlap)


def test_localities_point_to_municipalities_and_are_not_municipalities():
    from inclusie_analysis.clean.geo import load_reference, normalise_name

    ref = load_reference()
    names = {normalise_name(n) for n in ref.municipalities["name_nl"]}
    assert len(ref.localities) >= 80
    assert set(ref.localities.values()) <= set(ref.municipalities["nis_code"])
    assert not [n for n in ref.localities if normalise_name(n) in names]
    assert ref.localities["Laken"] == "21004" and ref.localities["Borgerhout"] == "11002"


def test_outside_municipalities_are_walloon():
    from inclusie_analysis.clean.geo import load_reference

    outside = load_reference().outside
    assert len(outside) == 261  # Wallonia incl. the German-speaking Community, 2025 (Statbel)
    assert outside["nis_code"].str[0].isin(["2", "5", "6", "8", "9"]).all()
    assert not set(outside["nis_code"]) & set(load_reference().municipalities["nis_code"])
