"""The theme chooser page's source (publish/theme_chooser.py): what it embeds, its texts and
where it is linked. The page in a browser: tests/demo/test_theme_chooser_page.py."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from inclusie_analysis.analyse.chooser import ALL_TYPES, chooser_data
from inclusie_analysis.publish.theme_chooser import FILE, chooser_page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analyse"))
from test_chooser import LOCAL, WELFARE, frames

ROOT = Path(__file__).resolve().parents[2]
AREAS = ["Vlaanderen en Brussel", "Limburg", "Antwerpen"]


@pytest.fixture(scope="module")
def page() -> str:
    return chooser_page(chooser_data(*frames(), areas=AREAS), 2025, synthetic=True)


def embedded(page: str, element: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{element}">(.*?)</script>', page, re.S)
    assert found, element
    return json.loads(found.group(1))


def records(page: str) -> list[dict]:
    spec = embedded(page, "chooser-spec")
    return next(d for d in spec["data"] if d["name"] == "signals")["values"]


def numbers_in(value: object) -> list:
    """Every number in a JSON value, also digits inside its texts."""
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_in(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers_in(v)]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [value]
    return re.findall(r"\d", str(value))


def test_a_suppressed_group_holds_no_number_in_the_page(page):
    rows = records(page)
    hidden = {(r["area"], r["org_type"]) for r in rows if r["suppressed"]}
    # welfare organisations: 2 respondents; Antwerpen's local governments: 3 (threshold 5)
    assert {("Vlaanderen en Brussel", WELFARE), ("Antwerpen", LOCAL)} <= hidden
    for row in rows:
        if (row["area"], row["org_type"]) in hidden:
            assert set(row) == {"area", "org_type", "suppressed"}, row
            assert numbers_in(row) == [], row
    # a shown group does carry its figures (so the check above could fail)
    shown = [r for r in rows if (r["area"], r["org_type"]) == ("Limburg", ALL_TYPES)]
    assert {r["theme"]: r["need_share"] for r in shown}["toegang"] == 0.6
    assert all(r["n"] == 5 for r in shown)


def test_the_page_is_self_contained_and_dutch(page):
    assert page.startswith('<!DOCTYPE html><html lang="nl">')
    markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1</script>", page, flags=re.S)
    assert markup.count("<script") == 4  # the Vega bundle, the spec, the settings, the page's
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img|<iframe", markup)
    assert "synthetische demodata" in page
    assert "Themakiezer: thema's voor 2026" in page
    spec = embedded(page, "chooser-spec")
    labels = {s["name"]: s["bind"]["name"] for s in spec["signals"] if "bind" in s}
    assert labels["w_need"] == "Nood (standaard 0,40)"
    assert labels["w_requests"] == "Gevraagd in open antwoorden (standaard 0,10)"
    assert labels["area"] == "Gebied" and labels["org_type"] == "Type organisatie"
    config = embedded(page, "chooser-config")
    assert config["defaults"]["w_need"] == 0.4 and config["defaults"]["org_type"] == ALL_TYPES
    assert "telt minder dan 5 respondenten" in config["texts"]["suppressed"]


def test_the_page_in_english():
    page = chooser_page(chooser_data(*frames(), areas=AREAS[:1], language="en"), 2025, "en")
    assert page.startswith('<!DOCTYPE html><html lang="en">')
    assert "Theme chooser: themes for 2026" in page and "synthetic" not in page
    labels = {
        s["name"]: s["bind"]["name"]
        for s in embedded(page, "chooser-spec")["signals"]
        if "bind" in s
    }
    assert labels["w_need"] == "Need (default 0.40)"
    reasons = [r["reason"] for r in records(page) if not r["suppressed"]]
    assert all(" see a large or very large need " in r for r in reasons)


def test_a_missing_register_is_said_on_the_slider():
    needs, respondents, _, feedback, texts = frames()
    data = chooser_data(needs, respondents, None, feedback, texts, areas=AREAS[:1])
    spec = embedded(chooser_page(data, 2025), "chooser-spec")
    labels = {s["name"]: s["bind"]["name"] for s in spec["signals"] if "bind" in s}
    assert labels["w_gap"].endswith("geen gegevens, telt niet mee")
    assert not labels["w_need"].endswith("telt niet mee")
    rows = [r for r in records(chooser_page(data, 2025)) if not r["suppressed"]]
    assert all(not r["use_gap"] and r["done_text"] == "niet bekend" for r in rows)


def test_the_index_links_the_page(tmp_path):
    from inclusie_analysis.publish.index import write_index

    manifest = {"generated_at": "2026-01-05 10:00", "versions": {}, "reports": {}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert FILE not in write_index(tmp_path).read_text(encoding="utf-8")
    (tmp_path / FILE).write_text("<!DOCTYPE html>", encoding="utf-8")
    assert f'<a href="{FILE}">Themakiezer</a>' in write_index(tmp_path).read_text(encoding="utf-8")


def test_the_yearly_reports_section_points_to_the_page():
    notebook = json.loads((ROOT / "notebooks/reports/jaarrapport.ipynb").read_text("utf-8"))
    section = next(
        "".join(c["source"])
        for c in notebook["cells"]
        if "Aanbevolen thema" in "".join(c["source"])
    )
    # from reports/<year>/<report>/report.html the page is one folder up
    assert section.count(f"]({'../' + FILE})") == 2  # Dutch and English


def test_a_pdf_keeps_no_link_to_a_file_beside_the_report():
    from inclusie_analysis.publish.export import _without_sibling_links

    page = '<p>Zie <a href="../themakiezer.html">themakiezer.html</a>, <a href="#t">tabel</a></p>'
    assert _without_sibling_links(page) == (
        '<p>Zie <a >themakiezer.html</a>, <a href="#t">tabel</a></p>'
    )
