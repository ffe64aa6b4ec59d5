"""The data-quality report for staff: what was read, what was fixed, what needs a look.

Written next to the cleaned data as `datakwaliteit.xlsx` (everything, one sheet per table)
and `datakwaliteit.html` (a short overview that opens offline). In Dutch.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from inclusie_analysis.clean.sources import missing_sentences, sources_table
from inclusie_analysis.publish.excel import write_tables

ACTIONS = {
    # action: (Dutch label, needs a person to check)
    "municipality_normalised": ("Gemeente: schrijfwijze gelijkgetrokken", False),
    "municipality_postcode": ("Gemeente: herkend aan postcode", False),
    "municipality_pre_merger": ("Gemeente: vroegere gemeente (fusie)", False),
    "municipality_alias": ("Gemeente: via aliasbestand", False),
    "municipality_locality": ("Gemeente: deelgemeente of wijk", False),
    "municipality_outside": ("Gemeente: buiten Vlaanderen en Brussel", True),
    "municipality_ij_y": ("Gemeente: y gelezen als ij", False),
    "municipality_part_of_name": ("Gemeente: herkend aan een deel van de naam", True),
    "municipality_fuzzy": ("Gemeente: herkend ondanks tikfout", True),
    "municipality_ambiguous": ("Gemeente: niet eenduidig", True),
    "municipality_unknown": ("Gemeente: niet herkend", True),
    "pii_scrubbed": ("Persoonsgegevens verwijderd uit open antwoord", False),
    "formula_neutralised": ("Formule onschadelijk gemaakt", False),
    "column_unmatched": ("Kolom niet in het codeboek", True),
    "choice_unknown": ("Onbekende keuze", True),
    "choice_repeated": ("Keuze dubbel aangevinkt (één keer geteld)", False),
    "scale_unknown": ("Onbekend antwoord op een schaal", True),
    "theme_missing": ("Leernood zonder thema", True),
    "number_unreadable": ("Geen getal", True),
    "date_unreadable": ("Datum niet herkend", True),
    "date_parsed": ("Datum herkend uit tekst of serienummer", False),
    "date_implausible": ("Datum in een ander jaar", True),
    "type_unknown": ("Onbekend soort activiteit", True),
    "theme_unknown": ("Thema van een activiteit niet herkend", True),
    "hours_parsed": ("Duur omgerekend naar uren", False),
    "hours_unreadable": ("Duur niet herkend", True),
    "mode_unknown": ("Vorm niet herkend", True),
    "goal_unknown": ("Doelstelling niet herkend", True),
    "count_unreadable": ("Aantal niet herkend", True),
    "attendance_mismatch": ("Register en aanwezigheidslijst verschillen", True),
    "present_unknown": ("Aanwezigheid niet herkend", True),
    "feedback_unlinked": ("Feedback niet gekoppeld aan een activiteit", True),
    "score_rejected": ("Tevredenheidsscore buiten 1-5", True),
    "nps_rejected": ("Aanbevelingsscore buiten 0-10", True),
    "sheet_chosen": ("Blad: het eerste blad had geen tabel, een ander werd gelezen", True),
}
STATUS_NL = {"kept": "behouden", "merged": "samengevoegd", "rejected": "afgewezen"}


def quality_tables(
    ledger: pd.DataFrame, fixes: pd.DataFrame, files: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The tables of the data-quality report, with Dutch headers."""
    overview = files.rename(
        columns={
            "file": "Bestand",
            "sheet": "Blad",
            "kind": "Soort",
            "platform": "Platform",
            "rows_in": "Rijen",
            "kept": "Behouden",
            "merged": "Samengevoegd",
            "rejected": "Afgewezen",
            "status": "Status",
            "error": "Fout",
        }
    )
    label = fixes["action"].map(lambda a: ACTIONS.get(a, (a, True))[0])
    check = fixes["action"].map(lambda a: ACTIONS.get(a, (a, True))[1])
    problems = pd.DataFrame(
        {
            "Nakijken": check.map({True: "ja", False: "nee"}),
            "Soort": label,
            "Bestand": fixes["file"],
            "Blad": fixes["sheet"],
            "Rij": fixes["row"],
            "Kolom": fixes["column"],
            "Waarde": fixes["value"],
            "Resultaat": fixes["result"],
            "Wat er gebeurde": fixes["message"],
            "Wat u kunt doen": fixes["advice"],
        }
    ).sort_values(
        ["Nakijken", "Bestand", "Rij"], ascending=[False, True, True], na_position="first"
    )
    moved = ledger.loc[ledger["status"] != "kept"]
    rows = pd.DataFrame(
        {
            "Bestand": moved["file"],
            "Blad": moved["sheet"],
            "Rij": moved["row"],
            "Status": moved["status"].map(STATUS_NL),
            "Reden": moved["message"],
            "Samengevoegd met rij": moved["kept_row"],
        }
    )
    counts = (
        problems.groupby(["Soort", "Nakijken"])
        .size()
        .rename("Aantal")
        .reset_index()
        .sort_values(["Nakijken", "Aantal"], ascending=[False, False])
    )
    return {
        "Overzicht": overview,
        "Per soort": counts,
        "Problemen": problems,
        "Rijen niet behouden": rows,
    }


def write_quality_report(
    ledger: pd.DataFrame,
    fixes: pd.DataFrame,
    files: pd.DataFrame,
    out_dir: Path,
    year: int,
    sources: list[dict] | None = None,
) -> tuple[Path, Path]:
    """Write datakwaliteit.xlsx and datakwaliteit.html into `out_dir`. With `sources` (which
    inputs of the year were found) both start with what is missing and a sheet "Bronnen"."""
    tables = quality_tables(ledger, fixes, files)
    notes = {
        "Overzicht": f"Datakwaliteit {year}: elke rij van elk bestand is behouden, samengevoegd of "
        "afgewezen (met de reden).",
        "Problemen": "Alles wat bij het opschonen veranderd werd of niet gelezen kon worden. "
        "'Nakijken = ja' vraagt uw aandacht.",
    }
    if sources:
        missing = missing_sentences(sources)
        tables = {**tables, "Bronnen": sources_table(sources)}
        notes["Bronnen"] = f"Welke gegevens voor {year} gevonden zijn." + (
            " Ontbrekende gegevens zijn niet nul: de rapporten zeggen dat ze ontbreken."
            if missing
            else ""
        )
        if missing:
            notes["Overzicht"] += " Let op, gegevens ontbreken: " + " ".join(missing)
    xlsx = write_tables(out_dir / "datakwaliteit.xlsx", tables, notes)
    page = out_dir / "datakwaliteit.html"
    page.write_text(_html(tables, year, sources or []), encoding="utf-8")
    return xlsx, page


def _html(tables: dict[str, pd.DataFrame], year: int, sources: list[dict]) -> str:
    overview = tables["Overzicht"]
    to_check = tables["Problemen"].loc[tables["Problemen"]["Nakijken"] == "ja"]
    failed = overview.loc[overview["Status"] != "ok"]
    missing = missing_sentences(sources)
    parts = [f"<h1>Datakwaliteit {year}</h1>"]
    if missing:
        items = "".join(f"<li>{html.escape(text)}</li>" for text in missing)
        parts.append(f"<div class='fout'><h2>Ontbrekende gegevens</h2><ul>{items}</ul></div>")
    parts += [
        f"<p>{int(overview['Rijen'].sum())} rijen gelezen uit {len(overview)} bestanden: "
        f"{int(overview['Behouden'].sum())} behouden, {int(overview['Samengevoegd'].sum())} "
        f"samengevoegd (dubbele inzendingen), {int(overview['Afgewezen'].sum())} afgewezen. "
        f"{len(to_check)} punten om na te kijken. De volledige lijsten staan in "
        "<code>datakwaliteit.xlsx</code>.</p>",
    ]
    if len(failed):
        parts.append(
            f"<p class='fout'><strong>{len(failed)} bestand(en) konden niet gelezen worden."
            "</strong></p>"
        )
    sheets = tables["Problemen"].loc[tables["Problemen"]["Soort"] == ACTIONS["sheet_chosen"][0]]
    if len(sheets):  # a whole file may have been read from the wrong sheet: first of all
        columns = ["Bestand", "Blad", "Wat er gebeurde", "Wat u kunt doen"]
        parts += ["<h2>Niet het eerste blad gelezen</h2>", _table(sheets[columns])]
    if "Bronnen" in tables:
        parts += ["<h2>Gegevens van het jaar</h2>", _table(tables["Bronnen"])]
    parts += ["<h2>Per bestand</h2>", _table(overview)]
    parts += ["<h2>Per soort probleem</h2>", _table(tables["Per soort"])]
    if len(to_check):
        parts += ["<h2>Na te kijken (eerste 50)</h2>", _table(to_check.head(50))]
    style = (
        "body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;font-size:90%}"
        "td,th{border:1px solid #ccc;padding:.25em .5em;"
        "text-align:left;vertical-align:top}th{background:#eee}.fout{color:#a00}"
    )
    return (
        f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>Datakwaliteit {year}"
        f"</title><style>{style}</style></head><body>{''.join(parts)}</body></html>"
    )


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{'' if pd.isna(v) else html.escape(str(v))}</td>" for v in row)
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
