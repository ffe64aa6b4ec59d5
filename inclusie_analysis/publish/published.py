"""Reading the published count tables of a report suite, as a reader of the reports sees them.

Each report writes its tables to `tabellen.xlsx` with their titles, caption n and count
columns in `tabellen.json`; the disclosure audit (`disclosure`) and the protection of the
linked tables (`protection`) work on `PublishedTable`s read from there or made in memory. The
vocabularies below say, by title, what each kind of published table counts and how it adds up.
Split from `disclosure` so the audit's linear programming reads on its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

HIDDEN = "x"

# Which published tables count people that belong to one area (respondents, participants):
# the parts' tables add up to the all-Flanders one. Matched on the start of the title.
BY_AREA = (
    "Antwoorden per provincie en bevraging",
    "Responses per province and survey wave",
    "Antwoorden per soort organisatie",
    "Responses per organisation type",
    "Bereikte deelnemers per soort organisatie",
    "Participants reached per organisation type",
    "Grote of zeer grote nood per thema",
    "Large or very large need per theme",
    "Verandering van de leernoden",
    "Change in learning needs",
)
# Which people the BY_AREA tables count: tables of one population are linked through them
# (see `_across_reports`); a BY_AREA kind not named here is a population of its own.
POPULATIONS = {
    "respondents": (
        "Antwoorden per provincie en bevraging",
        "Responses per province and survey wave",
        "Antwoorden per soort organisatie",
        "Responses per organisation type",
    ),
    "participants": (
        "Bereikte deelnemers per soort organisatie",
        "Participants reached per organisation type",
    ),
}
# Tables whose rows are places (a province, Brussels): a cell counts the people of its
# report's area in the row's place.
GEOGRAPHIC_ROWS = (
    "Antwoorden per provincie en bevraging",
    "Responses per province and survey wave",
)
NO_MUNICIPALITY_LABELS = ("Geen gemeente opgegeven", "No municipality given")
# Tables whose count column adds up to the n in the caption.
SUMS_TO_N = (
    "Bereikte deelnemers per soort organisatie",
    "Participants reached per organisation type",
    "Feedback per soort activiteit",
    "Feedback per activity type",
)
# Tables that may list their rows by count, largest first: when the shown numbers are in
# that order, a reader knows the hidden ones are too.
SORTED_BY_COUNT = (
    "Bereikte deelnemers per soort organisatie",
    "Participants reached per organisation type",
)
# Tables of the whole network, the same in every report.
NETWORK_WIDE = ("Feedback per soort activiteit", "Feedback per activity type")
# Tables that leave out lines with fewer than threshold answers (they are not zero).
WITHHOLD_SMALL = (
    "Grote of zeer grote nood per thema",
    "Large or very large need per theme",
    "Verandering van de leernoden",
    "Change in learning needs",
)


def title_matches(title: str, prefixes: tuple[str, ...]) -> bool:
    """Whether a table's title starts with one of `prefixes` (the vocabularies above)."""
    return title.startswith(prefixes)


def table_kind(title: str) -> str:
    """The table's title without its year part, so the same table matches across reports."""
    return title.split(",")[0].strip()


@dataclass(frozen=True)
class PublishedTable:
    """One published count table: `frame` has the row labels in its first column and the
    `counts` columns hold numbers, hidden cells as NA; `n` is the caption's n (None: none)."""

    report: str
    title: str
    frame: pd.DataFrame
    counts: tuple[str, ...]
    n: int | None = None
    area: str | None = None  # the report's area (None: not an area report)


def parse_count(value: object) -> float | None:
    """A published count as a number: None for hidden ("x" or empty); Dutch thousands
    separators are read. Text that is no count raises ValueError."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(".", "")
    if text in ("", HIDDEN, "–"):
        return None
    return float(int(text))


def parse_caption_n(text: str | int | None) -> int | None:
    """The caption's n when it is one whole number ("1.234" → 1234), else None."""
    if text is None:
        return None
    try:
        value = parse_count(text)
    except ValueError:
        return None
    return None if value is None else int(value)


def read_published(report_dir: Path, report: str, area: str | None = None) -> list[PublishedTable]:
    """The count tables of one report as published in its `tabellen.xlsx` + `tabellen.json`."""
    meta_file = report_dir / "tabellen.json"
    if not meta_file.exists():
        return []
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    tables = []
    for sheet, info in meta.items():
        counts = tuple(info.get("counts") or ())
        if not counts:
            continue
        frame = pd.read_excel(
            report_dir / "tabellen.xlsx",
            sheet_name=sheet,
            header=2,
            dtype=object,
            engine="openpyxl",
        )
        frame.columns = [str(c) for c in frame.columns]
        for column in counts:
            frame[column] = pd.array([parse_count(v) for v in frame[column]], dtype="Float64")
        tables.append(
            PublishedTable(report, info["title"], frame, counts, parse_caption_n(info["n"]), area)
        )
    return tables


def read_suite(year_dir: Path) -> list[PublishedTable]:
    """Every published count table of the yearly reports of a run (`reports/<year>/`); the
    area of each report comes from its parameters in `manifest.json`."""
    year_dir = Path(year_dir)
    manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    tables = []
    for report, entry in sorted(manifest.get("reports", {}).items()):
        area = (entry.get("parameters") or {}).get("area")
        if area is not None:
            tables += read_published(year_dir / entry.get("folder", report), report, area)
    return tables


def unread_reports(year_dir: Path) -> list[str]:
    """The area reports of a run (`reports/<year>/`) that were made without Excel: they have a
    folder but no `tabellen.json`, so the audit cannot read their tables."""
    manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    return [
        report
        for report, entry in sorted(manifest.get("reports", {}).items())
        if (entry.get("parameters") or {}).get("area") is not None
        and (year_dir / entry.get("folder", report)).is_dir()
        and not (year_dir / entry.get("folder", report) / "tabellen.json").exists()
    ]
