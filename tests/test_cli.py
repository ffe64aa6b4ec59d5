"""The `inclusie` command: next year's targets, the settings file a command runs with, and
every option of every command in the README's commands table."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

import pytest

from inclusie_analysis import cli
from inclusie_analysis.analyse.indicators import TARGETS_DIR, load_targets
from inclusie_analysis.cli import main
from inclusie_analysis.cli_parser import build_parser
from inclusie_analysis.settings import ENV_VAR, load_settings


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_targets_draft_writes_next_year_into_the_targets_folder(tmp_path, capsys):
    settings = tmp_path / "inclusie.toml"
    settings.write_text("", encoding="utf-8")  # defaults: paths.targets = surveys/targets
    assert main(["--settings", str(settings), "targets", "draft", "--year", "2026"]) == 0
    written = tmp_path / "surveys" / "targets" / "2026.yaml"
    out, err = capsys.readouterr()
    assert str(written) in out and str(TARGETS_DIR / "2025.yaml") in out
    assert "18 regels met # CONTROLEER" in out and err == ""  # found where reports look
    assert len(load_targets(2026, settings=load_settings(settings))) == 17
    # never overwritten
    assert main(["--settings", str(settings), "targets", "draft", "--year", "2026"]) == 2
    assert "bestaat al en wordt niet overschreven" in capsys.readouterr().err
    # --from a year, --out a file
    out_file = tmp_path / "elders" / "2027.yaml"
    args = ["targets", "draft", "--year", "2027", "--from", "2026", "--out", str(out_file)]
    assert main(["--settings", str(settings), *args]) == 0
    out, err = capsys.readouterr()
    assert str(written) in out  # drafted from the user's 2026
    assert 'targets = "elders"' in err  # not where reports look: say how to point there


def test_targets_draft_without_a_targets_folder_says_where_to_point_it(tmp_path, capsys):
    settings = tmp_path / "inclusie.toml"
    settings.write_text('[paths]\ntargets = ""\n', encoding="utf-8")
    assert main(["--settings", str(settings), "targets", "draft", "--year", "2026"]) == 0
    assert (tmp_path / "surveys" / "targets" / "2026.yaml").is_file()
    err = capsys.readouterr().err
    assert "paths.targets" in err and 'targets = "surveys/targets"' in err


def test_targets_draft_without_an_earlier_year_is_an_input_error(tmp_path, capsys):
    settings = tmp_path / "inclusie.toml"
    settings.write_text("", encoding="utf-8")
    assert main(["--settings", str(settings), "targets", "draft", "--year", "2020"]) == 2
    assert "geen doelenbestand van vóór 2020" in capsys.readouterr().err


def test_settings_given_on_the_command_line_are_the_settings_in_use(tmp_path, monkeypatch):
    """What finds the settings by itself (the themes in use, the report kernels, which inherit
    the environment) sees --settings while the command runs; afterwards nothing is left."""
    settings = tmp_path / "mijn.toml"
    settings.write_text("", encoding="utf-8")
    seen = []
    monkeypatch.setattr(cli, "_dispatch", lambda args: seen.append(os.environ.get(ENV_VAR)) or 0)
    assert main(["--settings", str(settings), "key"]) == 0
    assert seen == [str(settings.resolve())]
    assert ENV_VAR not in os.environ
    monkeypatch.setenv(ENV_VAR, "vorige.toml")
    main(["--settings", str(settings), "key"])
    assert os.environ[ENV_VAR] == "vorige.toml"  # restored


ROOT = Path(__file__).resolve().parents[1]


def _commands(parser: argparse.ArgumentParser, prefix: str = "inclusie"):
    """(command, parser) for the top level and every command without subcommands."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if prefix == "inclusie" or not subs:
        yield prefix, parser
    for action in subs:
        for name, sub in action.choices.items():
            yield from _commands(sub, f"{prefix} {name}")


def _options(parser: argparse.ArgumentParser) -> list[str]:
    """The long form of every option (not --help)."""
    return [
        max(action.option_strings, key=len)
        for action in parser._actions
        if action.option_strings and "--help" not in action.option_strings
    ]


def test_the_readme_commands_table_lists_every_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| command | what it does |") :].split("\n\n")[0]
    rows = {re.split(r" [\[<-]", line.split("`")[1])[0]: line for line in
            table.splitlines() if line.startswith("| `inclusie")}  # fmt: skip
    commands = dict(_commands(build_parser()))
    assert set(commands) <= set(rows), set(commands) - set(rows)
    missing = [
        f"{command} {option}"
        for command, parser in commands.items()
        for option in _options(parser)
        if option not in re.split(r"(?<!\\)\|", rows[command])[1]  # the command column
    ]
    assert missing == []
    assert len(commands) == 12 and "--kernel-per-report" in _options(commands["inclusie run"])


def test_a_clean_reads_the_region_mapping_once(tmp_path, monkeypatch, capsys):
    """`inclusie clean` with paths.region_mapping reads and checks the user's mapping once and
    hands the frame to both users: the respondents get their region, and the mapping is kept
    beside the cleaned data for the reports."""
    import pandas as pd

    from inclusie_analysis.clean import areas, datasets
    from inclusie_analysis.demo import write_demo

    raw = write_demo(tmp_path / "raw", only="surveys").out
    west = sorted(areas.level_regions("provincie")["West-Vlaanderen"])
    mapping = tmp_path / "zones.csv"
    zones = ["Zone Noord"] * 20 + ["Zone Zuid"] * (len(west) - 20)
    pd.DataFrame({"nis_code": west, "zone": zones}).to_csv(mapping, index=False)
    root = Path(__file__).resolve().parents[1]
    settings = tmp_path / "inclusie.toml"
    settings.write_text(
        f'[paths]\nraw = "{raw.as_posix()}"\n'
        f'codebooks = "{(root / "surveys" / "codebooks").as_posix()}"\n'
        f'reports = "{(tmp_path / "reports").as_posix()}"\n'
        f'region_mapping = "{mapping.as_posix()}"\nregion_column = "zone"\n',
        encoding="utf-8",
    )
    reads: list[Path] = []
    real = areas.load_region_mapping

    def counting(path, column="referentieregio"):
        reads.append(Path(path))
        return real(path, column)

    monkeypatch.setattr(areas, "load_region_mapping", counting)
    monkeypatch.setattr(datasets, "load_region_mapping", counting)
    try:
        main(["--settings", str(settings), "clean", "--year", "2025"])
    finally:
        areas.use_regions(None)  # forget the zones for the tests after this one
    capsys.readouterr()
    assert reads == [mapping]
    data = tmp_path / "reports" / "2025" / "data"
    respondents = pd.read_parquet(data / "respondents.parquet")
    in_west = respondents["nis_code"].isin(west)
    assert in_west.any()
    assert respondents.loc[in_west, "zone"].notna().all()
    assert respondents.loc[~in_west, "zone"].isna().all()
    assert (data / areas.REGIONS_FILE).exists()
