"""The data of the theme chooser (`publish/theme_chooser.py`): the ranking's raw signals per
area × organisation type, so planners can weigh them themselves in the page.

Per group (an area as the reports have it: everyone, a province or Brussel; × all
organisation types or one `org_type` of the latest wave) the signals of
`planning.theme_signals` on that group's respondents and needs, with the events and feedback
of the year and the open answers as the yearly report passes them (not split by area or
organisation type), plus what the page shows beside them: `top_share` for the default weights,
the reason sentence, the theme's label, n respondents and the unavailable signals.

A group with fewer respondents (latest wave) than the threshold is *suppressed*: one row with
its area, organisation type and the flag, and no number at all (not even its n). So is a
group from which such a small group could be worked out by subtraction (`hidden_groups`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from inclusie_analysis.analyse.planning import (
    RESAMPLES,
    SEED,
    rank_themes,
    theme_signals,
    unavailable_in,
)

ALL_TYPES = "*"  # the organisation-type value of "every type"
SUBGROUP_RESAMPLES = 200  # bootstrap resamples for area × one organisation type
GROUP_COLUMNS = ["area", "org_type", "suppressed"]
SIGNAL_COLUMNS = [
    "theme", "label", "order", "n", "items", "need_share", "need_low", "need_high", "breadth",
    "provinces_above", "provinces", "with_brussels", "hours", "events", "rating", "requests",
    "top_share", "reason", "unavailable", "resamples",
]  # fmt: skip


def chooser_areas() -> list[str]:
    """The page's areas, as the reports have them: everyone, each province, Brussel."""
    from inclusie_analysis.clean.areas import FLANDERS_AND_BRUSSELS, province_order

    return [FLANDERS_AND_BRUSSELS, *province_order()]


def org_types(respondents: pd.DataFrame) -> list[str]:
    """The organisation types of the latest wave's respondents, alphabetically."""
    latest = respondents[respondents["wave"] == respondents["wave"].max()]
    return sorted(str(t) for t in latest["org_type"].dropna().unique())


def group_respondents(respondents: pd.DataFrame, area: str, org_type: str) -> pd.DataFrame:
    """The respondents (all waves) of one area × organisation type (`ALL_TYPES`: every one)."""
    from inclusie_analysis.clean.areas import select_area

    chosen = select_area(respondents, area)
    if org_type != ALL_TYPES:
        chosen = chosen.loc[(chosen["org_type"] == org_type).fillna(False)]
    return chosen


def chooser_data(
    needs: pd.DataFrame,
    respondents: pd.DataFrame,
    events: pd.DataFrame | None = None,
    feedback: pd.DataFrame | None = None,
    answers_text: pd.DataFrame | None = None,
    *,
    unavailable: Iterable[str] = (),
    threshold: int = 5,
    language: str = "nl",
    resamples: int = RESAMPLES,
    subgroup_resamples: int = SUBGROUP_RESAMPLES,
    areas: list[str] | None = None,
    taxonomy=None,
) -> pd.DataFrame:
    """One row per shown group × theme (`SIGNAL_COLUMNS`, the raw signals of `theme_signals`
    plus label, reason, `top_share` for the default weights, n and the unavailable signals
    joined by ";"), and one row per suppressed group (`GROUP_COLUMNS` only, the rest NA).

    `events` are the year's events, given to every group as they are (not split by area);
    `unavailable` the signals whose input is missing (`sources.unavailable_signals`). A whole
    area uses `resamples` bootstrap resamples (as the yearly report), an area × one
    organisation type `subgroup_resamples`. `order` is the theme's place in the signals (the
    last tie-break of `rank_themes`' stable sort)."""
    unavailable = list(unavailable)
    areas = areas or chooser_areas()
    types = org_types(respondents)
    latest = respondents["wave"].max()
    groups = {
        (area, org_type): group_respondents(respondents, area, org_type)
        for area in areas
        for org_type in [ALL_TYPES, *types]
    }
    counts = {key: int((group["wave"] == latest).sum()) for key, group in groups.items()}
    hidden = hidden_groups(counts, areas, types, threshold)
    rows: list[pd.DataFrame] = []
    for (area, org_type), group in groups.items():
        draws = resamples if org_type == ALL_TYPES else subgroup_resamples
        frame = None
        if (area, org_type) not in hidden:
            frame = _group_rows(
                needs, group, events, feedback, answers_text, unavailable, language, draws,
                taxonomy,
            )  # fmt: skip
        if frame is None:
            frame = pd.DataFrame({"suppressed": [True]})
        else:
            frame = frame.assign(n=counts[(area, org_type)], suppressed=False)
        rows.append(frame.assign(area=area, org_type=org_type))
    out = pd.concat(rows, ignore_index=True)
    return out[GROUP_COLUMNS + SIGNAL_COLUMNS]


def hidden_groups(
    counts: dict[tuple[str, str], int], areas: list[str], types: list[str], threshold: int
) -> set[tuple[str, str]]:
    """The groups (area, organisation type) the page does not show: those with fewer
    respondents than `threshold` (0 included), and as many more as needed so that none of
    them can be worked out by subtraction. An area's respondents are the sum of its
    organisation types' and of those without one; everyone's (per type) the sum of the
    provinces' and Brussel's and of those without a province. In each such sum whose whole
    is shown, the hidden parts (the rest without a type or province is never shown) must
    together hold no respondent or at least `threshold`; if not, the shown part with the
    fewest respondents is hidden too, until every sum holds."""
    from inclusie_analysis.clean.areas import FLANDERS_AND_BRUSSELS

    hidden = {group for group, n in counts.items() if n < threshold}
    sums = [((area, ALL_TYPES), [(area, t) for t in types]) for area in areas]
    if areas and areas[0] == FLANDERS_AND_BRUSSELS:
        sums += [((areas[0], t), [(a, t) for a in areas[1:]]) for t in [ALL_TYPES, *types]]
    changed = True
    while changed:
        changed = False
        for whole, parts in sums:
            if whole in hidden:
                continue
            rest = max(0, counts[whole] - sum(counts[p] for p in parts))
            held = rest + sum(counts[p] for p in parts if p in hidden)
            shown = [p for p in parts if p not in hidden and counts[p] > 0]
            if 0 < held < threshold and shown:
                hidden.add(min(shown, key=lambda p: (counts[p], p)))
                changed = True
    return hidden


def _group_rows(
    needs: pd.DataFrame,
    group: pd.DataFrame,
    events: pd.DataFrame | None,
    feedback: pd.DataFrame | None,
    answers_text: pd.DataFrame | None,
    unavailable: list[str],
    language: str,
    resamples: int,
    taxonomy,
) -> pd.DataFrame | None:
    """The signals of one shown group, one row per theme (None when nothing was rated)."""
    group_needs = needs[needs["respondent_id"].isin(group["respondent_id"])]
    if group_needs["level"].notna().sum() == 0:
        return None
    signals = theme_signals(
        group_needs, group, events, feedback, answers_text, taxonomy=taxonomy,
        resamples=resamples, seed=SEED,
    )  # fmt: skip
    if signals.empty:
        return None
    missing = unavailable_in(signals, unavailable)
    ranking = rank_themes(signals, unavailable=missing, taxonomy=taxonomy, language=language)
    out = signals.drop(columns=["need_draws", "breadth_draws", "n"])
    out["order"] = range(len(out))
    out = out.join(ranking[["label", "top_share", "reason"]])
    out["unavailable"] = ";".join(missing)
    out["resamples"] = resamples
    return out.rename_axis("theme").reset_index()
