"""The key findings of the yearly report: five sentences in plain words, each computed from the
report's tables (response, largest need, change, indicators, reach, recommendation).

Split from `yearly`; the numbers they cite come from `needs_numbers`, `waves` and `yearly`.
"""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.analyse.needs_numbers import unit_counts
from inclusie_analysis.analyse.stats import share_shown
from inclusie_analysis.analyse.yearly import partial_lists
from inclusie_analysis.clean.areas import FLANDERS_AND_BRUSSELS
from inclusie_analysis.clean.sources import is_missing
from inclusie_analysis.formats import format_number, format_percent


def key_findings(
    *,
    area: str,
    year: int,
    respondents: pd.DataFrame,
    needs_items: pd.DataFrame,
    change: pd.DataFrame,
    waves: tuple[int, int] | None,
    indicators: pd.DataFrame,
    reached: dict,
    ranking: pd.DataFrame,
    threshold: int = 5,
    language: str = "nl",
    sources: list[dict] | None = None,
) -> list[str]:
    """Five findings in plain words, each computed from the tables of the report. With
    `sources` (which inputs were found), a missing input gives "not known", never a zero."""
    latest_wave = int(respondents["wave"].max()) if len(respondents) else None
    latest = respondents.loc[respondents["wave"] == latest_wave]
    findings = [
        _response_or_too_few(latest, area, latest_wave, threshold, language),  # 1. response
        _largest_need_finding(needs_items, threshold, language),  # 2. largest need
        # 3. change since the previous wave
        _change_finding(change, waves, threshold, language) if waves and len(change) else None,
        # 4. indicators (network-wide targets: only in the report for everyone)
        _indicator_finding(indicators, area, year, sources, language),
        _reach_finding(reached, area, year, threshold, sources, language),  # 5. reach
        # 6. recommendation (when fewer than five findings so far)
        _recommendation_finding(ranking, year, language),
    ]
    return [finding for finding in findings if finding is not None][:5]


def _response_or_too_few(
    latest: pd.DataFrame, area: str, wave: int | None, threshold: int, language: str
) -> str:
    """The response finding, or that too few answered to show needs figures."""
    if len(latest) >= threshold:
        return _response_finding(latest, area, wave, threshold, language)
    return (
        f"Uit {area} kwamen minder dan {threshold} antwoorden op de laatste bevraging; "
        "cijfers over leernoden worden daarom niet getoond."
        if language == "nl"
        else f"Fewer than {threshold} responses from {area} to the latest survey; "
        "needs figures are therefore not shown."
    )


def _largest_need_finding(needs_items: pd.DataFrame, threshold: int, language: str) -> str | None:
    """The item with the largest need among those with at least `threshold` answers."""
    num = lambda v: format_number(v, language)  # noqa: E731
    pct = lambda v: format_percent(v, language)  # noqa: E731
    shown = needs_items.loc[needs_items["n"] >= threshold] if len(needs_items) else needs_items
    if not len(shown):
        return None
    top = shown.iloc[0]
    return (
        f"De grootste leernood: {top['label']}. {pct(top['share'])} ziet hier een grote of "
        f"zeer grote nood (95%-betrouwbaarheidsinterval {pct(top['low'])} tot "
        f"{pct(top['high'])}, n = {num(top['n'])})."
        if language == "nl"
        else f"The largest learning need: {top['label']}. {pct(top['share'])} see a large or "
        f"very large need (95% CI {pct(top['low'])} to {pct(top['high'])}, "
        f"n = {num(top['n'])})."
    )


def _change_finding(
    change: pd.DataFrame, waves: tuple[int, int], threshold: int, language: str
) -> str:
    """The largest clear change since the previous wave, or why there is none to report."""
    nl = language == "nl"
    # only a question asked the same way (or marked comparable) can show a change in need
    large = change[["n_a", "n_b"]].min(axis=1) >= threshold
    comparable = change.get("comparable", True)
    moved = change.loc[change["significant"] & comparable & large]
    if len(moved):
        return _largest_change(moved.loc[moved["difference"].abs().idxmax()], waves, language)
    if not (comparable & large).any():
        return (
            f"Geen leernood werd in {waves[0]} en {waves[1]} op dezelfde manier bevraagd; of "
            "de nood veranderde, valt daarom niet te zeggen."
            if nl
            else f"No learning need was asked the same way in {waves[0]} and {waves[1]}; "
            "whether needs changed can therefore not be said."
        )
    return (
        f"Bij geen enkele leernood die in {waves[0]} en {waves[1]} op dezelfde manier "
        "bevraagd werd, is een statistisch significant verschil aangetoond (na "
        "Holm-correctie); dat zegt niet dat de nood gelijk bleef."
        if nl
        else f"For no learning need asked the same way in {waves[0]} and {waves[1]} was "
        "a statistically significant difference shown (after Holm's correction); that "
        "does not say the need stayed the same."
    )


def _largest_change(row: pd.Series, waves: tuple[int, int], language: str) -> str:
    """'Sinds 2020 veranderde de nood het meest bij …' for one row of the change table."""
    nl = language == "nl"
    pct = lambda v: format_percent(v, language)  # noqa: E731
    points = format_number(100 * row["difference"], language)
    sign = "+" if row["difference"] > 0 else ""
    low, high = row.get("low_holm", row["low"]), row.get("high_holm", row["high"])
    span = (
        f"{format_number(100 * low, language)} {'tot' if nl else 'to'} "
        f"{format_number(100 * high, language)}"
    )
    return (
        f"Sinds {waves[0]} veranderde de nood het meest bij '{row['label']}': "
        f"{sign}{points} procentpunten (interval {span}; {pct(row['share_a'])} → "
        f"{pct(row['share_b'])}), statistisch significant na Holm-correctie."
        if nl
        else f"Since {waves[0]} the need changed most for '{row['label']}': "
        f"{sign}{points} percentage points (interval {span}; {pct(row['share_a'])} → "
        f"{pct(row['share_b'])}), statistically significant after Holm's correction."
    )


def _indicator_finding(
    indicators: pd.DataFrame, area: str, year: int, sources: list[dict] | None, language: str
) -> str | None:
    """How many action-plan indicators are met (report for everyone only), or why not known."""
    nl = language == "nl"
    no_register = is_missing(sources, "register")
    if area == FLANDERS_AND_BRUSSELS and (no_register or is_missing(sources, "targets")):
        return (
            f"Of de indicatoren van het actieplan {year} gehaald zijn, is niet bekend: "
            + ("er is geen activiteitenregister." if no_register else "er zijn geen doelen.")
            if nl
            else f"Whether the {year} action-plan indicators are met is not known: "
            + ("there is no activity register." if no_register else "there are no targets.")
        )
    if not (len(indicators) and area == FLANDERS_AND_BRUSSELS):
        return None
    met = int((indicators["status"] == "gehaald").sum())
    on_track = int((indicators["status"] == "op koers").sum())
    text = (
        f"{met} van de {len(indicators)} indicatoren van het actieplan {year} zijn gehaald"
        if nl
        else f"{met} of the {len(indicators)} action-plan indicators for {year} are met"
    )
    if on_track:
        text += f", {on_track} op koers" if nl else f", {on_track} on track"
    return text + "."


def _reach_finding(
    reached: dict,
    area: str,
    year: int,
    threshold: int,
    sources: list[dict] | None,
    language: str,
) -> str:
    """Who the year's activities reached, that fewer than `threshold` took part, or why the
    reach is not known."""
    nl = language == "nl"
    no_register = is_missing(sources, "register")
    if no_register or is_missing(sources, "attendance"):
        return (
            f"Het bereik van de activiteiten van {year} is niet bekend: er "
            + (
                "is geen activiteitenregister."
                if no_register
                else "zijn geen aanwezigheidslijsten."
            )
            if nl
            else f"The reach of the {year} activities is not known: there "
            + ("is no activity register." if no_register else "are no attendance lists.")
        )
    if reached["participants"] < threshold:
        return (
            f"Uit {area} namen minder dan {threshold} mensen deel aan de activiteiten van {year}."
            if nl
            else f"Fewer than {threshold} people from {area} took part in the {year} activities."
        )
    return _reached_sentence(reached, area, year, language)


def _reached_sentence(reached: dict, area: str, year: int, language: str) -> str:
    """'De activiteiten van 2025 bereikten (minstens) … deelnemers uit … gemeenten, …'."""
    num = lambda v: format_number(v, language)  # noqa: E731
    return (
        f"De activiteiten van {year} bereikten {'minstens ' * partial_lists(reached)}"
        f"{num(reached['participants'])} deelnemers uit "
        f"{num(reached['municipalities'])} gemeenten, waaronder "
        f"{num(reached['local_governments'])}"
        f" lokale besturen (van de {num(reached['municipalities_in_area'])} gemeenten in "
        f"{area})."
        if language == "nl"
        else f"The {year} activities reached {'at least ' * partial_lists(reached)}"
        f"{num(reached['participants'])} participants from "
        f"{num(reached['municipalities'])} municipalities, including "
        f"{num(reached['local_governments'])} local governments (of the "
        f"{num(reached['municipalities_in_area'])} municipalities in {area})."
    )


def _recommendation_finding(ranking: pd.DataFrame, year: int, language: str) -> str | None:
    """The top three recommended themes for next year (None without a ranking)."""
    if not len(ranking):
        return None
    top3 = ", ".join(ranking["label"].head(3))
    return (
        f"Aanbevolen thema's voor {year + 1}: {top3}."
        if language == "nl"
        else f"Recommended themes for {year + 1}: {top3}."
    )


def _response_finding(
    latest: pd.DataFrame, area: str, wave: int, threshold: int, language: str
) -> str:
    """'320 antwoorden uit … op de bevraging van 2025, waarvan 226 van lokale besturen uit
    158 gemeenten.': answers are counted, not organisations (one organisation can answer more
    than once, several people of one municipality do); the municipalities only from
    `threshold` on."""
    counts = unit_counts(latest, wave)
    num = lambda v: format_number(v, language)  # noqa: E731
    nl = language == "nl"
    text = (
        f"{num(len(latest))} antwoorden uit {area} op de bevraging van {wave}"
        if nl
        else f"{num(len(latest))} responses from {area} to the {wave} survey"
    )
    # the local-government count only when neither it nor the rest is a small count: the
    # total is given, so one would give the other away
    if counts["municipalities"] >= threshold and share_shown(
        counts["local_answers"], len(latest), threshold
    ):
        local, towns = num(counts["local_answers"]), num(counts["municipalities"])
        text += (
            f", waarvan {local} van lokale besturen uit {towns} gemeenten"
            if nl
            else f", {local} of them from local governments in {towns} municipalities"
        )
    return text + "."
