"""Building blocks of a report notebook: header, headings, numbered tables and figures.

A report notebook makes one `ReportBook` and shows everything through it, so that

- every table is also written to `tabellen.xlsx` (one sheet each, with title, n and source),
- every chart is saved as PNG in the report's own `figures/` folder (never a shared one:
  one region's report can never show another region's chart) and shown with alt text,
- counts of 1 to threshold − 1 respondents never reach a reader (shown as "x"),
- headings carry ids, so the HTML export can build a table of contents from them.

Everything a reader sees comes in Dutch by default and in English with language="en".
"""

from __future__ import annotations

import base64
import html
import json
import re
import tempfile
from pathlib import Path

import pandas as pd

from inclusie_analysis.formats import format_date, format_number

HIDDEN = "x"
TOC_MARKER = "<!--inhoudstafel-->"

WORDS = {
    "nl": {
        "table": "Tabel",
        "figure": "Figuur",
        "source": "Bron",
        "hidden_note": "x = verborgen: minder dan {t} antwoorden, of af te leiden uit een totaal.",
        "synthetic": "Let op: dit rapport is gemaakt met synthetische demodata, niet met echte "
        "antwoorden.",
        "made_with": "Gemaakt met inclusie-analysis {v}",
        "data_until": "gegevens tot en met {d}",
        "cleaned": "opgeschoond op {d}",
        "parameters": "Parameters",
        "missing": "Ontbrekende gegevens: wat hieronder ontbreekt, is niet nul maar onbekend.",
    },
    "en": {
        "table": "Table",
        "figure": "Figure",
        "source": "Source",
        "hidden_note": "x = hidden: fewer than {t} responses, or derivable from a total.",
        "synthetic": "Note: this report was made with synthetic demo data, not real answers.",
        "made_with": "Made with inclusie-analysis {v}",
        "data_until": "data up to {d}",
        "cleaned": "cleaned on {d}",
        "parameters": "Parameters",
        "missing": "Missing data: what is missing below is unknown, not zero.",
    },
}


def slug(text: str) -> str:
    """A heading id: lower case, letters and digits joined by hyphens."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "sectie"


class ReportBook:
    """Collects what a report shows, so it can be exported as HTML, Excel and PDF alike.

    `output_dir` is the report's own folder (the runner passes a fresh temporary one); when
    None, e.g. when a researcher runs the notebook in JupyterLab, a temporary folder is used.
    """

    def __init__(
        self, output_dir: str | Path | None = None, language: str = "nl", threshold: int = 5
    ):
        if language not in WORDS:
            raise ValueError(f"language must be one of {', '.join(WORDS)}, not {language!r}")
        self.dir = Path(output_dir) if output_dir else Path(tempfile.mkdtemp(prefix="rapport-"))
        (self.dir / "figures").mkdir(parents=True, exist_ok=True)
        self.language = language
        self.threshold = threshold
        self.words = WORDS[language]
        self.tables: list[dict] = []
        self.figures: list[Path] = []
        self._ids: set[str] = set()

    # -- text ---------------------------------------------------------------------------------

    def header(
        self,
        title: str,
        subtitle: str,
        parameters: dict,
        data_until: pd.Timestamp | None,
        cleaned_at: pd.Timestamp | None,
        synthetic: bool,
        version: str,
        contents: bool = True,
        missing: list[str] | tuple[str, ...] = (),
    ):
        """The report's first block: title, what it covers, its parameters, the data's date and
        the package version, a notice when the data is synthetic, and one listing the inputs
        that are `missing` (sentences from `sources.missing_sentences`). With `contents` the
        HTML export puts a table of contents after it."""
        from IPython.display import HTML

        w, lang = self.words, self.language
        dates = [
            w["data_until"].format(d=format_date(data_until, lang)) if data_until else None,
            w["cleaned"].format(d=format_date(cleaned_at, lang)) if cleaned_at else None,
            w["made_with"].format(v=version),
        ]
        params = " · ".join(f"{k} = {html.escape(str(v))}" for k, v in parameters.items())
        notice = (
            f'<p class="waarschuwing"><strong>{w["synthetic"]}</strong></p>' if synthetic else ""
        )
        if missing:
            items = "".join(f"<li>{html.escape(text)}</li>" for text in missing)
            notice += (
                f'<div class="waarschuwing ontbrekend" role="note"><p><strong>{w["missing"]}'
                f"</strong></p><ul>{items}</ul></div>"
            )
        return HTML(
            f'<header class="rapport-kop"><h1>{html.escape(title)}</h1>'
            f'<p class="ondertitel">{html.escape(subtitle)}</p>'
            f'<p class="metadata">{" · ".join(d for d in dates if d)}<br>'
            f"{w['parameters']}: {params}</p>{notice}</header>{TOC_MARKER if contents else ''}"
        )

    def heading(self, text: str, level: int = 2):
        """A section heading with a unique id (the table of contents links to it)."""
        from IPython.display import HTML

        anchor = slug(text)
        while anchor in self._ids:
            anchor += "-2"
        self._ids.add(anchor)
        return HTML(f'<h{level} id="{anchor}">{html.escape(text)}</h{level}>')

    def text(self, markdown: str):
        """A paragraph of (generated) prose."""
        from IPython.display import Markdown

        return Markdown(markdown)

    def findings(self, items: list[str]):
        """A numbered list of key findings."""
        from IPython.display import HTML

        lis = "".join(f"<li>{html.escape(item)}</li>" for item in items)
        return HTML(f'<ol class="bevindingen">{lis}</ol>')

    # -- tables -------------------------------------------------------------------------------

    def table(
        self,
        frame: pd.DataFrame,
        title: str,
        *,
        n: int | str,
        source: str,
        counts: list[str] | tuple[str, ...] = (),
        note: str | list[str] | None = None,
        index: bool = True,
    ):
        """Show a numbered table with its n and source, and keep it for `tabellen.xlsx`.

        Columns named in `counts` hold numbers of respondents: values from 1 to threshold − 1
        and missing values (hidden by `stats.suppress_table`) are shown as "x". `note` is one
        line or a list of lines shown under the table (and above it in Excel).
        """
        from IPython.display import HTML

        frame = frame.reset_index() if index else frame.reset_index(drop=True)
        frame.columns = [str(c) for c in frame.columns]
        frame, hidden = self._hide_small_counts(frame, counts, title)
        number = len(self.tables) + 1
        notes = [note] if isinstance(note, str) else list(note or [])
        if hidden:
            notes.append(self.words["hidden_note"].format(t=self.threshold))
        count = format_number(n, self.language) if isinstance(n, int | float) else str(n)
        footer = f"n = {count} · {self.words['source']}: {source}"
        self.tables.append(
            {
                "number": number,
                "title": title,
                "frame": frame,
                "n": count,
                "source": source,
                "counts": list(counts),
                "notes": notes,
            }
        )
        return HTML(self._table_html(frame, number, title, footer, notes))

    def _hide_small_counts(
        self, frame: pd.DataFrame, counts: list[str] | tuple[str, ...], title: str
    ) -> tuple[pd.DataFrame, bool]:
        """The table with its small and missing counts shown as "x", and whether any was."""
        hidden = False
        for column in counts:
            if column not in frame.columns:
                raise KeyError(f"count column {column!r} is not in the table {title!r}")
            values = pd.to_numeric(frame[column], errors="coerce")
            small = values.isna() | ((values >= 1) & (values < self.threshold))
            hidden |= bool(small.any())
            frame[column] = [
                HIDDEN if is_small else int(v) for v, is_small in zip(values, small, strict=True)
            ]
            frame[column] = frame[column].astype(object)
        return frame, hidden

    def _table_html(
        self, frame: pd.DataFrame, number: int, title: str, footer: str, notes: list[str]
    ) -> str:
        """The numbered table as HTML: caption, column headers, and its n, source and notes."""
        shown = frame.map(self._cell)
        body = shown.to_html(index=False, border=0, classes="rapport-tabel", escape=True)
        body = body.replace("<th>", '<th scope="col">')
        caption = f"<caption>{self.words['table']} {number}. {html.escape(title)}</caption>"
        body = body.replace(
            'class="dataframe rapport-tabel">', f'class="rapport-tabel">{caption}', 1
        )
        extra = "".join(f"<br>{html.escape(text)}" for text in notes)
        return (
            f'<div class="tabel-blok">{body}<p class="tabel-voet">{html.escape(footer)}{extra}</p>'
            "</div>"
        )

    def _cell(self, value: object) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return "–"
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return format_number(value, self.language)
        if isinstance(value, float):
            return format_number(value, self.language, decimals=1)
        if isinstance(value, str):  # as typed: the inert apostrophe belongs to spreadsheets
            from inclusie_analysis.clean.privacy import as_typed

            return as_typed(value)
        return str(value)

    # -- figures ------------------------------------------------------------------------------

    def figure(self, fig, title: str, alt: str, width: str | None = None):
        """Save a chart as PNG in this report's own folder and show it with its alt text
        (`width`, e.g. "60%", caps how wide it is shown)."""
        from IPython.display import HTML

        from inclusie_analysis.publish.plots import save_png

        number = len(self.figures) + 1
        path = self.dir / "figures" / f"{number:02d}-{slug(title)[:40]}.png"
        save_png(fig, path)
        self.figures.append(path)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        style = f' style="max-width: {html.escape(width)}"' if width else ""
        return HTML(
            f'<figure class="figuur"><img src="data:image/png;base64,{data}"{style} '
            f'alt="{html.escape(alt, quote=True)}">'
            f"<figcaption>{self.words['figure']} {number}. {html.escape(title)}</figcaption>"
            "</figure>"
        )

    # -- export -------------------------------------------------------------------------------

    def write_excel(self) -> Path:
        """Write every table shown so far to `tabellen.xlsx`, one sheet each, plus
        `tabellen.json` saying which columns are counts (the tests check those). Figures are
        stored as numbers with number formats, intervals as three columns (`excel.as_numbers`).
        """
        from inclusie_analysis.publish.excel import write_tables

        sheets, notes, meta = {}, {}, {}
        for table in self.tables:
            name = f"{table['number']} {table['title']}"[:31].strip()
            name = re.sub(r"[\[\]:*?/\\]", "-", name)
            sheets[name] = table["frame"]
            notes[name] = " · ".join(
                [f"{self.words['table']} {table['number']}. {table['title']}",
                 f"n = {table['n']}", f"{self.words['source']}: {table['source']}",
                 *table["notes"]]
            )  # fmt: skip
            meta[name] = {"title": table["title"], "n": table["n"], "counts": table["counts"]}
        path = write_tables(self.dir / "tabellen.xlsx", sheets, notes, language=self.language)
        (self.dir / "tabellen.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        return path
