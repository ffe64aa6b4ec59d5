"""The cells of one survey export read as values, one question type at a time: choices,
scales, numbers, dates, check-all options and open answers, with every value that could not
be read (or was changed) written to the ledger.

Apart from `needs`, which puts one export together from these readers (its respondents and
long frames), so each type's rules read on their own. The names are private to the clean
step: `needs` is their only user.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inclusie_analysis.clean.deidentify import KIND_NAMES
from inclusie_analysis.clean.ledger import FixLog, Ledger
from inclusie_analysis.clean.privacy import (
    inert,
    is_formula_like,
    normalise_email,
    pseudonym,
    scrub,
    scrub_column,
)
from inclusie_analysis.read.choices import ChoiceSplitter
from inclusie_analysis.read.codebook import Codebook, ColumnMatch, Variable
from inclusie_analysis.read.readers import RawExport
from inclusie_analysis.read.themes import NO_THEME

CHECKED = {"y", "yes", "ja", "1", "1.0", "true", "waar", "x", "checked", "aangevinkt"}
UNCHECKED = {"n", "no", "nee", "0", "0.0", "false", "onwaar", ""}
TEXT_COLUMNS = ["respondent_id", "wave", "question", "text", "scrubbed", "formula"]


@dataclass
class _Context:
    raw: RawExport
    codebook: Codebook
    columns: dict[str, list[str]]
    frame: pd.DataFrame
    rows: pd.Series
    ledger: Ledger
    match: ColumnMatch
    fixes: FixLog  # the file's fixes, recorded in the ledger once the file is read

    def column(self, name: str) -> pd.Series | None:
        found = self.match.column(name)
        return self.frame[found] if found is not None else None

    def fix(self, i, column, variable, value, result, action, message, advice=""):
        personal = any(v.name == variable and v.type == "pii_drop" for v in self.codebook.variables)
        self.fixes.add(
            int(self.rows[i]),
            column,
            variable,
            value,
            result,
            action,
            message,
            advice,
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
