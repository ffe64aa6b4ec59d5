"""Disclosure audit of a whole report suite: can a reader work out a hidden cell?

A reader of the suite knows every published count table of every report. From them follow
linear constraints: each table's lines add up to their published totals (and, for some
tables, to the n in the caption), the same table of the province reports and Brussels adds up
to the one of the all-Flanders report (plus organisations without a municipality), network-wide
tables are the same in every report, zeros are shown (so a hidden cell is at least 1) and
counts are never negative. For every hidden cell the audit computes, with linear programming
(scipy's HiGHS), the smallest and largest value it can take under those constraints. A hidden
cell is disclosed when that interval is narrower than the protection width, or when it shows
the cell to be a small count (upper bound below the threshold).

Tables come from each report's `tabellen.xlsx` + `tabellen.json` (`published.read_published`) or
are made in memory (`published.PublishedTable`); `audit_tables` does the work,
`audit_suite` reads a run's folder and audits it. One count column of a single table is
protected here too (`protect_count_column`), with the rule for which shares may be shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pandas as pd

from inclusie_analysis.analyse.stats import share_shown
from inclusie_analysis.clean.areas import province_order
from inclusie_analysis.errors import InputError
from inclusie_analysis.publish.published import (
    BY_AREA,
    GEOGRAPHIC_ROWS,
    NETWORK_WIDE,
    NO_MUNICIPALITY_LABELS,
    POPULATIONS,
    SORTED_BY_COUNT,
    SUMS_TO_N,
    WITHHOLD_SMALL,
    PublishedTable,
    read_suite,
    table_kind,
    title_matches,
    unread_reports,
)

FLANDERS_AND_BRUSSELS = "Vlaanderen en Brussel"
PARTS = tuple(province_order())  # the areas that add up to Vlaanderen en Brussel
TOTAL_LABELS = ("Totaal", "Total")

COLUMNS = ["Rapport", "Tabel", "Rij", "Kolom", "Ondergrens", "Bovengrens", "Breedte", "Probleem"]


@dataclass
class AuditResult:
    """What the audit found: every hidden cell's interval, the problem ones, figures."""

    intervals: pd.DataFrame
    findings: pd.DataFrame
    protection_width: int
    threshold: int
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.findings.empty

    @property
    def hidden(self) -> int:
        return len(self.intervals)

    @property
    def narrowest(self) -> float | None:
        return float(self.intervals["Breedte"].min()) if len(self.intervals) else None

    def summary(self) -> str:
        """One Dutch sentence with the figures."""
        narrow = "–" if self.narrowest is None else f"{self.narrowest:g}"
        return (
            f"Controle op onthulling: {self.hidden} verborgen cellen, smalste interval {narrow}, "
            f"{len(self.findings)} cel(len) af te leiden (beschermingsbreedte "
            f"{self.protection_width}, drempel {self.threshold})."
            + "".join(f" {note}" for note in self.notes)
        )

    def lines(self) -> list[str]:
        """One line per disclosed cell: report, table, row, column and interval."""
        return [
            f"{r.Rapport} · {r.Tabel} · rij '{r.Rij}' · kolom '{r.Kolom}': "
            f"tussen {_fmt(r.Ondergrens)} en {_fmt(r.Bovengrens)} ({r.Probleem})"
            for r in self.findings.itertuples(index=False)
        ]


def _fmt(value: float) -> str:
    return "∞" if value == math.inf else f"{value:g}"


# ---------------------------------------------------------------------------------------------
# The linear constraints and the interval attack


class _Model:
    """Variables (one per cell, plus slacks) with bounds, and equality constraints."""

    def __init__(self):
        self.bounds: list[tuple[float, float | None]] = []
        self.rows: list[dict[int, float]] = []
        self.rhs: list[float] = []
        self.at_most: list[dict[int, float]] = []  # sum of terms ≤ 0

    def variable(self, low: float, high: float | None) -> int:
        self.bounds.append((low, high))
        return len(self.bounds) - 1

    def equal(self, terms: dict[int, float], value: float = 0.0) -> None:
        self.rows.append(terms)
        self.rhs.append(value)

    def not_above(self, smaller: int, larger: int) -> None:
        self.at_most.append({smaller: 1.0, larger: -1.0})


def _cells(tables, model, threshold, hidden_min):
    """One variable per count cell: published cells fixed, hidden ones in [hidden_min, ∞)."""
    cells: dict[tuple[int, str, str], int] = {}
    hidden: list[tuple[int, str, str]] = []
    for t, table in enumerate(tables):
        labels = table.frame.iloc[:, 0].astype(str).tolist()
        for column in table.counts:
            for label, value in zip(labels, table.frame[column], strict=True):
                if pd.isna(value):
                    cells[t, label, column] = model.variable(hidden_min, None)
                    hidden.append((t, label, column))
                else:
                    cells[t, label, column] = model.variable(float(value), float(value))
    return cells, hidden


def _fixed_order(labels: list[str]) -> bool:
    """Whether the lines follow the fixed order of the organisation types (then their order
    says nothing about their counts)."""
    from inclusie_analysis.analyse.yearly import ORG_TYPES

    order = [*ORG_TYPES["nl"].values(), *ORG_TYPES["en"].values(), "onbekend"]
    positions = [order.index(label) if label in order else -1 for label in labels]
    return -1 not in positions and positions == sorted(positions)


def _count_order(table: PublishedTable, labels: list[str], column: str) -> bool:
    """Whether a reader can tell that the lines are listed by count, largest first: they do
    not follow the fixed order of the categories and the shown numbers descend."""
    frame = table.frame.loc[table.frame.iloc[:, 0].astype(str).isin(labels)]
    shown = frame[column].dropna().tolist()
    return not _fixed_order(labels) and shown == sorted(shown, reverse=True)


def _table_sums(tables, cells, model, order: bool = True):
    """Lines add up to their totals; tables named in SUMS_TO_N add up to the caption n.
    A table of SORTED_BY_COUNT may be listed by count (`_count_order`)."""
    for t, table in enumerate(tables):
        labels = table.frame.iloc[:, 0].astype(str).tolist()
        inner = [label for label in labels if label not in TOTAL_LABELS]
        total_row = next((label for label in labels if label in TOTAL_LABELS), None)
        total_col = next((c for c in table.counts if c in TOTAL_LABELS), None)
        inner_cols = [c for c in table.counts if c not in TOTAL_LABELS]
        if total_row:
            for column in table.counts:
                terms = {cells[t, label, column]: 1.0 for label in inner}
                model.equal({**terms, cells[t, total_row, column]: -1.0})
        if total_col:
            for label in labels:
                terms = {cells[t, label, c]: 1.0 for c in inner_cols}
                model.equal({**terms, cells[t, label, total_col]: -1.0})
        if table.n is not None and title_matches(table.title, SUMS_TO_N) and len(inner_cols) == 1:
            model.equal({cells[t, label, inner_cols[0]]: 1.0 for label in inner}, table.n)
        if (
            order
            and title_matches(table.title, SORTED_BY_COUNT)
            and len(inner_cols) == 1
            and _count_order(table, inner, inner_cols[0])
        ):
            _sorted_order(t, inner, inner_cols[0], cells, model)


def _sorted_order(t, labels, column, cells, model):
    """In a table listed by count, largest first, every line is at most the one above it."""
    for above, below in pairwise(labels):
        model.not_above(cells[t, below, column], cells[t, above, column])


def _withheld(tables, cells, model, threshold, group):
    """A cell of a line a table leaves out: 0, or in a WITHHOLD_SMALL table between 0 and
    threshold − 1; a line of a WITHHOLD_SMALL table with several count columns is left out
    when any of them is small (a change needs both waves), so its cells are only ≥ 0."""

    def cell(t, label, column):
        key = (t, label, column)
        if key not in cells:
            small = title_matches(tables[t].title, WITHHOLD_SMALL)
            high = (threshold - 1.0 if len(tables[t].counts) == 1 else None) if small else 0.0
            cells[key] = model.variable(0.0, high)
        return cells[key]

    return cell


def _network_wide(tables, cells, model, members) -> None:
    """A network-wide table is the same in every report."""
    first = members[0]
    for t in members[1:]:
        for (s, label, column), var in list(cells.items()):
            if s == t and (first, label, column) in cells:
                model.equal({var: 1.0, cells[first, label, column]: -1.0})


def _population(title: str) -> str | None:
    """Which people a BY_AREA table counts: its tables are linked through them."""
    for name, prefixes in POPULATIONS.items():
        if title_matches(title, prefixes):
            return name
    return table_kind(title) if title_matches(title, BY_AREA) else None


class _Geography:
    """Municipalities as sets: every report area's, and the places that geographic row
    labels name (a province, Brussels, a municipality, "no municipality given")."""

    UNKNOWN = "?"

    def __init__(self):
        from inclusie_analysis.clean.geo import load_reference

        muni = load_reference().municipalities
        self.everything = frozenset(muni["nis_code"].astype(str)) | {self.UNKNOWN}
        self._areas: dict[str, frozenset[str]] = {}

    def area(self, name: str) -> frozenset[str]:
        if name not in self._areas:
            from inclusie_analysis.clean.areas import area_codes

            codes = area_codes(name)
            self._areas[name] = self.everything if codes is None else frozenset(codes)
        return self._areas[name]

    def place(self, label: str) -> frozenset[str] | None:
        """The municipalities a geographic row names (an area: a province, Brussels); None
        when the label names no place."""
        if label in NO_MUNICIPALITY_LABELS:
            return frozenset([self.UNKNOWN])
        try:
            return self.area(label)
        except InputError:
            return None


def _units(sets: list[frozenset[str]], everything: frozenset[str]) -> list[frozenset[str]]:
    """The coarsest partition of `everything` in which every set is a union of parts."""
    distinct = list(dict.fromkeys(sets))
    groups: dict[tuple[bool, ...], set[str]] = {}
    for code in everything:
        groups.setdefault(tuple(code in s for s in distinct), set()).add(code)
    return [frozenset(g) for g in groups.values()]


def _across_reports(tables, cells, model, threshold):
    """Tables of different reports are linked through the people they count. Each table of a
    BY_AREA kind counts the people of its report's area (a province, a region, everyone) and,
    for geographic rows, of the row's place; the counts of each part of the map (the smallest
    pieces those sets cut it into) are unknowns ≥ 0, and every cell is the sum of its parts'.
    So a province is the sum of its regions, everyone the sum of the provinces plus those
    without a municipality, for every level at once, nested or not.
    Tables of one population (respondents, participants) are linked across kinds too: per
    part, the organisation-type rows add up to what the geographic tables count. Network-wide
    tables are equal in every report."""
    kinds: dict[str, list[int]] = {}
    for t, table in enumerate(tables):
        kinds.setdefault(table_kind(table.title), []).append(t)
    populations: dict[str, list[int]] = {}
    for members in kinds.values():
        title = tables[members[0]].title
        if title_matches(title, NETWORK_WIDE):
            _network_wide(tables, cells, model, members)
        elif _population(title) is not None:
            area_members = [t for t in members if tables[t].area is not None]
            populations.setdefault(_population(title), []).extend(area_members)
    if not populations:
        return
    geography = _Geography()
    for members in populations.values():
        _link_population(tables, cells, model, threshold, members, geography)


def _inner(table: PublishedTable) -> list[str]:
    return [label for label in table.frame.iloc[:, 0].astype(str) if label not in TOTAL_LABELS]


def _link_population(tables, cells, model, threshold, members, geography) -> None:
    """Every inner cell of the population's tables is the sum of its parts' unknowns (see
    `_across_reports`); a line a table leaves out is 0, or 0 to threshold − 1 in a
    WITHHOLD_SMALL table."""
    geo = [t for t in members if title_matches(tables[t].title, GEOGRAPHIC_ROWS)]
    other = [t for t in members if t not in geo]
    cell = _withheld(tables, cells, model, threshold, members)
    # the set of municipalities behind each cell of a non-geographic table is its area's
    coarse = _units([geography.area(tables[t].area) for t in other], geography.everything)
    geo_sets = {}
    for t in geo:
        area = geography.area(tables[t].area)
        for label in {label for s in geo for label in _inner(tables[s])}:
            place = geography.place(label)
            if place is not None and place & area:
                geo_sets[t, label] = place & area
    fine = _units([*coarse, *geo_sets.values()], geography.everything) if geo else coarse
    atoms: dict[tuple, int] = {}

    def atom(*key) -> int:
        if key not in atoms:
            atoms[key] = model.variable(0.0, None)
        return atoms[key]

    def parts(units, within):
        return [u for u in units if u <= within]

    for kind_members in _by_kind(tables, other).values():
        labels = sorted({label for t in kind_members for label in _inner(tables[t])})
        for t in kind_members:
            area = geography.area(tables[t].area)
            for label in labels:  # a line left out is 0 (or small); a column left out is unknown
                for column in _columns(tables, [t]):
                    kind = table_kind(tables[t].title)
                    terms = {atom(kind, u, label, column): 1.0 for u in parts(coarse, area)}
                    model.equal({**terms, cell(t, label, column): -1.0})
    for (t, label), within in geo_sets.items():
        for column in (c for c in tables[t].counts if c not in TOTAL_LABELS):
            terms = {atom("geo", u, column): 1.0 for u in parts(fine, within)}
            model.equal({**terms, cell(t, label, column): -1.0})
    if not geo:
        return
    # per coarse part, each non-geographic kind's lines add up to the geographic count
    columns = {c for t in geo for c in tables[t].counts if c not in TOTAL_LABELS}
    for kind, kind_members in _by_kind(tables, other).items():
        labels = sorted({label for t in kind_members for label in _inner(tables[t])})
        for part in coarse:
            for column in columns & set(_columns(tables, kind_members)):
                terms = {atom(kind, part, label, column): 1.0 for label in labels}
                for u in parts(fine, part):
                    terms[atom("geo", u, column)] = -1.0
                model.equal(terms)


def _columns(tables, members) -> list[str]:
    """The count columns (not the total) of a kind's tables, in the order first seen."""
    found = [c for t in members for c in tables[t].counts if c not in TOTAL_LABELS]
    return list(dict.fromkeys(found))


def _by_kind(tables, members) -> dict[str, list[int]]:
    kinds: dict[str, list[int]] = {}
    for t in members:
        kinds.setdefault(table_kind(tables[t].title), []).append(t)
    return kinds


def _solver(model: _Model):
    """A function giving a variable's (lower, upper) bounds, integers rounded inwards."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    size = len(model.bounds)
    entries = [(r, v, coef) for r, terms in enumerate(model.rows) for v, coef in terms.items()]
    a_eq = (
        coo_matrix(
            ([e[2] for e in entries], ([e[0] for e in entries], [e[1] for e in entries])),
            shape=(len(model.rows), size),
        ).tocsr()
        if entries
        else None
    )
    b_eq = np.array(model.rhs) if entries else None
    a_ub = b_ub = None
    if model.at_most:
        ub = [(r, v, coef) for r, terms in enumerate(model.at_most) for v, coef in terms.items()]
        a_ub = coo_matrix(
            ([e[2] for e in ub], ([e[0] for e in ub], [e[1] for e in ub])),
            shape=(len(model.at_most), size),
        ).tocsr()
        b_ub = np.zeros(len(model.at_most))

    def bounds(var: int) -> tuple[float, float]:
        found = []
        for sign in (1.0, -1.0):
            c = np.zeros(size)
            c[var] = sign
            res = linprog(
                c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=model.bounds, method="highs"
            )
            if res.status == 3:  # unbounded: no upper limit
                found.append(math.inf)
            elif res.status != 0:
                raise ValueError(f"de gepubliceerde tabellen spreken elkaar tegen: {res.message}")
            else:
                found.append(sign * res.fun)
        low, high = math.ceil(found[0] - 1e-6), found[1]
        return float(low), high if high == math.inf else float(math.floor(high + 1e-6))

    return bounds


def _build(tables, threshold, hidden_min, order):
    model = _Model()
    cells, hidden = _cells(tables, model, threshold, hidden_min)
    _table_sums(tables, cells, model, order)
    _across_reports(tables, cells, model, threshold)
    return _solver(model), cells, hidden


def audit_tables(
    tables: list[PublishedTable],
    threshold: int = 5,
    protection_width: int = 3,
    hidden_min: int = 1,
) -> AuditResult:
    """The interval attack on every hidden cell of `tables` (see the module docstring).

    `hidden_min` is what a reader knows of a hidden cell: 1, because zeros are published.
    A cell is a finding when its interval (upper − lower) is narrower than
    `protection_width` ("exact" at width 0), or when its upper bound is below `threshold`
    (the reader learns it is a small count between lower and upper).
    """
    try:
        bounds, cells, hidden = _build(tables, threshold, hidden_min, order=True)
        if hidden:
            bounds(cells[hidden[0]])  # infeasible for one cell is infeasible for all
    except ValueError:  # the tables are not in count order after all
        bounds, cells, hidden = _build(tables, threshold, hidden_min, order=False)
    rows = []
    for t, label, column in hidden:
        low, high = bounds(cells[t, label, column])
        width = high - low
        if width == 0:
            problem = "exact"
        elif width < protection_width:
            problem = "interval te smal"
        elif high < threshold:
            problem = "klein aantal vastgelegd"
        else:
            problem = ""
        rows.append([tables[t].report, tables[t].title, label, column, low, high, width, problem])
    intervals = pd.DataFrame(rows, columns=COLUMNS)
    findings = intervals.loc[intervals["Probleem"] != ""].reset_index(drop=True)
    return AuditResult(intervals, findings, protection_width, threshold)


def audit_suite(year_dir: Path, threshold: int = 5, protection_width: int = 3) -> AuditResult:
    """Audit every published count table of a run's yearly reports (`reports/<year>/`); the
    result notes the reports it could not read (no `tabellen.json`: made without Excel)."""
    result = audit_tables(read_suite(year_dir), threshold, protection_width)
    unread = unread_reports(Path(year_dir))
    if unread:
        result.notes.append(
            f"Niet gecontroleerd (geen tabellen.json, gemaakt zonder Excel): {', '.join(unread)}."
        )
    return result


# ---------------------------------------------------------------------------------------------
# Protecting one table (the suite's linked tables: `inclusie_analysis.publish.protection`)

TOTAL = {"nl": "Totaal", "en": "Total"}


def protect_count_column(
    table: pd.DataFrame,
    column: str,
    threshold: int = 5,
    protection_width: int = 3,
    title: str = "Feedback per soort activiteit",
) -> pd.DataFrame:
    """Hide the small counts of one column whose sum is published (e.g. as the caption n), and
    more until the audit of the table works none of them out (`protection.protect_linked`: a
    small count among other small ones can still be pinned by the sum); the other columns of
    a hidden line show "–" (a response rate would give its count away). A table that cannot
    be protected shows no count at all."""
    from inclusie_analysis.publish.protection import CountTable, protect_linked

    counts = table[[column]].fillna(0).astype("int64")
    counts.index = [str(i) for i in counts.index]
    single = CountTable(title, FLANDERS_AND_BRUSSELS, counts, column_total=False)
    published = protect_linked([single], threshold, protection_width)[0]
    if published is None:
        hidden = pd.Series(counts[column].to_numpy() > 0, index=table.index)
    else:
        hidden = pd.Series(
            published[column].drop(index="Totaal").isna().to_numpy(), index=table.index
        )
    out = table.astype({c: object for c in table.columns if c != column}).copy()
    out[column] = table[column].astype("Float64").mask(hidden)
    others = [c for c in table.columns if c != column]
    if others:
        out.loc[hidden, others] = "–"
    return out


def hide_small_shares(frame: pd.DataFrame, share: str, n: str, threshold: int = 5) -> pd.DataFrame:
    """Blank the shares in column `share` whose numerator k = share × n or n − k is 1 to
    threshold − 1 (`share_shown`); e.g. "Tevreden (4-5)" 60 % of 5 says 3 and 2."""
    counts = frame[n].astype("Float64").fillna(0)
    k = (frame[share].astype("Float64") * counts).round()
    hide = pd.Series(
        [
            pd.notna(s) and not share_shown(int(kk), int(nn), threshold)
            for s, kk, nn in zip(frame[share], k.fillna(0), counts, strict=True)
        ],
        index=frame.index,
    )
    return frame.assign(**{share: frame[share].astype("Float64").mask(hide)})
