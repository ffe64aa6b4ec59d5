"""The package as a whole: a light import, the public API, the CLI and its error messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import inclusie_analysis as ia
from inclusie_analysis.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("matplotlib", "scipy", "papermill", "rapidfuzz")


def run_python(*args: str, cwd: Path = ROOT, env_extra: dict | None = None):
    import os

    env = {k: v for k, v in os.environ.items() if k != "INCLUSIE_SETTINGS"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
        timeout=60,
    )


def test_import_leaves_heavy_libraries_unloaded():
    code = (
        "import sys, json, inclusie_analysis; "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_public_api_names_exist():
    assert set(ia.__all__) >= {
        "InputError",
        "__version__",
        "load_reference",
        "load_respondents",
        "load_settings",
    }
    for name in ia.__all__:
        assert hasattr(ia, name), name
    assert ia.InputError is InputError
    assert callable(ia.load_settings) and callable(ia.load_reference)
    assert isinstance(ia.__version__, str) and ia.__version__.count(".") == 2


def test_cli_help_exits_0():
    result = run_python("-m", "inclusie_analysis.cli", "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: inclusie" in result.stdout
    for command in ("demo", "report", "run"):
        assert command in result.stdout


def test_cli_without_command_is_a_usage_error():
    result = run_python("-m", "inclusie_analysis.cli")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "usage:" in result.stderr


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("kapot.toml", "[paths\nraw = 'x'\n", "geen geldige TOML"),
        ("onbekend.toml", '[paths]\nrapporten = "r"\n', "rapporten"),
        ("drempel.toml", '[privacy]\nsuppression_threshold = "vijf"\n', "suppression_threshold"),
    ],
)
def test_cli_bad_settings_file_exits_2_with_a_message(tmp_path, name, text, expected):
    settings = tmp_path / name
    settings.write_text(text, encoding="utf-8")
    out = tmp_path / "demo"
    result = run_python(
        "-m", "inclusie_analysis.cli", "--settings", str(settings), "demo", "--out", str(out)
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("Fout:")
    assert str(settings) in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()  # stopped before doing anything


def test_cli_missing_settings_file_via_env_var_exits_2(tmp_path):
    missing = tmp_path / "weg.toml"
    result = run_python(
        "-m",
        "inclusie_analysis.cli",
        "demo",
        "--out",
        str(tmp_path / "demo"),
        env_extra={"INCLUSIE_SETTINGS": str(missing)},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Fout:")
    assert str(missing) in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_main_returns_2_in_process(tmp_path, capsys):
    from inclusie_analysis.cli import main

    settings = tmp_path / "kapot.toml"
    settings.write_text("= nee\n", encoding="utf-8")
    assert main(["--settings", str(settings), "demo", "--out", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Fout: {settings}: ")


# --- InputError ------------------------------------------------------------------------------


def test_input_error_names_file_sheet_row_and_column():
    error = InputError(
        "dit is geen datum.",
        file="enquete.xlsx",
        sheet="Form responses 1",
        row=7,
        column="Tijdstempel",
        value="gisteren",
        hint="Gebruik dd/mm/jjjj.",
    )
    assert str(error) == (
        "enquete.xlsx, blad 'Form responses 1', rij 7, kolom 'Tijdstempel': dit is geen datum. "
        "(waarde: 'gisteren') Gebruik dd/mm/jjjj."
    )


def test_input_error_without_location_is_just_the_message():
    assert str(InputError("er ging iets mis.")) == "er ging iets mis."
    assert str(InputError("leeg.", file="a.csv", row=2)) == "a.csv, rij 2: leeg."
    # Row 0 is still a row; a value of 0 is still shown.
    assert str(InputError("x", row=0, value=0)) == "rij 0: x (waarde: 0)"


def test_input_error_is_an_exception():
    with pytest.raises(InputError) as info:
        raise InputError("kapot", file="f.csv", column="Gemeente")
    assert isinstance(info.value, Exception)
    assert info.value.column == "Gemeente"
    assert "kolom 'Gemeente'" in str(info.value)
