"""One municipality one unit: the cluster estimators, by hand and against R's `survey` package.

The R tests write the data to CSV, run `svydesign(ids = ~nis_code, weights = ~w, fpc = ~N)`,
`svymean` and `svyciprop(method = "logit")` in Rscript, and compare estimate, SE and interval
to 3 decimals. They skip, saying why, where Rscript or the survey package is missing
(`.ci/run` installs Debian's r-base-core and r-cran-survey).
"""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from inclusie_analysis.analyse.needs_numbers import need_by_unit
from inclusie_analysis.analyse.survey import (
    cluster_mean,
    cluster_proportion,
    cluster_weights,
    is_local_government,
    municipalities_in_area,
)
from inclusie_analysis.clean.areas import select_area

ROOT = Path(__file__).resolve().parents[2]

# three municipalities: a answers twice (1, 0), b three times (1, 1, 0), c twice (0, 1)
TINY = pd.DataFrame({"nis_code": ["a", "a", "b", "b", "b", "c", "c"], "y": [1, 0, 1, 1, 0, 0, 1]})


def test_weights_make_each_municipality_weigh_one():
    w = cluster_weights(TINY["nis_code"])
    assert w.tolist() == pytest.approx([1 / 2, 1 / 2, 1 / 3, 1 / 3, 1 / 3, 1 / 2, 1 / 2])
    assert w.groupby(TINY["nis_code"]).sum().tolist() == pytest.approx([1, 1, 1])


def test_tiny_clustered_proportion_by_hand():
    """Worked by hand, N = 10 municipalities in the area, n = 3 answered.

    Municipality means: a 1/2, b 2/3, c 1/2; the estimate is their mean, 5/9 = 0.5556
    (per answer it would be 4/7 = 0.571: b's three answers would weigh more).
    Deviations from 5/9: −1/18, +2/18, −1/18; squares sum to 6/324 = 1/54, so
    s² = (1/54)/2 = 1/108. var = (1 − 3/10) · s²/3 = 0.7/324 = 0.0021605, SE = 0.046481.
    Logit interval: logit(5/9) = ln(5/4) = 0.22314; SE on the logit scale
    0.046481 / (5/9 · 4/9) = 0.18825; t(0.975, df 2) = 4.3027; 0.22314 ± 0.80998 gives
    −0.58684 and 1.03312, back-transformed 0.35736 and 0.73752.
    """
    got = cluster_proportion(TINY["y"], TINY["nis_code"], population=10)
    assert got.estimate == pytest.approx(5 / 9)
    assert got.se == pytest.approx(math.sqrt(0.7 / 324))
    assert (got.low, got.high) == pytest.approx((0.35736, 0.73752), abs=1e-5)
    assert (got.clusters, got.answers, got.df, got.method) == (3, 7, 2, "logit")


def test_tiny_clustered_mean_by_hand():
    """Same data as a mean with a t interval: 5/9 ± 4.3027 · 0.046481 = 0.3556 to 0.7555."""
    got = cluster_mean(TINY["y"], TINY["nis_code"], population=10)
    assert (got.low, got.high) == pytest.approx((5 / 9 - 0.2, 5 / 9 + 0.2), abs=1e-3)
    assert got.high - got.estimate == pytest.approx(4.302653 * math.sqrt(0.7 / 324), abs=1e-5)


def test_fpc_shrinks_to_zero_when_every_municipality_answered():
    assert cluster_mean(TINY["y"], TINY["nis_code"], population=3).se == 0
    without = cluster_mean(TINY["y"], TINY["nis_code"], population=None).se
    assert without == pytest.approx(math.sqrt(1 / 108 / 3))
    with pytest.raises(ValueError, match="smaller"):
        cluster_mean(TINY["y"], TINY["nis_code"], population=2)


def test_missing_values_leave_the_municipality_its_other_answers():
    # a's second answer is "weet niet": a is now 1 (its one answer), not 1/2
    values = pd.Series([1, None, 1, 1, 0, 0, 1], dtype="Float64")
    got = cluster_proportion(values, TINY["nis_code"], population=10)
    assert got.estimate == pytest.approx((1 + 2 / 3 + 1 / 2) / 3)
    assert got.answers == 6


def test_all_or_nothing_share_gets_a_wilson_interval_over_municipalities():
    got = cluster_proportion([0, 0, 0, 0], ["a", "a", "b", "c"], population=10)
    assert (got.estimate, got.se, got.method) == (0, 0, "wilson")
    assert got.low == 0 and got.high == pytest.approx(0.5615, abs=1e-4)  # Wilson 0 of 3


def test_local_government_and_area_size():
    org = pd.DataFrame({"org_type": ["Lokaal bestuur (gemeente/OCMW)", "Welzijnsvereniging", None]})
    assert is_local_government(org).tolist() == [True, False, False]
    assert municipalities_in_area("Vlaanderen en Brussel") == 285 + 19
    assert municipalities_in_area("Brussel") == 19
    assert municipalities_in_area("Limburg") == 38


# --- the oracle: R's survey package ---------------------------------------------------------

R_SCRIPT = """
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c(nis_code = "character"))
out <- NULL
for (g in unique(d$group)) {
  p <- d[d$group == g, ]
  p$w <- 1 / ave(p$y, p$nis_code, FUN = length)
  des <- svydesign(ids = ~nis_code, weights = ~w, fpc = ~N, data = p)
  m <- svymean(~y, des)
  ci_mean <- confint(m, df = degf(des))
  ci <- attr(svyciprop(~y, des, method = "logit"), "ci")
  out <- rbind(out, data.frame(group = g, estimate = coef(m)[[1]], se = SE(m)[[1]],
                               mean_low = ci_mean[1], mean_high = ci_mean[2],
                               low = ci[[1]], high = ci[[2]], df = degf(des)))
}
write.csv(out, args[2], row.names = FALSE)
"""


def _r_survey() -> str:
    """Rscript's path, or skip with the reason."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript not installed (apt-get install r-base-core r-cran-survey)")
    probe = subprocess.run([rscript, "-e", "library(survey)"], capture_output=True, text=True)
    if probe.returncode:
        pytest.skip("R package 'survey' not installed (apt-get install r-cran-survey)")
    return rscript


def _compare_with_r(data: pd.DataFrame, tmp_path: Path) -> pd.DataFrame:
    """Run the R oracle over `data` (group, nis_code, y, N) and compare every group."""
    rscript = _r_survey()
    (tmp_path / "oracle.R").write_text(R_SCRIPT, encoding="utf-8")
    data.to_csv(tmp_path / "data.csv", index=False)
    subprocess.run(
        [rscript, str(tmp_path / "oracle.R"), str(tmp_path / "data.csv"), str(tmp_path / "r.csv")],
        check=True,
        capture_output=True,
    )
    r = pd.read_csv(tmp_path / "r.csv").set_index("group")
    for group, part in data.groupby("group"):
        population = float(part["N"].iloc[0])
        prop = cluster_proportion(part["y"], part["nis_code"], population)
        mean = cluster_mean(part["y"], part["nis_code"], population)
        want = r.loc[group]
        assert prop.method == "logit", group
        assert prop.df == want["df"], group
        assert round(prop.estimate, 3) == round(want["estimate"], 3), group
        assert prop.se == pytest.approx(want["se"], abs=5e-4), group
        assert (prop.low, prop.high) == pytest.approx((want["low"], want["high"]), abs=5e-4)
        assert (mean.low, mean.high) == pytest.approx(
            (want["mean_low"], want["mean_high"]), abs=5e-4
        ), group
    return r


def test_small_data_set_matches_r_survey(tmp_path):
    groups = [
        TINY.assign(group="tiny", N=10),
        pd.DataFrame({"nis_code": list("aabbbcddde"), "y": [1, 1, 0, 1, 0, 0, 1, 1, 1, 0]}).assign(
            group="five", N=40
        ),
    ]
    r = _compare_with_r(pd.concat(groups, ignore_index=True), tmp_path)
    assert r.loc["tiny", "low"] == pytest.approx(0.35736, abs=1e-5)  # the hand-worked one


@pytest.fixture(scope="module")
def demo_needs(tmp_path_factory):
    """The demo's cleaned needs (seed 1), made once for this module."""
    from inclusie_analysis.clean.datasets import clean_needs
    from inclusie_analysis.clean.privacy import DEMO_KEY
    from inclusie_analysis.demo import write_demo

    demo = write_demo(tmp_path_factory.mktemp("survey-demo") / "demo", seed=1)
    return clean_needs(demo.out, ROOT / "surveys" / "codebooks", up_to_year=2025, key=DEMO_KEY)


def test_demo_local_government_needs_match_r_survey(demo_needs, tmp_path):
    respondents = demo_needs.respondents
    local = respondents.loc[is_local_government(respondents) & (respondents["wave"] == 2025)]
    assert (len(local), local["nis_code"].nunique()) == (226, 158)  # as the issue counted
    rated = demo_needs.needs.loc[
        demo_needs.needs["respondent_id"].isin(local["respondent_id"])
        & demo_needs.needs["level"].notna()
    ].merge(local[["respondent_id", "nis_code", "province"]], on="respondent_id")
    top = rated["level"].cat.categories[-2:]
    rated = rated.assign(y=rated["level"].isin(top).astype(int))
    items = sorted(rated["item"].unique())[:3]
    parts = [
        rated.loc[rated["item"] == item].assign(group=item, N=municipalities_in_area(area))
        for item in items
        for area in ["Vlaanderen en Brussel"]
    ]
    # and one province, with its own N
    parts.append(
        rated.loc[(rated["item"] == items[0]) & (rated["province"] == "Antwerpen")].assign(
            group="antwerpen", N=municipalities_in_area("Antwerpen")
        )
    )
    data = pd.concat(parts, ignore_index=True)[["group", "nis_code", "y", "N"]]
    r = _compare_with_r(data, tmp_path)
    assert len(r) == 4 and (r["df"] > 20).all()
    # and the report's own numbers (needs_numbers.need_by_unit) are R's
    units = need_by_unit(demo_needs.needs, respondents, 2025, "Vlaanderen en Brussel")
    municipal = units.loc[units["unit"] == "municipalities"].set_index("item")
    for item in items:
        got, want = municipal.loc[item], r.loc[item]
        assert round(got["share"], 3) == round(want["estimate"], 3), item
        assert (got["se"], got["low"], got["high"]) == pytest.approx(
            (want["se"], want["low"], want["high"]), abs=5e-4
        ), item
    antwerpen = select_area(respondents, "Antwerpen")
    units = need_by_unit(demo_needs.needs, antwerpen, 2025, "Antwerpen").set_index("item")
    got, want = units.loc[units["unit"] == "municipalities"].loc[items[0]], r.loc["antwerpen"]
    assert (got["low"], got["high"]) == pytest.approx((want["low"], want["high"]), abs=5e-4)
