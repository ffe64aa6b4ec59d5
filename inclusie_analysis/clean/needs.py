"""Learning-needs survey exports → tidy, pseudonymised frames, with every row accounted for.

One export plus its codebook gives four frames (see DESIGN.md):
- `respondents`: one row per response: pseudonym, wave, when, organisation type, 2025
  municipality (+ arrondissement, province, region), role and other single-answer variables;
- `needs`: long, one row per answered need item: theme, item, ordered level or "weet niet";
- `choices`: long, one row per ticked option of a check-all question;
- `answers_text`: long, one row per open answer, personal data scrubbed.
Names, e-mail addresses and phone numbers are used only to derive the pseudonym and then
dropped. Everything that was changed or could not be read is written to the ledger.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inclusie_analysis.analyse.themes import NO_THEME
from inclusie_analysis.clean.deidentify import KIND_NAMES
from inclusie_analysis.clean.geo import MunicipalityMatcher, load_reference, normalise_name
from inclusie_analysis.clean.ledger import KEPT, REJECTED, Ledger
from inclusie_analysis.clean.privacy import (
    inert,
    is_formula_like,
    normalise_email,
    pseudonym,
    scrub,
    scrub_column,
)
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.choices import ChoiceSplitter
from inclusie_analysis.read.codebook import Codebook, ColumnMatch, Variable
from inclusie_analysis.read.codebook_columns import match_export
from inclusie_analysis.read.readers import RawExport

ANSWER_TYPES = ("single_choice", "check_all", "scale", "number", "free_text", "municipality")
GEO_COLUMNS = ["nis_code", "municipality", "arrondissement", "province", "region"]
CHECKED = {"y", "yes", "ja", "1", "1.0", "true", "waar", "x", "checked", "aangevinkt"}
UNCHECKED = {"n", "no", "nee", "0", "0.0", "false", "onwaar", ""}
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


def clean_needs_export(
    raw: RawExport,
    codebook: Codebook,
    matcher: MunicipalityMatcher,
    key: bytes,
    ledger: Ledger,
) -> FileResult:
    """Clean one survey export with its codebook; every row goes into `ledger`."""
    name = raw.path.name
    frame = raw.frame.reset_index(drop=True)
    match = resolve_columns(raw, codebook)
    _report_unmatched(raw, match, ledger)
    columns = {v.name: match.columns(v.name) for v in codebook.variables}
    rows = pd.Series([raw.spreadsheet_row(i) for i in range(len(frame))], index=frame.index)

    answer_columns = [
        c for v in codebook.variables if v.type in ANSWER_TYPES for c in columns.get(v.name, [])
    ]
    blank = frame.isna().all(axis=1)
    unanswered = ~blank & (frame[answer_columns].isna().all(axis=1) if answer_columns else True)
    for i in frame.index[blank]:
        ledger.row(name, int(rows[i]), REJECTED, "blank", sheet=raw.sheet)
    # empty rows at the very end, which the reader leaves out of the frame but counts
    for k in range(getattr(raw, "trailing_blank_rows", 0)):
        ledger.row(name, raw.spreadsheet_row(len(frame) + k), REJECTED, "blank", sheet=raw.sheet)
    for i in frame.index[unanswered]:
        ledger.row(name, int(rows[i]), REJECTED, "no_answers", sheet=raw.sheet)
    kept = frame.loc[~blank & ~unanswered]
    kept_rows = rows.loc[kept.index]

    context = _Context(raw, codebook, columns, kept, kept_rows, ledger, match)
    ids = _respondent_ids(context, key)
    respondents = pd.DataFrame(
        {
            "respondent_id": ids,
            "wave": codebook.wave,
            "instrument": codebook.instrument,
            "source_file": name,
            "source_row": kept_rows.astype("int64"),
        },
        index=kept.index,
    )
    respondents["submitted_at"] = _dates(context, "submitted_at")
    respondents["complete"] = _completeness(context)
    signature = pd.DataFrame(index=kept.index)
    needs, choices, texts = [], [], []
    need_scales = {v.scale for v in codebook.variables if v.type == "scale" and v.theme}
    for variable in codebook.variables:
        if variable.name in ("submitted_at",) or not columns.get(variable.name):
            continue
        kind = variable.type
        if kind == "municipality":
            geo = _municipalities(context, variable, matcher)
            respondents = respondents.join(geo)
            signature[variable.name] = geo["nis_code"].fillna(geo["_place_key"])
        elif kind == "single_choice":
            values = _single_choice(context, variable)
            respondents[variable.name] = values
            signature[variable.name] = values
        elif kind == "scale" and (variable.theme or variable.scale in need_scales):
            if not variable.theme:
                _report_missing_theme(context, variable)
            long = _scale_long(context, variable, ids)
            needs.append(long)
            signature[variable.name] = long.set_index("_index")["answer"].reindex(kept.index)
        elif kind == "scale":
            values = _scale(context, variable)
            levels = _levels(context, variable)
            respondents[variable.name] = pd.Categorical(
                values.where(values.isin(levels)), categories=levels, ordered=True
            )
            signature[variable.name] = values
        elif kind == "number":
            respondents[variable.name] = _numbers(context, variable)
        elif kind == "date":
            respondents[variable.name] = _dates(context, variable.name)
        elif kind == "check_all":
            long, other = _check_all(context, variable, ids)
            choices.append(long)
            texts.append(other)
            if len(long):
                # the set of ticked options as one number (a bit per option); empty if none
                ticked = pd.crosstab(long["_index"], long["choice"]).clip(upper=1)
                bits = ticked.to_numpy() @ (2 ** np.arange(ticked.shape[1], dtype="int64"))
                signature[variable.name] = pd.Series(bits, index=ticked.index).reindex(kept.index)
        elif kind == "free_text":
            long = _free_text(context, variable, ids, variable.name)
            texts.append(long)
            signature[variable.name] = long.set_index("_index")["text"].reindex(kept.index)
    for i in kept.index:
        ledger.row(name, int(kept_rows[i]), KEPT, sheet=raw.sheet, record_id=ids[i])
    return FileResult(
        respondents=respondents,
        needs=_concat(needs, NEEDS_COLUMNS),
        choices=_concat(choices, CHOICE_COLUMNS),
        answers_text=_concat(texts, TEXT_COLUMNS),
        signature=signature,
    )


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
TEXT_COLUMNS = ["respondent_id", "wave", "question", "text", "scrubbed", "formula"]


def need_items(codebook: Codebook) -> pd.DataFrame:
    """The need items of one codebook, with how each differs from the previous wave.

    One row per scale variable with a theme: `change` is the codebook's `changed.kind` (NA
    when unchanged), `previous` the old wording, `from_items` the old variable(s) joined by
    ";", and `comparable` whether its answers can be set beside the previous wave's: true
    when unchanged or reworded with `comparable: true`. Whether the previous wave asked it at
    all is for the comparison to say (`yearly.compare_items`).
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
    """Which export column(s) hold each variable (see `codebook.match_export`).

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


def _report_unmatched(raw: RawExport, match: ColumnMatch, ledger: Ledger) -> None:
    for column in match.unmatched:
        ledger.fix(
            raw.path.name,
            None,
            str(column),
            None,
            None,
            None,
            "column_unmatched",
            "Deze kolom staat niet in het codeboek en werd niet gebruikt.",
            "Hoort ze bij een vraag, voeg dan een variabele toe aan het codeboek.",
            sheet=raw.sheet,
        )


def _report_missing_theme(context: _Context, variable: Variable) -> None:
    """A question on the needs' scale without a theme is kept as a need under "zonder thema"
    (so its answers stay in the needs tables) and reported, once per file: it cannot count
    towards a theme in the ranking until the codebook gives it one."""
    context.ledger.fix(
        context.raw.path.name,
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
        sheet=context.raw.sheet,
    )


# ---------------------------------------------------------------------------------------------
# Values


@dataclass
class _Context:
    raw: RawExport
    codebook: Codebook
    columns: dict[str, list[str]]
    frame: pd.DataFrame
    rows: pd.Series
    ledger: Ledger
    match: ColumnMatch

    def column(self, name: str) -> pd.Series | None:
        found = self.match.column(name)
        return self.frame[found] if found is not None else None

    def fix(self, i, column, variable, value, result, action, message, advice=""):
        personal = any(v.name == variable and v.type == "pii_drop" for v in self.codebook.variables)
        self.ledger.fix(
            self.raw.path.name,
            int(self.rows[i]),
            column,
            variable,
            value,
            result,
            action,
            message,
            advice,
            sheet=self.raw.sheet,
            personal=personal or None,
        )


def _text(value: object) -> str:
    """A cell as clean text: HTML entities decoded, non-breaking spaces and padding removed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(html.unescape(str(value)).replace("\u00a0", " ").split())


def _respondent_ids(context: _Context, key: bytes) -> pd.Series:
    identity = next(
        (v for v in context.codebook.variables if v.type == "pii_drop" and v.spec.get("identity")),
        None,
    )
    emails = context.column(identity.name) if identity else None
    response = context.column("response_id")
    ids = {}
    for i in context.frame.index:
        email = normalise_email(emails[i]) if emails is not None else None
        if email:
            ids[i] = pseudonym(key, email, "p")
            continue
        local = (
            _text(response[i])
            if response is not None and pd.notna(response[i])
            else f"rij {context.rows[i]}"
        )
        ids[i] = pseudonym(
            key,
            f"{context.codebook.instrument}|{context.codebook.wave}|{context.raw.path.name}|{local}",
            "r",
        )
    return pd.Series(ids, dtype="string")


# Time stamps as platforms write them besides ISO 8601: a Belgian Google Forms sheet
# (15/01/2026 21:53:05), Google Forms' own CSV (2023/11/13 4:20:37 pm, zone cut off).
DATE_LAYOUTS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y/%m/%d %I:%M:%S %p", "%d/%m/%Y")


def _dates(context: _Context, name: str) -> pd.Series:
    column = context.column(name)
    if column is None:
        return pd.Series(pd.NaT, index=context.frame.index, dtype="datetime64[us]")
    present = column.dropna()
    is_date = present.map(lambda v: hasattr(v, "year"))
    parsed = pd.Series(pd.NaT, index=column.index, dtype="datetime64[us]")
    if is_date.any():
        parsed[is_date[is_date].index] = pd.to_datetime(present[is_date].map(pd.Timestamp)).astype(
            "datetime64[us]"
        )
    texts = present[~is_date].map(_text)
    texts = texts.str.replace(r"\s+[A-Z]{3,4}$", "", regex=True)  # Google Forms' "CET"
    if len(texts):
        iso = pd.to_datetime(texts, format="ISO8601", errors="coerce")
        for layout in DATE_LAYOUTS:  # the usual layouts at once, fast on large exports
            rest = iso.isna()
            if not rest.any():
                break
            iso[rest] = pd.to_datetime(texts[rest], format=layout, errors="coerce")
        parsed[iso.dropna().index] = iso.dropna().astype("datetime64[us]")
        for i in iso.index[iso.isna()]:
            # Other layouts, one at a time: d/m/y (Belgian) unless the year comes first.
            text = texts[i]
            try:
                parsed[i] = pd.to_datetime(text, dayfirst=not re.match(r"\d{4}", text))
            except (ValueError, OverflowError):
                context.fix(
                    i,
                    column.name,
                    name,
                    text,
                    None,
                    "date_unreadable",
                    "Datum niet herkend; leeg gelaten.",
                    "Controleer de datum in de export.",
                )
    return parsed


def _completeness(context: _Context) -> pd.Series:
    # LimeSurvey leaves submitdate empty for a response that was not submitted; Qualtrics
    # has Finished = 0. Microsoft Forms and Google Forms only store submitted responses.
    platform = context.raw.platform
    frame = context.frame
    if platform == "limesurvey":
        submitted = context.column("submitted_at")
        if submitted is None:
            submitted = next(
                (frame[c] for c in ("submitdate", "Date submitted") if c in frame), None
            )
        if submitted is not None:
            return submitted.notna()
    if platform == "qualtrics" and "Finished" in frame:
        return frame["Finished"].map(lambda v: _text(v).lower() in ("1", "true"))
    return pd.Series(True, index=frame.index)


def _single_choice(context: _Context, variable: Variable) -> pd.Series:
    column = context.column(variable.name)
    texts = column.dropna().map(_text)
    if not variable.labels:  # a free answer kept as typed (a job title, ...): scrubbed
        return scrub_column(texts.reindex(column.index).astype("string"))
    labels = {_text(k).casefold(): v for k, v in variable.labels.items()}
    mapped = texts.str.casefold().map(labels)
    for i in mapped.index[mapped.isna()]:
        context.fix(
            i,
            column.name,
            variable.name,
            texts[i],
            None,
            "choice_unknown",
            "Antwoord staat niet bij de keuzes in het codeboek; leeg gelaten.",
            f"Voeg het toe aan 'labels' van {variable.name} in het codeboek.",
        )
    categories = list(dict.fromkeys(variable.labels.values()))
    return mapped.reindex(column.index).astype(pd.CategoricalDtype(categories))


def _levels(context: _Context, variable: Variable) -> list[str]:
    return list(context.codebook.scales[variable.scale]["levels"])


def _scale(context: _Context, variable: Variable) -> pd.Series:
    """Scale answers as labels: a level, a 'missing' label such as 'Weet niet', or NA."""
    scale = context.codebook.scales[variable.scale]
    known = {label.casefold(): label for label in [*scale["levels"], *scale.get("missing", [])]}
    known |= {_text(code).casefold(): label for code, label in (scale.get("codes") or {}).items()}
    column = context.column(variable.name)
    texts = column.dropna().map(_text)
    mapped = texts.str.casefold().map(known)
    for i in mapped.index[mapped.isna() & (texts != "")]:
        context.fix(
            i,
            column.name,
            variable.name,
            texts[i],
            None,
            "scale_unknown",
            f"Antwoord past niet op de schaal '{variable.scale}'; leeg gelaten.",
            "Voeg de code toe aan 'codes' van de schaal in het codeboek.",
        )
    return mapped.reindex(column.index).astype("string")


def _scale_long(context: _Context, variable: Variable, ids: pd.Series) -> pd.DataFrame:
    answers = _scale(context, variable).dropna()
    levels = _levels(context, variable)
    level = pd.Categorical(answers.where(answers.isin(levels)), categories=levels, ordered=True)
    return pd.DataFrame(
        {
            "_index": answers.index,
            "respondent_id": ids[answers.index].to_numpy(),
            "wave": context.codebook.wave,
            "theme": variable.theme or NO_THEME,
            "item": variable.name,
            "item_label": variable.spec.get("label", variable.name),
            "answer": answers.to_numpy(),
            "level": level,
            "level_number": pd.array(
                np.where(level.codes >= 0, level.codes + 1, None), dtype="Int64"
            ),
            "dont_know": ~answers.isin(levels).to_numpy(),
        }
    )


def _numbers(context: _Context, variable: Variable) -> pd.Series:
    column = context.column(variable.name)
    out = pd.to_numeric(
        column.map(lambda v: _text(v).replace(",", ".") if pd.notna(v) else None), errors="coerce"
    )
    for i in column.index[column.notna() & out.isna()]:
        context.fix(
            i,
            column.name,
            variable.name,
            column[i],
            None,
            "number_unreadable",
            "Geen getal; leeg gelaten.",
            "Controleer de waarde in de export.",
        )
    return out.astype("Float64")


def _check_all(
    context: _Context, variable: Variable, ids: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    options = variable.spec.get("options", [])
    by_code = {_text(o["code"]).casefold(): o for o in options}
    by_label = {_text(o["label"]).casefold(): o for o in options}
    ticked: list[tuple] = []
    others: dict = {}
    if "separator" in variable.spec:
        _split_joined(context, variable, by_code, by_label, ticked, others)
    else:
        by_value = {o["value"]: o for o in options}
        other_column = context.match.other_column(variable.name)
        if other_column is not None:
            for i, value in context.frame[other_column].dropna().items():
                if _text(value):
                    ticked.append((i, "other", "Andere"))
                    others[i] = _text(value)
        for value_name, column_name in context.match.option_columns(variable.name).items():
            column = context.frame[column_name]
            option = by_value[value_name]
            for i, value in column.dropna().items():
                text = _text(value).casefold()
                if text in CHECKED or text == _text(option["label"]).casefold():
                    ticked.append((i, option["value"], option["label"]))
                elif text not in UNCHECKED:
                    context.fix(
                        i,
                        column_name,
                        variable.name,
                        value,
                        None,
                        "choice_unknown",
                        "Onverwachte waarde in een aanvinkvraag; niet meegeteld.",
                        "Verwacht: Y/ja/1 of leeg.",
                    )
    # One row per respondent and option: an option ticked twice (or "other" in two places)
    # is one choice.
    ticked = list(dict.fromkeys(ticked))
    long = pd.DataFrame(ticked, columns=["_index", "choice", "label"])
    long.insert(1, "respondent_id", ids[long["_index"]].to_numpy() if len(long) else [])
    long.insert(2, "wave", context.codebook.wave)
    long.insert(3, "question", variable.name)
    other = pd.Series(others, dtype="object")
    texts = _texts_from(context, other, f"{variable.name}_other", variable.name, ids)
    return long, texts


def _split_joined(context, variable, by_code, by_label, ticked, others) -> None:
    """Ticked options from one joined cell per respondent (`separator:` in the codebook),
    split by the known options so an option may contain the separator."""
    column = context.column(variable.name)
    separator = variable.spec["separator"]
    other_spec = variable.spec.get("other") or {}
    splitter = ChoiceSplitter(separator, [*by_code, *by_label])
    for i, value in column.dropna().items():
        cell = splitter.split(value)
        for text in cell.options:
            option = by_code.get(text) or by_label[text]
            ticked.append((i, option["value"], option["label"]))
        for text in cell.repeated:
            context.fix(
                i,
                column.name,
                variable.name,
                text,
                text,
                "choice_repeated",
                "Keuze staat meer dan eens in de cel; één keer geteld.",
            )
        for position, text in cell.others:
            if other_spec.get("in_list"):
                ticked.append((i, "other", "Andere"))
                others[i] = (others[i] + "; " + text) if i in others else text
                continue
            context.fix(
                i,
                column.name,
                variable.name,
                text,
                None,
                "choice_unknown",
                f"Deel {position} van de cel is geen keuze uit het codeboek; niet meegeteld.",
                f"Voeg deze keuze toe aan 'options' van {variable.name} in het codeboek, of zet "
                "'other: in_list: true' als de vraag een optie 'Andere' heeft.",
            )


def _free_text(
    context: _Context, variable: Variable, ids: pd.Series, question: str
) -> pd.DataFrame:
    column = context.column(variable.name)
    return _texts_from(context, column.dropna(), question, variable.name, ids)


def _texts_from(
    context: _Context, values: pd.Series, question: str, variable: str, ids: pd.Series
) -> pd.DataFrame:
    rows = []
    column = (context.columns.get(variable) or [None])[0]
    for i, value in values.items():
        text = _text(value)
        if not text:
            continue
        clean, kinds = scrub(text)
        formula = is_formula_like(clean)
        if kinds:
            context.fix(
                i,
                column,
                variable,
                "[verborgen]",
                clean if len(clean) < 80 else None,
                "pii_scrubbed",
                "Persoonsgegevens ("
                + ", ".join(KIND_NAMES[k] for k in kinds)
                + ") uit een open antwoord verwijderd.",
            )
        if formula:
            context.fix(
                i,
                column,
                variable,
                None,
                None,
                "formula_neutralised",
                "Antwoord begint als een formule; onschadelijk gemaakt voor spreadsheets.",
            )
        rows.append(
            (i, ids[i], context.codebook.wave, question, inert(clean), ",".join(kinds), formula)
        )
    return pd.DataFrame(rows, columns=["_index", *TEXT_COLUMNS])


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


# ---------------------------------------------------------------------------------------------
# Repeated submissions


SIMILAR = 0.9  # share of commonly answered questions with the same answer
MIN_COMMON = 5


def find_duplicates(respondents: pd.DataFrame, signature: pd.DataFrame) -> dict[int, int]:
    """Repeated submissions: dropped index → kept index.

    The same organisation answering twice: the same pseudonym (from an e-mail address), or
    the same wave, organisation type and municipality with near-identical answers (at least
    90% of at least five commonly answered questions). The latest complete one is kept.
    """
    order = respondents.assign(
        _complete=respondents["complete"].astype(bool),
        _when=respondents["submitted_at"].fillna(pd.Timestamp("1900-01-01").as_unit("us")),
        _row=respondents["source_row"],
    ).sort_values(["_complete", "_when", "_row"], ascending=False)
    dropped: dict[int, int] = {}
    first = (
        pd.Series(order.index, index=order.index).groupby(order["respondent_id"]).transform("first")
    )
    for i, keep in first[first.index != first].items():
        dropped[i] = keep
    place = signature.get("municipality", pd.Series("", index=signature.index)).fillna("")
    keys = order[["wave"]].assign(
        org=respondents.get("org_type", pd.Series("", index=respondents.index))
        .astype("string")
        .fillna(""),
        place=place.reindex(order.index).astype("string"),
    )
    codes = np.column_stack(
        [
            pd.factorize(signature[c].astype("string"), use_na_sentinel=True)[0]
            for c in signature.columns
            if c != "municipality"
        ]
        or [np.zeros(len(signature), dtype=int)]
    )
    position = {idx: n for n, idx in enumerate(signature.index)}
    answers = signature.drop(columns="municipality", errors="ignore").astype("string").fillna("")
    whole = pd.util.hash_pandas_object(answers, index=False) if len(answers.columns) else None
    answered_count = (answers != "").sum(axis=1)
    for (_, _, place), group in keys.groupby(["wave", "org", "place"], sort=False):
        if len(group) < 2:
            continue
        index = [i for i in group.index if i not in dropped]
        if not place and whole is not None:
            # Without a municipality only identical answers count as the same organisation,
            # and only when enough was answered to make a coincidence unlikely.
            index = [i for i in index if answered_count[i] >= MIN_COMMON]
            same = whole.reindex(index)
            firsts = pd.Series(index, index=index).groupby(same.to_numpy()).transform("first")
            for i, keep in firsts[firsts.index != firsts].items():
                dropped[i] = keep
            continue
        matrix = codes[[position[i] for i in index]]
        rank = {i: n for n, i in enumerate(index)}
        for start in range(0, len(index), 500):
            block = matrix[start : start + 500]
            answered = (block[:, None, :] >= 0) & (matrix[None, :, :] >= 0)
            same = (block[:, None, :] == matrix[None, :, :]) & answered
            common = answered.sum(-1)
            share = np.divide(same.sum(-1), common, out=np.zeros(common.shape), where=common > 0)
            for a, b in zip(*np.nonzero((share >= SIMILAR) & (common >= MIN_COMMON)), strict=True):
                first, second = index[start + a], index[b]
                if first == second or second in dropped or first in dropped:
                    continue
                # `index` is in keep-first order: the earlier one in it is kept.
                keep, drop = (first, second) if rank[first] < rank[second] else (second, first)
                dropped[drop] = keep
    return dropped
