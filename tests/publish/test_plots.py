"""Every chart type renders to a PNG (look at them: tests/... writes them to a tmp folder)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from inclusie_analysis.publish import plots

OUT = (
    Path(os.environ.get("INCLUSIE_PLOTS_DIR", "")) if os.environ.get("INCLUSIE_PLOTS_DIR") else None
)
LEVELS = ["Geen nood", "Kleine nood", "Matige nood", "Grote nood", "Zeer grote nood"]


@pytest.fixture
def out(tmp_path) -> Path:
    folder = OUT or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_likert_bars(out):
    summary = pd.DataFrame(
        {"label": ["Regierol", "Middelen", "Toegang"], "n": [300, 298, 301],
         "share_Geen nood": [0.05, 0.02, 0.2], "share_Kleine nood": [0.15, 0.08, 0.3],
         "share_Matige nood": [0.3, 0.2, 0.25], "share_Grote nood": [0.35, 0.4, 0.15],
         "share_Zeer grote nood": [0.15, 0.3, 0.1]}
    )  # fmt: skip
    plots.save_png(
        plots.likert_bars(summary, LEVELS, "Nood aan ondersteuning", "demo"), out / "likert.png"
    )
    check_png(out / "likert.png")


def test_dot_plot(out):
    estimates = pd.DataFrame(
        {"label": ["Regierol", "Middelen", "Cyberveiligheid"], "estimate": [0.5, 0.7, 0.62],
         "low": [0.44, 0.64, 0.55], "high": [0.56, 0.75, 0.68], "n": [300, 300, 200]}
    )  # fmt: skip
    plots.save_png(plots.dot_plot(estimates, "Grote of zeer grote nood", "demo"), out / "dots.png")
    check_png(out / "dots.png")


def test_heatmap_shows_suppressed_cells(out):
    table = pd.DataFrame(
        {"Antwerpen": [0.5, 0.3], "Limburg": [0.6, float("nan")], "Brussel": [float("nan"), 0.2]},
        index=["Regierol", "Toegang"],
    )
    fig = plots.heatmap(table, "Nood per provincie", "demo", n=250)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("verborgen") == 2 and "50 %" in texts
    plots.save_png(fig, out / "heatmap.png")
    check_png(out / "heatmap.png")


def test_indicator_chart(out):
    indicators = pd.DataFrame(
        {"goal": ["OD1.1", "OD1.2", "OD2.2"],
         "description": ["Algemene bijeenkomsten", "Deelnemersuren", "Deelnemersuren opleidingen"],
         "target": [3, 100, 160], "realised": [3, 198, 102.5],
         "status": ["gehaald", "gehaald", "niet gehaald"]}
    )  # fmt: skip
    plots.save_png(
        plots.indicator_chart(indicators, "Doelen 2025", "register"), out / "indicators.png"
    )
    check_png(out / "indicators.png")


def test_province_map_from_real_boundaries(out):
    reach = pd.Series({"Antwerpen": 62, "Limburg": 35, "Oost-Vlaanderen": 59, "West-Vlaanderen": 52,
                       "Vlaams-Brabant": 56, "Brussel": float("nan")})  # fmt: skip
    fig = plots.province_map(reach, "Bereikte organisaties", "demo", n=264, label="organisaties")
    collections = fig.axes[0].collections
    assert len(collections) == 6
    assert sum(c.get_hatch() == "///" for c in collections) == 1  # Brussels suppressed
    plots.save_png(fig, out / "map_provinces.png")
    check_png(out / "map_provinces.png")


def test_municipality_map_from_the_configured_boundaries(out, shared_reference):
    geo = json.loads((shared_reference / "municipalities_2025.geojson").read_text(encoding="utf-8"))
    key = next(k for k in geo["features"][0]["properties"] if "nis" in k.lower())
    codes = [f["properties"][key] for f in geo["features"]]
    values = pd.Series({c: (i % 7) or float("nan") for i, c in enumerate(codes)})
    fig = plots.area_map(geo, values, key, "Bereik per gemeente", "demo", n=500)
    assert len(fig.axes[0].collections) == len(codes)
    plots.save_png(fig, out / "map_municipalities.png")
    check_png(out / "map_municipalities.png")


def test_referentieregio_map(out, shared_reference):
    from inclusie_analysis.clean.areas import load_region_mapping

    geo = json.loads((shared_reference / "municipalities_2025.geojson").read_text(encoding="utf-8"))
    key = next(k for k in geo["features"][0]["properties"] if "nis" in k.lower())
    mapping = load_region_mapping(shared_reference / "regions_2025.csv", "referentieregio")
    regions = sorted(mapping["referentieregio"].dropna().unique())
    values = pd.Series({r: float(i) if i != 3 else float("nan") for i, r in enumerate(regions)})
    fig = plots.region_map(
        geo, mapping, values, "Bereik per referentieregio", "demo", n=300, key=key
    )
    hatched = sum(c.get_hatch() == "///" for c in fig.axes[0].collections)
    suppressed_region = regions[3]
    in_region = mapping["referentieregio"] == suppressed_region
    brussels = sum(str(f["properties"][key]).startswith("21") for f in geo["features"])
    assert hatched == in_region.sum() + brussels  # the hidden region, and Brussels (no region)
    plots.save_png(fig, out / "map_regions.png")
    check_png(out / "map_regions.png")


LONG = "Een heel lange omschrijving van een leernood zoals een codeboek ze soms heeft " * 4


def _long_label_chart(kind: str):
    if kind == "likert":
        shares = {f"share_{level}": [0.2, 0.2] for level in LEVELS}
        frame = pd.DataFrame({"label": [LONG, "Toegang"], "n": [300, 280], **shares})
        return plots.likert_bars(frame, LEVELS, "Nood", "demo")
    if kind == "dots":
        frame = pd.DataFrame({"label": [LONG, "Toegang"], "estimate": [0.5, 0.4],
                              "low": [0.4, 0.3], "high": [0.6, 0.5], "n": [300, 280]})  # fmt: skip
        return plots.dot_plot(frame, "Nood", "demo")
    table = pd.DataFrame({"Antwerpen": [0.5, 0.3], "Limburg": [0.6, 0.2]}, index=[LONG, "Toegang"])
    return plots.heatmap(table, "Nood per provincie", "demo", n=250)


def test_a_300_character_label_breaks_an_unwrapped_tight_layout():
    """The case the wrapping is for: matplotlib itself warns on such a label."""
    import matplotlib.pyplot as plt

    assert len(LONG) >= 300
    fig, ax = plt.subplots(figsize=(7, 2))
    ax.barh([LONG], [1])
    with pytest.warns(UserWarning, match="Tight layout not applied"):
        fig.tight_layout()
    plt.close(fig)


@pytest.mark.parametrize("kind", ["likert", "dots", "heatmap"])
def test_a_very_long_label_is_wrapped_and_shortened_without_warnings(kind, out):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning fails the test
        fig = _long_label_chart(kind)
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        plots.save_png(fig, out / f"long-{kind}.png")
    check_png(out / f"long-{kind}.png")
    long = next(label for label in labels if label.startswith("Een heel lange"))
    lines = long.split("\n")
    assert len(lines) == plots.LABEL_LINES and long.endswith("…")
    assert all(len(line) <= plots.LABEL_WIDTH for line in lines)
    assert "Toegang" in labels  # short labels stay as they are


def test_wrap_label_by_hand():
    assert plots.wrap_label("Regierol") == "Regierol"
    assert plots.wrap_label("aa bb cc dd", width=5) == "aa bb\ncc dd"
    assert plots.wrap_label("aa bb cc dd ee ff gg", width=5, lines=2) == "aa bb\ncc d…"
