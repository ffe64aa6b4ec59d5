"""The command line: every option of every command is in the README's commands table."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from inclusie_analysis.cli import build_parser

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
    rows = {line.split("`")[1].split(" [")[0].split(" <")[0]: line for line in
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
    assert len(commands) == 8 and "--kernel-per-report" in _options(commands["inclusie run"])
