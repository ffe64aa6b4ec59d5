"""Statistics and tables over the cleaned frames; every function returns a tidy or display frame."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.clean.geo import province_order

NO_MUNICIPALITY = {"nl": "Geen gemeente opgegeven", "en": "No municipality given"}
TOTAL = {"nl": "Totaal", "en": "Total"}


def count_responses_by_province(respondents: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """Responses per province (rows, west to east, then Brussels) and survey wave (columns).

    Organisations without a municipality get their own row, so the total is every response.
    """
    province = respondents["province"].astype("object").fillna(NO_MUNICIPALITY[language])
    table = pd.crosstab(province, respondents["wave"]).reindex(
        [*province_order(), NO_MUNICIPALITY[language]], fill_value=0
    )
    table.loc[TOTAL[language]] = table.sum()
    table.index.name = "Provincie" if language == "nl" else "Province"
    table.columns = [str(c) for c in table.columns]
    table.columns.name = "Bevraging" if language == "nl" else "Survey wave"
    return table


# ---------------------------------------------------------------------------------------------
# Estimates with their uncertainty (scipy imported only when used)


def wilson_interval(successes, n, confidence: float = 0.95):
    """Wilson score interval for a proportion; works on numbers or arrays. n = 0 gives NaN."""
    import numpy as np
    from scipy.stats import norm

    successes, n = np.asarray(successes, dtype=float), np.asarray(n, dtype=float)
    z = norm.ppf(1 - (1 - confidence) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    low, high = np.where(n > 0, centre - half, np.nan), np.where(n > 0, centre + half, np.nan)
    return (float(low), float(high)) if low.ndim == 0 else (low, high)


def mean_interval(values, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean with a t-interval; fewer than two values give NaN bounds."""
    import numpy as np
    from scipy.stats import t

    data = np.asarray(pd.Series(values).dropna(), dtype=float)
    if len(data) == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(data.mean())
    if len(data) < 2:
        return mean, float("nan"), float("nan")
    half = t.ppf(1 - (1 - confidence) / 2, len(data) - 1) * data.std(ddof=1) / np.sqrt(len(data))
    return mean, mean - float(half), mean + float(half)


def nps(scores) -> float:
    """Net Promoter Score: % promoters (9-10) − % detractors (0-6), from −100 to +100."""
    import numpy as np

    data = np.asarray(pd.Series(scores).dropna(), dtype=float)
    if not len(data):
        return float("nan")
    return float(100 * ((data >= 9).mean() - (data <= 6).mean()))


def nps_interval(scores, confidence: float = 0.95, n_boot: int = 2000, seed: int = 0):
    """Percentile bootstrap interval of the NPS (deterministic for a given seed)."""
    import numpy as np

    data = np.asarray(pd.Series(scores).dropna(), dtype=float)
    if len(data) < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    samples = data[rng.integers(0, len(data), size=(n_boot, len(data)))]
    values = 100 * ((samples >= 9).mean(axis=1) - (samples <= 6).mean(axis=1))
    alpha = (1 - confidence) / 2
    return float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha))


def suppress(
    frame: pd.DataFrame, n_column: str, estimates: list[str], threshold: int = 5
) -> pd.DataFrame:
    """Blank the estimates of groups with 1 to threshold − 1 respondents and mark them.

    The count itself stays (it says why nothing is shown); groups of 0 show nothing to hide.
    """
    out = frame.copy()
    small = out[n_column].between(1, threshold - 1)
    for column in estimates:
        out[column] = out[column].astype("Float64").mask(small)
    out["suppressed"] = small
    return out
