"""Report areas: everyone, a province (or Brussels), a region of a level (referentieregio's,
or the user's own grouping from `paths.region_mapping`), and which municipalities each holds.

Area names are unique across levels: a name shared by two levels must mean the same
municipalities ("Limburg" is a province and a referentieregio), so an area is named by its name
alone. Apart from `geo` (reference data and matching answers to municipalities) because the
analyses and reports choose areas, while the cleaning matches answers. `geo` re-exports these
names for the importers that know them from there; this module imports `geo` only inside its
functions, so the re-export makes no import cycle.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd
import yaml

from inclusie_analysis.errors import InputError

FLANDERS_AND_BRUSSELS = "Vlaanderen en Brussel"  # the report area of everyone
PROVINCE_LEVEL = "provincie"
REFERENTIEREGIO_LEVEL = "referentieregio"
REFERENTIEREGIO_FILE = "referentieregios.yaml"


def referentieregio_mapping() -> pd.DataFrame:
    """The Flemish government's 15 referentieregio's per 2025 municipality (a copy: the
    caller may change it; the file is read once per process)."""
    return _referentieregio_mapping().copy()


@functools.cache
def _referentieregio_mapping() -> pd.DataFrame:
    """The Flemish government's 15 referentieregio's per 2025 municipality.

    Read from the bundled fact file, which lists the municipalities as the decision names them
    (before the 2025 mergers); each name is brought to its 2025 NIS code with the merger facts.
    Returns `nis_code` (string), `region_code` (REFREG01..) and `region`, one row per Flemish
    municipality, in the file's region order. A name that is no municipality, or a merged
    municipality whose parts lie in two regions without a decision in `merged_2025`, is an
    error naming the region and the name: nothing is dropped or guessed.
    """
    from inclusie_analysis.clean.geo import (
        _old_name_targets,
        _reference_file,
        load_reference,
        normalise_name,
    )

    path = _reference_file(REFERENTIEREGIO_FILE)
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    ref = load_reference()
    muni = ref.municipalities
    codes = {
        normalise_name(name): code
        for name, code in zip(muni["name_nl"], muni["nis_code"], strict=True)
    }
    old = {normalise_name(name): code for name, code in _old_name_targets(ref.mergers).items()}
    names = {r["code"]: r["name"] for r in facts["regions"]}
    found: dict[str, set[str]] = {}
    for region in facts["regions"]:
        for name in region["municipalities"]:
            key = normalise_name(name)
            code = old.get(key) or codes.get(key)
            if code is None:
                raise InputError(
                    f"referentieregio '{region['name']}': '{name}' is geen gemeente van vóór "
                    "of na de fusies van 2025.",
                    file=str(path),
                    hint="Schrijf de naam zoals in de beslissing of in municipalities.csv.",
                )
            found.setdefault(code, set()).add(region["code"])
    decided = facts.get("merged_2025") or {}
    rows = []
    for code, regions in found.items():
        if len(regions) > 1:
            municipality = muni.set_index("nis_code").loc[code, "name_nl"]
            chosen = decided.get(municipality)
            if chosen not in regions:
                raise InputError(
                    f"'{municipality}' ({code}) ligt na de fusie in twee referentieregio's "
                    f"({', '.join(names[r] for r in sorted(regions))}).",
                    file=str(path),
                    hint="Zeg in merged_2025 tot welke regio de nieuwe gemeente behoort.",
                )
            regions = {chosen}
        region_code = next(iter(regions))
        rows.append({"nis_code": code, "region_code": region_code, "region": names[region_code]})
    order = {code: i for i, code in enumerate(names)}
    rows.sort(key=lambda row: (order[row["region_code"]], row["nis_code"]))
    return pd.DataFrame(rows, columns=["nis_code", "region_code", "region"]).astype("string")


def load_region_mapping(path: Path, column: str = "referentieregio") -> pd.DataFrame:
    """Read a municipality → region mapping (e.g. referentieregio's) named in the settings.

    Returns a frame with `nis_code` and `column`; every code must be a 2025 municipality.
    """
    from inclusie_analysis.clean.geo import load_reference

    try:
        mapping = pd.read_csv(path, dtype="string")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(
            f"de regio-indeling kan niet gelezen worden: {exc}", file=str(path)
        ) from None
    for needed in ("nis_code", column):
        if needed not in mapping.columns:
            raise InputError(
                f"kolom '{needed}' ontbreekt in de regio-indeling.",
                file=str(path),
                hint="Zet region_mapping en region_column in inclusie.toml juist.",
            )
    known = set(load_reference().municipalities["nis_code"])
    unknown = mapping.loc[~mapping["nis_code"].isin(known)]
    if len(unknown):
        first = unknown.index[0]
        raise InputError(
            "deze NIS-code is geen gemeente van 2025.",
            file=str(path),
            row=int(first) + 2,
            column="nis_code",
            value=str(unknown.loc[first, "nis_code"]),
        )
    mapping = mapping.dropna(subset=["nis_code"]).drop_duplicates(["nis_code", column])
    twice = mapping.loc[mapping["nis_code"].duplicated(keep=False)]
    if len(twice):
        first = twice.index[1]
        code = twice.loc[first, "nis_code"]
        regions = twice.loc[twice["nis_code"] == code, column].astype(str)
        raise InputError(
            f"gemeente {code} staat in twee regio's ({', '.join(regions)}).",
            file=str(path),
            row=int(first) + 2,
            column="nis_code",
            hint="Geef elke gemeente één regio.",
        )
    return mapping[["nis_code", column]]


_user_regions: dict[str, dict[str, frozenset[str]]] = {}  # level → region → NIS codes


def province_order() -> list[str]:
    """Provinces (and Brussels) in the order reports list them: west to east, then Brussels."""
    return [
        "West-Vlaanderen",
        "Oost-Vlaanderen",
        "Antwerpen",
        "Vlaams-Brabant",
        "Limburg",
        "Brussel",
    ]


def _province_regions() -> dict[str, frozenset[str]]:
    from inclusie_analysis.clean.geo import load_reference

    muni = load_reference().municipalities
    province = muni["province_nl"].mask(muni["region"] == "Brussel", "Brussel")
    return {
        name: frozenset(muni.loc[province == name, "nis_code"].astype(str))
        for name in province_order()
    }


@functools.cache
def _referentieregio_regions() -> dict[str, frozenset[str]]:
    mapping = _referentieregio_mapping()
    return {
        str(name): frozenset(group["nis_code"].astype(str))
        for name, group in mapping.groupby("region", sort=False)
    }


def area_levels() -> list[str]:
    """The levels areas can be chosen from: provinces, referentieregio's, the user's levels."""
    return [PROVINCE_LEVEL, REFERENTIEREGIO_LEVEL, *(k for k in _user_regions if k not in (
        PROVINCE_LEVEL, REFERENTIEREGIO_LEVEL))]  # fmt: skip


def level_regions(level: str) -> dict[str, frozenset[str]]:
    """The areas of one level in report order (name → 2025 NIS codes). A user's mapping for
    the level "referentieregio" (`use_regions`) replaces the bundled one."""
    if level == PROVINCE_LEVEL:
        return _province_regions()
    if level in _user_regions:
        return dict(_user_regions[level])
    if level == REFERENTIEREGIO_LEVEL:
        return dict(_referentieregio_regions())
    raise InputError(
        f"onbekend gebiedsniveau '{level}'.",
        hint=f"Kies uit: {', '.join(area_levels())} (een eigen niveau komt uit "
        "paths.region_mapping, met de naam van region_column).",
    )


def use_regions(mapping: pd.DataFrame | None, level: str | None = None) -> None:
    """Make the regions of a user's mapping (`nis_code` + the `level` column, as
    `load_region_mapping` returns it) selectable as report areas in this process; None forgets
    them. A region name that is already an area of another level with other municipalities is
    an error: names must say which municipalities they mean."""
    _user_regions.clear()
    if mapping is None or level is None:
        return
    regions: dict[str, frozenset[str]] = {}
    named = mapping.dropna(subset=[level])
    for name, group in named.groupby(level, sort=False):
        regions[str(name)] = frozenset(group["nis_code"].astype(str))
    others = {**_province_regions()}
    if level != REFERENTIEREGIO_LEVEL:
        others.update(_referentieregio_regions())
    for name, codes in regions.items():
        if name == FLANDERS_AND_BRUSSELS or (name in others and others[name] != codes):
            raise InputError(
                f"de regio '{name}' van '{level}' heeft dezelfde naam als een ander gebied "
                "(provincie of referentieregio) maar andere gemeenten.",
                column=level,
                hint="Geef de regio in de regio-indeling een naam die nog niet gebruikt wordt.",
            )
    _user_regions[level] = regions


REGIONS_FILE = "regio_indeling.parquet"


def save_regions(mapping: pd.DataFrame, level: str, data_dir: Path) -> Path:
    """Keep the user's region mapping beside the cleaned data (`nis_code`, `level`,
    `region`), so the reports and the disclosure audit use the same regions as the cleaning."""
    frame = mapping[["nis_code", level]].rename(columns={level: "region"})
    frame = frame.assign(level=level).astype("string")
    path = Path(data_dir) / REGIONS_FILE
    frame.to_parquet(path, index=False)
    return path


def use_data_regions(data_dir: Path | str) -> str | None:
    """Make the regions kept beside the cleaned data (`save_regions`) selectable as areas;
    returns their level, or None (and forgets earlier ones) when the data has none."""
    path = Path(data_dir) / REGIONS_FILE
    if not path.exists():
        use_regions(None)
        return None
    frame = pd.read_parquet(path)
    level = str(frame["level"].iloc[0]) if len(frame) else None
    if level is None:
        use_regions(None)
        return None
    use_regions(frame.rename(columns={"region": level}), level)
    return level


def user_regions_digest() -> str:
    """A short text that changes with the user's regions in use (for caches)."""
    return json.dumps(
        {level: {k: sorted(v) for k, v in sorted(regions.items())}
         for level, regions in sorted(_user_regions.items())},
    )  # fmt: skip


def area_codes(area: str) -> frozenset[str] | None:
    """The 2025 NIS codes of a report area; None for "Vlaanderen en Brussel" (everyone, also
    organisations without a municipality). An unknown name is an error listing the choices."""
    if area == FLANDERS_AND_BRUSSELS:
        return None
    for level in area_levels():
        regions = level_regions(level)
        if area in regions:
            return regions[area]
    choices = [name for level in area_levels() for name in level_regions(level)]
    raise InputError(
        f"onbekend gebied '{area}'.",
        hint=f"Kies '{FLANDERS_AND_BRUSSELS}' of een van: {', '.join(dict.fromkeys(choices))}.",
    )


def area_size(area: str) -> int:
    """The number of 2025 municipalities in a report area (the N of a finite population)."""
    from inclusie_analysis.clean.geo import load_reference

    codes = area_codes(area)
    return len(load_reference().municipalities) if codes is None else len(codes)


def region_municipalities(area: str) -> pd.DataFrame:
    """The 2025 municipalities of a region (`nis_code`, `municipality`), by name."""
    from inclusie_analysis.clean.geo import load_reference

    muni = load_reference().municipalities
    codes = area_codes(area)
    rows = muni.loc[muni["nis_code"].astype(str).isin(codes), ["nis_code", "name_nl"]]
    return rows.rename(columns={"name_nl": "municipality"}).sort_values("municipality")


def select_area(frame: pd.DataFrame, area: str) -> pd.DataFrame:
    """Rows of one report area: "Vlaanderen en Brussel" (everyone, also organisations without
    a municipality), "Brussel" (the 19 municipalities), a province by its Dutch name, or a
    region (a referentieregio, or one of the user's regions: `use_regions`) by its NIS codes."""
    if area == FLANDERS_AND_BRUSSELS:
        return frame
    if area == "Brussel":
        return frame.loc[frame["region"] == "Brussel"]
    if area in province_order() and "province" in frame.columns:
        return frame.loc[frame["province"] == area]
    codes = area_codes(area)
    return frame.loc[frame["nis_code"].astype("string").isin(codes).fillna(False)]
