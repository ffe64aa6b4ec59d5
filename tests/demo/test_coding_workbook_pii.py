"""Attack: personal data planted in the raw demo never reaches a coder's workbook.

The personal data of `test_planted_pii` (a name, e-mail addresses plain and obfuscated, a
phone number, an address, a national register number, ...) is planted in every free-text
field of a copy of the demo; `inclusie clean` runs, then `inclusie themes sample` draws every
answer (n above the pool) for two coders. Every XML part of both workbooks is searched.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

# tests/demo is on sys.path (pytest): the planting and the needles of the full-report attack
from test_planted_pii import NEEDLES, YEAR, plant, squeeze

from inclusie_analysis.cli import main
from inclusie_analysis.demo import write_demo


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory, make_settings) -> list[Path]:
    folder = tmp_path_factory.mktemp("coding-pii")
    demo = write_demo(folder / "demo", seed=1)
    plant(demo.out)
    settings = make_settings(folder, demo.out)
    assert main(["--settings", str(settings), "clean", "--year", str(YEAR)]) == 0
    out = folder / "werkboek.xlsx"
    code = main(["--settings", str(settings), "themes", "sample", "--year", str(YEAR),
                 "--n", "5000", "--second-coder", "--out", str(out)])  # fmt: skip
    assert code == 0
    return [out, out.with_name("werkboek-codeur2.xlsx")]


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def test_no_planted_value_in_the_coding_workbooks(workbooks):
    for path in workbooks:
        xml = _xml(path)
        plain = re.sub(r"<[^>]+>", " ", xml)  # the text of the cells, tags left out
        squeezed = squeeze(plain)
        for kind, (written, compact) in NEEDLES.items():
            for needle in written:
                assert needle.lower() not in plain.lower(), f"{kind} ({needle}) in {path.name}"
            for needle in compact:
                assert needle not in squeezed, f"{kind} ({needle}) in {path.name}"


def test_the_planted_answers_are_in_the_sample_scrubbed(workbooks):
    """Not vacuous: the answers with planted data were drawn, with their labels in place."""
    from openpyxl import load_workbook

    book = load_workbook(workbooks[0])
    texts = [str(c.value) for c in book["Coderen"]["D"][1:]]
    planted = [t for t in texts if "van het OCMW" in t]
    sources = {book["Coderen"].cell(row=i + 2, column=2).value for i, t in enumerate(texts)
               if "van het OCMW" in t}  # fmt: skip
    assert len(planted) >= 3
    assert {"Bevraging", "Feedback", "Activiteitenregister"} <= sources
    assert all("[naam]" in t and "[e-mail]" in t and "[telefoon]" in t for t in planted)
