"""Synthetic learning-needs survey: a 2020 LimeSurvey wave and a 2025 Microsoft Forms wave.

The two waves use different instruments, as real waves do: the 2025 questionnaire rewords
some items, splits one ("aanbod voor burgers") in two, adds the 2025 training themes and a
question on how far the local policy is per pillar of the beleidstool. The codebooks in
`surveys/codebooks/` describe exactly these exports. This module holds the questionnaires
and draws the respondents; `survey_exports.py` writes them as each platform exports them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime

from inclusie_analysis.demo.world import (
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    ORG_TYPES,
    PROVINCE_PROPENSITY,
    MunicipalityFaults,
    Place,
    ascii_fold,
    assign_municipality_faults,
    phone_number,
    pick,
    places,
)

# item, 2020 sub-question code, 2020 text, 2025 text, mean need 2020, 2025 (None: not asked)
NEED_ITEMS = [
    (
        "outreach",
        "SQ001",
        "Kennis over outreachend werken: kwetsbare groepen bereiken en helpen",
        "Outreachend werken: kwetsbare groepen vinden, bereiken en ondersteunen",
        0.6,
        0.3,
    ),
    (
        "regierol",
        "SQ002",
        "De lokale of bovenlokale regierol invullen",
        "De regierol digitale inclusie opnemen (lokaal of bovenlokaal)",
        0.5,
        0.6,
    ),
    (
        "middelen",
        "SQ003",
        "Meer structurele middelen (geld, personeel) voor outreachend werk",
        "Structurele middelen (budget, personeel) voor digitale inclusie",
        0.8,
        0.9,
    ),
    (
        "aanbod_burgers",
        "SQ004",
        "Een breder ondersteuningsaanbod voor burgers "
        "(digitale toegang, vaardigheden, dienstverlening)",
        None,
        0.4,
        None,
    ),
    (
        "aanbod_vaardigheden",
        None,
        None,
        "Aanbod voor inwoners: digitale vaardigheden oefenen",
        None,
        0.3,
    ),
    (
        "aanbod_dienstverlening",
        None,
        None,
        "Aanbod voor inwoners: digitale (overheids)diensten leren gebruiken",
        None,
        0.5,
    ),
    (
        "beleidskader",
        "SQ005",
        "Een ondersteuningskader om een duurzaam lokaal e-inclusiebeleid uit te bouwen",
        "Een kader om een duurzaam lokaal beleid digitale inclusie uit te bouwen",
        0.3,
        0.1,
    ),
    (
        "professionalisering",
        "SQ006",
        "Ondersteuning en professionalisering van lokale besturen",
        "Vorming en professionalisering van medewerkers van het lokaal bestuur",
        0.2,
        0.3,
    ),
    (
        "toegang",
        "SQ007",
        "Toegang: publieke computerruimtes, toestellen aankopen, internet aanbieden",
        "Toegang: publieke computerruimtes, toestellen aankopen, internet aanbieden",
        0.0,
        -0.3,
    ),
    (
        "partners",
        "SQ008",
        "Een beter zicht op mogelijke partners",
        "Een beter zicht op mogelijke partners",
        -0.1,
        -0.3,
    ),
    (
        "bewoners_bevragen",
        "SQ009",
        "Hoe bewoners bevragen over hun noden",
        "Bewoners bevragen over hun noden en hen laten meedenken",
        0.3,
        0.4,
    ),
    (
        "toegankelijke_websites",
        None,
        None,
        "Toegankelijke websites en digitale communicatie",
        None,
        0.7,
    ),
    ("hr_beleid", None, None, "Een digitaal inclusief HR-beleid", None, 0.0),
    (
        "digitaal_kwetsbaren",
        None,
        None,
        "Omgaan met digitaal kwetsbare inwoners of collega's",
        None,
        0.8,
    ),
    ("cyberveiligheid", None, None, "Cyberveiligheid voor digitale starters", None, 0.6),
]
NEED_LEVELS = ["Geen nood", "Kleine nood", "Matige nood", "Grote nood", "Zeer grote nood"]
DONT_KNOW = "Weet niet"
NEED_CODES_2020 = ["A1", "A2", "A3", "A4", "A5"]
DONT_KNOW_CODE_2020 = "A6"
_CUTS = (-1.1, -0.3, 0.5, 1.3)

ORG_TEXT_2020 = {
    "lokaal_bestuur": ("A1", "Gemeente of OCMW"),
    "intergemeentelijk": ("A2", "Intergemeentelijk samenwerkingsverband"),
    "welzijnsvereniging": ("A3", "Welzijnsvereniging"),
    "overheid": ("A4", "Vlaamse of provinciale overheid"),
    "middenveld": ("A5", "Middenveld"),
    "onderwijs_onderzoek": ("A6", "Onderwijs/onderzoek"),
    "andere": ("A7", "Andere"),
}
ORG_TEXT_2025 = {
    "lokaal_bestuur": "Lokaal bestuur (gemeente, OCMW)",
    "intergemeentelijk": "Intergemeentelijk samenwerkingsverband",
    "welzijnsvereniging": "Welzijnsvereniging",
    "overheid": "Vlaamse, provinciale of federale overheid",
    "middenveld": "Middenveldorganisatie",
    "onderwijs_onderzoek": "Onderwijs of onderzoek",
    "andere": "Andere",
}
ROLES = {
    "beleidsmedewerker": ("A1", "Beleidsmedewerker", 0.40),
    "diensthoofd": ("A2", "Diensthoofd of coördinator", 0.25),
    "mandataris": ("A3", "Schepen of mandataris", 0.08),
    "frontlijn": ("A4", "Medewerker in de frontlijn (loket, bibliotheek, OCMW)", 0.20),
    "andere": ("A5", "Andere", 0.07),
}
FORMATS = {
    "online": ("SQ001", "Online sessie (webinar)", 0.60),
    "fysiek": ("SQ002", "Fysieke bijeenkomst", 0.55),
    "meerdaags": ("SQ003", "Opleiding van meerdere dagen", 0.20),
    "intervisie": ("SQ004", "Uitwisseling met andere besturen (intervisie)", 0.45),
    "begeleiding": ("SQ005", "Begeleiding op maat", 0.30),
    "handleidingen": ("SQ006", "Handleidingen en tools om zelf te gebruiken", 0.35),
}
# Theme options of the "which themes do you want" question: need item → short option text.
THEME_OPTIONS = {
    "outreach": "Outreachend werken",
    "regierol": "Regierol",
    "middelen": "Middelen en financiering",
    "aanbod_burgers": "Aanbod voor burgers",
    "beleidskader": "Beleidskader en beleidstool",
    "professionalisering": "Professionalisering",
    "toegang": "Toegang (toestellen, internet, computerruimtes)",
    "partners": "Partners en samenwerking",
    "bewoners_bevragen": "Bewoners bevragen en participatie",
    "toegankelijke_websites": "Toegankelijke websites",
    "hr_beleid": "Digitaal inclusief HR-beleid",
    "digitaal_kwetsbaren": "Digitaal kwetsbare inwoners of collega's",
    "cyberveiligheid": "Cyberveiligheid",
}
THEME_OPTIONS_2020 = [
    k for k in THEME_OPTIONS if k in dict((i[0], i[1]) for i in NEED_ITEMS if i[1])
]
THEME_OPTIONS_2025 = [k for k in THEME_OPTIONS if k != "aanbod_burgers"]
OTHER_THEMES = (
    "Artificiële intelligentie",
    "Mediawijsheid bij jongeren",
    "Digitale geletterdheid van ouderen",
    "Digibanken",
    "Privacy en data",
)
PILLARS = {
    "toegang": "Toegang tot toestellen en internet",
    "vaardigheden": "Digitale vaardigheden van inwoners",
    "dienstverlening": "Digitale dienstverlening voor iedereen",
    "regierol": "Regierol van het lokaal bestuur",
}
STAGES = ["Rood (nog geen acties)", "Oranje (beperkte acties)", "Groen (uitgebreide acties)"]
STAGE_WEIGHTS = {
    "toegang": (0.15, 0.50, 0.35),
    "vaardigheden": (0.20, 0.50, 0.30),
    "dienstverlening": (0.25, 0.50, 0.25),
    "regierol": (0.40, 0.45, 0.15),
}
PHRASES = {
    "outreach": (
        "outreachend werken",
        "kwetsbare groepen bereiken",
        "mensen die we nu niet bereiken",
    ),
    "regierol": (
        "de regierol",
        "de regie van digitale inclusie",
        "lokale coördinatie van het aanbod",
    ),
    "middelen": ("meer middelen", "budget en personeel", "structurele financiering"),
    "aanbod_burgers": ("het aanbod voor burgers", "oefenmomenten voor inwoners"),
    "aanbod_vaardigheden": ("digitale vaardigheden van inwoners", "oefensessies voor inwoners"),
    "aanbod_dienstverlening": ("digitale overheidsdiensten", "hulp bij e-loketten"),
    "beleidskader": ("een beleidsplan", "de beleidstool", "een duurzaam beleid"),
    "professionalisering": ("vorming voor medewerkers", "professionalisering"),
    "toegang": ("publieke computers", "toestellen en internet", "een computerruimte"),
    "partners": ("samenwerking met partners", "zicht op partners in de regio"),
    "bewoners_bevragen": ("bewoners bevragen", "participatie van inwoners"),
    "toegankelijke_websites": ("toegankelijke websites", "toegankelijke communicatie"),
    "hr_beleid": ("HR-beleid", "digitaal kwetsbare collega's"),
    "digitaal_kwetsbaren": (
        "omgaan met digitaal kwetsbare inwoners",
        "digitaal kwetsbaren aan het loket",
    ),
    "cyberveiligheid": ("cyberveiligheid", "phishing en online veiligheid"),
}
TEMPLATES = (
    "Graag meer praktijkvoorbeelden rond {p}.",
    "Wij zoeken vooral ondersteuning bij {p}.",
    "Bedankt voor het netwerk! Een sessie over {p} zou welkom zijn.",
    "Hoe pakken andere besturen {p} aan?",
    "Voor ons kleine bestuur is {p} het grootste probleem.",
    "Meer aandacht voor {p} a.u.b.",
)
CLOSED_REMARKS = ("Geen opmerkingen.", "Nee", "/", "Goed bezig!", "Niets toe te voegen.")


@dataclass
class SurveyFaults:
    """Rates of the survey faults besides municipality typing (see world.MunicipalityFaults)."""

    duplicate: float = 0.03  # the same person submits twice
    partial: float = 0.08  # LimeSurvey only: started, not submitted
    blank_rows: float = 0.01  # MS Forms export tidied by hand: emptied rows left behind
    open_answer: float = 0.5  # share of respondents who write something in the open question
    email_in_open: float = 0.04  # of open answers
    phone_in_open: float = 0.03  # of open answers
    formula: float = 0.01  # of open answers: starts with "="
    contact_email: float = 0.35  # 2025: optional contact e-mail given (personal data to drop)
    municipality: MunicipalityFaults = field(default_factory=MunicipalityFaults)


@dataclass
class Respondent:
    key: int
    org_type: str
    place: Place | None
    role: str
    needs: dict[str, int | None]  # level index 0..4, None = weet niet
    formats: list[str]
    themes: list[str]
    other_theme: str
    stages: dict[str, int]
    open_text: str = ""
    open_pii: str = "none"
    formula: bool = False
    contact_email: str = ""
    written_municipality: str = ""
    municipality_fault: str = "none"
    start: datetime | None = None
    end: datetime | None = None


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def make_respondents(
    rng: random.Random, wave: int, n: int, faults: SurveyFaults
) -> list[Respondent]:
    """Draw `n` synthetic respondents of a wave, with their answers and typing faults."""
    pool = places(wave)
    weights = [PROVINCE_PROPENSITY[p.province] for p in pool]
    items = [i for i in NEED_ITEMS if (i[4] if wave < 2025 else i[5]) is not None]
    province_effect = {"Limburg": 0.2, "West-Vlaanderen": -0.1, "Brussel": 0.3}
    people = []
    for key in range(n):
        org = rng.choices(list(ORG_TYPES), list(ORG_TYPES.values()))[0]
        if (
            org == "lokaal_bestuur"
            or (org == "intergemeentelijk" and rng.random() < 0.7)
            or (org in ("welzijnsvereniging", "middenveld") and rng.random() < 0.5)
        ):
            place = rng.choices(pool, weights)[0]
        else:
            place = None
        role = rng.choices(list(ROLES), [r[2] for r in ROLES.values()])[0]
        z = rng.gauss(0, 1)
        shift = province_effect.get(place.province, 0.0) if place else 0.0
        needs: dict[str, int | None] = {}
        for item in items:
            mu = item[4] if wave < 2025 else item[5]
            if rng.random() < (0.08 if item[0] == "hr_beleid" else 0.04):
                needs[item[0]] = None
                continue
            latent = mu + shift + 0.8 * z + rng.gauss(0, 0.7)
            needs[item[0]] = sum(latent > c for c in _CUTS)
        formats = [f for f, spec in FORMATS.items() if rng.random() < spec[2]]
        options = THEME_OPTIONS_2020 if wave < 2025 else THEME_OPTIONS_2025
        themes = []
        for option in options:
            if rng.random() < (0.65 if (needs.get(option) or 0) >= 3 else 0.12):
                themes.append(option)
        other = rng.choice(OTHER_THEMES) if rng.random() < 0.06 else ""
        stages = {}
        if wave >= 2025 and org == "lokaal_bestuur":
            stages = {p: rng.choices(range(3), STAGE_WEIGHTS[p])[0] for p in PILLARS}
        people.append(Respondent(key, org, place, role, needs, formats, themes, other, stages))
    _add_open_answers(rng, people, faults)
    written = assign_municipality_faults(rng, [r.place for r in people], wave, faults.municipality)
    for person, (text, kind) in zip(people, written, strict=True):
        if person.place is None and not text:
            text = rng.choice(("", "", "", "Vlaanderen", "n.v.t.", "/"))
        person.written_municipality, person.municipality_fault = text, kind
    return people


def _add_open_answers(rng: random.Random, people: list[Respondent], faults: SurveyFaults) -> None:
    writers = [i for i in range(len(people)) if rng.random() < faults.open_answer]
    for i in writers:
        r = people[i]
        rated = [(lvl, item) for item, lvl in r.needs.items() if lvl is not None]
        if rated and rng.random() < 0.85:
            top = max(rated, key=lambda t: (t[0], rng.random()))[1]
            r.open_text = rng.choice(TEMPLATES).format(p=rng.choice(PHRASES[top]))
        else:
            r.open_text = rng.choice(CLOSED_REMARKS)
    emails = pick(rng, writers, faults.email_in_open)
    phones = pick(rng, [i for i in writers if i not in emails], faults.phone_in_open)
    formulas = pick(rng, [i for i in writers if i not in emails | phones], faults.formula)
    for i in emails:
        people[i].open_text += f" Contacteer mij gerust via {_email(rng)}."
        people[i].open_pii = "email"
    for i in phones:
        people[i].open_text += f" Bel me op {phone_number(rng)}."
        people[i].open_pii = "phone"
    for i in formulas:
        people[i].open_text = "=" + rng.choice(
            ("meer sessies a.u.b.", "+ opleidingen op maat", " zie vorige bevraging")
        )
        people[i].formula = True
    for i in pick(rng, list(range(len(people))), faults.contact_email):
        people[i].contact_email = _email(rng)


def _email(rng: random.Random) -> str:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES).replace("_", "")
    return ascii_fold(f"{first}.{last}").lower() + "@" + rng.choice(EMAIL_DOMAINS)
