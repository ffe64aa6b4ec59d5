"""Protecting the suite's linked count tables together, with the disclosure audit as judge.

The yearly reports publish the same counts at several levels: everyone, each province (and
Brussels), each referentieregio or user region, and per municipality of a region. A cell hidden
in one report can be worked out from the others (a region is its province minus the other
regions; an organisation type's count from the totals in another table of the same people).
`protect_linked` therefore hides cells in all tables of one population (respondents, or
participants) at once: small counts (1 to threshold − 1), complementary cells per line, and,
wherever the audit of all those tables together still works a hidden cell out, one more cell
in the table that gives it away, until the audit passes. A table that cannot be protected
(e.g. every count in it is small) is withheld whole: the report shows a sentence instead.

Cells in `fixed` are published elsewhere (a caption n, the number of responses per area and
wave in the method section): they are never hidden, and the protection works around them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from inclusie_analysis.analyse.stats import complete_suppression
from inclusie_analysis.publish.disclosure import _population, audit_tables
from inclusie_analysis.publish.published import PublishedTable

TOTAL = "Totaal"


@dataclass
class CountTable:
    """One count table of one report before protection: `counts` holds the inner cells
    (row labels as index, count columns), without totals; a "Totaal" row is added, and a
    "Totaal" column when `column_total` (not for one column). `fixed` names cells, by their
    row and column label ("Totaal" for the margins), that must stay shown."""

    title: str
    area: str
    counts: pd.DataFrame
    fixed: set[tuple[str, str]] = field(default_factory=set)
    column_total: bool = True
    level: str = ""  # the report level ("vlaanderen", "provincie", "referentieregio", …)

    def full(self) -> pd.DataFrame:
        full = self.counts.astype("int64").copy()
        full.columns = [str(c) for c in full.columns]
        full.index = [str(i) for i in full.index]
        if self.column_total:
            full[TOTAL] = full.sum(axis=1)
        full.loc[TOTAL] = full.sum(axis=0)
        return full


def _published(full: pd.DataFrame, hidden: pd.DataFrame) -> pd.DataFrame:
    return full.astype("Float64").mask(hidden)


def _as_audited(i: int, table: CountTable, frame: pd.DataFrame) -> PublishedTable:
    return PublishedTable(
        str(i), table.title, frame.rename_axis("Rij").reset_index(), tuple(frame.columns),
        area=table.area,
    )  # fmt: skip


def protect_linked(
    tables: list[CountTable],
    threshold: int = 5,
    protection_width: int = 3,
    rounds: int = 80,
    frozen: dict[int, pd.DataFrame] | None = None,
) -> list[pd.DataFrame | None]:
    """The published form of each table (with its totals, hidden cells NA), protected together
    so that the audit of all of them passes (see the module docstring); None for a table
    withheld whole. `frozen` maps a table's index to its published form from an earlier
    protection (the provinces before their regions): it stays as it is, and what it would
    give away is hidden in the other tables, or those are withheld."""
    frozen = frozen or {}
    fulls = [t.full() for t in tables]
    hidden, fixed = _starting_masks(tables, fulls, threshold, frozen)
    withheld = [False] * len(tables)
    for round_ in range(rounds + len(tables)):
        hidden = [
            complete_suppression(f, h, keep_grand_total=True, fixed=x)
            for f, h, x in zip(fulls, hidden, fixed, strict=True)
        ]
        shown = [i for i in range(len(tables)) if not withheld[i]]
        audited = [_as_audited(i, tables[i], _published(fulls[i], hidden[i])) for i in shown]
        result = audit_tables(audited, threshold, protection_width)
        if result.ok:
            break
        failing = sorted({int(r) for r in result.findings["Rapport"]})
        if round_ >= rounds:  # out of rounds: withhold what still fails
            for i in failing:
                if i in frozen:
                    _withhold_linked(i, tables, withheld, frozen)
                else:
                    withheld[i] = True
            continue
        alone = _failing_alone(audited, failing, threshold, protection_width)
        _hide_one_per_table(result.findings, alone, tables, fulls, hidden, fixed, withheld, frozen)
    return [None if withheld[i] else _published(fulls[i], hidden[i]) for i in range(len(tables))]


def _starting_masks(tables, fulls, threshold, frozen) -> tuple[list, list]:
    """Per table, the cells hidden to begin with (the small ones, or a frozen table's hidden
    cells) and the fixed ones (never hidden: a frozen table's shown cells)."""
    fixed = [_fixed_mask(t, f) for t, f in zip(tables, fulls, strict=True)]
    hidden = [((f >= 1) & (f < threshold)) & ~x for f, x in zip(fulls, fixed, strict=True)]
    for i, published in frozen.items():
        hidden[i] = published.isna().reindex_like(fulls[i]).fillna(False).astype(bool)
        fixed[i] = ~hidden[i]
    return hidden, fixed


def _failing_alone(audited, failing, threshold, protection_width) -> set[tuple]:
    """The (table, row, column) cells a failing table gives away on its own, without the
    tables linked to it."""
    return {
        (int(a.report), r.Rij, r.Kolom)
        for a in audited
        if int(a.report) in failing
        for r in audit_tables([a], threshold, protection_width).findings.itertuples()
    }


def _hide_one_per_table(findings, alone, tables, fulls, hidden, fixed, withheld, frozen) -> None:
    """Hide one more cell per failing table (the audit judges again next round): in the table
    itself when it fails alone, else in a linked table first; withhold what cannot be saved."""
    done: set[int] = set()
    for finding in findings.itertuples(index=False):
        i, row, column = int(finding.Rapport), str(finding.Rij), str(finding.Kolom)
        if i in done:
            continue
        done.add(i)
        if (i, row, column) in alone:
            changed = _hide_next(fulls[i], hidden[i], row, column, fixed[i])
        else:
            changed = _hide_linked(i, row, column, tables, fulls, hidden, fixed, withheld)
            changed = changed or _hide_next(fulls[i], hidden[i], row, column, fixed[i])
        if not changed and i in frozen:
            changed = _withhold_linked(i, tables, withheld, frozen)
        if not changed:
            withheld[i] = True


def _withhold_linked(i, tables, withheld, frozen) -> bool:
    """Withhold every table of the population that overlaps the frozen table i's province and
    is not frozen itself: what i would give away then no longer follows."""
    from inclusie_analysis.clean.areas import area_codes

    family = _family(tables[i].area)
    population = _population(tables[i].title)
    changed = False
    for j, table in enumerate(tables):
        codes = area_codes(table.area)
        overlaps = family is None or codes is None or bool(family & codes)
        if j in frozen or withheld[j] or _population(table.title) != population or not overlaps:
            continue
        withheld[j] = changed = True
    return changed


def _fixed_mask(table: CountTable, full: pd.DataFrame) -> pd.DataFrame:
    mask = pd.DataFrame(False, index=full.index, columns=full.columns)
    mask.loc[TOTAL, TOTAL if table.column_total else full.columns[-1]] = True
    if not table.column_total:
        mask.loc[TOTAL, :] = True  # one column: the total line is the caption n
    for row, column in table.fixed:
        if row in mask.index and column in mask.columns:
            mask.loc[row, column] = True
    return mask


def _hide_next(full, hidden, row, column, fixed) -> bool:
    """Hide the smallest shown, non-zero, not fixed inner number in the row of (row, column),
    else in its column, else the row's or the column's total, else anywhere in the table (a
    line total elsewhere can pin the cell: A + B = 5 when the other lines' totals show);
    False when none is left."""
    inner_rows = [r for r in full.index if r != TOTAL]
    inner_columns = [c for c in full.columns if c != TOTAL]
    candidates = [
        [(row, c) for c in inner_columns] if row in full.index else [],
        [(r, column) for r in inner_rows] if column in full.columns else [],
        [(row, TOTAL)] if TOTAL in full.columns and row in full.index else [],
        [(TOTAL, column)] if column in full.columns else [],
        [(r, c) for r in inner_rows for c in inner_columns],
        [(r, c) for r in full.index for c in full.columns if TOTAL in (r, c)],
    ]
    for cells in candidates:
        shown = [
            (full.loc[cell], cell)
            for cell in cells
            if not fixed.loc[cell] and not hidden.loc[cell] and full.loc[cell] > 0
        ]
        if shown:
            hidden.loc[min(shown)[1]] = True
            return True
    return False


def _family(area: str) -> set[str] | None:
    """The municipalities of the provinces an area lies in (None: everything): the tables
    that can give a cell of the area away by differencing are those that overlap them."""
    from inclusie_analysis.clean.areas import area_codes, level_regions

    codes = area_codes(area)
    if codes is None:
        return None
    return {c for p in level_regions("provincie").values() if p & codes for c in p} | set(codes)


def _hide_linked(i, row, column, tables, fulls, hidden, fixed, withheld) -> bool:
    """Hide the smallest shown, non-zero, not fixed inner cell of the same line and column in
    another table of the same kind (a province and its regions), else of the same column in
    any linked table of the same population."""
    population = _population(tables[i].title)
    same_line, other_lines = [], []
    for j, table in enumerate(tables):
        if j == i or withheld[j] or _population(table.title) != population:
            continue
        full, h, x = fulls[j], hidden[j], fixed[j]
        if column not in full.columns:
            continue
        for r in full.index:
            if r == TOTAL or h.loc[r, column] or x.loc[r, column] or full.loc[r, column] <= 0:
                continue
            entry = (int(full.loc[r, column]), j, r)
            if table.title == tables[i].title and r == row:
                same_line.append(entry)
            else:
                other_lines.append(entry)
    for candidates in (same_line, other_lines):
        if candidates:
            _, j, r = min(candidates)
            hidden[j].loc[r, column] = True
            return True
    return False


# ---------------------------------------------------------------------------------------------
# The suite's linked tables: built for every area of the report levels, protected once

TITLES = {
    "province": ("Antwoorden per provincie en bevraging", "Responses per province and survey wave"),
    "org": ("Antwoorden per soort organisatie", "Responses per organisation type"),
    "reach_type": (
        "Bereikte deelnemers per soort organisatie",
        "Participants reached per organisation type",
    ),
}
PARTICIPANTS = {"nl": "Deelnemers", "en": "Participants"}


def title(kind: str, language: str = "nl") -> str:
    """The published title of a kind of linked table."""
    return TITLES[kind][0 if language == "nl" else 1]


def suite_areas(levels: list[str]) -> list[tuple[str, str]]:
    """(level, area) of every yearly report of a suite: everyone, then each level's areas."""
    from inclusie_analysis.clean.areas import FLANDERS_AND_BRUSSELS, level_regions

    return [("vlaanderen", FLANDERS_AND_BRUSSELS)] + [
        (level, name) for level in levels for name in level_regions(level)
    ]


def _respondent_tables(respondents, levels, language, latest_wave) -> list[CountTable]:
    from inclusie_analysis.analyse.stats import count_responses_by_province
    from inclusie_analysis.analyse.yearly import org_type_counts
    from inclusie_analysis.clean.areas import FLANDERS_AND_BRUSSELS, PROVINCE_LEVEL, select_area

    waves = [str(w) for w in sorted(respondents["wave"].unique())]
    tables = []
    for level, area in suite_areas(levels):
        mine = select_area(respondents, area)
        regional = level not in ("vlaanderen", PROVINCE_LEVEL)
        org = org_type_counts(mine, language)
        org.columns = [str(c) for c in org.columns]
        org = org.reindex(columns=[str(latest_wave)] if regional else waves, fill_value=0)
        tables.append(CountTable(title("org", language), area, org, {(TOTAL, c) for c in org},
                                 level=level))  # fmt: skip
        if regional:
            continue
        by_province = count_responses_by_province(mine, language).iloc[:-1]
        by_province = by_province.reindex(columns=waves, fill_value=0)
        if area != FLANDERS_AND_BRUSSELS:
            by_province = by_province.loc[by_province.sum(axis=1) > 0]
        # the responses per area and wave are public (the method section gives them)
        fixed = {(str(r), c) for r in [*by_province.index, TOTAL] for c in [*waves, TOTAL]}
        tables.append(
            CountTable(title("province", language), area, by_province, fixed, level=level)
        )
    return tables


def _participant_tables(attendance, events, levels, language) -> list[CountTable]:
    from inclusie_analysis.analyse.yearly import ORG_TYPES, reach

    names = ORG_TYPES[language]
    order = [*names, "onbekend"]
    column = PARTICIPANTS[language]
    tables = []
    for level, area in suite_areas(levels):
        reached = reach(attendance, events, area)
        by_type = reached["by_type"]
        by_type = by_type.reindex([t for t in order if t in by_type.index]).rename(index=names)
        frame = by_type.rename(column).to_frame()
        tables.append(CountTable(title("reach_type", language), area, frame, column_total=False,
                                 level=level))  # fmt: skip
    return tables


def protect_suite(
    respondents: pd.DataFrame,
    attendance: pd.DataFrame,
    events: pd.DataFrame,
    levels: list[str],
    latest_wave: int,
    threshold: int = 5,
    protection_width: int = 3,
    language: str = "nl",
) -> dict[tuple[str, str, str], pd.DataFrame | None]:
    """Every linked table of the suite's yearly reports, protected together per population:
    {(title, level, area): published frame with totals, hidden cells NA; None when withheld}
    (the level tells the province Limburg from the referentieregio Limburg).
    `events` are the year's events."""
    out = {}
    for tables in (
        _respondent_tables(respondents, levels, language, latest_wave),
        _participant_tables(attendance, events, levels, language),
    ):
        for table, frame in zip(tables, _by_level(tables, threshold, protection_width),
                                strict=True):  # fmt: skip
            out[table.title, table.level, table.area] = frame
    return out


def _by_level(tables: list[CountTable], threshold: int, width: int) -> list[pd.DataFrame | None]:
    """Everyone and the provinces first, as if there were no regions; then the regions, with
    the first ones kept as they are: a region that would give a province's hidden cell away
    hides more, or is withheld, never the province."""
    upper = [i for i, t in enumerate(tables) if t.level in ("vlaanderen", "provincie")]
    if len(upper) == len(tables):
        return protect_linked(tables, threshold, width)
    published = protect_linked([tables[i] for i in upper], threshold, width)
    frozen = {i: frame for i, frame in zip(upper, published, strict=True) if frame is not None}
    keep = [i for i in range(len(tables)) if i not in upper or i in frozen]
    result = protect_linked(
        [tables[i] for i in keep], threshold, width,
        frozen={keep.index(i): frame for i, frame in frozen.items()},
    )  # fmt: skip
    out: list[pd.DataFrame | None] = [None] * len(tables)
    for position, i in enumerate(keep):
        out[i] = result[position]
    return out


CACHE_VERSION = 3


def suite_protection(
    data_dir: str | Path,
    year: int,
    levels: list[str],
    threshold: int = 5,
    protection_width: int = 3,
    language: str = "nl",
) -> dict[tuple[str, str, str], pd.DataFrame | None]:
    """`protect_suite` on the cleaned data of `data_dir`, computed once per data and settings:
    the result is kept in `data_dir/bescherming/` (keyed by the data files' hashes and the
    settings), so every report of a run, in any worker, publishes the same cells."""
    import hashlib
    import json

    import inclusie_analysis as ia

    data_dir = Path(data_dir)
    digest = hashlib.sha256(
        json.dumps([CACHE_VERSION, year, levels, threshold, protection_width, language]).encode()
    )
    for name in ("respondents.parquet", "attendance.parquet", "events.parquet"):
        path = data_dir / name
        digest.update(path.read_bytes() if path.exists() else b"-")
    from inclusie_analysis.clean.areas import user_regions_digest

    digest.update(user_regions_digest().encode())
    cache = data_dir / "bescherming" / f"{digest.hexdigest()[:16]}.json"
    if cache.exists():
        return _read_cache(cache)
    needs = ia.load_needs(data_dir)
    events = ia.load_events(data_dir)
    latest = int(needs.respondents["wave"].max())
    this_year = events.events.loc[events.events["year"] == year]
    out = protect_suite(
        needs.respondents, events.attendance, this_year, levels, latest, threshold,
        protection_width, language,
    )  # fmt: skip
    _write_cache(cache, out)
    return out


def _write_cache(path: Path, tables: dict) -> None:
    import json
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    payload = [
        {"title": t, "level": lv, "area": a, "table": None if f is None else json.loads(
            f.astype("object").where(f.notna(), None).to_json(orient="split"))}
        for (t, lv, a), f in tables.items()
    ]  # fmt: skip
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)  # atomic: a worker reading at the same time sees all or nothing


def _read_cache(path: Path) -> dict:
    import json

    out = {}
    for entry in json.loads(path.read_text(encoding="utf-8")):
        table = entry["table"]
        frame = None
        if table is not None:
            frame = pd.DataFrame(
                table["data"], index=table["index"], columns=table["columns"]
            ).astype("Float64")
        out[entry["title"], entry["level"], entry["area"]] = frame
    return out
