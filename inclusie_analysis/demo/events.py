"""Synthetic events of one year: what the network did, for whom, and the fault rates.

`make_events` draws the year's activities (type, date, themes, mode, duration, organiser)
and who registered and attended. The exports written from them live beside this module:
`registers.py` (the activity register), `attendance.py` (attendance lists) and
`feedback.py` (feedback forms).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from inclusie_analysis.demo.world import MunicipalityFaults, Person

# type → (how staff write it, goal, hours range, registered range, has attendance list,
#         asks feedback, count range per year)
EVENT_TYPES = {
    "general_meeting": (
        ("Algemene netwerkvergadering", "Netwerkvergadering", "algemene vergadering"),
        "OD1.1",
        (2.5, 3.0),
        (40, 80),
        1.0,
        True,
        (3, 4),
    ),
    "specific_meeting": (
        ("Specifieke vergadering", "Themavergadering", "Doelgroepoverleg"),
        "OD1.1",
        (1.5, 2.0),
        (12, 35),
        1.0,
        True,
        (2, 4),
    ),
    "info_session": (
        ("Infosessie", "Webinar", "infomoment"),
        "OD1.2",
        (1.0, 2.0),
        (30, 80),
        1.0,
        True,
        (3, 5),
    ),
    "inspiration_day": (("Inspiratiedag",), "OD1.2", (5.0, 6.0), (50, 80), 1.0, True, (2, 2)),
    "presentation_on_request": (
        ("Presentatie op vraag", "Workshop op vraag", "Toelichting op vraag"),
        "OD1.3",
        (1.0, 2.0),
        (10, 40),
        0.5,
        False,
        (5, 8),
    ),
    "training_multiday": (
        ("Meerdaagse opleiding", "Opleidingstraject"),
        "OD2.1",
        (12.0, 18.0),
        (12, 20),
        1.0,
        True,
        (1, 1),
    ),
    "training_integrated": (
        ("Vorming (in VVSG-opleiding)", "Module in Diverscity-opleiding"),
        "OD2.2",
        (2.0, 3.0),
        (15, 30),
        1.0,
        True,
        (1, 2),
    ),
    "training_thematic": (
        ("Thematische opleiding", "Vorming"),
        "OD2.2",
        (2.5, 3.5),
        (15, 35),
        1.0,
        True,
        (2, 3),
    ),
    "focus_group": (("Focusgroep",), "OD3.1", (2.0, 2.0), (6, 12), 1.0, False, (1, 2)),
    "advice": (
        ("Adviesgesprek", "adviesgesprek", "Advies"),
        "OD3.2",
        (1.0, 1.5),
        None,
        0.0,
        False,
        (7, 12),
    ),
    "support_trajectory": (
        ("Begeleidingstraject", "Traject op maat"),
        "OD3.3",
        (6.0, 12.0),
        None,
        0.0,
        False,
        (3, 4),
    ),
    "other": (
        ("Overleg met partners", "Werkbezoek", "Intervisie"),
        "",
        (1.0, 2.0),
        (5, 15),
        0.0,
        False,
        (3, 5),
    ),
}
MIN_EVENTS = 40
THEMES = {
    "outreach": ("outreachend werken", "outreach"),
    "regierol": ("regierol", "regie digitale inclusie"),
    "toegankelijke_websites": ("toegankelijke websites", "digitale toegankelijkheid"),
    "hr_beleid": ("HR-beleid", "digitaal inclusief HR"),
    "digitaal_kwetsbaren": ("digitaal kwetsbare inwoners", "omgaan met digitaal kwetsbaren"),
    "cyberveiligheid": ("cyberveiligheid", "online veiligheid"),
    "senioren": ("senioren", "ouderen"),
    "nieuwkomers": ("nieuwkomers",),
    "welzijn": ("welzijn",),
    "toegang": ("toegang", "publieke computerruimtes"),
    "aanbod_vaardigheden": ("digitale vaardigheden",),
    "aanbod_dienstverlening": ("digitale dienstverlening", "e-loketten"),
    "bewoners_bevragen": ("participatie", "bewoners bevragen"),
    "partners": ("partners", "samenwerking"),
    "beleidskader": ("beleidstool", "beleidsplan"),
}
TRAINING_THEMES = (
    "toegankelijke_websites",
    "hr_beleid",
    "digitaal_kwetsbaren",
    "regierol",
    "cyberveiligheid",
)
MODES = {
    "online": ("online", "Online", "digitaal", "via Teams"),
    "physical": ("fysiek", "Fysiek", "ter plaatse"),
    "hybrid": ("hybride", "Hybride"),
}
ORGANISERS = (
    "VVSG",
    "VVSG",
    "VVSG",
    "Mediawijs",
    "VVSG & Mediawijs",
    "VOCVO",
    "VVSG i.s.m. provincie",
)


@dataclass
class EventFaults:
    """Rates of the register, attendance and feedback faults."""

    date_serial: float = 0.08  # date typed as an Excel serial number
    date_text_nl: float = 0.07  # "12 maart 2025"
    date_text_slash: float = 0.05  # "12/03/2025"
    duration_comma: float = 0.15  # "1,5"
    duration_uur: float = 0.10  # "1u30"
    duration_min: float = 0.10  # "90 min"
    duration_range: float = 0.15  # "09:00-12:30"
    trailing_space: float = 0.10  # in type / title / mode cells
    blank_rows: float = 0.05  # of register rows
    count_mismatch: float = 0.10  # of events with a list: register "aanwezig" ≠ list
    recording_missing: float = 0.15  # of online/hybrid meetings and info sessions: not published
    email_case: float = 0.10  # of attendance rows: e-mail typed with capitals
    attendance_blank_rows: float = 0.02
    unlinkable_feedback: float = 0.03  # feedback naming no listed activity
    email_in_open: float = 0.03
    phone_in_open: float = 0.02
    formula: float = 0.01
    municipality: MunicipalityFaults = field(
        default_factory=lambda: MunicipalityFaults(
            pre_merger=0.2,
            abbreviated=0.2,
            french=0.2,
            postcode=0.03,
            misspelt=0.03,
            prefix=0.05,
            case_spacing=0.08,
        )
    )


@dataclass
class Event:
    event_id: str
    year: int
    day: date
    type: str
    type_written: str
    title: str
    themes: list[str]
    mode: str
    hours: float
    organiser: str
    goal: str
    has_list: bool
    asks_feedback: bool
    quality: float
    registered: list[Person] = field(default_factory=list)
    present: list[bool] = field(default_factory=list)
    register_registered: int | None = None
    register_attended: int | None = None
    recording: str = ""
    date_kind: str = "date"
    duration_written: object = None


def make_events(rng: random.Random, year: int, people: list[Person], scale: int) -> list[Event]:
    """The year's events in date order, with registrations drawn from the participant pool."""
    days = _working_days(year)
    events: list[Event] = []
    for kind in _kinds(rng, scale):
        events.append(_draw_event(rng, kind, year, days, events))
    events.sort(key=lambda e: (e.day, e.title))
    weights = [p.activity for p in people]
    for number, event in enumerate(events, start=1):
        event.event_id = f"{year}-{number:03d}"
        _draw_registrations(rng, event, people, weights)
    return events


def _kinds(rng: random.Random, scale: int) -> list[str]:
    """The type of each of the year's events, in drawing order."""
    specs = []
    for kind, spec in EVENT_TYPES.items():
        count = rng.randint(*spec[6]) * scale
        specs += [kind] * count
    # A year of the network has 40-60 activities: top up with the small, frequent kinds.
    while len(specs) < MIN_EVENTS * scale:
        specs.append(rng.choice(("advice", "presentation_on_request", "other")))
    return specs


def _draw_event(
    rng: random.Random, kind: str, year: int, days: list[date], earlier: list[Event]
) -> Event:
    """One event of type `kind` (without id or registrations); `earlier`: those drawn before."""
    written, goal, hours, _, list_share, feedback, _ = EVENT_TYPES[kind]
    themes = _themes(rng, kind)
    mode = _mode(rng, kind)
    if kind == "inspiration_day":
        mode = "physical" if sum(e.type == kind for e in earlier) % 2 == 0 else "online"
    day = rng.choice(days)
    hours_value = round(rng.uniform(*hours) * 2) / 2
    type_written = rng.choice(written)
    return Event(
        "",
        year,
        day,
        kind,
        type_written,
        _title(kind, type_written, THEMES[themes[0]][0], day, mode),
        themes,
        mode,
        hours_value,
        rng.choice(ORGANISERS),
        goal,
        rng.random() < list_share,
        feedback,
        rng.gauss(0, 0.5),
    )


def _title(kind: str, type_written: str, label: str, day: date, mode: str) -> str:
    """The title staff give an event: fixed for some kinds, else its type and first theme."""
    return {
        "general_meeting": f"Algemene netwerkvergadering {_season(day)}",
        "advice": f"Adviesgesprek {label}",
        "support_trajectory": f"Traject op maat: {label}",
        "inspiration_day": "Inspiratiedag digitale inclusie "
        + ("(fysiek)" if mode == "physical" else "(online)"),
    }.get(kind, f"{type_written[0].upper()}{type_written[1:]}: {label}")


def _draw_registrations(
    rng: random.Random, event: Event, people: list[Person], weights: list[float]
) -> None:
    """Who registered and who came; kinds without registrations get only a register count."""
    reg = EVENT_TYPES[event.type][3]
    if reg is None:
        event.register_attended = rng.randint(1, 3) if event.type == "advice" else rng.randint(3, 8)
        return
    n = rng.randint(*reg)
    chosen: dict[int, Person] = {}
    while len(chosen) < min(n, len(people)):
        person = rng.choices(people, weights)[0]
        chosen[person.key] = person
    event.registered = list(chosen.values())
    event.present = [rng.random() < 0.8 for _ in event.registered]
    event.register_registered = len(event.registered)
    event.register_attended = sum(event.present)


def _season(day: date) -> str:
    return ("voorjaar", "zomer", "najaar")[min(day.month // 5, 2)]


def _working_days(year: int) -> list[date]:
    day, days = date(year, 1, 8), []
    while day < date(year, 12, 20):
        if day.weekday() < 5 and day.month not in (7, 8):
            days.append(day)
        day += timedelta(days=1)
    return days


def _themes(rng: random.Random, kind: str) -> list[str]:
    if kind.startswith("training"):
        return [rng.choice(TRAINING_THEMES)]
    if kind in ("general_meeting", "inspiration_day"):
        return rng.sample(sorted(THEMES), 2)
    return rng.sample(sorted(THEMES), rng.choice((1, 1, 2)))


def _mode(rng: random.Random, kind: str) -> str:
    if kind in ("info_session",):
        return rng.choices(("online", "physical", "hybrid"), (0.75, 0.15, 0.10))[0]
    if kind in ("advice", "support_trajectory", "focus_group", "presentation_on_request"):
        return rng.choices(("online", "physical"), (0.4, 0.6))[0]
    return rng.choices(("online", "physical", "hybrid"), (0.35, 0.5, 0.15))[0]
