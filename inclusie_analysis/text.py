"""Text that report readers see: Dutch by default (decimal comma), English on request."""

from __future__ import annotations


def format_number(value: float, language: str = "nl", decimals: int = 0) -> str:
    """Format a number for prose: '1.234,5' in Dutch, '1,234.5' in English."""
    text = f"{value:,.{decimals}f}"
    if language == "nl":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


def is_synthetic(source_files) -> bool:
    """Whether the data comes from the synthetic demo (its file names say so)."""
    return any("SYNTHETISCH" in str(name).upper() for name in source_files)
