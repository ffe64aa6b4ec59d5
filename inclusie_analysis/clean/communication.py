"""A register's communication sheet → the activities frame (newsletters, Lokaal articles, good
practices).

One row per communication output, its type read through the `communication_types` vocabulary
of the mapping file (unknown spellings count as 'andere' and are written to the ledger). Split
from `clean.events`, which shares the spellings and column lists used here.
"""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.clean.events import (
    ACTIVITY_COLUMNS,
    EventsConfig,
    _blank,
    _find_columns,
    _norm,
    _vocabulary,
    parse_date,
)
from inclusie_analysis.clean.ledger import KEPT, REJECTED, FixLog, Ledger, Outcomes
from inclusie_analysis.read.readers import RawExport


def _communication_sheet(
    raw: RawExport, year: int, config: EventsConfig, ledger: Ledger
) -> pd.DataFrame:
    """The communication outputs of one sheet; blank rows rejected, every other row kept."""
    spec = config.section("register")
    columns = _find_columns(raw, spec["communication_columns"], ["type"], "communicatieblad")
    vocabulary = _vocabulary(config.section("communication_types"))
    labels = {k: v["label"] for k, v in config.section("communication_types").items()}
    out, outcomes, fixes = [], Outcomes(raw.path.name, raw.sheet), FixLog(raw.path.name, raw.sheet)
    for i, record in enumerate(raw.frame.itertuples(index=False)):
        row = raw.spreadsheet_row(i)
        cells = dict(zip(raw.frame.columns, record, strict=True))
        if all(_blank(v) for v in cells.values()):
            outcomes.add(row, REJECTED, "blank")
            continue
        written = cells.get(columns["type"])
        kind = vocabulary.get(_norm(written)) if not _blank(written) else None
        if kind is None:
            fixes.add(
                row,
                columns["type"],
                "type",
                written,
                "other",
                "type_unknown",
                "Onbekend soort communicatie; geteld als 'andere'.",
                "Voeg de schrijfwijze toe aan communication_types in events.yaml "
                "(instelling paths.events_config).",
            )
            kind = "other"
        day = parse_date(cells.get(columns["date"])) if "date" in columns else None
        activity_id = f"{raw.path.stem}:{raw.sheet}:{row}"
        out.append(
            {
                "activity_id": activity_id,
                "date": pd.Timestamp(day) if day else pd.NaT,
                "year": day.year if day else year,
                "type": kind,
                "type_label": labels.get(kind, "Andere"),
                "title": None
                if "title" not in columns or _blank(cells.get(columns["title"]))
                else str(cells[columns["title"]]).strip(),
                "source_file": raw.path.name,
                "source_row": row,
            }
        )
        outcomes.add(row, KEPT, record_id=activity_id)
    ledger.record_rows(outcomes.frame())
    fixes.record(ledger)
    return pd.DataFrame(out, columns=ACTIVITY_COLUMNS)
