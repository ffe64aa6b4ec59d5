"""Statistics and tables over the cleaned frames; every function returns a tidy or display frame."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.clean.areas import province_order

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
    # rounding can put the bounds a hair outside [0, 1] or beyond p at 0 and n successes
    low = np.where(n > 0, np.where(successes <= 0, 0.0, np.clip(centre - half, 0, 1)), np.nan)
    high = np.where(n > 0, np.where(successes >= n, 1.0, np.clip(centre + half, 0, 1)), np.nan)
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


def bounded_mean_interval(
    values, lowest: float, highest: float, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Mean of answers on a scale from `lowest` to `highest` with an interval inside the scale.

    The mean is rescaled to p = (mean − lowest) / (highest − lowest), the interval is built on
    the logit of p with the delta-method standard error se(p) / (p (1 − p)) and a t quantile
    (n − 1 degrees of freedom), and transformed back, as R's `svyciprop(method = "logit")`
    does for a proportion. By hand, for [5, 5, 4, 4, 3] on 1–5: mean 4.2, s = √0.7,
    se = 0.37417, p = 0.8, se(p) = 0.093541, logit 1.38629 ± t(0.975, 4) 2.77645 × 0.58463
    → (−0.23691, 3.00950) → p (0.44105, 0.95299) → (2.764, 4.812); the t-interval would be
    (3.161, 5.239), past the top of the scale. Fewer than two values, or all answers equal
    (no spread, or a mean on the edge of the scale) give NaN bounds.
    """
    import numpy as np
    from scipy.stats import t

    data = np.asarray(pd.Series(values).dropna(), dtype=float)
    if len(data) == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(data.mean())
    width = highest - lowest
    p = (mean - lowest) / width
    if len(data) < 2 or not 0 < p < 1 or data.std(ddof=1) == 0:
        return mean, float("nan"), float("nan")
    se_logit = data.std(ddof=1) / np.sqrt(len(data)) / width / (p * (1 - p))
    half = t.ppf(1 - (1 - confidence) / 2, len(data) - 1) * se_logit
    logit = np.log(p / (1 - p))
    low, high = (lowest + width / (1 + np.exp(-(logit + s * half))) for s in (-1, 1))
    return mean, float(low), float(high)


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


def share_shown(k: int, n: int, threshold: int = 5) -> bool:
    """Whether a share k/n may be shown: not when k or n − k is 1 to threshold − 1 (a reader
    would learn a small count: "100 %" of 6 says no one answered otherwise)."""
    return not any(1 <= v < threshold for v in (k, n - k))


# ---------------------------------------------------------------------------------------------
# Proportions, check-all questions, crosstabs, wave-to-wave change, Likert summaries


def proportion_table(
    frame: pd.DataFrame, column: str, by: str | list[str] | None = None, weights: str | None = None
) -> pd.DataFrame:
    """Share of each answer of `column` (per group): n, count, estimate, Wilson CI.

    Missing answers are left out of n. With `weights`, the estimate is weighted and the
    interval uses Kish's effective sample size.
    """
    import numpy as np

    keys = [by] if isinstance(by, str) else list(by or [])
    data = frame.dropna(subset=[column])
    rows = []
    for group, part in data.groupby(keys, observed=True) if keys else [((), data)]:
        group = group if isinstance(group, tuple) else (group,)
        w = part[weights].astype(float) if weights else pd.Series(1.0, index=part.index)
        n_eff = w.sum() ** 2 / (w**2).sum() if len(w) else 0.0
        for value in sorted(part[column].unique(), key=str):
            chosen = part[column] == value
            estimate = float(w[chosen].sum() / w.sum())
            low, high = wilson_interval(estimate * n_eff, n_eff)
            rows.append(
                {**dict(zip(keys, group, strict=True)), "answer": value, "n": len(part),
                 "count": int(chosen.sum()), "estimate": estimate, "low": low, "high": high}
            )  # fmt: skip
    out = pd.DataFrame(rows)
    if weights and len(out):
        out["weighted"] = True
    return (
        out
        if len(out)
        else pd.DataFrame(
            columns=[*keys, "answer", "n", "count", "estimate", "low", "high"]
        ).assign(low=np.nan)
    )


def check_all_shares(
    choices: pd.DataFrame, respondents: pd.DataFrame, question: str, by: str | None = None
) -> pd.DataFrame:
    """For a check-all question: the share of respondents who ticked each option.

    The denominator is the respondents who ticked at least one option of the question (who
    answered it), not the number of ticks, so shares can add up to more than 100 %.
    """
    ticked = choices[choices["question"] == question]
    answered = respondents[respondents["respondent_id"].isin(ticked["respondent_id"])]
    keys = [by] if by else []
    if by:
        ticked = ticked.merge(respondents[["respondent_id", by]], on="respondent_id")
    base = answered.groupby(keys, observed=True).size() if keys else pd.Series({(): len(answered)})
    counts = ticked.groupby([*keys, "choice", "label"], observed=True)["respondent_id"].nunique()
    rows = []
    for index, count in counts.items():
        group = index[: len(keys)]
        n = int(base.loc[group[0]] if keys else base.iloc[0])
        low, high = wilson_interval(count, n)
        rows.append({**dict(zip(keys, group, strict=True)), "choice": index[len(keys)],
                     "label": index[len(keys) + 1], "n": n, "count": int(count),
                     "estimate": count / n, "low": low, "high": high})  # fmt: skip
    return pd.DataFrame(rows).sort_values(
        [*keys, "estimate"], ascending=[True] * len(keys) + [False]
    )


def crosstab_test(frame: pd.DataFrame, row: str, column: str) -> dict:
    """Counts of `row` × `column` with a test of independence.

    Chi-square when every expected count is at least 5, else Fisher's exact test (scipy's
    r × c version). Cramér's V (bias-uncorrected) says how strong the association is.
    """
    import numpy as np
    from scipy.stats import chi2_contingency, fisher_exact

    table = pd.crosstab(frame[row], frame[column])
    observed = table.to_numpy()
    chi2, p, dof, expected = chi2_contingency(observed, correction=False)
    test = "chi2"
    if (expected < 5).any():
        p = float(fisher_exact(observed).pvalue)
        test = "fisher"
    n = observed.sum()
    v = (
        float(np.sqrt(chi2 / (n * (min(observed.shape) - 1))))
        if min(observed.shape) > 1
        else float("nan")
    )
    return {"table": table, "test": test, "statistic": float(chi2), "dof": int(dof), "p": float(p),
            "cramers_v": v, "n": int(n), "min_expected": float(expected.min())}  # fmt: skip


def benjamini_hochberg(pvalues) -> pd.Series:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), same order as given."""
    from scipy.stats import false_discovery_control

    values = pd.Series(pvalues, dtype=float)
    adjusted = pd.Series(float("nan"), index=values.index)
    present = values.notna()
    if present.any():
        adjusted[present] = false_discovery_control(values[present].to_numpy(), method="bh")
    return adjusted


def holm(pvalues) -> pd.Series:
    """Holm's step-down adjusted p-values (family-wise error rate), same order as given; NaN
    stays NaN and is not counted. The i-th smallest of m p-values is multiplied by m − i + 1,
    then made non-decreasing and capped at 1. By hand: [0.01, 0.04, 0.03, 0.005] sorted
    0.005 × 4 = 0.02, 0.01 × 3 = 0.03, 0.03 × 2 = 0.06, 0.04 × 1 = 0.04 → 0.06
    (non-decreasing) → [0.03, 0.06, 0.06, 0.02]."""
    values = pd.Series(pvalues, dtype=float)
    present = values.dropna().sort_values(kind="stable")
    m = len(present)
    steps = (present * (m - pd.Series(range(m), index=present.index))).cummax().clip(upper=1)
    return steps.reindex(values.index)


def holm_levels(pvalues, alpha: float = 0.05) -> pd.Series:
    """The confidence level at which each test's interval agrees with Holm's verdict: the
    i-th smallest p-value is judged against alpha / (m − i + 1) while all before it were
    rejected, so its interval is shown at 1 − alpha / (m − i + 1); from the first one not
    rejected on, every test keeps that step's level (their intervals then include 0). With
    m = 4 and p [0.001, 0.2, 0.01, 0.5]: 0.001 < 0.05/4 → 98.75 %; 0.01 < 0.05/3 → 98.33 %;
    0.2 > 0.05/2 → 97.5 % for 0.2 and for 0.5. NaN stays NaN."""
    values = pd.Series(pvalues, dtype=float)
    present = values.dropna().sort_values(kind="stable")
    m, levels, step, stopped = len(present), {}, 0, False
    for i, (index, p) in enumerate(present.items()):
        if not stopped:
            step = i
            stopped = p > alpha / (m - i)
        levels[index] = 1 - alpha / (m - step)
    return pd.Series(levels, dtype=float).reindex(values.index)


def newcombe_pvalue(x1: int, n1: int, x2: int, n2: int) -> float:
    """The p-value that goes with Newcombe's interval: one minus the highest confidence level
    at which `newcombe_difference` still excludes 0 (so p < alpha exactly when the 1 − alpha
    interval excludes 0). A difference of 0 gives 1."""
    from scipy.optimize import brentq

    diff = x2 / n2 - x1 / n1
    if diff == 0:
        return 1.0

    def gap(alpha: float) -> float:  # > 0 when the 1 − alpha interval excludes 0
        _, low, high = newcombe_difference(x1, n1, x2, n2, 1 - alpha)
        return low if diff > 0 else -high

    tiny = 1e-12
    if gap(tiny) > 0:
        return tiny
    return float(brentq(gap, tiny, 1 - tiny, xtol=1e-12))


def newcombe_difference(x1: int, n1: int, x2: int, n2: int, confidence: float = 0.95):
    """Difference p2 − p1 of two independent proportions with Newcombe's hybrid score interval
    (method 10 in Newcombe 1998): built from the two Wilson intervals."""
    import math

    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, confidence)
    l2, u2 = wilson_interval(x2, n2, confidence)
    diff = p2 - p1
    low = diff - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = diff + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return diff, low, high


def likert_summary(
    needs: pd.DataFrame, by: str | list[str] | None = None, top: int = 2
) -> pd.DataFrame:
    """Per item (and group): n answering, share per level, "weet niet" apart, top-box share
    (the highest `top` levels) with a Wilson CI, and the median level."""
    keys = ["item", *([by] if isinstance(by, str) else list(by or []))]
    rows = []
    for group, part in needs.groupby(keys, observed=True):
        group = group if isinstance(group, tuple) else (group,)
        levels = list(part["level"].cat.categories)
        rated = part.dropna(subset=["level"])
        n = len(rated)
        counts = rated["level"].value_counts().reindex(levels, fill_value=0)
        topbox = int(counts.iloc[-top:].sum())
        low, high = wilson_interval(topbox, n)
        median = levels[int(rated["level"].cat.codes.median())] if n else None
        row = {
            **dict(zip(keys, group, strict=True)),
            "n": n,
            "dont_know": int(part["dont_know"].sum()),
        }
        row |= {f"share_{level}": counts[level] / n if n else float("nan") for level in levels}
        row |= {"top_box": topbox / n if n else float("nan"), "top_box_low": low,
                "top_box_high": high, "median_level": median}  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


def poststratification_weights(respondents: pd.DataFrame, population: pd.Series) -> pd.Series:
    """Weights for local governments so each province counts as its share of Flemish and
    Brussels municipalities (`population`: municipalities per province).

    Only rows of local governments with a province get a weight (population share ÷ sample
    share); other organisations are a group of their own and get NA: report them apart.
    """
    local = respondents["org_type"].astype("string").str.startswith("Lokaal bestuur").fillna(False)
    local &= respondents["province"].notna()
    sample = respondents.loc[local, "province"].value_counts(normalize=True)
    target = population / population.sum()
    ratio = (target / sample).reindex(sample.index)
    weights = pd.Series(pd.NA, index=respondents.index, dtype="Float64")
    weights[local] = respondents.loc[local, "province"].map(ratio).astype(float)
    return weights


def municipalities_per_province() -> pd.Series:
    """How many 2025 municipalities each province (and Brussels) has: the weighting target."""
    from inclusie_analysis.clean.geo import load_reference

    muni = load_reference().municipalities
    province = muni["province_nl"].mask(muni["region"] == "Brussel", "Brussel")
    return province.value_counts()


# ---------------------------------------------------------------------------------------------
# Disclosure control


def complete_suppression(
    full: pd.DataFrame,
    hidden: pd.DataFrame,
    keep_grand_total: bool = False,
    fixed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Complementary suppression of a table with its "Totaal" row and column: a line (row or
    column, margins included) with exactly one hidden number could be worked out by
    subtraction, so its smallest shown non-zero interior number is hidden too (a total only
    when there is none; never the grand total with `keep_grand_total`, e.g. when a caption
    shows it; never a cell of the `fixed` mask, e.g. a total published elsewhere), until no
    line has a single hidden number. Returns the new hidden mask."""
    hidden = hidden.copy()
    fixed = pd.DataFrame(False, index=full.index, columns=full.columns) if fixed is None else fixed
    interior = pd.DataFrame(True, index=full.index, columns=full.columns)
    interior["Totaal"] = False
    interior.loc["Totaal"] = False
    changed = True
    while changed:
        changed = False
        for axis in (1, 0):
            lines = hidden if axis == 1 else hidden.T
            values = full if axis == 1 else full.T
            inside = interior if axis == 1 else interior.T
            for label in lines.index:
                line = lines.loc[label]
                if int(line.sum()) != 1:
                    continue
                keep = fixed if axis == 1 else fixed.T
                shown = values.loc[label][(~line) & (values.loc[label] > 0) & ~keep.loc[label]]
                if keep_grand_total and label == "Totaal":
                    shown = shown.drop("Totaal", errors="ignore")
                if not len(shown):
                    continue
                preferred = shown[inside.loc[label][shown.index]]
                extra = (preferred if len(preferred) else shown).idxmin()
                if axis == 1:
                    hidden.loc[label, extra] = True
                else:
                    hidden.loc[extra, label] = True
                changed = True
    return hidden


def suppress_table(table: pd.DataFrame, threshold: int = 5, totals: bool = True) -> pd.DataFrame:
    """Hide counts of 1 to threshold − 1 respondents in a two-way table of counts.

    Zeros are shown. The row and column totals (and the grand total) are part of the table,
    so complementary suppression works on every line with its total: a line (row or column,
    margins included) in which exactly one number is hidden could be worked out by
    subtraction, so its smallest shown non-zero interior number is hidden too (a total only
    when there is none), until no line has a single hidden number (`complete_suppression`).
    Hidden numbers are NA.
    """
    counts = table.astype("int64")
    full = counts.copy()
    full["Totaal"] = counts.sum(axis=1)
    full.loc["Totaal"] = [*counts.sum(axis=0).tolist(), int(counts.to_numpy().sum())]
    hidden = complete_suppression(full, (full >= 1) & (full < threshold))
    out = full.astype("Int64").mask(hidden)
    return out if totals else out.drop(index="Totaal", columns="Totaal")
