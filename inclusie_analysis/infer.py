"""Guess what kind of question a column holds, from its header and its values.

Used by `inclusie inspect` (so a user sees why a file reads the way it does) and by
`inclusie codebook draft` (a first codebook for a person to review). A guess, never a rule:
the codebook a person checked decides.
"""

from __future__ import annotations

import re

import pandas as pd

PII_HEADER = re.compile(
    r"e-?mail|naam|name|telefoon|phone|gsm|adres|address|voornaam|achternaam|first name|last name",
    re.I,
)
METADATA_HEADER = re.compile(
    r"^(id|response ?id|respondent ?id|collector ?id|seed|lastpage|last page|startlanguage|"
    r"start language|ip ?address|ipaddr|status|progress|finished|duration.*|recordeddate|"
    r"distributionchannel|userlanguage|externalreference|location.*|_id|_uuid|_index|"
    r"_submission_time|_status|_submitted_by|__version__)$",
    re.I,
)
DATE_HEADER = re.compile(
    r"date|datum|time|tijd|timestamp|tijdstempel|submitdate|startdate|datestamp", re.I
)
MUNICIPALITY_HEADER = re.compile(r"gemeente|stad|municipality|lokaal bestuur|postcode", re.I)
EMAIL_VALUE = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
NUMBER_VALUE = re.compile(r"^-?\d+([.,]\d+)?$")
CHECK_VALUES = {"y", "yes", "ja", "1", "0", "true", "false", "x", "n", "no", "nee"}


def infer_type(values: pd.Series, header: str = "", max_levels: int = 12) -> str:
    """One of the codebook types: metadata, pii_drop, date, municipality, check_all,
    single_choice, scale, number or free_text."""
    header = str(header).strip()
    answered = values.dropna()
    answered = answered[answered.map(lambda v: str(v).strip() != "")]
    texts = answered.map(lambda v: str(v).strip())
    if METADATA_HEADER.match(header):
        return "metadata"
    if PII_HEADER.search(header) or (
        len(texts) and texts.map(EMAIL_VALUE.match).notna().mean() > 0.5
    ):
        return "pii_drop"
    if len(answered) and answered.map(lambda v: hasattr(v, "year")).mean() > 0.8:
        return "date"
    if (
        DATE_HEADER.search(header)
        and len(texts)
        and pd.to_datetime(texts, errors="coerce", dayfirst=True, format="mixed").notna().mean()
        > 0.8
    ):
        return "date"
    if MUNICIPALITY_HEADER.search(header):
        return "municipality"
    if not len(texts):
        return "free_text"
    distinct = texts.str.lower().unique()
    if set(distinct) <= CHECK_VALUES and len(distinct) <= 2:
        return "check_all"
    if texts.str.contains(";").mean() > 0.2 and texts.str.split(";").map(len).max() > 1:
        return "check_all"
    if texts.map(lambda t: bool(NUMBER_VALUE.match(t))).all():
        numbers = pd.to_numeric(texts.str.replace(",", ".", regex=False), errors="coerce")
        if numbers.nunique() <= 11 and numbers.min() >= 0 and numbers.max() <= 10:
            return "scale"
        return "number"
    if len(distinct) <= max_levels and texts.str.len().mean() < 60:
        return "single_choice"
    return "free_text"
