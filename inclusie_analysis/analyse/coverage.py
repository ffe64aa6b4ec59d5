"""What the report's figures leave out, counted for the method section: "weet niet" answers
(not in the denominators of the shares) and feedback responses linked to no activity (not in
the feedback table). Reach's own coverage (activities with attendance lists) is in
`yearly.list_coverage`."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.formats import format_number


def dont_know_counts(needs: pd.DataFrame, respondents: pd.DataFrame) -> pd.Series:
    """Per wave: the "weet niet" answers of `respondents` on the need items."""
    part = needs.loc[needs["respondent_id"].isin(respondents["respondent_id"])]
    counts = part["dont_know"].astype(bool).groupby(part["wave"]).sum()
    return counts.astype("int64").sort_index()


def unlinked_feedback(feedback: pd.DataFrame, events: pd.DataFrame, year: int) -> int:
    """Feedback responses of `year` that match none of `events` (the year's activities): they
    are in no table per activity or activity type."""
    of_year = feedback.loc[feedback["year"] == year]
    return int((~of_year["event_id"].isin(events["event_id"])).sum())


def exclusions_sentence(dont_know: pd.Series, unlinked: int | None, language: str = "nl") -> str:
    """The method's sentence on what the figures leave out; `unlinked` None: no feedback."""
    num = lambda v: format_number(int(v), language)  # noqa: E731
    nl = language == "nl"
    per_wave = ", ".join(f"{num(n)} in {wave}" for wave, n in dont_know.items())
    text = (
        f"**Weggelaten.** Antwoorden 'weet niet' tellen niet mee in de noemers van de aandelen "
        f"({per_wave or 'geen'})."
        if nl
        else f"**Left out.** 'Don't know' answers are not in the denominators of the shares "
        f"({per_wave or 'none'})."
    )
    if unlinked:
        text += (
            f" {num(unlinked)} feedbackantwoorden konden aan geen activiteit gekoppeld worden; "
            "ze staan niet in de tabel met feedback per soort activiteit."
            if nl
            else f" {num(unlinked)} feedback responses could not be linked to an activity; "
            "they are not in the table of feedback per activity type."
        )
    elif unlinked == 0:
        text += (
            " Alle feedbackantwoorden zijn aan een activiteit gekoppeld."
            if nl
            else " Every feedback response is linked to an activity."
        )
    return text
