"""The overviews the explore notebooks (`notebooks/explore/`) show, computed here so that a
notebook only displays them: need per item and per theme and province, the year's activities
per type and reach per province, open feedback answers per theme, and the planner's proposal.
"""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.analyse.stats import likert_summary


def latest_wave(needs: pd.DataFrame) -> pd.DataFrame:
    """The rows of `needs` (long need answers) of the latest survey wave."""
    return needs[needs["wave"] == needs["wave"].max()]


def item_need_summary(needs: pd.DataFrame) -> pd.DataFrame:
    """`stats.likert_summary` of the latest wave per item, with the item's label in `label`,
    the largest top-2 share ("grote" or "zeer grote nood") first."""
    latest = latest_wave(needs)
    summary = likert_summary(latest)
    labels = latest.drop_duplicates("item").set_index("item")["item_label"]
    summary = summary.assign(label=summary["item"].map(labels))
    return summary.sort_values("top_box", ascending=False, kind="stable").reset_index(drop=True)


def theme_need_by_province(
    needs: pd.DataFrame, respondents: pd.DataFrame, threshold: int = 5, top: int = 2
) -> tuple[pd.DataFrame, int]:
    """Per theme (rows) and province (columns) of the latest wave: the share of the rated
    answers (no "weet niet") in the highest `top` need levels, hidden (NaN) where fewer than
    `threshold` respondents answered; and the number of respondents behind the table (n).

    A respondent answers several items of a theme, so the share counts answers, the
    threshold respondents."""
    latest = latest_wave(needs)
    large_levels = list(latest["level"].cat.categories)[-top:]
    rated = latest.dropna(subset=["level"]).merge(
        respondents[["respondent_id", "province"]], on="respondent_id"
    )
    rated = rated.assign(large=rated["level"].isin(large_levels))
    share = rated.pivot_table(
        index="theme", columns="province", values="large", aggfunc="mean", observed=True
    )
    count = rated.pivot_table(
        index="theme", columns="province", values="respondent_id", aggfunc="nunique",
        observed=True,
    )  # fmt: skip
    return share.where(count >= threshold), int(rated["respondent_id"].nunique())


def events_by_type(events: pd.DataFrame, year: int) -> pd.DataFrame:
    """The activities of `year` per type (`type_label`): how many, the attendees and the
    participant hours (attendees × hours), the most activities first."""
    this_year = events[events["year"] == year]
    hours = this_year["attended"].astype(float) * this_year["hours"].astype(float)
    table = (
        this_year.assign(uren=hours)
        .groupby("type_label", observed=True)
        .agg(
            activiteiten=("event_id", "count"),
            aanwezigen=("attended", "sum"),
            deelnemersuren=("uren", "sum"),
        )
    )
    return table.sort_values("activiteiten", ascending=False, kind="stable")


def reach_by_province(
    attendance: pd.DataFrame, events: pd.DataFrame, year: int, threshold: int = 5
) -> tuple[pd.Series, int]:
    """Per province: the different participants present at an activity of `year`, hidden
    (NaN) below `threshold`; and n, the sum over the provinces (a participant who came in
    two provinces counts in both)."""
    this_year = events.loc[events["year"] == year, ["event_id"]]
    present = attendance[attendance["present"].astype(bool)].merge(this_year, on="event_id")
    reach = present.groupby("province", observed=True)["participant_id"].nunique()
    return reach.where(reach >= threshold), int(reach.sum())


def answers_per_theme(texts: pd.DataFrame) -> pd.DataFrame:
    """Open answers per theme (`themes`: theme ids joined by ";"; an answer with two themes
    counts for both), the most answers first, in a column `antwoorden`."""
    themes = texts.assign(theme=texts["themes"].str.split(";")).explode("theme")
    counts = themes.groupby("theme").size().sort_values(ascending=False, kind="stable")
    return counts.rename("antwoorden").to_frame()


def proposal_sentence(ranking: pd.DataFrame, top: int = 5, language: str = "nl") -> str:
    """The planner's proposal in one line: the first `top` themes of `planning.rank_themes`
    with their rank, e.g. '**Voorstel:** 1. Veilig online; 2. E-id.'"""
    head = "**Voorstel:** " if language == "nl" else "**Proposal:** "
    first = ranking.sort_values("rank").head(top)
    return head + "; ".join(f"{r.rank}. {r.label}" for r in first.itertuples()) + "."
