"""Learning-needs survey exports → tidy, pseudonymised frames, with every row accounted for.

One export plus its codebook gives four frames (see DESIGN.md):
- `respondents`: one row per response: pseudonym, wave, when, organisation type, 2025
  municipality (+ arrondissement, province, region), role and other single-answer variables;
- `needs`: long, one row per answered need item: theme, item, ordered level or "weet niet";
- `choices`: long, one row per ticked option of a check-all question;
- `answers_text`: long, one row per open answer, personal data scrubbed.
Names, e-mail addresses and phone numbers are used only to derive the pseudonym and then
dropped. Everything that was changed or could not be read is written to the ledger.
Each question type's cells are read by `answers`; repeated submissions across the exports of
a wave are found afterwards by `duplicates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inclusie_analysis.clean.answers import (
    TEXT_COLUMNS,
    _check_all,
    _completeness,
    _Context,
    _dates,
    _free_text,
    _levels,
    _numbers,
    _respondent_ids,
    _scale,
    _scale_long,
    _single_choice,
    _text,
)
from inclusie_analysis.clean.geo import MunicipalityMatcher, load_reference, normalise_name
from inclusie_analysis.clean.ledger import KEPT, REJECTED, FixLog, Ledger
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.codebook import Codebook, ColumnMatch, Variable
from inclusie_analysis.read.codebook_columns import match_export
from inclusie_analysis.read.readers import RawExport
from inclusie_analysis.read.themes import NO_THEME

ANSWER_TYPES = ("single_choice", "check_all", "scale", "number", "free_text", "municipality")
GEO_COLUMNS = ["nis_code", "municipality", "arrondissement", "province", "region"]
GEO_MESSAGES = {
    "normalised": ("Gemeente herkend na het gelijktrekken van de schrijfwijze.", ""),
    "alias": ("Gemeente herkend via het aliasbestand.", ""),
    "pre_merger": ("Vroegere gemeente (fusie): toegewezen aan de gemeente van 2025.", ""),
    "postcode": ("Gemeente herkend aan de postcode.", ""),
    "locality": ("Deelgemeente of wijk: toegewezen aan haar gemeente.", ""),
    "outside": (
        "Gemeente buiten Vlaanderen en Brussel; telt mee zonder gemeente.",
        "Klopt dit niet, zet de schrijfwijze met de juiste gemeente in het aliasbestand.",
    ),
    "ij_y": ("Gemeente herkend; y gelezen als ij.", ""),
    "part_of_name": (
        "Gemeente herkend aan een deel van haar naam.",
        "Controleer dit; klopt het niet, zet de schrijfwijze met de juiste gemeente in het "
        "aliasbestand (surveys/aliases.yaml).",
    ),
    "fuzzy": (
        "Gemeente herkend ondanks een tikfout.",
        "Controleer dit; klopt het niet, zet de schrijfwijze met de juiste gemeente in het "
        "aliasbestand (surveys/aliases.yaml).",
    ),
    "ambiguous": (
        "Gemeente niet eenduidig; niet toegewezen.",
        "Zet deze schrijfwijze met de juiste gemeente in het aliasbestand (surveys/aliases.yaml).",
    ),
    "unknown": (
        "Geen gemeente herkend; het antwoord telt mee zonder gemeente.",
        "Is het wel een gemeente, zet de schrijfwijze dan in het aliasbestand "
        "(surveys/aliases.yaml).",
    ),
}


@dataclass
class FileResult:
    """The cleaned frames of one export, before duplicates across files are merged."""

    respondents: pd.DataFrame
    needs: pd.DataFrame
    choices: pd.DataFrame
    answers_text: pd.DataFrame
    signature: pd.DataFrame  # one column per answer variable, for finding repeated submissions


@dataclass
class _Frames:
    """What `clean_needs_export` builds, one variable at a time."""

    respondents: pd.DataFrame
    signature: pd.DataFrame
    needs: list[pd.DataFrame] = field(default_factory=list)
    choices: list[pd.DataFrame] = field(default_factory=list)
    texts: list[pd.DataFrame] = field(default_factory=list)


def clean_needs_export(
    raw: RawExport,
    codebook: Codebook,
    matcher: MunicipalityMatcher,
    key: bytes,
    ledger: Ledger,
) -> FileResult:
    """Clean one survey export with its codebook; every row goes into `ledger`."""
    frame = raw.frame.reset_index(drop=True)
    match = resolve_columns(raw, codebook)
    fixes = FixLog(raw.path.name, raw.sheet)
    _report_unmatched(match, fixes)
    columns = {v.name: match.columns(v.name) for v in codebook.variables}
    rows = pd.Series([raw.spreadsheet_row(i) for i in range(len(frame))], index=frame.index)
    kept, rejected = _answered(raw, codebook, frame, columns, rows)
    ledger.record_rows(rejected)
    kept_rows = rows.loc[kept.index]
    context = _Context(raw, codebook, columns, kept, kept_rows, ledger, match, fixes)
    ids = _respondent_ids(context, key)
    out = _Frames(_respondent_frame(context, ids), pd.DataFrame(index=kept.index))
    need_scales = {v.scale for v in codebook.variables if v.type == "scale" and v.theme}
    for variable in codebook.variables:
        if variable.name in ("submitted_at",) or not columns.get(variable.name):
            continue
        _read_variable(context, variable, ids, matcher, need_scales, out)
    ledger.record_rows(
        pd.DataFrame(
            {"row": kept_rows.to_numpy(), "record_id": ids.reindex(kept.index).to_numpy()}
        ).assign(file=raw.path.name, sheet=raw.sheet, status=KEPT)
    )
    fixes.record(ledger)
    return FileResult(
        respondents=out.respondents,
        needs=_concat(out.needs, NEEDS_COLUMNS),
        choices=_concat(out.choices, CHOICE_COLUMNS),
        answers_text=_concat(out.texts, TEXT_COLUMNS),
        signature=out.signature,
    )


def _answered(
    raw: RawExport,
    codebook: Codebook,
    frame: pd.DataFrame,
    columns: dict[str, list[str]],
    rows: pd.Series,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows with at least one answer, and the outcomes of the others (blank and
    unanswered rows, rejected) for the ledger."""
    answer_columns = [
        c for v in codebook.variables if v.type in ANSWER_TYPES for c in columns.get(v.name, [])
    ]
    blank = frame.isna().all(axis=1)
    unanswered = ~blank & (frame[answer_columns].isna().all(axis=1) if answer_columns else True)
    # empty rows at the very end, which the reader leaves out of the frame but counts
    trailing = [raw.spreadsheet_row(len(frame) + k) for k in range(raw.trailing_blank_rows)]
    rejected = pd.DataFrame(
        {
            "row": [*rows[blank], *trailing, *rows[unanswered]],
            "reason": ["blank"] * (int(blank.sum()) + len(trailing))
            + ["no_answers"] * int(unanswered.sum()),
        }
    ).assign(file=raw.path.name, sheet=raw.sheet, status=REJECTED)
    return frame.loc[~blank & ~unanswered], rejected


def _respondent_frame(context: _Context, ids: pd.Series) -> pd.DataFrame:
    """One row per kept response: pseudonym, wave, source, when submitted, complete or not."""
    codebook = context.codebook
    respondents = pd.DataFrame(
        {
            "respondent_id": ids,
            "wave": codebook.wave,
            "instrument": codebook.instrument,
            "source_file": context.raw.path.name,
            "source_row": context.rows.astype("int64"),
        },
        index=context.frame.index,
    )
    respondents["submitted_at"] = _dates(context, "submitted_at")
    respondents["complete"] = _completeness(context)
    return respondents


def _read_variable(
    context: _Context,
    variable: Variable,
    ids: pd.Series,
    matcher: MunicipalityMatcher,
    need_scales: set,
    out: _Frames,
) -> None:
    """Read one variable's column(s) into the respondents, a long frame and the signature."""
    kind, name, index = variable.type, variable.name, context.frame.index
    if kind == "municipality":
        geo = _municipalities(context, variable, matcher)
        out.respondents = out.respondents.join(geo)
        out.signature[name] = geo["nis_code"].fillna(geo["_place_key"])
    elif kind == "single_choice":
        values = _single_choice(context, variable)
        out.respondents[name] = values
        out.signature[name] = values
    elif kind == "scale" and (variable.theme or variable.scale in need_scales):
        if not variable.theme:
            _report_missing_theme(context, variable)
        long = _scale_long(context, variable, ids)
        out.needs.append(long)
        out.signature[name] = long.set_index("_index")["answer"].reindex(index)
    elif kind == "scale":
        values = _scale(context, variable)
        levels = _levels(context, variable)
        out.respondents[name] = pd.Categorical(
            values.where(values.isin(levels)), categories=levels, ordered=True
        )
        out.signature[name] = values
    elif kind == "number":
        out.respondents[name] = _numbers(context, variable)
    elif kind == "date":
        out.respondents[name] = _dates(context, name)
    elif kind == "check_all":
        long, other = _check_all(context, variable, ids)
        out.choices.append(long)
        out.texts.append(other)
        if len(long):
            out.signature[name] = _ticked_bits(long).reindex(index)
    elif kind == "free_text":
        long = _free_text(context, variable, ids, name)
        out.texts.append(long)
        out.signature[name] = long.set_index("_index")["text"].reindex(index)


def _ticked_bits(long: pd.DataFrame) -> pd.Series:
    """The set of ticked options of each respondent as one number (a bit per option)."""
    ticked = pd.crosstab(long["_index"], long["choice"]).clip(upper=1)
    bits = ticked.to_numpy() @ (2 ** np.arange(ticked.shape[1], dtype="int64"))
    return pd.Series(bits, index=ticked.index)


NEEDS_COLUMNS = [
    "respondent_id",
    "wave",
    "theme",
    "item",
    "item_label",
    "answer",
    "level",
    "level_number",
    "dont_know",
]
CHOICE_COLUMNS = ["respondent_id", "wave", "question", "choice", "label"]
ITEM_COLUMNS = [
    "wave",
    "instrument",
    "item",
    "label",
    "theme",
    "change",
    "previous",
    "from_items",
    "comparable",
]


def need_items(codebook: Codebook) -> pd.DataFrame:
    """The need items of one codebook, with how each differs from the previous wave.

    One row per scale variable with a theme: `change` is the codebook's `changed.kind` (NA
    when unchanged), `previous` the old wording, `from_items` the old variable(s) joined by
    ";", and `comparable` whether its answers can be set beside the previous wave's: true
    when unchanged or reworded with `comparable: true`. Whether the previous wave asked it at
    all is for the comparison to say (`waves.compare_items`).
    """
    rows = []
    for v in codebook.variables:
        if v.type != "scale" or not v.theme:
            continue
        change = v.changed
        rows.append({"wave": codebook.wave, "instrument": codebook.instrument, "item": v.name,
                     "label": v.label or v.name, "theme": v.theme,
                     "change": change.kind if change else None,
                     "previous": change.previous if change else None,
                     "from_items": ";".join(change.from_) if change and change.from_ else None,
                     "comparable": change is None or change.comparable})  # fmt: skip
    return need_items_table(rows)


def need_items_table(rows: list[dict]) -> pd.DataFrame:
    """Rows of `need_items` as a typed frame (also when there are none)."""
    frame = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    return frame.astype(
        {c: "string" for c in ITEM_COLUMNS if c not in ("wave", "comparable")}
        | {"wave": "int64", "comparable": bool}
    )


# ---------------------------------------------------------------------------------------------
# Columns


def resolve_columns(raw: RawExport, codebook: Codebook) -> ColumnMatch:
    """Which export column(s) hold each variable (see `codebook_columns.match_export`).

    An export of another wave, or a required question without a column, is an InputError
    naming the closest headers. The municipality question counts as required: without it no
    answer can be placed on the map.
    """
    match = match_export(codebook, raw)
    for variable in codebook.variables:
        if variable.type == "municipality" and not match.columns(variable.name):
            from rapidfuzz import process

            wanted = next(iter(variable.find.values()))
            closest = [
                str(c)
                for c, _, _ in process.extract(wanted, [str(c) for c in raw.frame.columns], limit=3)
            ]
            raise InputError(
                f"geen kolom gevonden voor '{variable.name}' ({wanted!r}).",
                file=str(raw.path),
                hint=f"Dichtstbijzijnde kolommen: {'; '.join(closest)}. Pas 'find' in "
                f"{codebook.path.name} aan.",
            )
    return match


def _report_unmatched(match: ColumnMatch, fixes: FixLog) -> None:
    for column in match.unmatched:
        fixes.add(
            None,
            str(column),
            None,
            None,
            None,
            "column_unmatched",
            "Deze kolom staat niet in het codeboek en werd niet gebruikt.",
            "Hoort ze bij een vraag, voeg dan een variabele toe aan het codeboek.",
        )


def _report_missing_theme(context: _Context, variable: Variable) -> None:
    """A question on the needs' scale without a theme is kept as a need under "zonder thema"
    (so its answers stay in the needs tables) and reported, once per file: it cannot count
    towards a theme in the ranking until the codebook gives it one."""
    context.fixes.add(
        None,
        str(context.match.column(variable.name)),
        variable.name,
        None,
        NO_THEME,
        "theme_missing",
        f"Deze vraag staat op de schaal '{variable.scale}' van de leernoden maar heeft geen "
        "thema: ze staat bij de leernoden onder 'zonder thema' en telt niet mee in de "
        "rangschikking van de thema's.",
        f"Geef variabele '{variable.name}' een theme: in {context.codebook.path.name}.",
    )


# ---------------------------------------------------------------------------------------------
# Municipalities


def _municipalities(
    context: _Context, variable: Variable, matcher: MunicipalityMatcher
) -> pd.DataFrame:
    column = context.column(variable.name)
    muni = load_reference().municipalities.set_index("nis_code")
    province = muni["province_nl"].mask(muni["region"] == "Brussel", "Brussel")
    out = pd.DataFrame(index=column.index)
    matches = {i: matcher.match(v) for i, v in column.items()}
    codes = pd.Series({i: m.nis_code for i, m in matches.items()}, dtype="string").reindex(
        column.index
    )
    out["nis_code"] = codes
    out["municipality"] = codes.map(muni["name_nl"]).astype("string")
    out["arrondissement"] = codes.map(muni["arrondissement_nl"]).astype("string")
    out["province"] = codes.map(province).astype("string")
    out["region"] = codes.map(muni["region"]).astype("string")
    out["geo_method"] = pd.Series({i: m.method for i, m in matches.items()}, dtype="string")
    out["geo_score"] = pd.Series({i: m.score for i, m in matches.items()}, dtype="Float64")
    # For organisations without a recognised municipality: what they typed, normalised, so a
    # repeated submission can still be recognised. Not personal data, not written out.
    out["_place_key"] = column.map(lambda v: normalise_name(v) if pd.notna(v) else "").astype(
        "string"
    )
    for i, match in matches.items():
        if match.method in ("exact", "empty") or match.method not in GEO_MESSAGES:
            continue
        message, advice = GEO_MESSAGES[match.method]
        if match.method == "unknown" and normalise_name(column[i]) in (
            "",
            "nvt",
            "n v t",
            "geen",
            "vlaanderen",
        ):
            continue
        result = (
            f"{match.nis_code} {muni.loc[match.nis_code, 'name_nl']}" if match.nis_code else None
        )
        if match.candidates:
            message += (
                " Mogelijk: "
                + ", ".join(f"{muni.loc[c, 'name_nl']} ({c})" for c in match.candidates)
                + "."
            )
        if match.method == "fuzzy":
            message = message.rstrip(".") + f" (score {match.score:.0f})."
        context.fix(
            i,
            column.name,
            variable.name,
            _text(column[i]),
            result,
            f"municipality_{match.method}",
            message,
            advice,
        )
    return out


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=["_index", *columns])
    return pd.concat(frames, ignore_index=True)
