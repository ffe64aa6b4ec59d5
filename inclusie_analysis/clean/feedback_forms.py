"""Feedback forms → the feedback frame (scores per response) and the feedback_text frame (the
open answers, personal data removed).

Each response is linked to its event (by number, by title and date, or by a clearly best
title) or reported as unlinked; scores outside their scale and answers off the agreement scale
are dropped with a fix in the ledger. Split from `clean.events`, which shares the spellings,
parsers and column lists used here.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from inclusie_analysis.clean.events import (
    FEEDBACK_COLUMNS,
    FEEDBACK_TEXT_COLUMNS,
    EventsConfig,
    _blank,
    _find_columns,
    _Fixes,
    _norm,
    _records,
    _trailing_blanks,
    parse_date,
)
from inclusie_analysis.clean.ledger import KEPT, Ledger, Outcomes
from inclusie_analysis.clean.privacy import inert, is_formula_like, pseudonym, scrub
from inclusie_analysis.read.readers import read_export

LIKERT_ITEMS = ("relevance", "applicability", "speakers", "organisation", "expectations")
OPEN_QUESTIONS = ("best", "better")


def _feedback(
    path: Path, year: int, config: EventsConfig, events: pd.DataFrame, key: bytes, ledger: Ledger
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One feedback form: a row per response and a row per open answer."""
    spec = config.section("feedback")
    raw = read_export(path)
    ledger.sheet_chosen(raw)
    columns = _find_columns(raw, spec["columns"], spec.get("required", []), "feedbackformulier")
    likert = spec.get("likert", [])
    likert_keys = {_norm(v): v for v in likert}
    name = path.name
    fix = _Fixes(ledger, name, columns)
    linker = _EventLinker(events[events["year"].between(year - 1, year)] if len(events) else events)
    out, texts, outcomes = [], [], Outcomes(name)
    for row, get in _records(raw, columns, outcomes):
        response_id = pseudonym(key, f"feedback|{name}|{get('submitted_at')}|{row}", "r")
        event_id, method = _response_event(row, get, linker, fix)
        entry = {
            "response_id": response_id,
            "event_id": event_id,
            "link_method": method,
            "year": year,
            "submitted_at": pd.Timestamp(get("submitted_at"))
            if isinstance(get("submitted_at"), datetime)
            else pd.NaT,
            **_scores(row, get, fix),
            "source_file": name,
            "source_row": row,
        }
        out.append(entry | _likert_answers(row, get, likert_keys, fix))
        texts += _open_answers(row, get, response_id, event_id, fix)
        outcomes.add(row, KEPT, record_id=response_id)
    ledger.record_rows(outcomes.frame())
    ledger.record_rows(_trailing_blanks(name, raw))
    fix.record()
    ledger.file(name, "feedback", raw.platform, len(raw.frame) + raw.trailing_blank_rows)
    frame = pd.DataFrame(out, columns=FEEDBACK_COLUMNS)
    for item in LIKERT_ITEMS:
        frame[item] = pd.Categorical(frame[item], categories=likert, ordered=True)
    return frame, pd.DataFrame(texts, columns=FEEDBACK_TEXT_COLUMNS)


def _response_event(row: int, get, linker: _EventLinker, fix: _Fixes) -> tuple[str | None, str]:
    """(event id, link method) of a response; an unlinked response is a fix."""
    event_id, method = linker.link(get("event"))
    if event_id is None:
        fix(
            row,
            "event",
            get("event"),
            None,
            "feedback_unlinked",
            "Antwoord niet te koppelen aan een activiteit; telt niet mee per activiteit.",
            "Kies in het formulier de activiteit uit een lijst, of zet het nummer "
            "(bv. 2025-014) erbij.",
        )
    return event_id, method


def _scores(row: int, get, fix: _Fixes) -> dict[str, int | None]:
    """Satisfaction (1-5) and recommendation (0-10); a score off its scale is dropped."""
    satisfaction = _score(get("satisfaction"), 1, 5)
    if satisfaction is None and not _blank(get("satisfaction")):
        fix(
            row,
            "satisfaction",
            get("satisfaction"),
            None,
            "score_rejected",
            "Tevredenheid moet 1 tot 5 zijn; niet gebruikt.",
        )
    nps = _score(get("nps"), 0, 10)
    if nps is None and not _blank(get("nps")):
        fix(
            row,
            "nps",
            get("nps"),
            None,
            "nps_rejected",
            "Aanbevelingsscore moet een geheel getal van 0 tot 10 zijn; niet gebruikt.",
            "Controleer het formulier: de vraag moet een schaal van 0 tot 10 zijn.",
        )
    return {"satisfaction": satisfaction, "nps": nps}


def _likert_answers(row: int, get, likert_keys: dict[str, str], fix: _Fixes) -> dict:
    """Each agreement item as its scale label; an answer off the scale is dropped."""
    answers = {}
    for item in LIKERT_ITEMS:
        value = get(item)
        answers[item] = likert_keys.get(_norm(value)) if not _blank(value) else None
        if answers[item] is None and not _blank(value):
            fix(
                row,
                item,
                value,
                None,
                "scale_unknown",
                "Antwoord past niet op de schaal akkoord/niet akkoord; niet gebruikt.",
            )
    return answers


def _open_answers(row: int, get, response_id: str, event_id: str | None, fix: _Fixes) -> list[dict]:
    """The response's open answers, personal data scrubbed and formulas made inert."""
    texts = []
    for question in OPEN_QUESTIONS:
        value = get(question)
        if _blank(value):
            continue
        clean, kinds = scrub(" ".join(str(value).split()))
        formula = is_formula_like(clean)
        if kinds:
            fix(
                row,
                question,
                "[verborgen]",
                None,
                "pii_scrubbed",
                "Persoonsgegevens uit een open antwoord verwijderd.",
            )
        if formula:
            fix(
                row,
                question,
                None,
                None,
                "formula_neutralised",
                "Antwoord begint als een formule; onschadelijk gemaakt voor spreadsheets.",
            )
        texts.append(
            {
                "response_id": response_id,
                "event_id": event_id,
                "question": question,
                "text": inert(clean),
                "scrubbed": ",".join(kinds),
                "formula": formula,
            }
        )
    return texts


def _score(value: object, low: int, high: int) -> int | None:
    if _blank(value):
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() and low <= number <= high else None


class _EventLinker:
    """Link a feedback answer to an event: by event id, else by title and date, else by a
    clearly best title among that day's (or, without a date, the year's) events."""

    def __init__(self, events: pd.DataFrame):
        self.events = events
        self.ids = set(events["event_id"]) if len(events) else set()
        self.by_title_date = {
            (_norm(t), d.date() if pd.notna(d) else None): e
            for e, t, d in zip(
                events.get("event_id", []),
                events.get("title", []),
                events.get("date", []),
                strict=True,
            )
        }

    def link(self, value: object) -> tuple[str | None, str]:
        if _blank(value):
            return None, "none"
        text = " ".join(str(value).split())
        if (m := re.search(r"\b(\d{4}-\d{3})\b", text)) and m.group(1) in self.ids:
            return m.group(1), "id"
        day = None
        if m := re.search(r"\((\d{1,2}[/.-]\d{1,2}[/.-]\d{4})\)\s*$", text):
            day = parse_date(m.group(1))
            text = text[: m.start()].strip()
        key = (_norm(text), day)
        if key in self.by_title_date:
            return self.by_title_date[key], "title_date"
        candidates = self.events
        if not len(candidates):
            return None, "none"
        if day is not None:
            candidates = candidates[pd.to_datetime(candidates["date"]).dt.date == day]
        if not len(candidates):
            return None, "none"
        from rapidfuzz import fuzz, process

        best = process.extract(
            _norm(text),
            [_norm(t) for t in candidates["title"]],
            scorer=fuzz.token_set_ratio,
            limit=2,
        )
        if (
            best
            and best[0][1] >= 90
            and (
                len(best) == 1
                or best[0][1] - best[1][1] >= 5
                or (day is not None and len(candidates) == 1)
            )
        ):
            return candidates["event_id"].iloc[best[0][2]], "title"
        return None, "none"
