"""Tables as report readers see them: Dutch headers, decimal commas, statuses in words."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.analyse.feedback import feedback_labels
from inclusie_analysis.formats import format_number


def indicator_table(indicators: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """Goal, indicator, target, realised and status, formatted for a report."""
    nl = language == "nl"

    def number(value: float, unit: str) -> str:
        if value != value:
            return "–"
        if "aandeel" in unit:
            return f"{format_number(100 * value, language)} %"
        return format_number(value, language, decimals=0 if float(value).is_integer() else 1)

    table = pd.DataFrame(
        {
            "OD": indicators["goal"],
            "Indicator": indicators["description"],
            "Doel" if nl else "Target": [
                number(t, u) for t, u in zip(indicators["target"], indicators["unit"], strict=True)
            ],
            "Gerealiseerd" if nl else "Realised": [
                number(r, u)
                for r, u in zip(indicators["realised"], indicators["unit"], strict=True)
            ],
            "Eenheid" if nl else "Unit": indicators["unit"],
            "Status": indicators["status"],
        }
    )
    if indicators["expected"].notna().any():
        table.insert(4, "Verwacht" if nl else "Expected", [
            number(e, u) for e, u in zip(indicators["expected"], indicators["unit"], strict=True)
        ])  # fmt: skip
    return table.set_index("OD")  # the goal code leads every row


def feedback_table(
    summary: pd.DataFrame, language: str = "nl", names: dict | None = None
) -> pd.DataFrame:
    """n, response rate, satisfaction and NPS per group; suppressed groups show only n.

    `names` turns group keys into words (e.g. activity types into their Dutch labels).
    """
    labels = feedback_labels(language)
    if not len(summary):
        return pd.DataFrame()
    key = summary.columns[0]
    summary = summary.assign(**{key: summary[key].map(lambda k: (names or {}).get(k, k))})

    def pct(value) -> str:
        return "–" if pd.isna(value) else f"{format_number(100 * value, language)} %"

    def ci(value, low, high, decimals=1) -> str:
        if pd.isna(value):
            return "–"
        text = format_number(value, language, decimals)
        if pd.isna(low):
            return text
        bounds = (
            f"{format_number(low, language, decimals)}–{format_number(high, language, decimals)}"
        )
        return f"{text} ({bounds})"

    def pct_ci(value, low, high) -> str:
        if pd.isna(value):
            return "–"
        return f"{pct(value)} ({pct(low)}–{pct(high)})" if pd.notna(low) else pct(value)

    table = pd.DataFrame(
        {
            key: summary[key],
            labels["n_responses"]: summary["n_responses"],
            labels["response_rate"]: summary["response_rate"].map(pct),
            labels["satisfaction_mean"]: [
                ci(v, lo, hi)
                for v, lo, hi in summary[
                    ["satisfaction_mean", "satisfaction_low", "satisfaction_high"]
                ].itertuples(index=False)
            ],
            labels["satisfied_share"]: [
                pct_ci(v, lo, hi)
                for v, lo, hi in summary.reindex(
                    columns=["satisfied_share", "satisfied_low", "satisfied_high"]
                ).itertuples(index=False)
            ],
            labels["nps"]: [
                ci(v, lo, hi, 0)
                for v, lo, hi in summary[["nps", "nps_low", "nps_high"]].itertuples(index=False)
            ],
        }
    )
    # The counts per score are never shown: in a group too small for a mean they are small
    # cells that tell who answered what.
    return table.set_index(key)
