"""Estimates for local governments: one municipality one unit (a one-stage cluster sample).

Several people of one municipality (the council, the OCMW, a library, ...) can answer the
survey. Counting answers would let a municipality with four answers weigh four times as
much and treat its four answers as independent. Here the municipality (`nis_code`) is the
unit: the cluster of a one-stage cluster sample of the municipalities of the area.

- Each answer gets the weight 1 / (answers of its municipality), so every municipality
  weighs 1 and its value is the mean of its answers (for a yes/no, the share of its
  answers saying yes).
- The finite population correction uses N = the municipalities of the area (the bundled
  reference: 285 Flemish and 19 Brussels municipalities; per province from
  `reference/municipalities.csv`), so a survey of almost every municipality is known almost
  exactly.
- Standard errors by Taylor linearisation, exactly as R's `survey` package computes them for
  `svydesign(ids = ~nis_code, weights = ~w, fpc = ~N, data = d)` with `svymean(~y, design)`;
  the interval of a proportion as `svyciprop(~y, design, method = "logit")`: a Wald interval
  on the logit scale with the design SE and a t quantile with df = clusters − 1
  (`degf(design)`), transformed back, so it stays inside 0–1.

Other organisation types are not clustered: their answers stay the unit (simple random
sampling, Wilson intervals, as `stats.wilson_interval`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

LOCAL_GOVERNMENT = "Lokaal bestuur"


@dataclass(frozen=True)
class ClusterEstimate:
    """A mean or proportion over municipalities with its design standard error and interval.

    `method` says how the interval was made: "t" (mean ± t·SE), "logit" (as svyciprop) or
    "wilson" (a share of exactly 0 or 1, where the logit interval has no width: Wilson over
    the municipalities, without the finite population correction).
    """

    estimate: float
    se: float
    low: float
    high: float
    clusters: int
    answers: int
    population: float
    df: int
    method: str


def is_local_government(respondents: pd.DataFrame) -> pd.Series:
    """True for answers of a local government (organisation type "Lokaal bestuur …")."""
    org = respondents["org_type"].astype("string")
    return org.str.startswith(LOCAL_GOVERNMENT).fillna(False).astype(bool)


def municipalities_in_area(area: str) -> int:
    """N of the finite population correction: the municipalities of a report area (2025)."""
    from inclusie_analysis.clean.areas import area_size

    return area_size(area)


def cluster_weights(clusters: pd.Series) -> pd.Series:
    """1 / (answers of the cluster) for every answer: each cluster weighs 1 in total."""
    return 1.0 / clusters.map(clusters.value_counts())


def _cluster_means(values, clusters) -> tuple[pd.Series, int]:
    """Mean of each cluster (present values only) and the number of answers used."""
    y = pd.Series(values).astype("Float64").astype(float).to_numpy()
    data = pd.DataFrame({"y": y, "c": pd.Series(clusters).astype("string").to_numpy()})
    data = data.dropna()
    return data.groupby("c")["y"].mean(), len(data)


def _design_se(means: pd.Series, population: float | None) -> float:
    """Taylor-linearised SE of the mean of cluster totals with weights 1/m (survey's onestage):

    the influence of cluster i is z_i = (ȳ_i − ȳ)/n, and var = (1 − n/N)·n/(n − 1)·Σ z_i²,
    which is (1 − n/N)·s²/n with s² the sample variance of the n cluster means.
    """
    n = len(means)
    fpc = 1.0 if population is None or math.isinf(population) else 1 - n / population
    if n < 2:
        return 0.0 if n == 1 else float("nan")
    return math.sqrt(fpc * float(means.var(ddof=1)) / n)


def _check_population(n: int, population: float | None) -> None:
    if population is not None and population < n:
        raise ValueError(f"population of {population} clusters is smaller than the {n} sampled")


def cluster_mean(
    values, clusters, population: float | None, confidence: float = 0.95
) -> ClusterEstimate:
    """Mean over clusters (each cluster its answers' mean, weighing 1) with the design SE and
    a t interval with clusters − 1 df, as R's `confint(svymean(~y, d), df = degf(d))` for
    `d = svydesign(ids = ~cluster, weights = ~1/m, fpc = ~N)` on the rows with a value.

    `population`: N clusters in the population (None: no finite population correction).
    """
    from scipy.stats import t

    means, answers = _cluster_means(values, clusters)
    n = len(means)
    _check_population(n, population)
    if not n:
        nan = float("nan")
        return ClusterEstimate(nan, nan, nan, nan, 0, 0, population or math.inf, 0, "t")
    estimate, se = float(means.mean()), _design_se(means, population)
    half = float(t.ppf(1 - (1 - confidence) / 2, n - 1)) * se if n > 1 else float("nan")
    return ClusterEstimate(estimate, se, estimate - half, estimate + half, n, answers,
                           population or math.inf, n - 1, "t")  # fmt: skip


def cluster_proportion(
    values, clusters, population: float | None, confidence: float = 0.95
) -> ClusterEstimate:
    """Proportion over clusters (`values` 0/1 or bool; NA left out) with the design SE and the
    logit interval of R's `svyciprop(~y, d, method = "logit")`:
    expit(logit(p) ± t(df = clusters − 1) · SE / (p(1 − p))).

    A share of exactly 0 or 1 has SE 0 and a logit interval without width; it gets the
    Wilson interval over the number of clusters instead (method "wilson"), so that 0 of 3
    municipalities does not read as "certainly none".
    """
    from scipy.stats import t

    from inclusie_analysis.analyse.stats import wilson_interval

    base = cluster_mean(values, clusters, population, confidence)
    p, se, n = base.estimate, base.se, base.clusters
    if n < 2 or math.isnan(p):
        return ClusterEstimate(p, se, float("nan"), float("nan"), n, base.answers,
                               base.population, base.df, "logit")  # fmt: skip
    if p <= 0 or p >= 1:
        low, high = wilson_interval(round(p * n), n, confidence)
        return ClusterEstimate(p, se, low, high, n, base.answers, base.population, base.df,
                               "wilson")  # fmt: skip
    quantile = float(t.ppf(1 - (1 - confidence) / 2, n - 1))
    centre, half = math.log(p / (1 - p)), quantile * se / (p * (1 - p))
    low, high = (1 / (1 + math.exp(-(centre + s * half))) for s in (-1, 1))
    return ClusterEstimate(p, se, low, high, n, base.answers, base.population, base.df, "logit")
