"""Dutch (or English) numbers, percentages and dates for the texts readers see.

Below both analyse/ (its sentences) and publish/ (tables, captions, charts), so neither step
has to import the other for a decimal comma.
"""

from __future__ import annotations


def format_number(value: float, language: str = "nl", decimals: int = 0) -> str:
    """Format a number for prose: '1.234,5' in Dutch, '1,234.5' in English."""
    text = f"{value:,.{decimals}f}"
    if language == "nl":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip


def format_date(value, language: str = "nl") -> str:
    """A date in words, without depending on the machine's locale: '3 maart 2025'."""
    import pandas as pd

    day = pd.Timestamp(value)
    month = MONTHS[language][day.month - 1]
    return f"{day.day} {month} {day.year}"


def format_percent(value: float, language: str = "nl", decimals: int = 0) -> str:
    """A share as a percentage for prose: 0.125 → '12,5 %' (nl) or '12.5%' (en)."""
    if value != value:
        return "–"
    number = format_number(100 * value, language, decimals)
    return f"{number} %" if language == "nl" else f"{number}%"
