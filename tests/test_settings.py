"""The user's settings: defaults, where the file is found, validation and relative paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusie_analysis.errors import InputError
from inclusie_analysis.settings import ENV_VAR, find_settings_file, load_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_repo_settings_file_gives_the_documented_defaults():
    settings = load_settings(ROOT / "inclusie.toml")
    assert settings.root == ROOT
    assert settings.source == ROOT / "inclusie.toml"
    assert settings.raw == ROOT / "surveys" / "raw"
    assert settings.demo == ROOT / "surveys" / "demo"
    assert settings.codebooks == ROOT / "surveys" / "codebooks"
    assert settings.reports == ROOT / "reports"
    assert settings.aliases == ROOT / "surveys" / "aliases.yaml"
    assert settings.pseudonym_key == ROOT / ".secrets" / "pseudonym.key"
    assert settings.municipality_boundaries is None
    assert settings.region_mapping is None
    assert settings.region_column == "referentieregio"
    assert settings.suppression_threshold == 5
    assert settings.year is None  # "latest": the latest year folder with data
    assert settings.language == "nl"
    assert settings.themes is None  # the bundled themes
    assert settings.targets == ROOT / "surveys" / "targets"  # then the bundled targets


def test_repo_settings_equal_the_built_in_defaults(tmp_path):
    # The repository's inclusie.toml only documents the defaults: an empty file in the same
    # folder gives the same settings.
    empty = write(tmp_path / "inclusie.toml", "")
    repo = load_settings(ROOT / "inclusie.toml")
    bare = load_settings(empty)
    for name in ("raw", "demo", "codebooks", "reports", "aliases", "pseudonym_key", "targets"):
        assert getattr(repo, name).relative_to(repo.root) == getattr(bare, name).relative_to(
            bare.root
        ), name
    for name in (
        "themes",
        "municipality_boundaries",
        "region_mapping",
        "region_column",
        "suppression_threshold",
        "protection_width",
        "audit",
        "year",
        "language",
    ):
        assert getattr(repo, name) == getattr(bare, name), name


def test_without_a_settings_file_the_defaults_are_relative_to_the_working_folder(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert find_settings_file() is None  # no inclusie.toml in tmp_path or above it
    settings = load_settings()
    assert settings.source is None
    assert settings.root == tmp_path.resolve()
    assert settings.raw == tmp_path.resolve() / "surveys" / "raw"
    assert settings.suppression_threshold == 5


def test_settings_file_is_found_in_a_parent_folder(tmp_path, monkeypatch):
    found = write(tmp_path / "project" / "inclusie.toml", "[report]\nyear = 2024\n")
    deeper = tmp_path / "project" / "notebooks" / "extra"
    deeper.mkdir(parents=True)
    assert find_settings_file(deeper) == found.resolve()
    monkeypatch.chdir(deeper)
    assert load_settings().year == 2024


def test_env_var_names_the_settings_file(tmp_path, monkeypatch):
    chosen = write(tmp_path / "elders" / "mijn.toml", '[report]\nyear = 2023\nlanguage = "en"\n')
    monkeypatch.setenv(ENV_VAR, str(chosen))
    monkeypatch.chdir(ROOT)  # the env var wins over the repo's inclusie.toml
    assert find_settings_file() == chosen
    settings = load_settings()
    assert (settings.year, settings.language) == (2023, "en")
    assert settings.source == chosen
    assert settings.root == chosen.parent.resolve()


def test_env_var_naming_a_missing_file_is_an_input_error(tmp_path, monkeypatch):
    missing = tmp_path / "weg.toml"
    monkeypatch.setenv(ENV_VAR, str(missing))
    with pytest.raises(InputError) as info:
        load_settings()
    assert info.value.file == str(missing)
    assert str(missing) in str(info.value)


def test_explicit_path_wins_over_env_var(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(write(tmp_path / "env.toml", "[report]\nyear = 2020\n")))
    explicit = write(tmp_path / "explicit.toml", "[report]\nyear = 2021\n")
    assert load_settings(explicit).year == 2021
    assert load_settings(str(explicit)).year == 2021


def test_relative_paths_resolve_against_the_settings_folder(tmp_path, monkeypatch):
    absolute = tmp_path / "elders" / "grenzen.geojson"
    path = write(
        tmp_path / "config" / "inclusie.toml",
        f"""
[paths]
raw = "data/ruw"
reports = "../uit"
region_mapping = "regio.csv"
municipality_boundaries = "{absolute.as_posix()}"
region_column = "eerstelijnszone"
""",
    )
    monkeypatch.chdir(ROOT)  # the working folder must not matter
    settings = load_settings(path)
    folder = (tmp_path / "config").resolve()
    assert settings.root == folder
    assert settings.raw == folder / "data" / "ruw"
    assert settings.reports.resolve() == tmp_path.resolve() / "uit"
    assert settings.region_mapping == folder / "regio.csv"
    assert settings.municipality_boundaries == absolute
    assert settings.region_column == "eerstelijnszone"
    # Keys not in the file keep their defaults, relative to the same folder.
    assert settings.codebooks == folder / "surveys" / "codebooks"


def test_themes_and_targets_resolve_against_the_settings_folder(tmp_path, monkeypatch):
    path = write(
        tmp_path / "config" / "inclusie.toml",
        '[paths]\nthemes = "eigen/themas.yaml"\ntargets = "../doelen"\n',
    )
    monkeypatch.chdir(ROOT)
    settings = load_settings(path)
    assert settings.themes == (tmp_path / "config").resolve() / "eigen" / "themas.yaml"
    assert settings.targets.resolve() == tmp_path.resolve() / "doelen"


def test_empty_themes_and_targets_mean_the_bundled_ones(tmp_path):
    path = write(tmp_path / "inclusie.toml", '[paths]\nthemes = ""\ntargets = " "\n')
    settings = load_settings(path)
    assert settings.themes is None and settings.targets is None


def test_home_folder_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "thuis"))
    path = write(tmp_path / "inclusie.toml", '[paths]\npseudonym_key = "~/geheim.key"\n')
    assert load_settings(path).pseudonym_key == tmp_path / "thuis" / "geheim.key"


def test_empty_optional_path_is_none(tmp_path):
    path = write(tmp_path / "inclusie.toml", '[paths]\nregion_mapping = "  "\n')
    assert load_settings(path).region_mapping is None


def test_values_from_the_file_are_used(tmp_path):
    path = write(
        tmp_path / "inclusie.toml",
        '[privacy]\nsuppression_threshold = 10\n[report]\nyear = 2026\nlanguage = "en"\n',
    )
    settings = load_settings(path)
    assert (settings.suppression_threshold, settings.year, settings.language) == (10, 2026, "en")


def test_missing_settings_file_is_an_input_error(tmp_path):
    missing = tmp_path / "nergens.toml"
    with pytest.raises(InputError, match="bestaat niet") as info:
        load_settings(missing)
    assert info.value.file == str(missing)


def test_invalid_toml_is_an_input_error_naming_the_file(tmp_path):
    path = write(tmp_path / "kapot.toml", "[paths\nraw = 'x'\n")
    with pytest.raises(InputError, match="geen geldige TOML") as info:
        load_settings(path)
    assert info.value.file == str(path)
    assert str(path) in str(info.value)
    assert info.value.hint


def test_unknown_path_key_is_an_input_error_naming_file_and_key(tmp_path):
    path = write(tmp_path / "inclusie.toml", '[paths]\nraw = "x"\nrapporten = "r"\n')
    with pytest.raises(InputError) as info:
        load_settings(path)
    assert info.value.file == str(path)
    assert "rapporten" in str(info.value)
    assert str(path) in str(info.value)
    assert "reports" in str(info.value)  # the hint lists the known keys


@pytest.mark.parametrize("value", ['"vijf"', "0", "-3", "2.5"])
def test_bad_suppression_threshold_is_an_input_error(tmp_path, value):
    path = write(tmp_path / "inclusie.toml", f"[privacy]\nsuppression_threshold = {value}\n")
    with pytest.raises(InputError, match="suppression_threshold") as info:
        load_settings(path)
    assert info.value.file == str(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("value", ["latest", '"Latest"', '" LATEST "'])
def test_year_latest_means_chosen_per_run(tmp_path, value):
    value = value if value.startswith('"') else f'"{value}"'
    path = write(tmp_path / "inclusie.toml", f"[report]\nyear = {value}\n")
    assert load_settings(path).year is None


@pytest.mark.parametrize("value", ['"laatste"', "1999", "2025.0", "true"])
def test_bad_year_is_an_input_error_naming_latest(tmp_path, value):
    path = write(tmp_path / "inclusie.toml", f"[report]\nyear = {value}\n")
    with pytest.raises(InputError, match="latest") as info:
        load_settings(path)
    assert info.value.file == str(path)


@pytest.mark.parametrize("value", ['"fr"', '"NL"', "1"])
def test_bad_language_is_an_input_error(tmp_path, value):
    path = write(tmp_path / "inclusie.toml", f"[report]\nlanguage = {value}\n")
    with pytest.raises(InputError, match="language") as info:
        load_settings(path)
    assert info.value.file == str(path)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('[report]\nyear = "twintig"\n', "year"),
        ("[report]\nyear = 2025.7\n", "year"),
        ("[privacy]\nsuppression_threshold = true\n", "suppression_threshold"),
        ("[raport]\nyear = 2025\n", "[raport]"),
        ('paths = "x"\n', "[paths]"),
        ("[report]\njaar = 2025\n", "jaar"),
    ],
)
def test_wrong_values_and_misspelt_sections_are_input_errors(tmp_path, text, fragment):
    path = tmp_path / "inclusie.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_settings(path)
    assert fragment in str(caught.value) and str(path) in str(caught.value)


def test_statistics_thresholds(tmp_path):
    defaults = load_settings(write(tmp_path / "inclusie.toml", "[paths]\n"))
    assert (defaults.mean_min_n, defaults.nps_min_n) == (10, 30)
    path = write(tmp_path / "inclusie.toml", "[statistics]\nmean_min_n = 15\nnps_min_n = 50\n")
    assert (load_settings(path).mean_min_n, load_settings(path).nps_min_n) == (15, 50)
    assert defaults.bootstrap_resamples == 500
    path = write(tmp_path / "inclusie.toml", "[statistics]\nbootstrap_resamples = 200\n")
    assert load_settings(path).bootstrap_resamples == 200
    for bad in ("mean_min_n = 1", 'nps_min_n = "dertig"', "mean_n = 5", "bootstrap_resamples = 0"):
        with pytest.raises(InputError):
            load_settings(write(tmp_path / "inclusie.toml", f"[statistics]\n{bad}\n"))


def test_disclosure_audit_settings_default_to_width_3_and_refuse(tmp_path):
    bare = load_settings(write(tmp_path / "inclusie.toml", ""))
    assert (bare.protection_width, bare.audit) == (3, "refuse")
    path = write(tmp_path / "eigen.toml", '[privacy]\nprotection_width = 4\naudit = "warn"\n')
    assert (load_settings(path).protection_width, load_settings(path).audit) == (4, "warn")


@pytest.mark.parametrize(
    ("line", "key"), [("protection_width = 0", "protection_width"), ('audit = "stop"', "audit")]
)
def test_bad_disclosure_audit_settings_are_input_errors(tmp_path, line, key):
    path = write(tmp_path / "inclusie.toml", f"[privacy]\n{line}\n")
    with pytest.raises(InputError, match=key):
        load_settings(path)
