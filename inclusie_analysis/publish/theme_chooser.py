"""`reports/<year>/themakiezer.html`: the planners' theme chooser, one self-contained page.

The themes ranked by the formula of `planning.rank_themes`, recomputed in the page (Vega-Lite
parameters and transforms, built with Altair and compiled to Vega by vl-convert) while the
planner moves the five weights and picks an area and a type of organisation; the JavaScript
of Vega is inlined (`vl_convert.javascript_bundle`), so the file opens offline and can be
mailed. An HTML table under the chart shows the same numbers and follows every change (for
screen readers, and for the tests). The data is `analyse.chooser.chooser_data`: suppressed
groups are in it as a name and a flag only.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from inclusie_analysis.analyse.chooser import ALL_TYPES, SUBGROUP_RESAMPLES, chooser_data
from inclusie_analysis.analyse.planning import RESAMPLES, TOP, WEIGHTS
from inclusie_analysis.formats import format_number, format_percent

FILE = "themakiezer.html"
STEP = 0.05  # the sliders' step
BARS = "bars"  # the Vega-Lite name of the bar layer: its data feeds the table
NL_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}

WORDS = {
    "nl": {
        "need": "Nood", "breadth": "Spreiding over de provincies",
        "gap": "Weinig gedaan vorig jaar", "rating": "Zwakke beoordeling vorig jaar",
        "requests": "Gevraagd in open antwoorden", "default": "standaard",
        "no_data": "geen gegevens, telt niet mee", "area": "Gebied",
        "org_type": "Type organisatie", "all_types": "Alle types organisaties",
        "reset": "Standaardgewichten en -keuze terugzetten",
        "controls": "Gewichten en keuze van de groep",
    },
    "en": {
        "need": "Need", "breadth": "Spread over the provinces",
        "gap": "Little done last year", "rating": "Poor ratings last year",
        "requests": "Asked for in open answers", "default": "default",
        "no_data": "no data, not counted", "area": "Area",
        "org_type": "Type of organisation", "all_types": "All types of organisation",
        "reset": "Back to the default weights and choice",
        "controls": "Weights and choice of the group",
    },
}  # fmt: skip

COLUMNS = {
    "nl": ["Rang", "Thema", "Score", "Nood (95 %-interval)", "Vorig jaar",
           "Gemiddelde beoordeling", "Vragen in open antwoorden", f"In top {TOP}", "Waarom"],
    "en": ["Rank", "Theme", "Score", "Need (95 % interval)", "Last year", "Mean rating",
           "Requests in open answers", f"In top {TOP}", "Why"],
}  # fmt: skip


def write_theme_chooser(
    data_dir: Path,
    out_root: Path,
    year: int,
    language: str = "nl",
    threshold: int = 5,
    resamples: int = RESAMPLES,
    subgroup_resamples: int = SUBGROUP_RESAMPLES,
) -> Path:
    """Write `<out_root>/themakiezer.html` for `year` from the cleaned data in `data_dir`
    (`out_root` is the year's folder, `reports/<year>`) and return its path."""
    import inclusie_analysis as ia
    from inclusie_analysis.clean.sources import unavailable_signals
    from inclusie_analysis.publish.text import is_synthetic

    needs = ia.load_needs(data_dir)
    events = ia.load_events(data_dir)
    data = chooser_data(
        needs.needs, needs.respondents, events.events[events.events["year"] == year],
        events.feedback, needs.answers_text, unavailable=unavailable_signals(events.sources),
        threshold=threshold, language=language, resamples=resamples,
        subgroup_resamples=subgroup_resamples,
    )  # fmt: skip
    synthetic = is_synthetic(needs.respondents["source_file"].unique())
    page = chooser_page(
        data, year, language=language, threshold=threshold, synthetic=synthetic,
        resamples=(resamples, subgroup_resamples),
    )  # fmt: skip
    path = Path(out_root) / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def chooser_page(
    data: pd.DataFrame,
    year: int,
    language: str = "nl",
    threshold: int = 5,
    synthetic: bool = False,
    resamples: tuple[int, int] = (RESAMPLES, SUBGROUP_RESAMPLES),
) -> str:
    """The page's HTML for the rows of `chooser_data`: the compiled Vega spec and the Vega
    JavaScript inline, the controls, the chart and the table view."""
    import vl_convert

    records = page_records(data, language)
    spec = vl_convert.vegalite_to_vega(chooser_spec(records, data, language))
    dataset = next(m["from"]["data"] for m in spec["marks"] if m.get("name") == f"{BARS}_marks")
    config = {
        "dataset": dataset,
        "defaults": {**{f"w_{k}": v for k, v in WEIGHTS.items()},
                     "area": records[0]["area"], "org_type": ALL_TYPES},
        "language": language,
        "formatLocale": NL_LOCALE if language == "nl" else None,
        "texts": _script_texts(language, threshold),
    }  # fmt: skip
    return _html(spec, config, year, language, threshold, synthetic, resamples, data)


def page_records(data: pd.DataFrame, language: str = "nl") -> list[dict]:
    """The rows the page embeds: a suppressed group as its area, organisation type and flag
    only; a shown one with its raw signals, the unavailable signals as flags and the texts
    of its table cells. No NaN (JSON null instead)."""
    out = []
    for row in data.to_dict("records"):
        if row["suppressed"]:
            out.append({"area": row["area"], "org_type": row["org_type"], "suppressed": True})
            continue
        missing = set(filter(None, str(row["unavailable"]).split(";")))
        record = {k: _plain(row[k]) for k in ("area", "org_type", "theme", "label", "reason")}
        record |= {"suppressed": False, "order": int(row["order"]), "n": int(row["n"])}
        for key in ("need_share", "need_low", "need_high", "breadth", "hours", "rating"):
            record[key] = _number(row[key])
        record["requests"] = int(row["requests"])
        record["events"] = None if pd.isna(row["events"]) else int(row["events"])
        record |= {f"use_{k}": k not in missing for k in WEIGHTS}
        record |= _cell_texts(row, missing, language)
        out.append(record)
    return out


def _plain(value: object) -> object:
    return None if value is None or (isinstance(value, float) and value != value) else value


def _number(value: object) -> float | None:
    return None if pd.isna(value) else float(value)


def _cell_texts(row: dict, missing: set[str], language: str) -> dict[str, str]:
    """The table's and tooltip's texts of one theme (numbers formatted as in the reports)."""
    nl = language == "nl"

    def pct(value: float) -> str:
        return format_percent(value, language, 0)

    interval = f"{pct(row['need_low'])}–{pct(row['need_high'])}"
    if "gap" in missing or pd.isna(row["events"]):
        done = "niet bekend" if nl else "not known"
    elif not row["events"]:
        done = "geen activiteit" if nl else "no activity"
    else:
        hours = format_number(row["hours"], language)
        done = (
            f"{int(row['events'])} activiteit(en), {hours} deelnemersuren"
            if nl
            else f"{int(row['events'])} activity(ies), {hours} participant-hours"
        )
    if "rating" in missing:
        rating = "niet bekend" if nl else "not known"
    elif pd.isna(row["rating"]):
        rating = "geen beoordeling" if nl else "no rating"
    else:
        rating = f"{format_number(row['rating'], language, 1)}/5"
    return {
        "need_text": f"{pct(row['need_share'])} ({interval})",
        "done_text": done,
        "rating_text": rating,
        "requests_text": format_number(row["requests"], language),
        "top_text": pct(row["top_share"]),
    }


def _expressions() -> dict[str, str]:
    """The Vega expressions of `planning.rank_themes`, in its order of operations (the same
    floating-point results): the signals made whole, then scaled across the group's themes,
    then the effective weights and the score."""

    def scale(field: str) -> str:
        low, high = f"datum.{field}_min", f"datum.{field}_max"
        # as _scale: a span of 0 gives 0
        return f"({high} - {low}) > 0 ? (datum.{field} - {low}) / ({high} - {low}) : 0"

    names = list(WEIGHTS)
    total = " + ".join(f"w_{k}" for k in names)
    kept = " + ".join(f"(datum.use_{k} ? w_{k} : 0)" for k in names)
    out = {
        "part_need": scale("need_share"),
        "part_breadth": "datum.breadth",
        "part_gap": f"1 - ({scale('hours0')})",
        "part_rating": scale("low_rating"),
        "part_requests": scale("requests"),
        "total": total,
        "kept": kept,
        "factor": "datum.kept != 0 ? datum.total / datum.kept : 0",
    }
    for key in names:
        out[f"weight_{key}"] = f"datum.use_{key} ? w_{key} * datum.factor : 0"
    out["score"] = "0 + " + " + ".join(f"datum.weight_{k} * datum.part_{k}" for k in names)
    return out


def chooser_spec(records: list[dict], data: pd.DataFrame, language: str = "nl") -> dict:
    """The Vega-Lite spec (through Altair): weight sliders, area and organisation-type
    choices, the ranking's transforms, bars of the score with the numbers in the tooltip,
    and a grey sentence for a suppressed group."""
    import altair as alt

    from inclusie_analysis.publish.plots import PALETTE

    params = _params(data, language)
    base = alt.Chart(alt.Data(values=records, name="signals"))
    ranked = _ranked(base)
    y = alt.Y("label:N", sort=alt.EncodingSortField("rank", op="min"), title=None,
              axis=alt.Axis(labelLimit=320, labelFontSize=12))  # fmt: skip
    tooltip = _tooltip(language)
    bars = (
        ranked.mark_bar(color=PALETTE[0])
        .encode(x=alt.X("score:Q", title="Score", scale=alt.Scale(domain=_DOMAIN)),
                y=y, tooltip=tooltip)
        .properties(name=BARS)
    )  # fmt: skip
    labels = ranked.mark_text(align="left", dx=4, fontSize=12, color="#222222").encode(
        x="score:Q", y=y, text=alt.Text("score:Q", format=".2f"), tooltip=tooltip
    )
    hidden = (
        base.transform_filter("datum.area == area && datum.org_type == org_type")
        .transform_filter("datum.suppressed")
        .mark_text(fontSize=14, color="#555555", align="left", x=0, y=50)
        .encode(text=alt.value(_suppressed_sentence(language)))
    )
    chart = alt.layer(bars, labels, hidden).add_params(*params)
    chart = chart.properties(
        width=460,
        height=alt.Step(28),
        background="white",
        description=_chart_description(language),
    ).configure_view(stroke=None)
    return chart.configure_axis(labelColor="#222222", gridColor="#e6e6e6").to_dict()


# the score's axis: 0 to the sum of the weights (the score's largest value), at least 1
_DOMAIN = {"expr": "[0, max(1, " + " + ".join(f"w_{k}" for k in WEIGHTS) + ")]"}


def _ranked(base):
    """The chosen group's themes with the score of `planning.rank_themes` and their rank:
    NA made whole as there (hours 0, rating 5), min and max across the group's themes for
    the scaling, then the parts, the effective weights, the score and the order."""
    import altair as alt

    return (
        base.transform_filter("datum.area == area && datum.org_type == org_type")
        .transform_filter("!datum.suppressed")
        .transform_calculate(
            hours0="isValid(datum.hours) ? datum.hours : 0",
            low_rating="5 - (isValid(datum.rating) ? datum.rating : 5)",
        )
        .transform_joinaggregate(
            **{
                f"{f}_{op}": f"{op}({f})"
                for f in ("need_share", "hours0", "low_rating", "requests")
                for op in ("min", "max")
            }
        )
        .transform_calculate(**_expressions())
        .transform_window(
            rank="row_number()",
            sort=[
                alt.SortField("score", "descending"),
                alt.SortField("need_share", "descending"),
                alt.SortField("order", "ascending"),
            ],
        )
    )


def _params(data: pd.DataFrame, language: str) -> list:
    """The five weight sliders (the default in the label) and the two choices."""
    import altair as alt

    words = WORDS[language]
    first = data[~data["suppressed"].astype(bool)]
    missing = (
        set(filter(None, str(first["unavailable"].iloc[0]).split(";"))) if len(first) else set()
    )
    params = []
    for key, default in WEIGHTS.items():
        label = f"{words[key]} ({words['default']} {format_number(default, language, 2)})"
        if key in missing:
            label += f" – {words['no_data']}"
        params.append(
            alt.param(name=f"w_{key}", value=default,
                      bind=alt.binding_range(min=0, max=1, step=STEP, name=label))
        )  # fmt: skip
    areas = list(dict.fromkeys(data["area"]))
    types = list(dict.fromkeys(data["org_type"]))
    area = alt.binding_select(options=areas, name=words["area"])
    params.append(alt.param(name="area", value=areas[0], bind=area))
    labels = [words["all_types"] if t == ALL_TYPES else t for t in types]
    params.append(
        alt.param(name="org_type", value=ALL_TYPES,
                  bind=alt.binding_select(options=types, labels=labels, name=words["org_type"]))
    )  # fmt: skip
    return params


def _tooltip(language: str) -> list:
    import altair as alt

    names = COLUMNS[language]
    return [
        alt.Tooltip("label:N", title=names[1]),
        alt.Tooltip("score:Q", title=names[2], format=".2f"),
        alt.Tooltip("need_text:N", title=names[3]),
        alt.Tooltip("done_text:N", title=names[4]),
        alt.Tooltip("rating_text:N", title=names[5]),
        alt.Tooltip("requests_text:N", title=names[6]),
        alt.Tooltip("top_text:N", title=f"{names[7]} ({WORDS[language]['default']})"),
        alt.Tooltip("reason:N", title=names[8]),
    ]


def _chart_description(language: str) -> str:
    if language == "nl":
        return "Staafdiagram: de thema's gerangschikt op score; de tabel eronder toont de cijfers."
    return "Bar chart: the themes ranked by score; the table below shows the figures."


def _suppressed_sentence(language: str) -> str:
    if language == "nl":
        return "Te weinig antwoorden in deze groep: niet getoond, zoals in de rapporten."
    return "Too few answers in this group: not shown, as in the reports."


def _script_texts(language: str, threshold: int) -> dict[str, str]:
    """The texts the page's script writes: the table caption and the suppressed group."""
    nl = language == "nl"
    return {
        "columns": COLUMNS[language],
        "all_types": WORDS[language]["all_types"],
        "caption": "Rangschikking voor" if nl else "Ranking for",
        "respondents": "respondenten" if nl else "respondents",
        "suppressed": (
            f"Te weinig antwoorden: deze groep telt minder dan {threshold} respondenten, of "
            f"een groep van minder dan {threshold} zou uit haar cijfers af te leiden zijn (door "
            "af te trekken van een groter geheel). Zoals in de rapporten tonen we er geen "
            "cijfers van, zodat niemand herkenbaar is."
            if nl
            else f"Too few answers: this group has fewer than {threshold} respondents, or a "
            f"group of fewer than {threshold} could be worked out from its figures (by "
            "subtraction from a larger whole). As in the reports, it shows no figures, so "
            "that no one can be recognised."
        ),
    }


def _intro(
    year: int, language: str, threshold: int, synthetic: bool, resamples: tuple[int, int], data
) -> tuple[str, str]:
    """The page's heading and explanation (what it computes, what is not split by area)."""

    nl = language == "nl"
    shown = data[~data["suppressed"].astype(bool)]
    missing = str(shown["unavailable"].iloc[0]).split(";") if len(shown) else []
    notice = (
        "<p class=\"synthetisch\"><strong>"
        + ("Let op: gemaakt met synthetische demodata, niet met echte antwoorden."
           if nl else "Note: made with synthetic demo data, not with real answers.")
        + "</strong></p>"
    ) if synthetic else ""  # fmt: skip
    title = (
        f"Themakiezer: thema's voor {year + 1}" if nl else f"Theme chooser: themes for {year + 1}"
    )
    paragraphs = _paragraphs(year, language, threshold, resamples, [m for m in missing if m])
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return title, f"<h1>{html.escape(title, quote=False)}</h1>{notice}{body}"


def _paragraphs(
    year: int, language: str, threshold: int, resamples: tuple[int, int], missing: list[str]
) -> list[str]:
    """The explanation above the controls: the formula, the default weights, what is not
    split by area, the bootstrap and the suppression."""
    from inclusie_analysis.analyse.planning import weights_sentence

    whole, sub = resamples
    if language == "nl":
        return [
            "Kies zelf hoe zwaar elk signaal weegt, en voor welk gebied en welk type "
            "organisatie. De pagina rekent de rangschikking opnieuw uit met dezelfde formule "
            "als het jaarrapport (\"Aanbevolen thema's\"): elk signaal wordt over de thema's "
            "van de gekozen groep herschaald van 0 tot 1 (de spreiding is al een aandeel) en "
            "de score is de gewogen som. Een "
            "signaal zonder gegevens krijgt gewicht 0; de andere worden naar verhouding "
            "verhoogd. Beweeg over een balk voor de cijfers en de reden; de tabel onder de "
            "grafiek toont dezelfde cijfers.",
            "Standaard: " + _lower_first(weights_sentence(None, missing)),
            f"De activiteiten, deelnemersuren en beoordelingen van {year} en de vragen in open "
            "antwoorden zijn niet per gebied of type organisatie opgesplitst: ze gelden voor "
            "heel Vlaanderen en Brussel. De nood en de spreiding komen van de respondenten van "
            "de gekozen groep (laatste bevraging).",
            f"'In top {TOP}' geldt voor de standaardgewichten: in hoeveel procent van de "
            f"bootstraptrekkingen van de respondenten het thema bij de eerste {TOP} staat "
            f"({whole} trekkingen voor een heel gebied, {sub} voor een gebied en één type "
            "organisatie); het interval van de nood komt uit dezelfde trekkingen.",
            f"Groepen met minder dan {threshold} respondenten zijn grijs en tonen geen "
            "cijfers, zoals in de rapporten; ook een groep waaruit zo'n kleine groep af te "
            "leiden zou zijn door cijfers van elkaar af te trekken (bijvoorbeeld een provincie "
            "min haar andere types organisaties). Deze pagina werkt zonder internet en mag "
            "doorgestuurd worden.",
        ]
    return [
        "Choose how much each signal weighs, and for which area and type of organisation. "
        "The page recomputes the ranking with the formula of the yearly report "
        '("Recommended themes"): each signal is scaled from 0 to 1 across the themes of '
        "the chosen group (the spread is a share already) and the score is the weighted "
        "sum. A signal without data gets "
        "weight 0; the others are scaled up in proportion. Hover over a bar for its "
        "figures and reason; the table under the chart shows the same figures.",
        "By default: " + _lower_first(weights_sentence(None, missing, "en")),
        f"The activities, participant-hours and ratings of {year} and the requests in "
        "open answers are not split by area or type of organisation: they are those of "
        "all of Flanders and Brussels. Need and spread come from the chosen group's "
        "respondents (latest survey).",
        f"'In top {TOP}' holds for the default weights: the share of bootstrap resamples "
        f"of the respondents in which the theme is among the first {TOP} ({whole} "
        f"resamples for a whole area, {sub} for an area and one type of organisation); "
        "the need's interval comes from the same resamples.",
        f"Groups with fewer than {threshold} respondents are grey and show no figures, as "
        "in the reports; so is a group from which such a small group could be worked out "
        "by subtraction (say, a province minus its other types of organisation). This page "
        "works offline and may be passed on.",
    ]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _json(value: object) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _html(spec, config, year, language, threshold, synthetic, resamples, data) -> str:
    import vl_convert

    title, intro = _intro(year, language, threshold, synthetic, resamples, data)
    words = WORDS[language]
    heading = "Tabel met dezelfde cijfers" if language == "nl" else "Table of the same figures"
    chart_label = (
        "Grafiek: de thema's gerangschikt op score" if language == "nl"
        else "Chart: the themes ranked by score"
    )  # fmt: skip
    head = "".join(f'<th scope="col">{html.escape(c, quote=False)}</th>' for c in COLUMNS[language])
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title, quote=False)}</title><style>{STYLE}</style>"
        f"<script>{vl_convert.javascript_bundle()}</script></head><body>{intro}"
        f'<section aria-label="{html.escape(words["controls"])}"><div id="controls"></div>'
        f'<button type="button" id="reset">{html.escape(words["reset"])}</button></section>'
        f'<p id="status" role="status" aria-live="polite"></p>'
        f'<figure><div id="chart" role="group" aria-label="{html.escape(chart_label)}"></div>'
        "</figure>"
        f"<h2>{html.escape(heading)}</h2>"
        f'<div class="tabel"><table id="ranking"><caption></caption><thead><tr>{head}</tr>'
        "</thead><tbody></tbody></table></div>"
        f'<script type="application/json" id="chooser-spec">{_json(spec)}</script>'
        f'<script type="application/json" id="chooser-config">{_json(config)}</script>'
        f"<script>{SCRIPT}</script></body></html>"
    )


STYLE = """
body{font-family:Segoe UI,Helvetica Neue,Arial,sans-serif;max-width:70rem;margin:2rem auto;
padding:0 1rem;line-height:1.5;color:#222}
#controls .vega-bindings{display:grid;grid-template-columns:1fr;gap:.25rem}
#controls .vega-bind label{display:grid;grid-template-columns:25rem 22rem 4rem;gap:.75rem;
align-items:center}
#controls input[type=range]{width:22rem}
#controls input[type=range] + span{display:none}
#controls select{width:22rem}
.tabel{overflow-x:auto}
#controls select{font-size:1rem;padding:.15rem}
button{font-size:1rem;margin:.5rem 0;padding:.3rem .8rem}
:focus-visible{outline:3px solid #0072B2;outline-offset:2px}
figure{margin:1rem 0}
table{border-collapse:collapse;width:100%;font-size:.85rem}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
td.getal{text-align:right;white-space:nowrap}
td.waarom{min-width:15rem}
td.gedaan{min-width:8rem}
td.nood{white-space:normal;min-width:7rem;text-align:left}
tr.grijs td{color:#555;background:#f0f0f0}
.synthetisch{background:#fff3cd;border-left:4px solid #8a6d00;padding:.25rem 1rem}
"""

# The page's script: embed the compiled spec, render the table from the bars' data after
# every change, and the reset button. `window.chooserView` is the Vega view (for the tests).
SCRIPT = """
(function () {
  const spec = JSON.parse(document.getElementById("chooser-spec").textContent);
  const cfg = JSON.parse(document.getElementById("chooser-config").textContent);
  const rows = spec.data.find(d => d.name === "signals").values;
  const hidden = new Set(rows.filter(r => r.suppressed).map(r => r.area + "\\u0000" + r.org_type));
  const number = new Intl.NumberFormat(cfg.language === "nl" ? "nl-BE" : "en-GB",
    {minimumFractionDigits: 2, maximumFractionDigits: 2});
  const options = {mode: "vega", actions: false, renderer: "svg", bind: "#controls"};
  if (cfg.formatLocale) options.formatLocale = cfg.formatLocale;
  function cell(tag, text, cls) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    return el;
  }
  vegaEmbed("#chart", spec, options).then(function (result) {
    const view = result.view;
    window.chooserView = view;
    const caption = document.querySelector("#ranking caption");
    const body = document.querySelector("#ranking tbody");
    function render() {
      const area = view.signal("area"), type = view.signal("org_type");
      const typeName = type === "*" ? cfg.texts.all_types : type;
      const ranked = view.data(cfg.dataset).slice().sort((a, b) => a.rank - b.rank);
      body.replaceChildren();
      let text = cfg.texts.caption + " " + area + ", " + typeName;
      if (hidden.has(area + "\\u0000" + type)) {
        const tr = document.createElement("tr");
        tr.className = "grijs";
        const td = cell("td", cfg.texts.suppressed);
        td.colSpan = cfg.texts.columns.length;
        tr.appendChild(td);
        body.appendChild(tr);
      } else {
        if (ranked.length) text += " (n = " + ranked[0].n + " " + cfg.texts.respondents + ")";
        for (const r of ranked) {
          const tr = document.createElement("tr");
          tr.dataset.theme = r.theme;
          tr.appendChild(cell("td", String(r.rank), "getal"));
          tr.appendChild(cell("th", r.label));
          tr.lastChild.scope = "row";
          tr.appendChild(cell("td", number.format(r.score), "getal"));
          const kinds = {done_text: "gedaan", need_text: "getal nood"};
          for (const key of ["need_text", "done_text", "rating_text", "requests_text", "top_text"])
            tr.appendChild(cell("td", r[key], kinds[key] || "getal"));
          tr.appendChild(cell("td", r.reason, "waarom"));
          body.appendChild(tr);
        }
      }
      for (const input of document.querySelectorAll("#controls input[type=range]")) {
        let shown = input.parentElement.querySelector("output");
        if (!shown) {  // the weight with a decimal comma (Vega's own value is hidden)
          shown = document.createElement("output");
          input.parentElement.appendChild(shown);
        }
        shown.textContent = number.format(+input.value);
      }
      caption.textContent = text;
      document.getElementById("status").textContent = text;
      document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
    }
    for (const name of Object.keys(cfg.defaults)) view.addSignalListener(name, render);
    view.addDataListener(cfg.dataset, render);
    document.getElementById("reset").addEventListener("click", function () {
      for (const [name, value] of Object.entries(cfg.defaults)) view.signal(name, value);
      view.runAsync().then(render);
    });
    render();
  });
})();
"""
