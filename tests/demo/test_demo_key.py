"""The public demo key is used only by `inclusie run --demo`, on the folder `inclusie demo`
wrote, unchanged; every other command and every other folder needs the user's own key."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from inclusie_analysis.clean.privacy import DEMO_KEY, ENV_KEY, key_fingerprint
from inclusie_analysis.cli import main
from inclusie_analysis.demo import LISTING, MARKER, check_demo_folder
from inclusie_analysis.errors import InputError

SURVEY = "2025/leernoden-2025_msforms_SYNTHETISCH.xlsx"
REGISTER = "2025/activiteiten-2025_SYNTHETISCH.xlsx"


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def copy(demo, folder: Path) -> Path:
    raw = folder / "raw"
    shutil.copytree(demo.out, raw)
    return raw


def renamed(raw: Path) -> str:
    (raw / SURVEY).rename(raw / "2025" / "leernoden-2025.xlsx")
    return "2025/leernoden-2025.xlsx"


def changed(raw: Path) -> str:
    path = raw / REGISTER
    path.write_bytes(path.read_bytes() + b"\0")
    return REGISTER


def extra(raw: Path) -> str:
    (raw / "2025" / "echte-export.csv").write_text("email\njan.peeters@example.org\n", "utf-8")
    return "2025/echte-export.csv"


def hidden(raw: Path) -> str:
    (raw / "2025" / ".echte-export.csv").write_text("email\njan@example.org\n", "utf-8")
    return "2025/.echte-export.csv"


def no_marker(raw: Path) -> str:
    (raw / MARKER).unlink()
    return MARKER


def no_listing(raw: Path) -> str:
    (raw / LISTING).unlink()
    return LISTING


def listing_edited(raw: Path) -> str:
    """A real export put in and the listing 'repaired' by hand: the listing must be valid JSON
    with the demo's form; here it is not, so the key is refused too."""
    (raw / LISTING).write_text("{niet: geldig}", encoding="utf-8")
    return LISTING


def test_write_demo_lists_every_file_with_its_hash(demo):
    listing = json.loads((demo.out / LISTING).read_text(encoding="utf-8"))
    listed = listing["bestanden"]
    assert sorted(listed) == sorted(set(demo.files) - {LISTING})
    assert MARKER in listed and SURVEY in listed and len(listed) > 40
    check_demo_folder(demo.out)  # the untouched demo passes


def test_a_listed_file_removed_is_still_the_demo(demo, tmp_path):
    raw = copy(demo, tmp_path)
    (raw / REGISTER).unlink()
    check_demo_folder(raw)  # what is left is only synthetic data


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (renamed, "hernoemd of toegevoegd"),
        (changed, "gewijzigd"),
        (extra, "hernoemd of toegevoegd"),
        (hidden, "hernoemd of toegevoegd"),
        (no_marker, "mist LEESMIJ_SYNTHETISCH.txt"),
        (no_listing, "mist LEESMIJ_SYNTHETISCH.txt of SYNTHETISCH_bestanden.json"),
        (listing_edited, "onleesbaar of gewijzigd"),
    ],
)
def test_the_demo_key_is_refused_on_anything_else(demo, tmp_path, change, says):
    raw = copy(demo, tmp_path)
    name = change(raw)
    with pytest.raises(InputError, match=says) as error:
        check_demo_folder(raw)
    text = str(error.value)
    assert "inclusie key --create" in text and "demosleutel" in text
    if change not in (no_marker, no_listing):
        assert (raw / name).as_posix() in text  # the file is named


def test_a_folder_of_real_exports_never_gets_the_demo_key(tmp_path):
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / "export.xlsx").write_bytes(b"echte gegevens")
    with pytest.raises(InputError, match=r"mist LEESMIJ_SYNTHETISCH\.txt"):
        check_demo_folder(tmp_path)


def test_run_demo_on_a_changed_copy_refuses_before_any_pseudonym(demo, make_settings, tmp_path):
    raw = copy(demo, tmp_path)
    renamed(raw)
    settings = make_settings(tmp_path, raw)
    code, _, err = run_cli("--settings", str(settings), "run", "--demo", "--input", str(raw),
                           "--year", "2025", "--no-progress")  # fmt: skip
    assert code == 2 and err.startswith("Fout:") and "Traceback" not in err
    assert "leernoden-2025.xlsx" in err and "inclusie key --create" in err
    assert not (tmp_path / "reports" / "2025" / "data").exists()


def test_report_on_the_demo_folder_needs_a_user_key(demo, make_settings, tmp_path, monkeypatch):
    """The marker no longer makes the demo key: `inclusie report` (and clean, and run without
    --demo) asks for the user's key, also on the untouched demo."""
    monkeypatch.delenv(ENV_KEY)
    settings = make_settings(tmp_path, demo.out, pseudonym_key=tmp_path / "geen.key")
    for command in ("clean", "report", "run"):
        code, _, err = run_cli("--settings", str(settings), command, "--year", "2025")
        assert code == 2 and "er is geen sleutel voor pseudoniemen" in err, (command, err)
        assert "inclusie key --create" in err
    assert not (tmp_path / "reports" / "2025" / "data").exists()


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, make_settings, test_key):
    """`inclusie run --demo` as `make report` runs it in a fresh clone: no key anywhere; a
    2024 manifest made with another key lies in the reports folder."""
    folder = tmp_path_factory.mktemp("demo-key")
    settings = make_settings(folder, folder / "niet-gebruikt", demo=folder / "demo",
                             pseudonym_key=folder / ".secrets" / "pseudonym.key")  # fmt: skip
    earlier = folder / "reports" / "2024"
    earlier.mkdir(parents=True)
    manifest = {"key": {"fingerprint": key_fingerprint(test_key.encode()), "demo": False}}
    (earlier / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_KEY)
        code, out, err = run_cli("--settings", str(settings), "run", "--demo", "--no-progress",
                                 "--only", "Vlaanderen en Brussel", "--formats", "html",
                                 "--jobs", "1")  # fmt: skip
    return {"code": code, "out": out, "err": err, "reports": folder / "reports" / "2025",
            "folder": folder}  # fmt: skip


def test_run_demo_uses_the_demo_key_without_any_user_key(demo_run):
    assert demo_run["code"] == 0, demo_run["err"]
    assert not (demo_run["folder"] / ".secrets").exists()  # no key was needed or made
    reports = demo_run["reports"]
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["key"]["fingerprint"] == key_fingerprint(DEMO_KEY)
    assert manifest["key"]["demo"] is True
    assert DEMO_KEY.decode() not in (reports / "manifest.json").read_text(encoding="utf-8")
    meta = json.loads((reports / "data" / "meta.json").read_text(encoding="utf-8"))
    assert meta["key"] == {"fingerprint": key_fingerprint(DEMO_KEY), "demo": True,
                           "source": "demo"}  # fmt: skip
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "synthetische demodata" in index
    respondents = pd.read_parquet(reports / "data" / "respondents.parquet")
    assert respondents["respondent_id"].str.match(r"^r_[0-9a-f]{16}$").all()


def test_another_key_than_last_year_is_said_everywhere(demo_run, test_key):
    said = "andere sleutel dan in 2024: pseudoniemen niet koppelbaar"
    assert f"Let op: {said} (nu de openbare demosleutel)" in demo_run["err"]
    reports = demo_run["reports"]
    assert said in (reports / "run.log").read_text(encoding="utf-8")
    assert said in (reports / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["key"]["previous"] == {
        "year": 2024, "fingerprint": key_fingerprint(test_key.encode()), "demo": False,
        "same": False,
    }  # fmt: skip


def test_the_shared_run_is_a_demo_run(run):
    """tests/demo/conftest.py's `run` is `run --demo` on the session's demo: demo key."""
    code, reports = run
    assert code == 0
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["key"] == {"fingerprint": key_fingerprint(DEMO_KEY), "demo": True}


def test_a_report_with_the_user_key_records_it_and_not_the_demo_key(
    demo, make_settings, tmp_path, test_key
):
    settings = make_settings(tmp_path, demo.out)
    code, _, err = run_cli("--settings", str(settings), "report", "--year", "2025",
                           "--only", "Vlaanderen en Brussel", "--formats", "html", "--jobs", "1",
                           "--no-progress")  # fmt: skip
    assert code == 0, err
    reports = tmp_path / "reports" / "2025"
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["key"] == {"fingerprint": key_fingerprint(test_key.encode()), "demo": False}
    text = (reports / "manifest.json").read_text(encoding="utf-8")
    assert test_key not in text and key_fingerprint(DEMO_KEY) not in text
    # the demo's own files, reported with a user key: still synthetic, and said so
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "synthetische demodata" in index and "andere sleutel" not in index
    assert "andere sleutel" not in err
