"""The synthetic world the demo exports describe: municipalities as they were named in each
wave, organisations, participants, and the typing faults real people make.

Nothing here is real: participant names are random combinations of common Flemish first and
last names, every e-mail address is on the reserved example.org/.com/.net domains.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from inclusie_analysis.clean.geo import load_reference

FIRST_NAMES = (  # noqa: SIM905 - a word list reads better as text
    "An Anke Annelies Bart Bert Bram Caroline Charlotte Dirk Dries Els Elke Emma Eva Filip "
    "Frank Gert Goedele Hanne Hilde Ines Jan Jeroen Joke Jonas Karen Katrien Kim Koen Kristof "
    "Lien Lieve Lotte Marc Marijke Mieke Nathalie Nele Nick Pieter Raf Ruben Sam Sara Sofie "
    "Steven Tom Tine Veerle Wim Wouter Yasmina Youssef Ayse Mehmet Fatima Sanne Lars Femke "
    "Jolien"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters De_Smet Dubois Hermans "
    "Aerts Pauwels Vermeulen Van_den_Broeck Michiels Desmet Verhoeven Smets De_Backer Stevens "
    "Lambrechts Coppens Martens Vandenberghe Cools Van_Damme Verstraete De_Clercq Dewulf Leroy "
    "Bogaert Segers Hendrickx Declercq Vermeersch Lemmens Mattheus Claessens Wuyts Verbeke "
    "Van_Hoof Baert Geerts Verlinden Verschueren Van_Dyck Beckers Nys Laenen Vos De_Vos Yilmaz "
    "El_Amrani Kaya Bakker Schepens Thys Vanhove Moens Boeckx Verhaegen Dierckx"
).split()
EMAIL_DOMAINS = ("example.org", "example.com", "example.net")

# How an organisation type is written in the exports; the codebooks map these to labels.
ORG_TYPES = {
    "lokaal_bestuur": 0.70,
    "intergemeentelijk": 0.08,
    "welzijnsvereniging": 0.07,
    "overheid": 0.05,
    "middenveld": 0.06,
    "onderwijs_onderzoek": 0.02,
    "andere": 0.02,
}
ORG_NAMES = {
    "lokaal_bestuur": ("Gemeente {m}", "Stad {m}", "OCMW {m}", "Lokaal bestuur {m}"),
    "intergemeentelijk": ("Intergemeentelijke samenwerking regio {m}", "Welzijnsband {m}"),
    "welzijnsvereniging": ("Welzijnsvereniging {m}",),
    "overheid": ("Provincie", "Vlaamse overheid", "Digitaal Vlaanderen"),
    "middenveld": ("Digidak {m}", "Buurtwerk {m}", "Vormingplus {m}", "Bibliotheek {m}"),
    "onderwijs_onderzoek": ("Hogeschool", "Universiteit", "CVO {m}"),
    "andere": ("Zelfstandige", "Andere organisatie"),
}
# Response propensity per province: the network is Flemish, Brussels answers less.
PROVINCE_PROPENSITY = {
    "Antwerpen": 0.55,
    "Limburg": 0.70,
    "Oost-Vlaanderen": 0.60,
    "Vlaams-Brabant": 0.50,
    "West-Vlaanderen": 0.55,
    "Brussel": 0.30,
}


@dataclass(frozen=True)
class Place:
    """A municipality as it was named in a given year, with the 2025 municipality it is now."""

    name: str
    nis_2025: str
    province: str
    name_fr: str = ""
    merged_into: str = ""  # the 2025 (or 2019) municipality it became part of, if any
    merger_year: int = 0


def places(year: int) -> list[Place]:
    """The municipalities that existed in `year` (2019-2024: 300 Flemish; 2025: 285)."""
    return list(_places(year >= 2025))


@functools.cache
def _places(after_2025_mergers: bool) -> tuple[Place, ...]:
    year = 2025 if after_2025_mergers else 2024
    ref = load_reference()
    muni = ref.municipalities
    province = dict(zip(muni["nis_code"], muni["province_nl"].fillna("Brussel"), strict=True))
    province = {k: (v if v else "Brussel") for k, v in province.items()}
    result = [
        Place(name, code, province[code], name_fr or "")
        for code, name, name_fr in zip(
            muni["nis_code"], muni["name_nl"], muni["name_fr"].fillna(""), strict=True
        )
    ]
    if year < 2025:
        merged = ref.mergers[ref.mergers["year"] == 2025]
        new_codes = set(merged["new_nis"])
        result = [p for p in result if p.nis_2025 not in new_codes]
        for row in merged.itertuples():
            result.append(
                Place(row.old_name, row.new_nis, province[row.new_nis], "", row.new_name, 2025)
            )
    return tuple(sorted(result, key=lambda p: (p.nis_2025, p.name)))


@functools.cache
def old_names(year: int) -> dict[str, list[str]]:
    """2025 NIS code → names of the municipalities merged into it in `year`."""
    merged = load_reference().mergers
    merged = merged[merged["year"] == year]
    return merged.groupby("new_nis")["old_name"].agg(lambda s: sorted(s)).to_dict()


@functools.cache
def unique_postcodes() -> dict[str, list[str]]:
    """2025 NIS code → postal codes that point to that municipality only."""
    codes = load_reference().postal_codes
    counts = codes["postcode"].value_counts()
    unique = codes[codes["postcode"].map(counts) == 1]
    return unique.groupby("nis_code")["postcode"].agg(lambda s: sorted(s)).to_dict()


def pick(rng: random.Random, eligible: list[int], rate: float, base: int | None = None) -> set[int]:
    """Exactly round(rate × base) of the eligible items (base: len(eligible) unless given)."""
    k = min(round(rate * (len(eligible) if base is None else base)), len(eligible))
    return set(rng.sample(sorted(eligible), k)) if k else set()


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@dataclass
class Person:
    """A synthetic participant (not a real person)."""

    key: int
    first: str
    last: str
    email: str
    org_type: str
    organisation: str
    place: Place | None
    activity: float = 1.0  # how often this person attends, relative


def make_people(rng: random.Random, n: int, year: int) -> list[Person]:
    """A pool of synthetic participants with organisations spread over Flanders and Brussels."""
    pool = places(year)
    weights = [PROVINCE_PROPENSITY[p.province] for p in pool]
    people = []
    used: set[str] = set()
    for key in range(n):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES).replace("_", " ")
        local = ascii_fold(f"{first}.{last}").lower().replace(" ", "")
        email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
        suffix = 2
        while email in used:
            email = f"{local}{suffix}@{email.split('@')[1]}"
            suffix += 1
        used.add(email)
        org = _weighted(rng, ORG_TYPES)
        place = rng.choices(pool, weights)[0] if org != "overheid" and rng.random() > 0.05 else None
        organisation = rng.choice(ORG_NAMES[org]).format(m=place.name if place else "Vlaanderen")
        people.append(
            Person(key, first, last, email, org, organisation, place, rng.paretovariate(1.6))
        )
    return people


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


# ---------------------------------------------------------------------------------------------
# How people type a municipality


@dataclass
class MunicipalityFaults:
    """Rates of each way a municipality answer deviates from the official name.

    Each answer gets at most one fault. `pre_merger`, `abbreviated` and `french` are shares of
    the answers they can apply to: from a merged municipality (2025 mergers for a 2025 wave,
    2019 mergers for a 2020 wave), with a name starting with "Sint", from Brussels with a
    French name. The others are shares of all answers that name a municipality.
    """

    pre_merger: float = 0.5
    abbreviated: float = 0.4
    french: float = 0.3
    postcode: float = 0.05
    misspelt: float = 0.05
    prefix: float = 0.08
    case_spacing: float = 0.10
    kinds: tuple[str, ...] = field(
        default=(
            "pre_merger",
            "abbreviated",
            "french",
            "postcode",
            "misspelt",
            "prefix",
            "case_spacing",
        ),
        repr=False,
    )


def assign_municipality_faults(
    rng: random.Random, answers: list[Place | None], year: int, rates: MunicipalityFaults
) -> list[tuple[str, str]]:
    """For each answer (a Place, or None for no municipality): (written text, fault kind).

    The fault counts are exact: round(rate × eligible) per kind, so tests can check them.
    Each kind takes its answers from those no earlier kind took, in a fixed order.
    """
    olds = old_names(2025 if year >= 2025 else 2019)
    postcodes = unique_postcodes()
    all_keys = _name_keys()
    written: list[tuple[str, str]] = [
        ("", "none") if a is None else (a.name, "none") for a in answers
    ]
    free = [i for i, a in enumerate(answers) if a is not None]

    everyone = len(free)

    def take(kind: str, eligible: list[int], base: int | None = None) -> set[int]:
        chosen = pick(rng, eligible, getattr(rates, kind), base)
        free[:] = [i for i in free if i not in chosen]
        return chosen

    for i in take("pre_merger", _pre_merger_eligible(answers, free, year, olds)):
        candidates = [n for n in olds[answers[i].nis_2025] if n != answers[i].name] or olds[
            answers[i].nis_2025
        ]
        written[i] = (rng.choice(candidates), "pre_merger")
    for i in take("abbreviated", [i for i in free if answers[i].name.startswith("Sint")]):
        style = rng.choice(("St.-", "St-", "St. ", "Sint "))
        written[i] = (style + answers[i].name[5:], "abbreviated")
    for i in take("french", _french_eligible(answers, free)):
        written[i] = (answers[i].name_fr, "french")
    for i in take(
        "postcode",
        [i for i in free if answers[i].nis_2025 in postcodes and not answers[i].merged_into],
        everyone,
    ):
        code = rng.choice(postcodes[answers[i].nis_2025])
        text = code if rng.random() < 0.7 else f"{code} {answers[i].name}"
        written[i] = (text, "postcode")
    eligible = [i for i in free if len(answers[i].name) >= 7]
    chosen = take("misspelt", eligible, everyone)
    for i in sorted(chosen):
        written[i] = (_misspell(rng, answers[i].name, all_keys), "misspelt")
    for i in take("prefix", list(free), everyone):
        prefix = rng.choice(("Gemeente ", "Stad ", "OCMW ", "Lokaal bestuur ", "gemeente "))
        written[i] = (prefix + answers[i].name, "prefix")
    for i in take("case_spacing", list(free), everyone):
        written[i] = (_case_spacing(rng, answers[i].name), "case_spacing")
    return written


def _pre_merger_eligible(
    answers: list[Place | None], free: list[int], year: int, olds: dict[str, list[str]]
) -> list[int]:
    """Answers that can name a former municipality.

    In a 2025 wave, someone from Beveren-Kruibeke-Zwijndrecht still writes "Kruibeke"; in a
    2020 wave someone from Deinze writes "Nevele" (merged in 2019).
    """
    if year >= 2025:
        return [
            i
            for i in free
            if answers[i].nis_2025 in olds and answers[i].name not in olds[answers[i].nis_2025]
        ]
    return [i for i in free if answers[i].nis_2025 in olds and not answers[i].merged_into]


def _french_eligible(answers: list[Place | None], free: list[int]) -> list[int]:
    """Answers that can come in French: only Brussels ones (facility municipalities are few)."""
    return [
        i
        for i in free
        if answers[i].province == "Brussel"
        and answers[i].name_fr
        and answers[i].name_fr != answers[i].name
    ]


def _case_spacing(rng: random.Random, name: str) -> str:
    """The name in other capitals or with stray spaces: never the name itself."""
    variant = rng.choice(
        (name.lower(), name.upper(), f" {name}  ", f"{name} ", name.replace("-", " "))
    )
    if variant == name:
        variant = name + " "
    return variant


@functools.cache
def _name_keys() -> frozenset[str]:
    return frozenset(ascii_fold(p.name).lower() for p in (*_places(True), *_places(False)))


def _misspell(rng: random.Random, name: str, known: set[str]) -> str:
    """One typing slip (swap, drop or double a letter) that does not give another real name."""
    for _ in range(50):
        pos = rng.randrange(2, len(name) - 1)
        op = rng.choice(("swap", "drop", "double"))
        if op == "swap":
            text = name[:pos] + name[pos + 1] + name[pos] + name[pos + 2 :]
        elif op == "drop":
            text = name[:pos] + name[pos + 1 :]
        else:
            text = name[:pos] + name[pos] + name[pos:]
        if text != name and ascii_fold(text).lower() not in known and name[pos].isalpha():
            return text
    return name[:-1]


def phone_number(rng: random.Random) -> str:
    """A Belgian-looking mobile number in one of the ways people type them."""
    digits = [rng.randrange(10) for _ in range(6)]
    body = f"{digits[0]}{digits[1]} {digits[2]}{digits[3]} {digits[4]}{digits[5]}"
    prefix = f"04{rng.choice((70, 71, 72, 73, 75, 76, 77, 78, 79, 85, 86, 87, 88, 89, 92, 93, 94))}"
    return rng.choice(
        (f"{prefix} {body}", f"+32 {prefix[1:]} {body}", f"{prefix}/{body.replace(' ', '')}")
    )


def province_of(place: Place | None) -> str | None:
    return place.province if place else None


def as_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)
