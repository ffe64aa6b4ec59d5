"""Synthetic feedback forms: one Microsoft Forms export per year on the events attended.

Scores follow each event's quality, open answers sometimes name an e-mail address or phone
number or start with "=", and a few responses name no listed activity. Split from
`events.py`, which draws the events themselves.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from inclusie_analysis.demo.events import THEMES, Event, EventFaults
from inclusie_analysis.demo.world import phone_number, pick
from inclusie_analysis.demo.xlsx import save_workbook

LIKERT = ("Helemaal niet akkoord", "Niet akkoord", "Neutraal", "Akkoord", "Helemaal akkoord")
FEEDBACK_STATEMENTS = {
    "relevance": "De inhoud was relevant voor mijn werk.",
    "applicability": "Ik kan wat ik leerde toepassen in mijn werk.",
    "speakers": "De sprekers brachten de inhoud helder.",
    "organisation": "De praktische organisatie was goed.",
    "expectations": "De activiteit beantwoordde aan mijn verwachtingen.",
}
FEEDBACK_QUESTIONS = {
    "event": "Welke activiteit heeft u gevolgd?",
    "satisfaction": "Hoe tevreden bent u over deze activiteit?",
    "nps": "Hoe waarschijnlijk is het dat u deze activiteit aanbeveelt aan een collega?",
    "best": "Wat vond u het sterkst aan deze activiteit?",
    "better": "Wat kan beter, en over welke thema's wilt u nog een sessie?",
}
STRONG = (
    "De praktijkvoorbeelden",
    "De uitwisseling met collega's",
    "Heldere uitleg",
    "Concrete tips",
    "De sprekers",
    "Goed tempo",
    "Het materiaal dat we meekregen",
)
BETTER = (
    "Meer tijd voor vragen.",
    "Graag de slides vooraf.",
    "Een vervolgsessie over {t}.",
    "Iets te veel theorie.",
    "Meer over {t} a.u.b.",
    "Alles was goed.",
    "De zaal was te klein.",
)


def write_feedback(
    rng: random.Random, path: Path, year: int, events: list[Event], faults: EventFaults
) -> list[dict]:
    """Write the year's feedback form export; return the truth per data row."""
    from openpyxl import Workbook

    responses = _responses(rng, events)
    everything = list(range(len(responses)))
    unlinkable = pick(rng, everything, faults.unlinkable_feedback)
    emails = pick(rng, everything, faults.email_in_open)
    phones = pick(rng, [i for i in everything if i not in emails], faults.phone_in_open)
    formulas = pick(rng, [i for i in everything if i not in emails | phones], faults.formula)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(_header())
    # The three sets are disjoint: each response holds at most one planted fault.
    planted = {
        **dict.fromkeys(emails, "email"),
        **dict.fromkeys(phones, "phone"),
        **dict.fromkeys(formulas, "formula"),
    }
    truth = []
    for i, (when, e) in enumerate(responses):
        cells, answer_truth = _response(
            rng, i, when, e, planted.get(i, "none"), linkable=i not in unlinkable
        )
        sheet.append(cells)
        truth.append({"file": path.name, "row": i + 2, **answer_truth})
    save_workbook(workbook, path, f"Feedback activiteiten {year} (SYNTHETISCH)")
    return truth


def _responses(rng: random.Random, events: list[Event]) -> list[tuple[datetime, Event]]:
    """(submission time, event) per response, in submission order: a share of who attended."""
    responses = []
    for e in events:
        if not e.asks_feedback or not e.registered:
            continue
        present = [p for p, here in zip(e.registered, e.present, strict=True) if here]
        share = rng.uniform(0.15, 0.45)
        for _ in present:
            if rng.random() < share:
                when = datetime(e.day.year, e.day.month, e.day.day, 16) + timedelta(
                    minutes=rng.randrange(0, 7 * 1440)
                )
                responses.append((when, e))
    responses.sort(key=lambda t: (t[0], t[1].event_id))
    return responses


def _header() -> list[str]:
    """The export's columns: Forms' own, then the questions as they were asked."""
    return [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        FEEDBACK_QUESTIONS["event"],
        FEEDBACK_QUESTIONS["satisfaction"],
        *FEEDBACK_STATEMENTS.values(),
        FEEDBACK_QUESTIONS["nps"],
        FEEDBACK_QUESTIONS["best"],
        FEEDBACK_QUESTIONS["better"],
    ]


def _response(
    rng: random.Random, i: int, when: datetime, e: Event, planted: str, linkable: bool
) -> tuple[list, dict]:
    """One response's cells and its truth; `planted` is "email", "phone", "formula" or "none"."""
    latent = e.quality + rng.gauss(0.6, 0.8)
    satisfaction = min(5, max(1, round(3.4 + latent)))
    likert = {
        k: LIKERT[min(4, max(0, round(2.4 + latent + rng.gauss(0, 0.6))))]
        for k in FEEDBACK_STATEMENTS
    }
    nps = min(10, max(0, round(7.2 + 1.6 * latent + rng.gauss(0, 1))))
    label = f"{e.title} ({e.day:%d/%m/%Y})"
    if not linkable:
        label = rng.choice(("de sessie van vorige week", "Andere", "webinar", "weet ik niet meer"))
    best, better = _open_answers(rng, e, planted)
    start = when.replace(second=rng.randrange(60))
    end = start + timedelta(seconds=rng.randrange(60, 400))
    cells = [i + 1, start, end, "anonymous", None, label, satisfaction, *likert.values(), nps]
    truth = {
        "event_id": e.event_id,
        "linkable": linkable,
        "satisfaction": satisfaction,
        "nps": nps,
        "open_pii": planted if planted in ("email", "phone") else "none",
        "formula": planted == "formula",
    }
    return [*cells, best, better], truth


def _open_answers(rng: random.Random, e: Event, planted: str) -> tuple[str | None, str | None]:
    """The two open answers (strongest point, what can be better), with any planted fault."""
    best = rng.choice(STRONG) if rng.random() < 0.6 else None
    better = (
        rng.choice(BETTER).format(t=rng.choice(list(THEMES.values()))[0])
        if rng.random() < 0.5
        else None
    )
    if planted == "email":
        better = (better or "") + f" Stuur de slides naar {e.registered[0].email}."
    elif planted == "phone":
        better = (better or "") + f" Bel me voor een vervolg: {phone_number(rng)}."
    elif planted == "formula":
        better = "=" + rng.choice(("meer voorbeelden", "+ langere pauze"))
    return best, better
