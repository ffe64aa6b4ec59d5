"""Synthetic activity registers, attendance lists and feedback forms for one year.

The register is an Excel file as staff keep it by hand: headers that change between years,
types and themes typed freely, dates as real dates, serial numbers or Dutch text, durations
as "1,5", "1u30", "90 min" or "09:00-12:30", blank rows, and in 2024 a totals row at the bottom.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from inclusie_analysis.demo.world import (
    MunicipalityFaults,
    Person,
    assign_municipality_faults,
    phone_number,
    pick,
)
from inclusie_analysis.demo.xlsx import save_workbook

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
MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
HEADERS = {
    2024: (
        "Nr",
        "Datum activiteit",
        "Titel activiteit",
        "Soort",
        "Thema('s)",
        "Online/fysiek",
        "Duur (u)",
        "Organisatie",
        "OD",
        "# ingeschreven",
        "# aanwezig",
        "Opname online?",
    ),
    2025: (
        "Nr",
        "Datum",
        "Titel",
        "Type",
        "Thema",
        "Vorm",
        "Duur",
        "Organisator",
        "Doelstelling",
        "Ingeschreven",
        "Aanwezig",
        "Opname gepubliceerd",
    ),
}
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
    specs = []
    for kind, spec in EVENT_TYPES.items():
        count = rng.randint(*spec[6]) * scale
        specs += [kind] * count
    # A year of the network has 40-60 activities: top up with the small, frequent kinds.
    while len(specs) < MIN_EVENTS * scale:
        specs.append(rng.choice(("advice", "presentation_on_request", "other")))
    days = _working_days(year)
    events = []
    for kind in specs:
        written, goal, hours, reg, list_share, feedback, _ = EVENT_TYPES[kind]
        themes = _themes(rng, kind)
        mode = _mode(rng, kind)
        if kind == "inspiration_day":
            mode = "physical" if sum(e.type == kind for e in events) % 2 == 0 else "online"
        day = rng.choice(days)
        hours_value = round(rng.uniform(*hours) * 2) / 2
        label = THEMES[themes[0]][0]
        type_written = rng.choice(written)
        title = {
            "general_meeting": f"Algemene netwerkvergadering {_season(day)}",
            "advice": f"Adviesgesprek {label}",
            "support_trajectory": f"Traject op maat: {label}",
            "inspiration_day": "Inspiratiedag digitale inclusie "
            + ("(fysiek)" if mode == "physical" else "(online)"),
        }.get(kind, f"{type_written[0].upper()}{type_written[1:]}: {label}")
        events.append(
            Event(
                "",
                year,
                day,
                kind,
                type_written,
                title,
                themes,
                mode,
                hours_value,
                rng.choice(ORGANISERS),
                goal,
                rng.random() < list_share,
                feedback,
                rng.gauss(0, 0.5),
            )
        )
    events.sort(key=lambda e: (e.day, e.title))
    weights = [p.activity for p in people]
    for number, event in enumerate(events, start=1):
        event.event_id = f"{year}-{number:03d}"
        reg = EVENT_TYPES[event.type][3]
        if reg is None:
            event.register_attended = (
                rng.randint(1, 3) if event.type == "advice" else rng.randint(3, 8)
            )
            continue
        n = rng.randint(*reg)
        chosen: dict[int, Person] = {}
        while len(chosen) < min(n, len(people)):
            person = rng.choices(people, weights)[0]
            chosen[person.key] = person
        event.registered = list(chosen.values())
        event.present = [rng.random() < 0.8 for _ in event.registered]
        event.register_registered = len(event.registered)
        event.register_attended = sum(event.present)
    return events


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


# ---------------------------------------------------------------------------------------------
# Register (Excel, two sheets)


def write_register(
    rng: random.Random, path: Path, year: int, events: list[Event], faults: EventFaults, scale: int
) -> tuple[list[dict], list[dict]]:
    """Write the activity register; return truth rows for events and communication outputs."""
    from openpyxl import Workbook

    with_list = [i for i, e in enumerate(events) if e.has_list]
    for i in pick(rng, with_list, faults.count_mismatch):
        e = events[i]
        delta = rng.choice((-3, -2, -1, 1, 2, 4))
        e.register_attended = max(0, e.register_attended + delta)
    recordable = [
        i
        for i, e in enumerate(events)
        if e.mode in ("online", "hybrid")
        and e.type in ("general_meeting", "specific_meeting", "info_session")
    ]
    missing = pick(rng, recordable, faults.recording_missing)
    for i, e in enumerate(events):
        if i in recordable:
            e.recording = "nee" if i in missing else rng.choice(("ja", "Ja", "ja ", "JA"))
        else:
            e.recording = rng.choice(("", "n.v.t.", "nee")) if e.mode == "physical" else ""
    everything = list(range(len(events)))
    kinds = {}
    remaining = list(everything)
    for kind in ("date_serial", "date_text_nl", "date_text_slash"):
        chosen = pick(rng, remaining, getattr(faults, kind), len(everything))
        kinds.update(dict.fromkeys(chosen, kind))
        remaining = [i for i in remaining if i not in chosen]
    durations = {}
    remaining = list(everything)
    for kind in ("duration_comma", "duration_uur", "duration_min", "duration_range"):
        # A clock range only makes sense for an activity within one day.
        eligible = [i for i in remaining if kind != "duration_range" or events[i].hours <= 8]
        chosen = pick(rng, eligible, getattr(faults, kind), len(everything))
        durations.update(dict.fromkeys(chosen, kind))
        remaining = [i for i in remaining if i not in chosen]
    spaces = pick(rng, everything, faults.trailing_space)
    blanks = pick(rng, everything, faults.blank_rows)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Activiteiten"
    headers = HEADERS.get(year, HEADERS[max(HEADERS)])  # later years keep 2025's layout
    sheet.append(list(headers))
    truth, row = [], 1
    for i, e in enumerate(events):
        if i in blanks:
            sheet.append([None] * len(headers))
            row += 1
            truth.append({"file": path.name, "sheet": "Activiteiten", "row": row, "kind": "blank"})
        e.date_kind = kinds.get(i, "date")
        e.duration_written = _duration(e, durations.get(i, "number"))
        pad = " " if i in spaces else ""
        themes = rng.choice((", ", " / ", "; ")).join(rng.choice(THEMES[t]) for t in e.themes)
        registered = e.register_registered if e.register_registered is not None else None
        sheet.append(
            [
                e.event_id,
                _date_cell(e.day, e.date_kind),
                e.title + pad,
                e.type_written + pad,
                themes,
                rng.choice(MODES[e.mode]) + pad,
                e.duration_written,
                e.organiser,
                _goal(rng, e.goal),
                registered,
                e.register_attended,
                e.recording or None,
            ]
        )
        row += 1
        if e.date_kind == "date":
            sheet.cell(row=row, column=2).number_format = "dd/mm/yyyy"
        truth.append(
            {
                "file": path.name,
                "sheet": "Activiteiten",
                "row": row,
                "kind": "event",
                "event_id": e.event_id,
                "date": e.day.isoformat(),
                "title": e.title,
                "date_kind": e.date_kind,
                "type": e.type,
                "type_written": e.type_written,
                "themes": ";".join(e.themes),
                "mode": e.mode,
                "hours": e.hours,
                "duration_written": str(e.duration_written),
                "duration_kind": durations.get(i, "number"),
                "goal": e.goal,
                "registered": registered,
                "attended_register": e.register_attended,
                "attended_list": sum(e.present) if e.has_list else None,
                "has_list": e.has_list,
                "recording_published": e.recording.strip().lower() == "ja"
                if e.recording.strip()
                else None,
                "trailing_space": i in spaces,
            }
        )
    if year == 2024:
        # A totals row that somebody added under the table.
        sheet.append(
            [
                None,
                None,
                "Totaal",
                None,
                None,
                None,
                None,
                None,
                None,
                sum(e.register_registered or 0 for e in events),
                sum(e.register_attended or 0 for e in events),
                None,
            ]
        )
        row += 1
        truth.append({"file": path.name, "sheet": "Activiteiten", "row": row, "kind": "total"})
    sheet.column_dimensions["C"].width = 50
    communication = _communication(rng, workbook, path, year, scale)
    save_workbook(
        workbook, path, f"Activiteitenregister {year} netwerk digitale inclusie (SYNTHETISCH)"
    )
    return truth, communication


def _date_cell(day: date, kind: str) -> object:
    if kind == "date_serial":
        return (day - date(1899, 12, 30)).days
    if kind == "date_text_nl":
        return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"
    if kind == "date_text_slash":
        return day.strftime("%d/%m/%Y")
    return datetime(day.year, day.month, day.day)


def _duration(e: Event, kind: str) -> object:
    hours = e.hours
    whole, minutes = int(hours), round((hours - int(hours)) * 60)
    if kind == "duration_comma":
        return f"{hours:.1f}".replace(".", ",")
    if kind == "duration_uur":
        return f"{whole}u{minutes:02d}" if minutes else f"{whole}u"
    if kind == "duration_min":
        return f"{round(hours * 60)} min"
    if kind == "duration_range":
        start = datetime(2000, 1, 1, 9, 0)
        end = start + timedelta(minutes=round(hours * 60))
        return f"{start:%H:%M}-{end:%H:%M}"
    return hours


def _goal(rng: random.Random, goal: str) -> str | None:
    if not goal:
        return None
    return rng.choice((goal, goal, goal.replace("OD", "OD "), goal[2:], goal.lower()))


def _communication(rng: random.Random, workbook, path: Path, year: int, scale: int) -> list[dict]:
    sheet = workbook.create_sheet("Communicatie" if year >= 2025 else f"Communicatie {year}")
    sheet.append(["Datum", "Soort", "Titel", "Link"])
    items = []
    months = [m for m in range(1, 13) if m not in (7, 8)]
    for m in months:
        items.append(
            (
                "newsletter",
                date(year, m, rng.randint(2, 20)),
                f"Nieuwsbrief digitale inclusie {MONTHS_NL[m - 1]}",
            )
        )
    for _ in range(rng.randint(2, 3) * scale):
        items.append(
            (
                "article",
                date(year, rng.choice(months), rng.randint(1, 28)),
                f"Lokaal: {rng.choice(list(THEMES.values()))[0]} in de praktijk",
            )
        )
    for _ in range(rng.randint(3, 6) * scale):
        items.append(
            (
                "good_practice",
                date(year, rng.choice(months), rng.randint(1, 28)),
                f"Goede praktijk: {rng.choice(list(THEMES.values()))[0]}",
            )
        )
    if year == 2025 and scale == 1:
        items = [
            i for i in items if not (i[0] == "newsletter" and i[1].month == 12)
        ]  # December not yet sent
    items.sort(key=lambda t: (t[1], t[2]))
    written = {
        "newsletter": ("Nieuwsbrief", "nieuwsbrief", "Nieuwsbrief "),
        "article": ("Artikel Lokaal", "Lokaal-artikel", "Artikel in Lokaal"),
        "good_practice": ("Goede praktijk", "Good practice", "goede praktijk"),
    }
    truth = []
    for row, (kind, day, title) in enumerate(items, start=2):
        sheet.append(
            [
                datetime(day.year, day.month, day.day),
                rng.choice(written[kind]),
                title,
                f"https://www.example.org/{kind}/{day:%Y%m%d}",
            ]
        )
        sheet.cell(row=row, column=1).number_format = "dd/mm/yyyy"
        truth.append(
            {
                "file": path.name,
                "sheet": sheet.title,
                "row": row,
                "type": kind,
                "date": day.isoformat(),
            }
        )
    return truth


# ---------------------------------------------------------------------------------------------
# Attendance lists: one registration-tool CSV per event

ATTENDANCE_TOOLS = {
    # Dutch tool: ';', cp1252 (saved by Excel with a Belgian locale), "ja"/"nee"
    "nl": (
        ";",
        "cp1252",
        ("Voornaam", "Naam", "E-mailadres", "Organisatie", "Gemeente", "Aanwezig"),
        ("ja", "nee"),
    ),
    # International tool: ',', UTF-8, English headers, "Yes"/"No"
    "en": (
        ",",
        "utf-8",
        ("First name", "Last name", "Email", "Organisation", "Municipality", "Attended"),
        ("Yes", "No"),
    ),
}


def write_attendance(
    rng: random.Random, folder: Path, events: list[Event], faults: EventFaults
) -> list[dict]:
    """Write one attendance CSV per event with a list; return truth per data row (no names)."""
    truth = []
    for e in events:
        if not e.has_list:
            continue
        tool = "nl" if rng.random() < 0.7 else "en"
        delimiter, encoding, header, (yes, no) = ATTENDANCE_TOOLS[tool]
        path = folder / f"{e.event_id}_aanwezigheden_SYNTHETISCH.csv"
        written = assign_municipality_faults(
            rng, [p.place for p in e.registered], e.year, faults.municipality
        )
        upper = pick(rng, list(range(len(e.registered))), faults.email_case)
        blanks = pick(rng, list(range(len(e.registered))), faults.attendance_blank_rows)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        row = 1
        for i, (person, present) in enumerate(zip(e.registered, e.present, strict=True)):
            if i in blanks:
                writer.writerow([""] * len(header))
                row += 1
                truth.append(
                    {"file": path.name, "row": row, "event_id": e.event_id, "kind": "blank"}
                )
            email = person.email
            if i in upper:
                local, domain = email.split("@")
                email = ".".join(part.capitalize() for part in local.split(".")) + "@" + domain
            writer.writerow(
                [
                    person.first,
                    person.last,
                    email,
                    person.organisation,
                    written[i][0],
                    yes if present else no,
                ]
            )
            row += 1
            truth.append(
                {
                    "file": path.name,
                    "row": row,
                    "event_id": e.event_id,
                    "kind": "participant",
                    "participant": person.key,
                    "present": present,
                    "nis_code": person.place.nis_2025 if person.place else None,
                    "municipality_fault": written[i][1],
                    "email_case": i in upper,
                }
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return truth


# ---------------------------------------------------------------------------------------------
# Feedback: one Microsoft Forms export per year


def write_feedback(
    rng: random.Random, path: Path, year: int, events: list[Event], faults: EventFaults
) -> list[dict]:
    """Write the year's feedback form export; return the truth per data row."""
    from openpyxl import Workbook

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
    everything = list(range(len(responses)))
    unlinkable = pick(rng, everything, faults.unlinkable_feedback)
    emails = pick(rng, everything, faults.email_in_open)
    phones = pick(rng, [i for i in everything if i not in emails], faults.phone_in_open)
    formulas = pick(rng, [i for i in everything if i not in emails | phones], faults.formula)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    header = [
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
    sheet.append(header)
    truth = []
    for i, (when, e) in enumerate(responses):
        latent = e.quality + rng.gauss(0.6, 0.8)
        satisfaction = min(5, max(1, round(3.4 + latent)))
        likert = {
            k: LIKERT[min(4, max(0, round(2.4 + latent + rng.gauss(0, 0.6))))]
            for k in FEEDBACK_STATEMENTS
        }
        nps = min(10, max(0, round(7.2 + 1.6 * latent + rng.gauss(0, 1))))
        label = f"{e.title} ({e.day:%d/%m/%Y})"
        if i in unlinkable:
            label = rng.choice(
                ("de sessie van vorige week", "Andere", "webinar", "weet ik niet meer")
            )
        best = rng.choice(STRONG) if rng.random() < 0.6 else None
        better = (
            rng.choice(BETTER).format(t=rng.choice(list(THEMES.values()))[0])
            if rng.random() < 0.5
            else None
        )
        pii = "none"
        if i in emails:
            better = (better or "") + f" Stuur de slides naar {e.registered[0].email}."
            pii = "email"
        elif i in phones:
            better = (better or "") + f" Bel me voor een vervolg: {phone_number(rng)}."
            pii = "phone"
        elif i in formulas:
            better = "=" + rng.choice(("meer voorbeelden", "+ langere pauze"))
        start = when.replace(second=rng.randrange(60))
        sheet.append(
            [
                i + 1,
                start,
                start + timedelta(seconds=rng.randrange(60, 400)),
                "anonymous",
                None,
                label,
                satisfaction,
                *likert.values(),
                nps,
                best,
                better,
            ]
        )
        truth.append(
            {
                "file": path.name,
                "row": i + 2,
                "event_id": e.event_id,
                "linkable": i not in unlinkable,
                "satisfaction": satisfaction,
                "nps": nps,
                "open_pii": pii,
                "formula": i in formulas,
            }
        )
    save_workbook(workbook, path, f"Feedback activiteiten {year} (SYNTHETISCH)")
    return truth
