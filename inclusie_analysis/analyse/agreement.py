"""How well coders agree on the coding workbook, and the settled "gold" codes
(`inclusie themes agree`).

Two or more people code the same sample (`analyse.coding_workbook`), each group ja/nee. Per
coding group and over all groups together this module measures:

- observed agreement: the share of answers on which the coders agree (3+ coders: the mean
  over pairs of coders);
- Cohen's kappa (two coders; 3+ coders: the mean over pairs, Light's kappa): agreement
  corrected for the agreement expected by chance from each coder's own rate of "ja";
- Krippendorff's alpha (nominal), for any number of coders: 1 - observed / expected
  disagreement, computed from the coincidence matrix (Krippendorff 2011);
- prevalence: the share of "ja" over all coders' codes (a rare group makes kappa unstable).

"Over all groups" pools every answer × group decision. The disagreements are listed for the
coders to settle (a "besluit" per disagreement); the settled codes make the gold workbook,
in the layout of the coding workbook, and a CSV (id, text, themes, source).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from itertools import combinations
from pathlib import Path

import pandas as pd

from inclusie_analysis.analyse.coding_workbook import FIXED, NO, NOTES, SHEET, SOURCES, YES
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.themes import OTHER, Taxonomy

AGREEMENT_SHEET = "Overeenstemming"
DIFFERENCES_SHEET = "Verschillen"
DECISION = "besluit"
ALL_GROUPS = "Alle groepen samen"
# Landis & Koch (1977): the lower bound of each band and its Dutch name.
LANDIS_KOCH = ((0.81, "bijna perfect"), (0.61, "substantieel"), (0.41, "matig"),
               (0.21, "redelijk"), (0.0, "gering"))  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Measures


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two coders' codes of the same items (scikit-learn's
    `cohen_kappa_score`); NaN when chance agreement is total (both coded everything alike,
    so kappa is 0/0)."""
    if len(a) != len(b) or not len(a):
        raise ValueError("two coders need the same, non-empty list of items")
    values = sorted(set(a) | set(b), key=str)
    if len(values) == 1:
        return math.nan
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(list(a), list(b), labels=values))


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]]) -> float:
    """Krippendorff's alpha for nominal data: `data` has one row per coder and one column
    per unit, None (or NaN) where a coder did not code the unit. Units with fewer than two
    codes are left out. NaN when no disagreement can be expected (one value throughout).

    From the coincidence matrix o: alpha = 1 - (n - 1) * sum(o[c,k], c != k) /
    sum(n_c * n_k, c != k), with n_c the row sums of o and n their total."""
    units = list(zip(*data, strict=True)) if data else []
    coincidences: dict[tuple[Hashable, Hashable], float] = {}
    for unit in units:
        values = [v for v in unit if not _missing(v)]
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidences[(c, k)] = coincidences.get((c, k), 0.0) + 1 / (m - 1)
    totals: dict[Hashable, float] = {}
    for (c, _), o in coincidences.items():
        totals[c] = totals.get(c, 0.0) + o
    n = sum(totals.values())
    observed = sum(o for (c, k), o in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if n <= 1 or expected == 0:
        return math.nan
    return 1 - (n - 1) * observed / expected


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def landis_koch(kappa: float) -> str:
    """Kappa in words (Landis & Koch 1977), in Dutch."""
    if math.isnan(kappa):
        return "niet te berekenen (geen variatie)"
    if kappa < 0:
        return "slechter dan toeval"
    return next(name for bound, name in LANDIS_KOCH if kappa >= bound - 0.005)


# ---------------------------------------------------------------------------------------------
# Reading filled workbooks


def read_coded(path: Path | str, taxonomy: Taxonomy = None) -> pd.DataFrame:
    """A filled coding workbook as a frame: id, source, year, text, notes, one bool column
    per coding group, and `row` (the spreadsheet row). Every mistake is an InputError naming
    the file, sheet, row and column: an empty cell, a value other than ja/nee, a missing or
    repeated id, a column of an unknown group, a group without a column."""
    from inclusie_analysis.analyse.coding_workbook import read_keys
    from inclusie_analysis.read.themes import groups

    book = _open(path)
    if SHEET not in book.sheetnames:
        raise InputError(
            f"het blad '{SHEET}' ontbreekt.", file=str(path), hint="Gebruik het werkboek van "
            "'inclusie themes sample'."
        )  # fmt: skip
    sheet, keys, codes = book[SHEET], read_keys(book, SHEET, path), groups(taxonomy)
    headers = [str(c.value or "") for c in sheet[1]]
    known = {*FIXED, NOTES[0], *codes}
    for col, key in enumerate(keys):
        if key not in known:
            raise InputError(
                f"onbekende codeergroep '{key}'.", file=str(path), sheet=SHEET,
                column=_header(headers, col, key), hint="Kijk of het themabestand hetzelfde "
                "is als bij 'inclusie themes sample' (instelling paths.themes).",
            )  # fmt: skip
    for key in [*FIXED, *codes]:
        if key not in keys:
            raise InputError(
                f"de kolom van '{key}' ontbreekt.", file=str(path), sheet=SHEET,
                hint="Verwijder geen kolommen uit het werkboek.",
            )  # fmt: skip
    rows = []
    for r, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = dict(zip(keys, values, strict=False))
        if all(_blank(v) for v in cells.values()):
            continue
        rows.append(_coded_row(cells, codes, path, r, headers, keys))
    frame = pd.DataFrame(rows, columns=["row", *FIXED, NOTES[0], *codes])
    _check_ids(frame, path)
    return frame


def _open(path: Path | str):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise InputError("het bestand bestaat niet.", file=str(path)) from None
    except Exception as exc:  # a zip or XML error: not an xlsx file
        raise InputError(
            f"geen leesbaar Excel-werkboek ({type(exc).__name__}).", file=str(path),
            hint="Bewaar het werkboek als .xlsx.",
        ) from None  # fmt: skip


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header(headers: list[str], col: int, key: str) -> str:
    from openpyxl.utils import get_column_letter

    name = headers[col] if col < len(headers) and headers[col] else key
    return f"{get_column_letter(col + 1)} ({name})"


def _coded_row(cells: dict, codes: list[str], path, r: int, headers, keys) -> dict:
    """One answer's row: its fields and a bool per group; an empty id, an empty code or a
    code other than ja/nee is an error naming the cell."""
    if _blank(cells.get("id")):
        raise InputError(
            "het id ontbreekt.", file=str(path), sheet=SHEET, row=r,
            column=_header(headers, keys.index("id"), "id"),
            hint="Elke rij heeft het id uit het oorspronkelijke werkboek nodig.",
        )  # fmt: skip
    sources = {v: k for k, v in SOURCES.items()}
    row = {"row": r, "id": str(cells["id"]).strip(), "text": cells.get("text"),
           "source": sources.get(str(cells.get("source")), cells.get("source")),
           "year": cells.get("year"), NOTES[0]: cells.get(NOTES[0])}  # fmt: skip
    for code in codes:
        value = cells.get(code)
        where = dict(file=str(path), sheet=SHEET, row=r,
                     column=_header(headers, keys.index(code), code))  # fmt: skip
        if _blank(value):
            raise InputError("deze code is niet ingevuld.", **where, hint="Kies ja of nee.")
        answer = str(value).strip().lower()
        if answer not in (YES, NO):
            raise InputError("de code is niet ja of nee.", **where, value=value,
                             hint="Kies ja of nee in de keuzelijst.")  # fmt: skip
        row[code] = answer == YES
    return row


def _check_ids(frame: pd.DataFrame, path) -> None:
    repeated = frame.loc[frame["id"].duplicated(keep="first")]
    if len(repeated):
        first = repeated.iloc[0]
        earlier = int(frame.loc[frame["id"] == first["id"], "row"].iloc[0])
        raise InputError(
            f"het id {first['id']} staat er twee keer in (ook in rij {earlier}).",
            file=str(path), sheet=SHEET, row=int(first["row"]), column="A (id)",
            hint="Elk antwoord staat één keer in het werkboek.",
        )  # fmt: skip


def check_same_rows(coded: list[tuple[Path, pd.DataFrame]]) -> None:
    """All workbooks hold the same answers (ids); else an error naming the file and ids."""
    (first_path, first), *others = coded
    reference = set(first["id"])
    for path, frame in others:
        ids = set(frame["id"])
        extra, missing = sorted(ids - reference), sorted(reference - ids)
        if extra or missing:
            parts = []
            if extra:
                rows = frame.loc[frame["id"].isin(extra), "row"].tolist()
                parts.append(f"onbekende id's {', '.join(extra[:5])} (rij {rows[0]})")
            if missing:
                parts.append(f"ontbrekende id's {', '.join(missing[:5])}")
            raise InputError(
                f"andere antwoorden dan in {Path(first_path).name}: {'; '.join(parts)}.",
                file=str(path), sheet=SHEET,
                hint="Alle codeurs coderen dezelfde steekproef ('themes sample --second-coder').",
            )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Agreement and disagreements


def _aligned(coded: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """The coders' frames in the order of the first one's ids."""
    order = coded[0]["id"].tolist()
    return [f.set_index("id").loc[order].reset_index() for f in coded]


def agreement_table(coded: list[pd.DataFrame], codes: list[str], labels: dict) -> pd.DataFrame:
    """Per coding group and over all groups: n, "ja" per coder, % agreement, prevalence,
    kappa (Cohen; 3+ coders the mean over pairs), alpha and kappa in words."""
    frames = _aligned(coded)
    rows = []
    for code in [*codes, None]:
        columns = codes if code is None else [code]
        values = [f[columns].to_numpy().ravel().tolist() for f in frames]
        rows.append(_measures(ALL_GROUPS if code is None else labels.get(code, code), values))
    return pd.DataFrame(rows)


def sample_agreement(path: Path | str, taxonomy: Taxonomy = None) -> pd.DataFrame:
    """`agreement_table` of a coded sample in csv form that keeps each coder's own codes
    beside the settled ones (columns `coder_1`, `coder_2`, ";"-joined groups, as the bundled
    `reference/coded_answers.csv`)."""
    from inclusie_analysis.analyse.theme_training import label_matrix
    from inclusie_analysis.read.themes import groups, load_themes

    sample = pd.read_csv(path, dtype="string")
    codes = groups(taxonomy)  # as `inclusie themes agree`: "overig" is every group "nee"
    labels = {t.id: t.label for t in load_themes(taxonomy).values()}
    coded = [
        pd.DataFrame(label_matrix(sample[k], codes).astype(bool), columns=codes).assign(
            id=sample["id"])
        for k in ("coder_1", "coder_2")
    ]  # fmt: skip
    return agreement_table(coded, codes, labels)


def _measures(name: str, values: list[list[bool]]) -> dict:
    pairs = list(combinations(range(len(values)), 2))
    agree = sum(sum(x == y for x, y in zip(values[i], values[j], strict=True)) / len(values[i])
                for i, j in pairs) / len(pairs)  # fmt: skip
    kappas = [cohen_kappa(values[i], values[j]) for i, j in pairs]
    kappa = math.nan if any(math.isnan(k) for k in kappas) else sum(kappas) / len(kappas)
    row = {"groep": name, "n": len(values[0])}
    for i, v in enumerate(values, start=1):
        row[f"ja codeur {i}"] = int(sum(v))
    ja = sum(sum(v) for v in values) / sum(len(v) for v in values)
    row.update({"% overeenstemming": round(100 * agree, 1), "% ja": round(100 * ja, 1),
                "kappa": round(kappa, 3), "alpha": round(krippendorff_alpha(values), 3),
                "interpretatie (kappa)": landis_koch(kappa)})  # fmt: skip
    return row


def disagreements(coded: list[pd.DataFrame], codes: list[str]) -> pd.DataFrame:
    """Every answer × group on which the coders differ: id, source, text, group and each
    coder's code (ja/nee), in the order of the first workbook."""
    frames = _aligned(coded)
    rows = []
    for i, answer in frames[0].iterrows():
        for code in codes:
            given = [bool(f.at[i, code]) for f in frames]
            if len(set(given)) > 1:
                rows.append({"id": answer["id"], "source": answer["source"],
                             "text": answer["text"], "group": code,
                             **{f"coder_{n}": YES if g else NO
                                for n, g in enumerate(given, start=1)}})  # fmt: skip
    columns = ["id", "source", "text", "group", *(f"coder_{n}" for n in range(1, len(frames) + 1))]
    return pd.DataFrame(rows, columns=columns)


def write_agreement(
    table: pd.DataFrame, diffs: pd.DataFrame, path: Path | str, names: list[str], labels: dict
) -> Path:
    """The agreement workbook: "Overeenstemming" (the table, with a note on reading it) and
    "Verschillen" (one row per disagreement, an empty "besluit" with a ja/nee list)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = AGREEMENT_SHEET
    shown = table.rename(columns={f"ja codeur {i}": f"ja {n}" for i, n in enumerate(names, 1)})
    sheet.append(list(shown.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in shown.itertuples(index=False):
        sheet.append([None if isinstance(v, float) and math.isnan(v) else v for v in values])
    note = ("Kappa en alpha: 1 is volledige overeenstemming, 0 wat toeval zou geven. "
            "Interpretatie volgens Landis & Koch (1977): 0,21-0,40 redelijk, 0,41-0,60 matig, "
            "0,61-0,80 substantieel, vanaf 0,81 bijna perfect. Bij een zeldzame groep (laag "
            "% ja) schommelt kappa sterk. Meer dan twee codeurs: kappa is het gemiddelde over "
            "de paren codeurs.")  # fmt: skip
    sheet.cell(row=sheet.max_row + 2, column=1, value=note).font = Font(italic=True)
    for col, width in zip("ABCDEFGHIJK", (24, 6, 10, 10, 10, 10, 8, 8, 8, 28, 10), strict=False):
        sheet.column_dimensions[col].width = width
    _differences_sheet(book.create_sheet(DIFFERENCES_SHEET), diffs, names, labels)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _differences_sheet(sheet, diffs: pd.DataFrame, names: list[str], labels: dict) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from inclusie_analysis.analyse.coding_workbook import _text_cell, write_keys

    coders = [c for c in diffs.columns if c.startswith("coder_")]
    keys = ["id", "source", "text", "group", *coders, DECISION, "toelichting"]
    headers = ["id", "bron", "tekst", "groep", *names, DECISION, "toelichting"]
    for col, header in enumerate(headers, start=1):
        sheet.cell(row=1, column=col, value=header).font = Font(bold=True)
    write_keys(sheet, keys, headers)
    for r, row in enumerate(diffs.to_dict("records"), start=2):
        row = {**row, "source": SOURCES.get(row["source"], row["source"]),
               "group": f"{labels.get(row['group'], row['group'])} [{row['group']}]"}  # fmt: skip
        for col, key in enumerate(keys, start=1):
            _text_cell(sheet.cell(row=r, column=col), row.get(key))
            sheet.cell(row=r, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    decision = get_column_letter(keys.index(DECISION) + 1)
    yes_no = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
    yes_no.add(f"{decision}2:{decision}{max(len(diffs), 1) + 1}")
    sheet.add_data_validation(yes_no)
    widths = {"id": 14, "source": 12, "text": 60, "group": 24, DECISION: 10, "toelichting": 35}
    for col, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = widths.get(key, 14)
    sheet.freeze_panes = "A2"


# ---------------------------------------------------------------------------------------------
# Gold


def read_decisions(path: Path | str, diffs: pd.DataFrame) -> dict[tuple[str, str], bool]:
    """The "besluit" of every disagreement in the agreement workbook at `path`, by (id,
    group). An empty or wrong besluit, or a disagreement the file does not list, is an error
    naming the row."""
    from openpyxl.utils import get_column_letter

    from inclusie_analysis.analyse.coding_workbook import read_keys

    book = _open(path)
    if DIFFERENCES_SHEET not in book.sheetnames:
        raise InputError(
            f"het blad '{DIFFERENCES_SHEET}' ontbreekt.",
            file=str(path),
            hint="Gebruik het bestand dat 'inclusie themes agree' schreef.",
        )
    sheet, keys = book[DIFFERENCES_SHEET], read_keys(book, DIFFERENCES_SHEET, path)
    column = f"{get_column_letter(keys.index(DECISION) + 1)} ({DECISION})"
    decided: dict[tuple[str, str], bool] = {}
    for r, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = dict(zip(keys, values, strict=False))
        if _blank(cells.get("id")):
            continue
        group = str(cells.get("group") or "").rsplit("[", 1)[-1].rstrip("]")
        value = cells.get(DECISION)
        where = dict(file=str(path), sheet=DIFFERENCES_SHEET, row=r, column=column)
        if _blank(value):
            raise InputError(
                "het besluit is niet ingevuld.",
                **where,
                hint="Vul na het overleg ja of nee in bij elk verschil.",
            )
        if str(value).strip().lower() not in (YES, NO):
            raise InputError("het besluit is niet ja of nee.", **where, value=value)
        decided[(str(cells["id"]).strip(), group)] = str(value).strip().lower() == YES
    open_ = [(i, g) for i, g in zip(diffs["id"], diffs["group"], strict=True)
             if (i, g) not in decided]  # fmt: skip
    if open_:
        raise InputError(
            f"{len(open_)} verschil(len) ontbreken in de besluiten, bv. id {open_[0][0]}, groep "
            f"{open_[0][1]}.", file=str(path), sheet=DIFFERENCES_SHEET,
            hint="Maak de besluiten opnieuw met 'inclusie themes agree' op dezelfde werkboeken.",
        )  # fmt: skip
    return decided


def gold_rows(
    coded: list[pd.DataFrame], codes: list[str], decided: dict[tuple[str, str], bool]
) -> pd.DataFrame:
    """The settled codes: where the coders agree, their code; else the besluit."""
    frames = _aligned(coded)
    gold = frames[0][["id", "source", "year", "text", *codes]].copy()
    for i, answer in gold.iterrows():
        for code in codes:
            given = {bool(f.at[i, code]) for f in frames}
            gold.at[i, code] = given.pop() if len(given) == 1 else decided[(answer["id"], code)]
    return gold


def write_gold(gold: pd.DataFrame, path: Path | str, codes: list[str], taxonomy: Taxonomy) -> list:
    """The gold workbook (layout of the coding workbook, codes filled in) and beside it a CSV
    with id, text, themes (";"-joined groups, "overig" for none) and source; a formula-like
    text is kept inert in the CSV (a leading apostrophe, `privacy.inert`), as in the data."""
    from inclusie_analysis.analyse.coding_workbook import write_workbook

    path = Path(path)
    xlsx = write_workbook(
        gold,
        path,
        taxonomy,
        "Gouden standaard: de codes waarover de "
        "codeurs het eens waren, en hun besluiten over de verschillen.",
    )
    from inclusie_analysis.clean.privacy import inert

    themes = [";".join(c for c in codes if row[c]) or OTHER for _, row in gold.iterrows()]
    text = gold["text"].map(lambda t: inert(t) if isinstance(t, str) else t)  # never a formula
    table = pd.DataFrame({"id": gold["id"], "text": text, "themes": themes,
                          "source": gold["source"]})  # fmt: skip
    csv = path.with_suffix(".csv")
    table.to_csv(csv, index=False, encoding="utf-8")
    return [xlsx, csv]


# ---------------------------------------------------------------------------------------------
# The command


def run_agree(
    paths: list[Path],
    out: Path | None = None,
    decisions: Path | None = None,
    gold: Path | None = None,
    taxonomy: Taxonomy = None,
) -> int:
    """`inclusie themes agree`: read the coders' workbooks, write the agreement workbook
    (or, with `gold`, the gold workbook and CSV from the besluiten in `decisions`) and print
    a short Dutch summary."""
    from inclusie_analysis.read.themes import groups, theme_label

    if len(paths) < 2:
        raise InputError(
            "geef minstens twee ingevulde werkboeken.",
            hint="Bv. inclusie themes agree codeur1.xlsx codeur2.xlsx",
        )
    codes = groups(taxonomy)
    labels = {c: theme_label(c, taxonomy) for c in codes}
    coded = [(Path(p), read_coded(p, taxonomy)) for p in paths]
    check_same_rows(coded)
    frames = [f for _, f in coded]
    diffs = disagreements(frames, codes)
    if gold is not None:
        if len(diffs) and decisions is None:
            raise InputError(
                f"er zijn {len(diffs)} verschillen: geef de besluiten mee met "
                "--decisions overeenstemming.xlsx."
            )
        decided = read_decisions(decisions, diffs) if decisions is not None else {}
        written = write_gold(gold_rows(frames, codes, decided), gold, codes, taxonomy)
        print(f"Gouden standaard ({len(frames[0])} antwoorden) geschreven naar "
              f"{written[0]} en {written[1]}.")  # fmt: skip
        return 0
    table = agreement_table(frames, codes, labels)
    out = Path(out) if out else Path(paths[0]).with_name("overeenstemming.xlsx")
    names = [Path(p).stem for p in paths]
    write_agreement(table, diffs, out, names, labels)
    print(summary(table, len(frames), len(frames[0]), len(diffs), out))
    return 0


def summary(table: pd.DataFrame, coders: int, answers: int, differences: int, out: Path) -> str:
    """A few Dutch lines: overall kappa and alpha, the weakest groups, where the list is."""
    overall = table.iloc[-1]
    groups_ = table.iloc[:-1].dropna(subset=["kappa"]).sort_values("kappa")
    weakest = ", ".join(f"{r.groep} ({_number(r.kappa)})" for r in groups_.head(3).itertuples())
    kind = "kappa" if coders == 2 else "gemiddelde kappa per paar"
    lines = [
        f"Overeenstemming van {coders} codeurs over {answers} antwoorden:"
        f" {kind} {_number(overall['kappa'])} ({overall['interpretatie (kappa)']}),"
        f" alpha {_number(overall['alpha'])}, {_number(overall['% overeenstemming'], 1)}% gelijk.",
        f"Zwakste groepen: {weakest}." if weakest else "",
        f"{differences} verschillen om te bespreken: blad '{DIFFERENCES_SHEET}' in {out}.",
    ]
    return "\n".join(line for line in lines if line)


def _number(value: float, decimals: int = 2) -> str:
    if value is None or math.isnan(value):
        return "n.v.t."
    return f"{value:.{decimals}f}".replace(".", ",")
