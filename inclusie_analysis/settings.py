"""The user's settings (`inclusie.toml`): paths and thresholds set once, read everywhere."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from inclusie_analysis.errors import InputError

SETTINGS_FILE = "inclusie.toml"
ENV_VAR = "INCLUSIE_SETTINGS"
LATEST = "latest"

_DEFAULT_PATHS = {
    "raw": "surveys/raw",
    "demo": "surveys/demo",
    "codebooks": "surveys/codebooks",
    "reports": "reports",
    "aliases": "surveys/aliases.yaml",
    "events_config": "",
    "themes": "",
    "theme_model": "",
    "targets": "surveys/targets",
    "notebooks": "",
    "pseudonym_key": ".secrets/pseudonym.key",
    "municipality_boundaries": "",
    "region_mapping": "",
}

_SECTIONS = {
    "paths": set(_DEFAULT_PATHS) | {"region_column"},
    "privacy": {"suppression_threshold", "protection_width", "audit"},
    "report": {"year", "language", "areas"},
    "statistics": {"mean_min_n", "nps_min_n", "bootstrap_resamples"},
}
_STATISTICS = {"mean_min_n": 10, "nps_min_n": 30, "bootstrap_resamples": 500}


@dataclass(frozen=True)
class Settings:
    """Resolved settings; optional paths are None when not set."""

    root: Path
    raw: Path
    demo: Path
    codebooks: Path
    reports: Path
    aliases: Path
    events_config: Path | None
    pseudonym_key: Path
    themes: Path | None = None
    theme_model: Path | None = None  # the learnt coder of open answers (None: the bundled)
    targets: Path | None = None
    notebooks: Path | None = None
    municipality_boundaries: Path | None = None
    region_mapping: Path | None = None
    region_column: str = "referentieregio"
    # the levels that get a yearly report per area, besides the all-Flanders one
    areas: tuple[str, ...] = ("provincie", "referentieregio")
    suppression_threshold: int = 5
    mean_min_n: int = 10  # fewer answers: the top-2 share, no mean
    bootstrap_resamples: int = 500  # resamples of the respondents for the theme ranking
    nps_min_n: int = 30  # fewer answers: no NPS
    protection_width: int = 3  # the disclosure audit: a hidden cell's interval is at least this
    audit: str = "refuse"  # "refuse": a failed disclosure audit fails the run; "warn": only said
    year: int | None = None  # None: the latest year folder with data ("latest")
    language: str = "nl"
    source: Path | None = field(default=None, compare=False)


def find_settings_file(start: Path | None = None) -> Path | None:
    """The settings file: $INCLUSIE_SETTINGS, else inclusie.toml in `start` or a parent."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder / SETTINGS_FILE
    return None


def load_settings(path: Path | str | None = None) -> Settings:
    """Read the settings file (or use the documented defaults when there is none)."""
    path = Path(path) if path else find_settings_file()
    data = _read_toml(path)
    root = path.parent.resolve() if path else Path.cwd().resolve()
    _check_sections(data, path)
    paths = _paths(data, path)
    privacy = data.get("privacy", {})
    report = data.get("report", {})
    # checked in this order, so the first mistake named is always the same one
    threshold = _threshold(privacy, path)
    statistics = _statistics(data, path)
    width, audit = _protection(privacy, path)
    year = _year(report, path)
    areas = _areas(report.get("areas", ["provincie", "referentieregio"]), paths, path)
    language = _language(report, path)

    def resolve(key: str) -> Path | None:
        return _resolve(paths[key], root)

    return Settings(
        root=root,
        raw=resolve("raw"),
        demo=resolve("demo"),
        codebooks=resolve("codebooks"),
        reports=resolve("reports"),
        aliases=resolve("aliases"),
        events_config=resolve("events_config"),
        themes=resolve("themes"),
        theme_model=resolve("theme_model"),
        targets=resolve("targets"),
        notebooks=resolve("notebooks"),
        pseudonym_key=resolve("pseudonym_key"),
        municipality_boundaries=resolve("municipality_boundaries"),
        region_mapping=resolve("region_mapping"),
        region_column=str(paths.get("region_column", "referentieregio")),
        areas=areas,
        suppression_threshold=threshold,
        mean_min_n=statistics["mean_min_n"],
        bootstrap_resamples=statistics["bootstrap_resamples"],
        nps_min_n=statistics["nps_min_n"],
        protection_width=width,
        audit=audit,
        year=year,
        language=language,
        source=path,
    )


def _read_toml(path: Path | None) -> dict:
    """The settings file's contents; empty when there is no settings file."""
    if path is None:
        return {}
    if not path.is_file():
        raise InputError("het instellingenbestand bestaat niet.", file=str(path))
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"het instellingenbestand is geen geldige TOML: {exc}.",
            file=str(path),
            hint="Vergelijk met de voorbeelden in inclusie.toml van het project.",
        ) from None


def _check_sections(data: dict, path: Path | None) -> None:
    """Only the known sections, each a table, and only known keys outside [paths]."""
    for section, value in data.items():
        if section not in _SECTIONS or not isinstance(value, dict):
            raise InputError(
                f"onbekende sectie [{section}] in de instellingen."
                if section not in _SECTIONS
                else f"[{section}] moet een sectie zijn, geen losse waarde.",
                file=str(path),
                hint=f"Gekende secties: {', '.join(f'[{s}]' for s in _SECTIONS)}.",
            )
        unknown = set(value) - _SECTIONS[section]
        if unknown and section != "paths":
            raise InputError(
                f"onbekende instelling(en) in [{section}]: {', '.join(sorted(unknown))}.",
                file=str(path),
                hint=f"Gekende instellingen: {', '.join(sorted(_SECTIONS[section]))}.",
            )


def _paths(data: dict, path: Path | None) -> dict:
    """[paths]: the defaults with the user's values over them; unknown keys refused."""
    paths = {**_DEFAULT_PATHS, **data.get("paths", {})}
    unknown = set(paths) - set(_DEFAULT_PATHS) - {"region_column"}
    if unknown:
        raise InputError(
            f"onbekende instelling(en) in [paths]: {', '.join(sorted(unknown))}.",
            file=str(path),
            hint=f"Gekende instellingen: {', '.join(_DEFAULT_PATHS)}.",
        )
    return paths


def _resolve(value: object, root: Path) -> Path | None:
    """A path setting relative to the settings folder; None when empty."""
    value = str(value).strip()
    if not value:
        return None
    p = Path(value).expanduser()
    return p if p.is_absolute() else root / p


def _is_count(value: object, minimum: int) -> bool:
    """True for a whole number (not a bool) of at least `minimum`."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _threshold(privacy: dict, path: Path | None) -> int:
    """[privacy] suppression_threshold: the smallest group shown."""
    threshold = privacy.get("suppression_threshold", 5)
    if not _is_count(threshold, 1):
        raise InputError(
            "suppression_threshold moet een geheel getal van minstens 1 zijn.",
            file=str(path),
            value=threshold,
        )
    return threshold


def _statistics(data: dict, path: Path | None) -> dict:
    """[statistics]: the defaults with the user's values over them, each at least 2."""
    statistics = {**_STATISTICS, **data.get("statistics", {})}
    for key, value in statistics.items():
        if not _is_count(value, 2):
            raise InputError(
                f"{key} in [statistics] moet een geheel getal van minstens 2 zijn.",
                file=str(path),
                value=value,
            )
    return statistics


def _protection(privacy: dict, path: Path | None) -> tuple[int, str]:
    """[privacy] protection_width and audit ("warn" or "refuse")."""
    width = privacy.get("protection_width", 3)
    if not _is_count(width, 1):
        raise InputError(
            "protection_width moet een geheel getal van minstens 1 zijn.",
            file=str(path),
            value=width,
        )
    audit = privacy.get("audit", "refuse")
    if audit not in ("warn", "refuse"):
        raise InputError(
            'audit in [privacy] moet "warn" of "refuse" zijn.', file=str(path), value=audit
        )
    return width, audit


def _year(report: dict, path: Path | None) -> int | None:
    """[report] year: a year, or None for "latest" (chosen per run)."""
    year = report.get("year", LATEST)
    if isinstance(year, str) and year.strip().lower() == LATEST:
        return None  # chosen per run: the latest year folder with data
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise InputError(
            f'year in [report] moet "{LATEST}" of een jaartal zijn, bv. 2025.',
            file=str(path),
            value=year,
        )
    return year


def _language(report: dict, path: Path | None) -> str:
    """[report] language of the reports: "nl" or "en"."""
    language = report.get("language", "nl")
    if language not in ("nl", "en"):
        raise InputError("language moet 'nl' of 'en' zijn.", file=str(path), value=language)
    return language


def _areas(value: object, paths: dict, path: Path) -> tuple[str, ...]:
    """`report.areas`: the levels with a yearly report per area ("provincie",
    "referentieregio", or the level of the user's region mapping, named by region_column)."""
    column = str(paths.get("region_column", "referentieregio"))
    known = ["provincie", "referentieregio"]
    if str(paths.get("region_mapping", "")).strip() and column not in known:
        known.append(column)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(
            'areas in [report] moet een lijst van niveaus zijn, bv. ["provincie", '
            '"referentieregio"].',
            file=str(path),
            value=value,
        )
    unknown = [v for v in value if v not in known]
    if unknown:
        raise InputError(
            f"onbekend gebiedsniveau in areas: {', '.join(unknown)}.",
            file=str(path),
            hint=f"Kies uit: {', '.join(known)} (een eigen niveau vraagt paths.region_mapping "
            "en heet zoals region_column).",
        )
    return tuple(dict.fromkeys(value))
