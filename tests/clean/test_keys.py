"""The pseudonym key: the same rules for a key file and the environment variable, clear errors
for unreadable files, a key file that is private from its first byte, and the fingerprint
that tells two years' keys apart (manifest, run log, index)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from inclusie_analysis.clean.privacy import (
    DEMO_KEY,
    ENV_KEY,
    check_key,
    create_key,
    demo_key,
    key_fingerprint,
    load_key,
)
from inclusie_analysis.errors import InputError
from inclusie_analysis.publish.index import key_record, write_index

GOOD = "Kerkstraat-is-geen-sleutel, maar deze zin van 52 tekens wel"
WEAK = [
    ("", "is leeg"),
    (" ", "is leeg"),
    ("\n\t  \n", "is leeg"),
    ("x", "te kort: 1 tekens"),
    ("kort maar niet leeg", "te kort"),
    ("a" * 32, "maar 1 verschillende tekens"),
    ("a" * 200, "maar 1 verschillende tekens"),
    ("ab" * 20, "maar 2 verschillende tekens"),
    ("1234567" * 6, "maar 7 verschillende tekens"),  # a typed pattern, 42 characters long
    ("0123456789" * 4, "herhaald"),  # 10 different characters, but one piece repeated
    ("  " + "a" * 31 + "  ", "te kort: 31 tekens"),  # blanks around do not count
    (DEMO_KEY.decode(), "de openbare demosleutel"),  # long and varied, but public
]


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def no_env_key(monkeypatch):
    """The session's test key (tests/conftest.py) put aside: only what the test sets counts."""
    monkeypatch.delenv(ENV_KEY, raising=False)


@pytest.mark.parametrize(("text", "says"), WEAK)
def test_a_weak_key_in_the_environment_is_refused(text, says, tmp_path, monkeypatch):
    good_file = tmp_path / "pseudonym.key"
    good_file.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv(ENV_KEY, text)
    # set but weak is an error, never a silent fall-back to the (good) key file
    with pytest.raises(InputError, match=says) as error:
        load_key(good_file)
    assert ENV_KEY in str(error.value) and "inclusie key --create" in str(error.value)


@pytest.mark.parametrize(("text", "says"), WEAK)
def test_a_weak_key_file_is_refused_by_the_same_rules(text, says, tmp_path, no_env_key):
    path = tmp_path / "pseudonym.key"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=says) as error:
        load_key(path)
    assert str(path) in str(error.value) and "sleutelbestand" in str(error.value)


def test_a_good_key_is_the_same_from_file_or_environment(tmp_path, monkeypatch, no_env_key):
    path = tmp_path / "pseudonym.key"
    path.write_text(f"  {GOOD}\n", encoding="utf-8")
    from_file = load_key(path)
    monkeypatch.setenv(ENV_KEY, f"{GOOD}\n")
    assert from_file == load_key(None) == GOOD.encode("utf-8")
    assert check_key("é" * 20 + "abcdefghijkl", "test") == ("é" * 20 + "abcdefghijkl").encode()


def test_the_environment_goes_before_the_file(tmp_path, monkeypatch):
    path = create_key(tmp_path / ".secrets" / "pseudonym.key")
    monkeypatch.setenv(ENV_KEY, GOOD)
    assert load_key(path) == GOOD.encode()


def test_missing_key_says_how_to_make_one_and_never_falls_back_to_the_demo_key(
    tmp_path, no_env_key
):
    with pytest.raises(InputError, match="inclusie key --create") as error:
        load_key(tmp_path / "geen.key")
    assert "run --demo" in str(error.value)


def test_a_key_file_that_is_not_utf8_is_a_clear_error(tmp_path, no_env_key):
    path = tmp_path / "pseudonym.key"
    path.write_bytes(b"\xff\xfe\x00k\x00e\x00y" + bytes(range(128, 200)))
    with pytest.raises(InputError, match="geen tekst") as error:
        load_key(path)
    assert str(path) in str(error.value)


def test_an_unreadable_key_file_is_a_clear_error(tmp_path, no_env_key):
    path = tmp_path / "pseudonym.key"
    path.write_text(GOOD, encoding="utf-8")
    path.chmod(0)
    try:
        if getattr(os, "geteuid", lambda: -1)() == 0:
            pytest.skip("running as root: chmod 000 does not stop root from reading the file")
        with pytest.raises(InputError, match="niet te lezen") as error:
            load_key(path)
        assert str(path) in str(error.value)
    finally:
        path.chmod(0o600)


def test_a_key_file_refused_by_the_system_is_a_clear_error(tmp_path, no_env_key, monkeypatch):
    """The same as chmod 000, also when the tests run as root (who may read anything)."""
    from pathlib import Path

    path = tmp_path / "pseudonym.key"
    path.write_text(GOOD, encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError, match=r"niet te lezen \(Permission denied\)") as error:
        load_key(path)
    assert str(path) in str(error.value) and "chmod 600" in str(error.value)


def test_a_folder_as_key_file_is_a_clear_error(tmp_path, no_env_key):
    (tmp_path / "pseudonym.key").mkdir()
    with pytest.raises(InputError, match="niet te lezen"):
        load_key(tmp_path / "pseudonym.key")


def test_created_key_is_private_from_the_start_and_never_overwritten(tmp_path, no_env_key):
    old = os.umask(0)  # under the loosest umask the modes still come from create_key itself
    try:
        path = create_key(tmp_path / "project" / ".secrets" / "pseudonym.key")
    finally:
        os.umask(old)
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    key = load_key(path)
    assert len(key) == 64 and len(set(key)) >= 8  # passes its own rules
    with pytest.raises(InputError, match="nooit overschreven"):
        create_key(path)
    assert load_key(path) == key


def test_create_key_tightens_an_existing_secrets_folder_but_not_another(tmp_path, no_env_key):
    secrets_folder = tmp_path / ".secrets"
    secrets_folder.mkdir(mode=0o755)
    secrets_folder.chmod(0o755)  # as the earlier version left it
    create_key(secrets_folder / "pseudonym.key")
    assert _mode(secrets_folder) == 0o700
    home = tmp_path / "thuis"  # e.g. paths.pseudonym_key = "~/geheim.key"
    home.mkdir()
    home.chmod(0o755)
    path = create_key(home / "geheim.key")
    assert _mode(home) == 0o755 and _mode(path) == 0o600


def test_created_keys_differ_and_pass_the_rules(tmp_path, no_env_key):
    keys = {load_key(create_key(tmp_path / f"k{i}" / "pseudonym.key")) for i in range(20)}
    assert len(keys) == 20


def test_the_demo_key_needs_the_demo_folder(tmp_path):
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / "export.xlsx").write_bytes(b"echte gegevens")
    with pytest.raises(InputError, match="inclusie key --create"):
        demo_key(tmp_path)


def test_the_fingerprint_tells_keys_apart_and_hides_them():
    a, b = key_fingerprint(GOOD.encode()), key_fingerprint(DEMO_KEY)
    assert a != b and len(a) == 16 and int(a, 16) >= 0
    assert a == key_fingerprint(GOOD.encode())
    assert GOOD.encode().hex()[:16] != a


def _manifest(folder, year: int, fingerprint: str, demo: bool = False) -> None:
    (folder / str(year)).mkdir(parents=True, exist_ok=True)
    manifest = {"key": {"fingerprint": fingerprint, "demo": demo}, "reports": {}}
    (folder / str(year) / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_another_key_than_last_year_is_said(tmp_path):
    reports = tmp_path / "reports"
    _manifest(reports, 2024, "1111111111111111")
    _manifest(reports, 2025, "2222222222222222")
    meta = {"year": 2026, "key": {"fingerprint": "3333333333333333", "demo": False}}
    record = key_record(reports / "2026", meta)
    assert record["fingerprint"] == "3333333333333333" and record["demo"] is False
    assert record["previous"] == {"year": 2025, "fingerprint": "2222222222222222",
                                  "demo": False, "same": False}  # fmt: skip
    assert record["warning"] == "andere sleutel dan in 2025: pseudoniemen niet koppelbaar"
    # the same key as 2025: nothing to say
    same = key_record(reports / "2026", {**meta, "key": {"fingerprint": "2222222222222222"}})
    assert same["previous"]["same"] is True and "warning" not in same


def test_the_most_recent_earlier_year_with_a_key_counts(tmp_path):
    reports = tmp_path / "reports"
    _manifest(reports, 2022, "1111111111111111")
    (reports / "2024").mkdir(parents=True)  # no manifest (yet)
    (reports / "2025").mkdir()
    (reports / "2025" / "manifest.json").write_text('{"reports": {}}', encoding="utf-8")  # old
    _manifest(reports, 2027, "9999999999999999")  # later years never count
    meta = {"year": 2026, "key": {"fingerprint": "3333333333333333", "demo": False}}
    record = key_record(reports / "2026", meta)
    assert record["warning"] == "andere sleutel dan in 2022: pseudoniemen niet koppelbaar"
    # the first year, or no key needed: no comparison
    assert "previous" not in key_record(tmp_path / "elders" / "2026", meta)
    assert key_record(reports / "2026", {"year": 2026, "key": None}) is None


def test_a_demo_key_year_is_named(tmp_path):
    reports = tmp_path / "reports"
    _manifest(reports, 2025, key_fingerprint(DEMO_KEY), demo=True)
    meta = {"year": 2026, "key": {"fingerprint": key_fingerprint(GOOD.encode()), "demo": False}}
    warning = key_record(reports / "2026", meta)["warning"]
    assert warning.startswith("andere sleutel dan in 2025: pseudoniemen niet koppelbaar")
    assert "2025 de openbare demosleutel" in warning


def test_the_index_says_another_key(tmp_path):
    out = tmp_path / "2026"
    out.mkdir()
    manifest = {
        "generated_at": "2026-12-01T10:00:00",
        "versions": {},
        "data": {"inputs": [{"file": "2026/export.xlsx"}]},
        "key": {"fingerprint": "3", "demo": False,
                "warning": "andere sleutel dan in 2025: pseudoniemen niet koppelbaar"},
        "reports": {},
    }  # fmt: skip
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    page = write_index(out).read_text(encoding="utf-8")
    assert "andere sleutel dan in 2025: pseudoniemen niet koppelbaar" in page
    assert "synthetische demodata" not in page  # real file names, no demo key
    manifest["key"] = {"fingerprint": "3", "demo": False}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "andere sleutel" not in write_index(out).read_text(encoding="utf-8")


def test_key_command_creates_and_shows_the_fingerprint(tmp_path, capsys, monkeypatch, no_env_key):
    from inclusie_analysis.cli import main

    path = tmp_path / ".secrets" / "pseudonym.key"
    settings = tmp_path / "inclusie.toml"
    settings.write_text(f'[paths]\npseudonym_key = "{path.as_posix()}"\n', encoding="utf-8")
    assert main(["--settings", str(settings), "key"]) == 0
    assert "bestaat nog niet" in capsys.readouterr().out
    assert main(["--settings", str(settings), "key", "--create"]) == 0
    assert _mode(path) == 0o600 and str(path) in capsys.readouterr().out
    assert main(["--settings", str(settings), "key"]) == 0
    assert f"vingerafdruk {key_fingerprint(load_key(path))}." in capsys.readouterr().out
    monkeypatch.setenv(ENV_KEY, GOOD)
    assert main(["--settings", str(settings), "key"]) == 0
    out = capsys.readouterr().out
    assert ENV_KEY in out and key_fingerprint(GOOD.encode()) in out
    monkeypatch.setenv(ENV_KEY, " ")
    assert main(["--settings", str(settings), "key"]) == 2
    assert "is leeg" in capsys.readouterr().err
    assert main(["--settings", str(settings), "key", "--create"]) == 2  # never overwritten
    assert "nooit overschreven" in capsys.readouterr().err
