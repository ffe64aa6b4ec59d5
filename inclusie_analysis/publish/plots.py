"""One visual style for every chart: colour-blind safe (Okabe-Ito), Dutch labels and decimal
commas, and the n and the source on every chart. matplotlib is imported only here, lazily."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.formats import format_number

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
DIVERGING = ["#B35806", "#F1A340", "#D9D9D9", "#998EC3", "#542788"]  # PuOr, light grey middle
SUPPRESSED = "#BDBDBD"
FONT_SIZE = 9
LABEL_WIDTH = 45  # characters per line of an axis label
LABEL_LINES = 3  # lines at most; a longer label is cut with "…" (tables keep it whole)


def wrap_label(text: object, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """An axis label wrapped to `width` characters a line, at most `lines` lines, so a long
    item label never pushes the chart off its figure."""
    import textwrap

    parts = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def _wrapped(labels) -> tuple[list[str], int]:
    """Wrapped labels and how many lines they add beyond one each (for the figure height)."""
    wrapped = [wrap_label(label) for label in labels]
    return wrapped, sum(label.count("\n") for label in wrapped)


def _plt():
    # No backend is forced: in a notebook the inline backend shows the chart, elsewhere
    # matplotlib picks a non-interactive one by itself.
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {"font.size": FONT_SIZE, "axes.spines.top": False, "axes.spines.right": False,
         "axes.titlesize": FONT_SIZE + 2, "axes.titleweight": "bold"}
    )  # fmt: skip
    return plt


def _footer(fig, n: int | str, source: str, language: str = "nl") -> None:
    count = format_number(n, language) if isinstance(n, int | float) else n
    text = f"n = {count} · {'Bron' if language == 'nl' else 'Source'}: {source}"
    fig.text(0.01, 0.01, text, fontsize=FONT_SIZE - 1, color="#555555", ha="left", va="bottom")


def _percent_axis(axis, language: str = "nl") -> None:
    from matplotlib.ticker import FuncFormatter

    # absolute values: on a diverging axis the left side is a share too
    axis.set_major_formatter(
        FuncFormatter(lambda v, _: f"{format_number(100 * abs(v), language)} %")
    )


def likert_bars(
    summary: pd.DataFrame, levels: list[str], title: str, source: str, language: str = "nl"
):
    """Diverging stacked bars: the share per level of each item, centred on the middle level.

    `summary`: one row per item with `label`, `n` and `share_<level>` columns (as from
    `stats.likert_summary`, with a label added).
    """
    plt = _plt()
    labels, extra = _wrapped(summary["label"])
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(summary) + 0.2 * extra + 1.6))
    rows = range(len(summary))
    shares = summary[[f"share_{level}" for level in levels]].to_numpy(dtype=float)
    middle = len(levels) // 2
    left = -(shares[:, :middle].sum(axis=1) + shares[:, middle] / 2)
    colours = DIVERGING if len(levels) == 5 else PALETTE
    for j, level in enumerate(levels):
        colour = colours[j % len(colours)]
        ax.barh(rows, shares[:, j], left=left, color=colour, label=level,
                edgecolor="white", linewidth=0.5)  # fmt: skip
        left = left + shares[:, j]
    ax.set_yticks(rows, labels)
    ax.axvline(0, color="#333333", linewidth=0.8)
    _percent_axis(ax.xaxis, language)
    ax.invert_yaxis()
    ax.set_title(title, loc="left")
    ax.legend(ncol=len(levels), loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    _footer(fig, int(summary["n"].max()) if len(summary) else 0, source, language)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def dot_plot(estimates: pd.DataFrame, title: str, source: str, language: str = "nl"):
    """Estimates with their confidence intervals: `label`, `estimate`, `low`, `high`, `n`."""
    plt = _plt()
    data = estimates.sort_values("estimate")
    labels, extra = _wrapped(data["label"])
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(data) + 0.2 * extra + 1.4))
    rows = range(len(data))
    ax.hlines(rows, data["low"], data["high"], color=PALETTE[0], linewidth=2)
    ax.plot(data["estimate"], rows, "o", color=PALETTE[5], markersize=5)
    ax.set_yticks(rows, labels)
    _percent_axis(ax.xaxis, language)
    ax.set_xlim(0, 1)
    ax.set_title(title, loc="left")
    _footer(fig, int(data["n"].max()) if len(data) else 0, source, language)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def heatmap(table: pd.DataFrame, title: str, source: str, n: int, language: str = "nl"):
    """A theme × province table of shares; NA cells (suppressed) are grey and labelled."""
    import numpy as np

    plt = _plt()
    rows, extra = _wrapped(table.index)
    columns = [wrap_label(c, 25, 2) for c in table.columns]
    height = 0.4 * len(table) + 0.2 * extra + 1.6
    fig, ax = plt.subplots(figsize=(1.1 * len(table.columns) + 3, height))
    values = table.to_numpy(dtype=float)
    masked = np.ma.masked_invalid(values)
    cmap = plt.get_cmap("Blues").with_extremes(bad=SUPPRESSED)
    ax.imshow(masked, cmap=cmap, vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(table.columns)), columns, rotation=30, ha="right")
    ax.set_yticks(range(len(table.index)), rows)
    hidden = "verborgen" if language == "nl" else "hidden"
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            value = values[i, j]
            text = hidden if value != value else f"{format_number(100 * value, language)} %"
            ax.text(j, i, text, ha="center", va="center", fontsize=FONT_SIZE - 1,
                    color="white" if value == value and value > 0.6 else "#222222")  # fmt: skip
    ax.set_title(title, loc="left")
    for spine in ax.spines.values():
        spine.set_visible(False)
    _footer(fig, n, source, language)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def indicator_chart(indicators: pd.DataFrame, title: str, source: str, language: str = "nl"):
    """Realised as a share of the target per indicator (100 % = target reached)."""
    plt = _plt()
    data = indicators.assign(share=(indicators["realised"] / indicators["target"]).clip(upper=2))
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(data) + 1.4))
    colours = [PALETTE[2] if s == "gehaald" else PALETTE[1] if s == "op koers" else PALETTE[5]
               for s in data["status"]]  # fmt: skip
    labels = [f"{g} {d[:45]}" for g, d in zip(data["goal"], data["description"], strict=True)]
    ax.barh(labels, data["share"].fillna(0), color=colours)
    ax.axvline(1, color="#333333", linewidth=1, linestyle="--")
    _percent_axis(ax.xaxis, language)
    ax.invert_yaxis()
    ax.set_title(title, loc="left")
    _footer(fig, len(data), source, language)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def area_map(geojson: dict, values: pd.Series, key: str, title: str, source: str, n: int,
             language: str = "nl", label: str = ""):  # fmt: skip
    """A choropleth from real boundaries (GeoJSON polygons; `key` is the feature property
    matched to `values`' index). Areas with NA (suppressed) are grey and hatched."""
    import numpy as np

    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 4.6))
    finite = values.dropna().astype(float)
    vmax = float(finite.max()) if len(finite) else 1.0
    cmap = plt.get_cmap("Blues")
    labelled = len(geojson["features"]) < 50  # the number itself, so colour is not the only carrier
    width = 0.6 if labelled else 0.15  # municipalities: hairlines
    # Largest first, so an area inside another (Brussels in Vlaams-Brabant) is drawn on top.
    for feature in sorted(geojson["features"], key=_feature_area, reverse=True):
        value = values.get(feature["properties"].get(key), np.nan)
        shown = bool(pd.notna(value))
        colour = cmap(0.15 + 0.85 * value / vmax) if shown else SUPPRESSED
        _draw_area(ax, _polygons(feature), colour, shown, width)
        if labelled:
            _label_area(ax, _polygons(feature), value, language)
    ax.autoscale_view()
    ax.set_aspect(1 / np.cos(np.deg2rad(50.8)))  # degrees of longitude are shorter at 51° N
    ax.axis("off")
    ax.set_title(title, loc="left")
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    bar = fig.colorbar(ScalarMappable(Normalize(0, vmax), cmap), ax=ax, shrink=0.6)
    bar.set_label(label)
    _footer(fig, n, source, language)
    return fig


def _polygons(feature: dict) -> list:
    """The feature's polygons (a Polygon is a MultiPolygon of one)."""
    geometry = feature["geometry"]
    return (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )


def _feature_area(feature: dict) -> float:
    """Twice the area of the feature's outer rings (shoelace), to draw the largest first."""
    import numpy as np

    total = 0.0
    for polygon in _polygons(feature):
        xy = np.asarray(polygon[0])
        total += abs(
            np.dot(xy[:, 0], np.roll(xy[:, 1], 1)) - np.dot(xy[:, 1], np.roll(xy[:, 0], 1))
        )
    return total


def _draw_area(ax, polygons: list, colour, shown: bool, width: float) -> None:
    """One area filled in its colour, hatched when its value is not shown (hidden)."""
    import numpy as np
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Polygon

    patches = [Polygon(np.asarray(poly[0]), closed=True) for poly in polygons]
    collection = PatchCollection(patches, facecolor=colour, edgecolor="white", linewidth=width,
                                 hatch=None if shown else "///")  # fmt: skip
    ax.add_collection(collection)


def _label_area(ax, polygons: list, value: float, language: str) -> None:
    """The area's value written in the middle of its largest ring ("–" when hidden)."""
    import numpy as np

    ring = np.asarray(max(polygons, key=lambda poly: len(poly[0]))[0])
    text = format_number(value, language) if pd.notna(value) else "–"
    ax.text(ring[:, 0].mean(), ring[:, 1].mean(), text, ha="center", va="center",
            fontsize=FONT_SIZE, color="#111111",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                  "alpha": 0.8})  # fmt: skip


def province_map(
    values: pd.Series, title: str, source: str, n: int, language: str = "nl", label: str = ""
):
    """Reach per province (index: Dutch province names, "Brussel") on the bundled boundaries."""
    from inclusie_analysis.clean.geo import load_reference

    geo = load_reference().province_boundaries()
    return area_map(geo, values, "name_nl", title, source, n, language, label)


def save_png(fig, path) -> None:
    """Write a chart as PNG and free its memory."""
    plt = _plt()
    fig.savefig(path, dpi=120, bbox_inches="tight", pad_inches=0.15)
    plt.close(fig)


def region_map(
    boundaries: dict,
    mapping: pd.DataFrame,
    values: pd.Series,
    title: str,
    source: str,
    n: int,
    region_column: str = "referentieregio",
    key: str = "nis_code",
    language: str = "nl",
    label: str = "",
):
    """A map by region (e.g. referentieregio) drawn from municipality boundaries: every
    municipality takes its region's value, so the regions show without a dissolve step.
    `mapping` has `nis_code` and `region_column` (the settings' region mapping)."""
    per_municipality = mapping.set_index("nis_code")[region_column].map(values).astype("float64")
    return area_map(boundaries, per_municipality, key, title, source, n, language, label)


def status_bars(counts: pd.Series, title: str, source: str, n: int, language: str = "nl"):
    """Horizontal bars: how many municipalities have each status (index: the status labels,
    in order), the number written at each bar so colour is not the only carrier."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(counts) + 1.3))
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(counts) - 1)] + [SUPPRESSED]
    ax.barh([wrap_label(label) for label in counts.index], counts.to_numpy(), color=colours)
    for y, value in enumerate(counts.to_numpy()):
        ax.text(value, y, f" {format_number(int(value), language)}", va="center",
                fontsize=FONT_SIZE)  # fmt: skip
    ax.invert_yaxis()
    ax.set_xlabel("gemeenten" if language == "nl" else "municipalities")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, loc="left")
    _footer(fig, n, source, language)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def region_status_chart(status: pd.DataFrame, area: str, source: str,
                        boundaries: dict | None = None, language: str = "nl"):  # fmt: skip
    """A map of the region's municipalities coloured by how they were reached (0, 1 or 2 of
    survey and activities, `regions.reached_by`) when municipal boundaries are given, else a
    bar chart of how many municipalities have each status (`regions.status_counts`)."""
    from inclusie_analysis.analyse.regions import reached_by, status_counts

    nl = language == "nl"
    title = (f"Gemeenten van {area}: hoe bereikt" if nl
             else f"Municipalities of {area}: how reached")  # fmt: skip
    if boundaries is not None:
        codes = set(status["nis_code"])
        features = [f for f in boundaries["features"] if str(f["properties"]["nis_code"]) in codes]
        label = "bereikt via (0–2)" if nl else "reached by (0–2)"
        return area_map({"type": "FeatureCollection", "features": features},
                        reached_by(status, language), "nis_code", title, source, len(status),
                        language, label)  # fmt: skip
    return status_bars(status_counts(status, language), title, source, len(status), language)
