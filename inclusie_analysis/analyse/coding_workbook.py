"""A sample of open answers for people to code, as an Excel workbook (`inclusie themes sample`).

Researchers check an automatic coder against people: two coders each code the same sample by
hand, their agreement is measured (`analyse.agreement`), and the settled codes become the
"gold" a learnt coder is trained on. This module draws that sample from a year's cleaned data
and writes the workbook the coders fill in.

Only de-identified text is used: the cleaned frames hold open answers with personal data
already replaced (`clean.privacy.scrub`), and every text is scrubbed once more before it is
written, so a name or address that reached the data some other way still never reaches a
coder's workbook.

The workbook has a sheet "Coderen" (one row per answer, one ja/nee column per coding group
of the taxonomy, a notes column), "Codeboek" (per group its label, description and example
answers) and "Uitleg" (how to code, and how the sample was drawn). A hidden sheet
"_kolommen" holds the machine key of every column (the group ids), so reading back does not
depend on the Dutch labels, and coders may sort and filter the rows freely.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.themes import OTHER, Taxonomy

SHEET = "Coderen"
CODEBOOK_SHEET = "Codeboek"
HELP_SHEET = "Uitleg"
YES, NO = "ja", "nee"
# The fixed columns of "Coderen": machine key (hidden row 2) → Dutch header (row 1).
FIXED = {"id": "id", "source": "bron", "year": "jaar", "text": "tekst"}
NOTES = ("notes", "notities")
FIRST_ROW = 2  # the header, then the answers
KEYS_SHEET = "_kolommen"  # hidden: per sheet, the machine key of each column
SOURCES = {"enquete": "Bevraging", "feedback": "Feedback", "register": "Activiteitenregister"}
PREFIX = {"enquete": "E", "feedback": "F", "register": "R"}
UNSURE_WEIGHT = 3.0  # how much likelier an answer the keyword coder is unsure of is drawn
# the bundled sample of coded answers (also the learnt coder's training data)
LABELLED = Path(__file__).resolve().parents[1] / "reference" / "coded_answers.csv"
SAMPLING_RULE = (
    "De steekproef is gelaagd naar bron (bevraging, feedback, activiteitenregister), jaar en "
    "de huidige code van de trefwoordcodeur (de eerste groep, of 'overig'): elke laag krijgt "
    "een deel naar haar grootte, en minstens één antwoord zolang de steekproef groot genoeg "
    "is. Binnen een laag hebben antwoorden waarover de trefwoordcodeur het minst zeker is, "
    f"{UNSURE_WEIGHT:g} keer zoveel kans: antwoorden zonder code ('overig'), antwoorden met 3 "
    "of meer groepen, en antwoorden waarvoor de themasuggestie (die meet hoeveel van het "
    "antwoord de trefwoorden verklaren) andere of geen groepen geeft dan de trefwoordcodeur. "
    "Zelfde toevalsgetal, zelfde steekproef."
)


@dataclass(frozen=True)
class Sample:
    """A drawn sample: one row per answer (id, source, year, text, themes, unsure)."""

    rows: pd.DataFrame
    seed: int
    year: int | None


# ---------------------------------------------------------------------------------------------
# The answers to draw from


def answer_id(source: str, text: str) -> str:
    """A stable id for an answer: its source and a hash of its text, so the same answer gets
    the same id in every workbook and every run (the coders' workbooks are joined on it)."""
    digest = hashlib.sha256(f"{source}\x1f{text}".encode()).hexdigest()[:10]
    return f"{PREFIX.get(source, 'X')}-{digest}"


def candidates(data_dir: Path | str, taxonomy: Taxonomy = None) -> pd.DataFrame:
    """Every distinct de-identified open answer of the cleaned data in `data_dir`: survey
    remarks, feedback "beste"/"beter" and the register's activity titles, with the source,
    the year, the keyword coder's codes (`themes`) and whether it is unsure (`unsure`)."""
    from inclusie_analysis.clean.datasets import read_frame

    folder = Path(data_dir)
    needed = ("answers_text", "feedback_text", "events")
    missing = [n for n in needed if not (folder / f"{n}.parquet").exists()]
    if missing:
        raise InputError(
            f"de opgeschoonde gegevens ontbreken ({', '.join(missing)}).",
            file=str(folder),
            hint="Voer eerst 'inclusie clean' uit voor dit jaar.",
        )
    answers, feedback, events = (read_frame(folder / f"{n}.parquet") for n in needed)
    frames = [
        pd.DataFrame({"source": "enquete", "year": answers["wave"], "text": answers["text"]}),
        pd.DataFrame(
            {
                "source": "feedback",
                "year": _feedback_years(feedback, events),
                "text": feedback["text"],
            }
        ),
        pd.DataFrame({"source": "register", "year": events["year"], "text": events["title"]}),
    ]
    rows = pd.concat([f.astype({"year": "Int64"}) for f in frames], ignore_index=True)
    return _distinct(rows, taxonomy)


def _feedback_years(feedback: pd.DataFrame, events: pd.DataFrame) -> pd.Series:
    """The year of each feedback answer: its activity's year, else the id's leading year."""
    years = dict(zip(events["event_id"], events["year"], strict=True))
    by_event = pd.to_numeric(feedback["event_id"].map(years), errors="coerce").astype("Int64")
    leading = pd.to_numeric(feedback["event_id"].astype("string").str[:4], errors="coerce")
    return by_event.fillna(leading.astype("Int64"))


def _distinct(rows: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """One row per source and (scrubbed) text, the latest year kept; coded and marked."""
    from inclusie_analysis.clean.privacy import scrub_column
    from inclusie_analysis.read.themes import code_answers

    rows = rows.dropna(subset=["text"])
    rows = rows.assign(text=scrub_column(rows["text"].astype("string").str.strip()))
    rows = rows.loc[rows["text"].str.len() > 0]
    rows = rows.sort_values(["source", "text", "year"], na_position="first")
    rows = rows.drop_duplicates(["source", "text"], keep="last").reset_index(drop=True)
    rows = code_answers(rows, taxonomy=taxonomy, coder="keywords")  # as SAMPLING_RULE says
    ids = [answer_id(s, t) for s, t in zip(rows["source"], rows["text"], strict=True)]
    return rows.assign(id=ids, unsure=_unsure(rows, taxonomy))[
        ["id", "source", "year", "text", "themes", "unsure"]
    ]


def _unsure(rows: pd.DataFrame, taxonomy: Taxonomy) -> list[str]:
    """Why the keyword coder is unsure of each answer ("" when it is not): no code, 3+
    groups, or `suggest_theme` (which weighs how much of the answer its keywords explain)
    gives other groups than the keyword coder, or none: the keywords explain little of it.
    On the 111 labelled answers with a keyword code the last rule marks 35, of which 15
    (43 %) are coded wrongly, against 40 of 111 (36 %) overall."""
    from inclusie_analysis.read.themes import group_of, suggest_theme

    group = group_of(taxonomy)
    reasons = []
    for text, themes in zip(rows["text"], rows["themes"], strict=True):
        codes = str(themes).split(";")
        if codes == [OTHER]:
            reasons.append("geen code")
        elif len(codes) >= 3:
            reasons.append("3+ groepen")
        else:
            suggested = {group.get(t, t) for t, _ in suggest_theme(str(text), taxonomy, limit=3)}
            reasons.append("suggestie wijkt af" if suggested != set(codes) else "")
    return reasons


# ---------------------------------------------------------------------------------------------
# Drawing the sample


def draw_sample(pool: pd.DataFrame, n: int, seed: int = 1, year: int | None = None) -> Sample:
    """A stratified sample of `n` answers from `pool` (see `candidates`). Strata: source,
    year and the keyword coder's first code ("overig" when none). Each stratum gets a share
    of `n` by its weighted size and at least one answer while `n` allows; within a stratum
    an unsure answer (`unsure` not empty) weighs `UNSURE_WEIGHT`, a sure one 1, and answers
    are drawn without replacement with these weights. Deterministic for a `seed`."""
    import numpy as np

    if n < 1:
        raise InputError(f"--n {n}: een steekproef heeft minstens 1 antwoord.")
    if pool.empty:
        raise InputError(
            "er zijn geen open antwoorden om te coderen.",
            hint="Kijk of de bevragingen, feedback en registers van dit jaar opgeschoond zijn.",
        )
    rng = np.random.default_rng(seed)
    weight = np.where(pool["unsure"].astype(str) != "", UNSURE_WEIGHT, 1.0)
    strata = (
        pool["source"].astype(str) + "|" + pool["year"].astype("string").fillna("?") + "|"
        + pool["themes"].astype(str).str.split(";").str[0]
    )  # fmt: skip
    keys = sorted(strata.unique())
    members = {k: np.flatnonzero((strata == k).to_numpy()) for k in keys}
    quota = _allocate([len(members[k]) for k in keys], [weight[members[k]].sum() for k in keys], n)
    chosen: list[int] = []
    for key, take in zip(keys, quota, strict=True):
        if take:
            idx = members[key]
            p = weight[idx] / weight[idx].sum()
            chosen += rng.choice(idx, size=take, replace=False, p=p).tolist()
    rows = pool.iloc[sorted(chosen)]
    order = rng.permutation(len(rows))
    return Sample(rows.iloc[order].reset_index(drop=True), seed, year)


def _allocate(sizes: list[int], weights: list[float], n: int) -> list[int]:
    """How many to take from each stratum: at least one each while `n` allows, the rest in
    proportion to the weights (largest remainders), never more than a stratum holds."""
    n = min(n, sum(sizes))
    quota = [0] * len(sizes)
    if n >= len(sizes):
        quota = [1 if s else 0 for s in sizes]
    else:  # fewer answers than strata: the heaviest strata get one each
        for i in sorted(range(len(sizes)), key=lambda i: (-weights[i], i))[:n]:
            quota[i] = 1
        return quota
    while sum(quota) < n:
        open_ = [i for i in range(len(sizes)) if quota[i] < sizes[i]]
        left = n - sum(quota)
        total = sum(weights[i] for i in open_)
        share = {i: left * weights[i] / total for i in open_}
        added = 0
        for i in open_:
            extra = min(int(share[i]), sizes[i] - quota[i])
            quota[i] += extra
            added += extra
        if added == 0:  # hand out the rest one by one, largest remainder first
            for i in sorted(open_, key=lambda i: (-(share[i] % 1), -weights[i], i))[:left]:
                quota[i] += 1
    return quota


# ---------------------------------------------------------------------------------------------
# The workbook


def write_workbook(
    rows: pd.DataFrame, path: Path | str, taxonomy: Taxonomy = None, about: str = ""
) -> Path:
    """Write the coding workbook for `rows` (id, source, year, text, and optionally one
    ja/nee column per group id, filled in for a gold workbook) to `path`."""
    from openpyxl import Workbook

    from inclusie_analysis.read.themes import groups

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    codes = groups(taxonomy)
    _codebook_sheet(book.create_sheet(CODEBOOK_SHEET), codes, taxonomy)
    _help_sheet(book.create_sheet(HELP_SHEET), about)
    _coding_sheet(sheet, rows, codes, taxonomy)  # last: its hidden key sheet goes at the end
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _coding_sheet(sheet, rows: pd.DataFrame, codes: list[str], taxonomy: Taxonomy) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from inclusie_analysis.read.themes import load_themes, theme_label

    themes = load_themes(taxonomy)
    keys = [*FIXED, *codes, NOTES[0]]
    headers = [*FIXED.values(), *(theme_label(c, taxonomy) for c in codes), NOTES[1]]
    for col, (key, header) in enumerate(zip(keys, headers, strict=True), start=1):
        cell = sheet.cell(row=1, column=col, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        if key in themes:
            cell.comment = Comment(f"{key}: {themes[key].description}"[:500], "inclusie")
    write_keys(sheet, keys, headers)
    for r, row in enumerate(rows.to_dict("records"), start=FIRST_ROW):
        for col, key in enumerate(keys, start=1):
            _text_cell(sheet.cell(row=r, column=col), _shown(key, row.get(key)))
            sheet.cell(row=r, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    last = FIRST_ROW + max(len(rows), 1) - 1
    yes_no = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
    yes_no.error, yes_no.errorTitle = "Kies ja of nee.", "Ongeldige code"
    first, end = get_column_letter(len(FIXED) + 1), get_column_letter(len(FIXED) + len(codes))
    yes_no.add(f"{first}{FIRST_ROW}:{end}{last}")
    sheet.add_data_validation(yes_no)
    widths = {"id": 14, "source": 14, "year": 7, "text": 60, NOTES[0]: 35}
    for col, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = widths.get(key, 14)
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=len(FIXED) + 1)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{last}"


def write_keys(sheet, keys: list[str], headers: list[str]) -> None:
    """Record the machine key of each column of `sheet` in the hidden sheet "_kolommen"."""
    book = sheet.parent
    if KEYS_SHEET not in book.sheetnames:
        keys_sheet = book.create_sheet(KEYS_SHEET)
        keys_sheet.sheet_state = "hidden"
        keys_sheet.append(["blad", "kolom", "sleutel", "kop"])
    keys_sheet = book[KEYS_SHEET]
    for col, (key, header) in enumerate(zip(keys, headers, strict=True), start=1):
        keys_sheet.append([sheet.title, col, key, header])


def read_keys(book, sheet_name: str, file: Path | str) -> list[str]:
    """The machine keys of the columns of `sheet_name`, in column order (see `write_keys`)."""
    if KEYS_SHEET not in book.sheetnames:
        raise InputError(
            f"het verborgen blad '{KEYS_SHEET}' ontbreekt: dit is geen werkboek van "
            "'inclusie themes'.",
            file=str(file),
            hint="Gebruik het werkboek dat 'inclusie themes sample' of 'agree' schreef.",
        )
    found = {}
    for row in book[KEYS_SHEET].iter_rows(min_row=2, values_only=True):
        if row and row[0] == sheet_name and row[1] is not None and row[2] is not None:
            found[int(row[1])] = str(row[2])
    return [found[c] for c in sorted(found)]


def _shown(key: str, value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if key == "source":
        return SOURCES.get(str(value), str(value))
    if key == "year":
        return int(value)  # type: ignore[call-overload]
    if isinstance(value, bool):
        return YES if value else NO
    return value


def _text_cell(cell, value: object) -> None:
    """A cell that holds text as text: never a formula, whatever it starts with."""
    from inclusie_analysis.clean.privacy import as_typed, is_formula_like

    if isinstance(value, str):
        value = as_typed(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True


def _codebook_sheet(sheet, codes: list[str], taxonomy: Taxonomy) -> None:
    """Per coding group: its label, what it covers (the descriptions of the group and of the
    themes counted under it) and up to three example answers coded with it by hand."""
    from openpyxl.styles import Alignment, Font

    from inclusie_analysis.read.themes import load_themes, theme_label

    themes = load_themes(taxonomy)
    examples = codebook_examples(codes)
    headers = ("groep", "omschrijving", "valt er ook onder", "voorbeelden")
    for col, header in enumerate(headers, start=1):
        sheet.cell(row=1, column=col, value=header).font = Font(bold=True)
    for r, code in enumerate(codes, start=2):
        members = [t for t in themes.values() if t.group == code and t.id != code]
        described = themes[code].description if code in themes else ""
        also = "; ".join(f"{t.label}: {t.description}".rstrip(": ") for t in members)
        shown = "\n".join(f"• {e}" for e in examples.get(code, []))
        for col, value in enumerate((theme_label(code, taxonomy), described, also, shown), 1):
            _text_cell(sheet.cell(row=r, column=col), value or None)
            sheet.cell(row=r, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCD", (24, 50, 60, 70), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "B2"


def codebook_examples(codes: list[str], path: Path = LABELLED, per_group: int = 3) -> dict:
    """Up to `per_group` hand-labelled example answers per group from the project's labelled
    sample (answers with that group only first, then shortest first); none without it."""
    if not Path(path).exists():
        return {}
    labelled = pd.read_csv(path, dtype="string").dropna(subset=["text", "themes"])
    texts, themes = labelled["text"].tolist(), labelled["themes"].tolist()
    coded = [(str(t), set(str(c).split(";"))) for t, c in zip(texts, themes, strict=True)]
    out: dict[str, list[str]] = {}
    for code in codes:
        own = [(len(c), len(t), t) for t, c in coded if code in c]
        out[code] = [t for _, _, t in sorted(own)[:per_group]]
    return out


HELP = (
    "Zo codeer je de open antwoorden",
    "",
    "1. Lees elk antwoord in het blad 'Coderen' en beslis voor elke groep of het antwoord "
    "erover gaat: 'ja' of 'nee' (kies in de keuzelijst). Vul elke groep in, ook als het "
    "antwoord nergens over gaat: dan is elke groep 'nee'.",
    "2. Een antwoord kan over meer groepen gaan. Codeer wat er staat, niet wat de schrijver "
    "misschien bedoelde; twijfel je, zet dan een woord uitleg in 'notities'.",
    "3. Het blad 'Codeboek' zegt per groep wat eronder valt, met voorbeelden.",
    "4. Codeer alleen en zelfstandig: overleg niet met de andere codeur tot allebei klaar "
    "zijn. Verander de kolommen en de id's niet (de id's koppelen de werkboeken); sorteren "
    "en filteren mag.",
    "5. Daarna: 'inclusie themes agree codeur1.xlsx codeur2.xlsx' meet de overeenstemming "
    "en zet de verschillen op een rij om samen te bespreken.",
    "",
    "Hoe de antwoorden gekozen zijn",
    SAMPLING_RULE,
    "De teksten zijn ontdaan van persoonsgegevens (namen, adressen, e-mail, telefoon, ...).",
)


def _help_sheet(sheet, about: str) -> None:
    from openpyxl.styles import Alignment, Font

    lines = [*HELP, "", about] if about else list(HELP)
    for r, line in enumerate(lines, start=1):
        cell = sheet.cell(row=r, column=1, value=line or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if r == 1 or line == "Hoe de antwoorden gekozen zijn":
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 110


# ---------------------------------------------------------------------------------------------
# The command


def second_coder_path(path: Path | str) -> Path:
    """The second coder's workbook beside the first: `<name>-codeur2.xlsx`."""
    path = Path(path)
    return path.with_name(f"{path.stem}-codeur2{path.suffix}")


def write_sample(
    data_dir: Path | str,
    out: Path | str,
    n: int = 150,
    seed: int = 1,
    second_coder: bool = False,
    taxonomy: Taxonomy = None,
    year: int | None = None,
) -> list[Path]:
    """Draw the sample from the cleaned data in `data_dir` and write the workbook(s): with
    `second_coder`, a second one with the same rows in another order. Returns the paths."""
    import numpy as np

    sample = draw_sample(candidates(data_dir, taxonomy), n, seed, year)
    about = (
        f"Steekproef van {len(sample.rows)} antwoorden"
        + (f" uit de opgeschoonde gegevens van {year}" if year else "")
        + f", toevalsgetal {seed}."
    )
    paths = [write_workbook(sample.rows, out, taxonomy, about)]
    if second_coder:
        rows = sample.rows
        order = np.random.default_rng(seed + 1).permutation(len(rows))
        if len(rows) > 1 and (order == np.arange(len(rows))).all():
            order = order[::-1]
        paths.append(write_workbook(rows.iloc[order], second_coder_path(out), taxonomy, about))
    return paths
