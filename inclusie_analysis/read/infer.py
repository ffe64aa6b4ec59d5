"""Guess what kind of question a column holds, from its header and its values.

Used by `inclusie inspect` (so a user sees why a file reads the way it does) and by
`inclusie codebook draft` (a first codebook for a person to review). A guess, never a rule:
the codebook a person checked decides.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd

PII_HEADER = re.compile(
    r"e-?mail|naam|name|telefoon|phone|gsm|adres|address|voornaam|achternaam|first name|last name",
    re.I,
)
# Metadata that identifies or locates a person: dropped like personal data (checked first).
SENSITIVE_HEADER = re.compile(
    r"^(ip ?address|ipaddr|ip-adres|location ?(latitude|longitude)|"
    r"recipient ?(first ?name|last ?name|e-?mail)|token|_geolocation|.*_(latitude|longitude))$",
    re.I,
)
METADATA_HEADER = re.compile(
    r"^(id|response ?id|respondent ?id|collector ?id|seed|lastpage|last page|startlanguage|"
    r"start language|status|progress|finished|duration.*|recordeddate|"
    r"distributionchannel|userlanguage|externalreference|external ?data ?reference|location.*|"
    r"responseset|custom data.*|refurl|referrer url|deviceid|total points|quiz feedback|"
    r"q_.+|_.+)$",
    re.I,
)
DATE_HEADER = re.compile(
    r"date|datum|time|tijd|timestamp|tijdstempel|submitdate|startdate|datestamp|^start$|^end$|"
    r"^today$",
    re.I,
)
# A time-zone abbreviation after a timestamp (Google Forms: "2023/11/13 4:20:37 pm CET").
_TIME_ZONE = re.compile(r"\s+[A-Z]{2,5}$")
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
    if SENSITIVE_HEADER.match(header):
        return "pii_drop"
    if METADATA_HEADER.match(header):
        return "metadata"
    if PII_HEADER.search(header) or (
        len(texts) and texts.map(EMAIL_VALUE.match).notna().mean() > 0.5
    ):
        return "pii_drop"
    if len(answered) and answered.map(lambda v: hasattr(v, "year")).mean() > 0.8:
        return "date"
    if DATE_HEADER.search(header) and len(texts) and _date_share(texts) > 0.8:
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


def infer_column_type(
    values: pd.Series, name: str, question: str | None = None, max_levels: int = 12
) -> str:
    """`infer_type` from the column name, and from the question text when the export has one.

    Personal data found by either wins (Qualtrics' legacy `V6` is "IPAddress" in row 2); a
    question text that names a municipality, a date or metadata beats a name like `Q3`.
    """
    by_name = infer_type(values, name, max_levels)
    if not question or str(question).strip() == str(name).strip():
        return by_name
    by_question = infer_type(values, question, max_levels)
    if "pii_drop" in (by_name, by_question):
        return "pii_drop"
    if by_name not in ("metadata", "date", "municipality") and by_question in (
        "metadata",
        "date",
        "municipality",
    ):
        return by_question
    return by_name


def _date_share(texts: pd.Series) -> float:
    """Share of texts that read as a date or time stamp (0 when they cannot be compared)."""
    cleaned = texts.str.replace(_TIME_ZONE, "", regex=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = pd.to_datetime(
                cleaned, errors="coerce", dayfirst=True, format="mixed", utc=True
            )
        except (ValueError, TypeError, OverflowError):
            return 0.0
    return float(parsed.notna().mean())
