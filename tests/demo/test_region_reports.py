"""Yearly reports per referentieregio and per user region, on the demo: built beside the
province reports, protected with them, chosen with --only, named in the index and manifest."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd

from inclusie_analysis.clean.areas import level_regions
from inclusie_analysis.cli import main
from inclusie_analysis.publish.suite import make_report_id

REGIONS = list(level_regions("referentieregio"))


def _region_ids() -> list[str]:
    ids = [make_report_id("jaarrapport-", name) for name in REGIONS]
    return [i if i != "jaarrapport-limburg" else "jaarrapport-limburg-referentieregio" for i in ids]


def test_the_suite_has_the_15_region_reports_grouped_in_the_index(run):
    code, out = run
    assert code == 0
    assert len(REGIONS) == 15
    for report_id in _region_ids():
        assert (out / report_id / "report.html").stat().st_size > 0, report_id
    assert (out / "jaarrapport-limburg" / "report.html").exists()  # the province stays
    index = (out / "index.html").read_text(encoding="utf-8")
    headings = ["Jaarrapport voor heel Vlaanderen en Brussel", "Jaarrapporten per provincie",
                "Jaarrapporten per referentieregio", "Feedback per activiteit"]  # fmt: skip
    positions = [index.index(h) for h in headings]
    assert positions == sorted(positions)
    regional = index[positions[2] : positions[3]]
    assert all(f'href="{i}/report.html"' in regional for i in _region_ids())
    assert 'href="jaarrapport-west-vlaanderen/report.html"' not in regional


def test_the_audit_covers_every_level_and_passes(run):
    _, out = run
    audit = json.loads((out / "onthulling.json").read_text(encoding="utf-8"))
    assert audit["ok"], audit["lines"]
    cells = pd.read_excel(
        out / "onthulling.xlsx", sheet_name="Alle verborgen cellen", engine="openpyxl"
    )
    reports = set(cells["Rapport"])
    assert reports & set(_region_ids()), "no hidden cell of a region report was audited"
    assert (cells["Breedte"] >= 3).all()


def test_the_manifest_names_the_region_files_with_their_hash(run):
    _, out = run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    references = manifest["data"]["references"]
    assert len(references["referentieregios"]["sha256"]) == 64
    assert references["referentieregios"]["file"].endswith("referentieregios.yaml")
    assert references["region_mapping"] is None
    gent = manifest["reports"]["jaarrapport-regio-gent"]["parameters"]
    assert gent["area"] == "Regio Gent" and gent["level"] == "referentieregio"


def test_a_region_report_lists_its_municipalities_without_counts(run):
    _, out = run
    book = openpyxl.load_workbook(out / "jaarrapport-regio-gent" / "tabellen.xlsx")
    sheet = next(s for s in book.worksheets if "bereikt en nog niet bereikt" in str(s["A1"].value))
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    names = [r[0] for r in rows if r[0]]
    assert len(names) == len(level_regions("referentieregio")["Regio Gent"]) == 20
    assert {r[2] for r in rows if r[0]} <= {"ja", "nee"}
    assert {r[3] for r in rows if r[0]} <= {"ja", "nee"}
    html = (out / "jaarrapport-regio-gent" / "report.html").read_text(encoding="utf-8")
    assert "Gemeenten van de regio" in html and "Antwoorden per provincie" not in html


def test_only_a_region_builds_that_report(run, demo, make_settings, tmp_path):
    settings = make_settings(tmp_path, demo.out, areas=("provincie", "referentieregio"))
    code = main(["--settings", str(settings), "run", "--demo", "--input", str(demo.out),
                 "--year", "2025", "--no-progress", "--only", "Regio Gent",
                 "--formats", "html"])  # fmt: skip
    assert code == 0
    built = sorted(p.name for p in (tmp_path / "reports" / "2025").glob("jaarrapport-*"))
    assert built == ["jaarrapport-regio-gent"]


def test_a_user_mapping_gives_its_own_region_reports(run, demo, make_settings, tmp_path):
    """A user's own grouping (here: West-Vlaanderen in two zones) through paths.region_mapping
    and report.areas; its file and hash go into the manifest."""
    west = sorted(level_regions("provincie")["West-Vlaanderen"])
    mapping = tmp_path / "zones.csv"
    pd.DataFrame({"nis_code": west, "zone": ["Zone Noord"] * 20 + ["Zone Zuid"] * (len(west) - 20)}
                 ).to_csv(mapping, index=False)  # fmt: skip
    settings = make_settings(tmp_path, demo.out, areas=("provincie", "zone"),
                             region_mapping=mapping, region_column="zone")  # fmt: skip
    code = main(["--settings", str(settings), "run", "--demo", "--input", str(demo.out),
                 "--year", "2025", "--no-progress", "--only", "Zone Noord",
                 "--formats", "html,xlsx"])  # fmt: skip
    assert code == 0
    out = tmp_path / "reports" / "2025"
    assert (out / "jaarrapport-zone-noord" / "report.html").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["data"]["references"]["region_mapping"]["sha256"]) == 64
    html = (out / "jaarrapport-zone-noord" / "report.html").read_text(encoding="utf-8")
    assert "Gemeenten van de regio" in html


def test_a_user_mapping_with_an_unknown_code_stops_the_run(demo, make_settings, tmp_path, capsys):
    mapping = tmp_path / "zones.csv"
    mapping.write_text("nis_code,referentieregio\n44021,Gent\n12345,Nergens\n", encoding="utf-8")
    settings = make_settings(tmp_path, demo.out, areas=None, region_mapping=mapping)
    code = main(["--settings", str(settings), "run", "--demo", "--input", str(demo.out),
                 "--year", "2025", "--no-progress", "--only", "Regio Gent"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "zones.csv" in err and "rij 3" in err and "12345" in err


def test_the_regions_cost_the_province_reports_no_cell(run):
    """Everyone and the provinces are protected first, as if there were no regions: their
    published tables are the same with and without the referentieregio reports."""
    import inclusie_analysis as ia
    from inclusie_analysis.publish.protection import protect_suite

    _, out = run
    needs, events = ia.load_needs(out / "data"), ia.load_events(out / "data")
    this_year = events.events.loc[events.events["year"] == 2025]
    args = (needs.respondents, events.attendance, this_year)
    alone = protect_suite(*args, ["provincie"], 2025)
    with_regions = protect_suite(*args, ["provincie", "referentieregio"], 2025)
    assert set(alone) < set(with_regions)
    # Limburg is a province and a referentieregio: two reports, two tables (all waves / the
    # latest), never one for both
    org = "Antwoorden per soort organisatie"
    province = with_regions[org, "provincie", "Limburg"]
    region = with_regions[org, "referentieregio", "Limburg"]
    assert list(province.columns) == ["2020", "2025", "Totaal"]
    assert region is None or list(region.columns) == ["2025", "Totaal"]
    for key, frame in alone.items():
        other = with_regions[key]
        assert (frame is None) == (other is None), key
        if frame is not None:
            pd.testing.assert_frame_equal(frame, other)
