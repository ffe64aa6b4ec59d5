"""Text that report readers see (the numbers and dates themselves: `inclusie_analysis.formats`)."""

from __future__ import annotations


def is_synthetic(source_files) -> bool:
    """Whether the data comes from the synthetic demo (its file names say so)."""
    return any("SYNTHETISCH" in str(name).upper() for name in source_files)
