"""De-identification of free text: personal data replaced by Dutch labels.

One step for every free-text field (open answers, feedback, "other" answers, register
titles and remarks, values quoted in data-quality messages). Two kinds of detectors:

- Belgian patterns, checked where they carry check digits: national register number
  (rijksregisternummer, mod 97 with both century rules), IBAN (mod 97), number plates,
  e-mail addresses also when obfuscated (``jan [at] gemeente.be``, ``jan at gemeente dot
  be``), profile links and links with a path, phone numbers.
- Person names and street addresses: the library ``deduce`` (Dutch de-identification, offline
  lists of first names, surnames and streets), loaded once per process, plus context rules
  for how Flemish people write them (titles, "mijn naam is", particles as in "Van den
  Broeck", street suffixes as "-lei", "-dreef", "-steenweg", postcode and municipality).

Municipality and organisation names are kept when they are the subject ("de bib van
Leuven"); they go into ``[adres]`` only as the tail of a street address. The labelled test
set in tests/data/pii_sentences.yaml measures recall per category and the clean words lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from inclusie_analysis.clean.name_model import deduce_model, word_list

LABELS = {
    "email": "[e-mail]",
    "url": "[link]",
    "phone": "[telefoon]",
    "national_number": "[rijksregisternummer]",
    "iban": "[rekeningnummer]",
    "plate": "[nummerplaat]",
    "address": "[adres]",
    "name": "[naam]",
    # An 11-digit number (or BE account) whose check digits fail: maybe a mistyped register
    # or account number, so it is removed, but not said to be one.
    "number": "[nummer]",
}
# The kinds in Dutch, for messages such as "(e-mailadres, naam) uit een open antwoord verwijderd".
KIND_NAMES = {
    "email": "e-mailadres",
    "url": "link",
    "phone": "telefoonnummer",
    "national_number": "rijksregisternummer",
    "iban": "rekeningnummer",
    "plate": "nummerplaat",
    "address": "adres",
    "name": "naam",
    "number": "lang nummer",
}

# --- patterns -------------------------------------------------------------------------------

_AT = r"(?:@|\s@\s|\s*[\[({<]\s*(?:at|a)\s*[\])}>]\s*|\s+(?:at|AT|At)\s+)"
_DOT = r"(?:\.|\s\.\s|\s*[\[({<]\s*(?:dot|punt)\s*[\])}>]\s*|\s+(?:dot|DOT|Dot|punt)\s+)"
_LOCAL = r"[\w+-]+(?:(?:\.|\s\.\s)[\w+-]+)*"
EMAIL = re.compile(rf"(?<![\w.@]){_LOCAL}{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[A-Za-z]{{2,12}}(?!\w)")
PLAIN_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

_PROFILE_SITES = (
    r"linkedin\.com|facebook\.com|fb\.com|fb\.me|instagram\.com|x\.com|twitter\.com|"
    r"tiktok\.com|youtube\.com|threads\.net|snapchat\.com|pinterest\.com|wa\.me|t\.me"
)
_TLD = r"(?:be|com|org|net|nl|eu|fr|de|io|info|vlaanderen|brussels|gent|app|me)"
URL = re.compile(
    r"(?:\bhttps?://\S+"  # any link with a scheme
    r"|\bwww\.[^\s/]+[/?]\S*"  # www.… with a path or query (a bare domain names nobody)
    rf"|(?<![\w@.-])(?:[\w-]+\.)*(?:{_PROFILE_SITES})/\S+"  # profile links without scheme
    rf"|(?<![\w@.-])(?:[\w-]+\.)+{_TLD}/\S+)",  # other host/path without scheme
    re.I,
)
HANDLE = re.compile(r"(?<![\w.@/])@[A-Za-z][\w.]*\w")

# Belgian accounts as written: BE68 5390 0754 7034, BE68539007547034, be68-5390-..., BE 68 ...
IBAN_BE = re.compile(r"(?<![\w])[Bb][Ee][ -]?\d{2}(?:[ -]?\d{4}){3}(?![\w]|[ -]\d)")
# Other countries (NL91 ABNA 0417 1643 00): capitals and digits only, checked by mod 97.
IBAN_OTHER = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?!\w)")
# 11 digits YYMMDD SSS CC as written: 85.07.30-033.61, 85073003361, 55 02 18 435 97, ...
NATIONAL_NUMBER = re.compile(
    r"(?<![\d.,/-])(\d{2})([. ]?)(\d{2})\2(\d{2})([ .-]?)(\d{3})([ .-]?)(\d{2})(?![\d]|[.,/-]\d)"
)
PLATE = re.compile(
    r"(?<![\w.-])(?:"
    r"[1-9][-.]?[A-Za-z]{3}[-.]?\d{3}"  # 1-ABC-123, 1ABC123, 1-abc-123, 1.ABC.123
    r"|[1-9] [A-Z]{3} \d{3}"  # 1 ABC 123 (capitals only: "1 dag 100" is no plate)
    r"|[A-Z]{3}-\d{3}"  # old plates ABC-123
    r"|\d{3}-[A-Z]{3}"  # old plates 123-ABC
    r")(?![\w]|[-.]\w)"
)
# Belgian numbers as people type them: 0470 12 34 56, 0470/12.34.56, +32 470 12 34 56,
# 0032 9 123 45 67, 09 123 45 67, 02/123.45.67, +32 (0)472 11 22 33.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)32[\s./-]?\(?0?\)?\s?|0)"
    r"(?:4\d{2}|[1-9]\d?)"
    r"(?:[\s./-]?\d{2,3}){2,3}(?![\w])"
)

_STREET_SUFFIX = (
    r"straat|str|straatje|laan|lei|dreef|steenweg|stwg|plein|markt|weg|baan|kaai|kade|vest|"
    r"hof|dijk|singel|pad|park|dam|gracht|berg|veld|gaarde|akker|kouter|boulevard|rei|"
    r"poort|plaats|dries|heide|meers|wal|werf|vliet|beemd|hoeve|put|hoek|wijk"
)
# Standalone street words after an adjective or a name (Grote Markt, Nieuwe Kaai, Oude Baan)
# or before "ter"/"van" (Hof ter Lo).
_STREET_WORD = r"(?:Markt|Kaai|Baan|Plein|Dreef|Lei|Vest|Dijk|Weg|Steenweg|Laan|Hof|Dries|Kouter)"
_CAP = r"[A-ZÀ-Ý][\wà-ÿ'’-]*"
_HOUSE_NUMBER = (
    r"\s+(?:(?:nr|nummer|no)\.?\s*)?\d{1,4}(?:\s?[a-zA-Z](?!\w))?(?:\s?/\s?\d{1,4})?"
    r"(?![\w,.]\d|\s*(?:euro|eur|€|uur|u\b|keer|jaar|min|deelnemers|mensen|personen|%))"
)
STREET = re.compile(
    r"(?<![\w-])(?:(?P<street>"
    rf"(?:(?:{_CAP}|de|van|ter|ten|der|den)\s+){{0,3}}[\wà-ÿ'’-]*(?i:{_STREET_SUFFIX})"
    rf"|(?:{_CAP}\s+){{1,2}}{_STREET_WORD}"
    rf"|{_STREET_WORD}\s+(?:ter|ten|te|van|de)\s+{_CAP}"
    rf")|(?P<lone>{_CAP}))"  # a lone capitalised word: only after a cue that someone lives there
    rf"{_HOUSE_NUMBER}"
)
# Only when the capitalised word is introduced as where someone lives.
_LIVING_CUE = re.compile(
    r"\b(?:woon|woont|wonen|woonde|wonend|adres(?:\s+is)?|woonplaats|verhuisd\s+naar)"
    r"\s*:?\s*(?:(?:in|op|aan)(?:\s+de)?\s+)?$",
    re.I,
)
_POSTCODE_AFTER = re.compile(
    r"(?:\s*(?:bus|bte\.?|b\.)\s*\d{1,4}[a-zA-Z]?)?\s*[,-]?\s*(?:te\s+)?[1-9]\d{3}\s+[A-Za-z]"
)
ADDRESS_TAIL = re.compile(
    r"(?:\s*(?:bus|bte\.?|b\.)\s*\d{1,4}[a-zA-Z]?)?"
    r"(?:\s*[,-]?\s*(?:te\s+)?\d{4}(?:\s+[A-Za-zÀ-ÿ][\wà-ÿ'’-]*(?:\s+[A-Z][\wà-ÿ'’-]*)?)"
    r"|\s+te\s+[A-Z][\wà-ÿ'’-]*)?",
)
_TITLE = (
    r"(?:mevrouw|mevr\.?|mw\.?|meneer|mijnheer|mnr\.?|dhr\.?|de heer|mr\.?|mme\.?|madame|"
    r"juffrouw|juf|meester|dokter|dr\.?|nonkel|tante|meter|peter|pater|zuster|broeder)"
)
_PARTICLE = (
    r"(?i:van\s+der|van\s+den|van\s+de|van\s+het|van\s+t|van|vande|vanden|vander|de|den|der|"
    r"d'|d’|du|le|la|ver|ten|ter|el|al|ben|ait|abou|bou|op\s+de|in\s+t|in\s+'t)"
)
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?"
_NAME = (
    rf"(?:(?:{_PARTICLE}\s+)*{_NAME_WORD}|[A-Z]\.\s?(?:{_PARTICLE}\s+)*{_NAME_WORD})"
    rf"(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD}){{0,3}}"
)
TITLED_NAME = re.compile(rf"(?<!\w)(?P<title>(?i:{_TITLE})\s+)(?P<name>{_NAME})")
_NAME_CUE = (
    r"(?:mijn naam is|mijn naam:|ik heet|ik ben|naam:|naam deelnemer:|vraag het aan|vraag naar|"
    r"vraag aan|contactpersoon:?|contact:?|lesgever:?|lesgeefster:?|lesgever is|begeleider:?|"
    r"begeleiding door|georganiseerd door|organisator:?|vrijwilliger:?|buurvrouw|buurman|"
    r"kleinzoon|kleindochter|zoon|dochter|bedankt aan|dank aan|groetjes van|geholpen door|"
    r"bel naar|bellen naar|inschrijving via|inschrijving|liever met|van de lesgever|door)"
)
CUED_NAME = re.compile(
    rf"(?<!\w)(?P<cue>{_NAME_CUE}\s+)(?P<name>[^\s,.;:!?()]+(?:\s+[^\s,.;:!?()]+){{0,3}})", re.I
)


# --- check digits ---------------------------------------------------------------------------


def national_number_valid(digits: str) -> bool:
    """Whether 11 digits are a valid Belgian national register number (check = 97 − mod 97).

    Births from 2000 compute the check over the 9 digits prefixed by a 2 (2·10⁹ + first 9).
    """
    if len(digits) != 11 or not digits.isdigit():
        return False
    first9, check = int(digits[:9]), int(digits[9:])
    return check in (97 - first9 % 97, 97 - (2_000_000_000 + first9) % 97)


def iban_valid(iban: str) -> bool:
    """Whether an IBAN (any spacing or case) passes the ISO 13616 mod-97 check."""
    compact = re.sub(r"[\s-]", "", iban).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", compact):
        return False
    if compact.startswith("BE") and len(compact) != 16:
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


# --- name words (deduce's word lists: name_model) -------------------------------------------


@cache
def _municipalities() -> frozenset[str]:
    """Belgian municipalities and well-known deelgemeenten (lower case), from the reference."""
    from inclusie_analysis.clean.geo import load_reference

    ref = load_reference()
    names = (*ref.municipalities["name_nl"], *ref.municipalities["name_fr"], *ref.localities)
    return frozenset(name.lower() for name in names if isinstance(name, str) and name)


_NOT_NAMES = frozenset(
    """
    ik jij je u hij zij ze we wij het de een die dat dit deze mijn zijn haar hun ons onze
    en of maar want om te tot met voor van naar op in aan bij uit over door na niet geen
    ook nog al wel heel zeer super graag altijd soms niet meer minder veel weinig
    lesgever lesgeefster vrijwilliger begeleider buddy organisator onthaal balie bib ocmw
    digipunt gemeente stad sessie les zaal lokaal dienst jeugddienst buurthuis vzw mail
    blij tevreden klaar moe ziek oud jong thuis hier daar beginner beginners 60 70 80
    vlaanderen wallonië brussel belgië europa
    """.split()  # noqa: SIM905
)  # the regions: "formulieren van Vlaanderen" lost its subject (3,448 coded answers: 5 of 31)


def _is_name_word(word: str) -> bool:
    """A word that is a first name or surname in deduce's lists and not a common word."""
    low = word.lower().strip("'’")
    if low in _NOT_NAMES or len(low) < 2:
        return False
    if low in word_list("whitelist/lst_common_word") or low in word_list("whitelist/lst_stop_word"):
        return word[:1].isupper() and low in word_list("names/lst_surname")
    return low in word_list("names/lst_first_name") or low in word_list("names/lst_surname")


def _plain_first_name(word: str) -> bool:
    return (
        word in word_list("names/lst_first_name")
        and word not in word_list("whitelist/lst_common_word")
        and word not in word_list("whitelist/lst_stop_word")
        and word not in _NOT_NAMES
    )


def _plain_surname(word: str) -> bool:
    return (
        (word in word_list("names/lst_surname") or word in word_list("names/lst_interfix_surname"))
        and word not in word_list("whitelist/lst_common_word")
        and word not in word_list("whitelist/lst_stop_word")
        and word not in _NOT_NAMES
    )


def _deduce_spans(text: str) -> list[tuple[int, int, str]]:
    doc = deduce_model().deidentify(text)
    spans = []
    for ann in doc.annotations:
        if ann.tag.startswith("locatie"):
            spans.append((ann.start_char, ann.end_char, "address"))
        elif "persoon" in ann.tag or "naam" in ann.tag or ann.tag.startswith("patient"):
            span = _trim_person(text, ann.start_char, ann.end_char)
            if span:
                spans.append((*span, "name"))
    return spans


_LEADING_TITLE = re.compile(rf"^{_TITLE}\s+", re.I)


_LANGUAGES = frozenset(
    """frans engels nederlands duits spaans italiaans arabisch turks pools russisch
    roemeens portugees chinees oekraiens""".split()  # noqa: SIM905
)
# Words before a capitalised name that make it the name of a place or organisation.
_VENUE = re.compile(
    r"\b(?:zaal|school|centrum|dienstencentrum|cultuurcentrum|cc|wzc|café|cafe|restaurant|"
    r"buurthuis|bib|bibliotheek|campus|vzw|project|straat|in|uit|te|naar|richting)"
    r"(?:\s+(?:de|het|'t|den|der))?\s*$",
    re.I,
)


# Organisations and services whose names contain first names or surnames (kept as subject).
ORGANISATIONS = re.compile(
    r"\b(?:(?:het\s+)?Rode\s+Kruis|De\s+Lijn|Card\s*Stop|Bank\s+van\s+de\s+Post|De\s+Post|"
    r"Kind\s+en\s+Gezin|Test[\s-]?Aankoop|Kom\s+op\s+tegen\s+Kanker|Gezinsbond|Vief|OKRA|"
    r"S-Plus|Femma|Davidsfonds|Willemsfonds|Mediawijs|Welzijnsschakels|Samenlevingsopbouw|"
    r"BNP\s+Paribas\s+Fortis|Belfius|Argenta|Crelan|Beobank|Partena|Helan|Securex|"
    r"Christelijke\s+Mutualiteit|Socialistische\s+Mutualiteit|Liberale\s+Mutualiteit|"
    r"Vlaamse\s+Overheid|Digitaal\s+Vlaanderen|Mijn\s+Burgerprofiel|Kris\s+Kras|De\s+Panne|"
    r"Koning\s+Boudewijnstichting)\b",
    re.I,
)


def _trim_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A deduce person annotation without titles and role words around it; None when it is
    a place ("in Brugge", "het OCMW van Aalst"), a language or part of a compound ("Tax-on-web").
    """
    while True:
        chunk = text[start:end]
        m = _LEADING_TITLE.match(chunk) or re.match(r"^[^\s]+\s+", chunk)
        if m and (
            _LEADING_TITLE.match(chunk) or m.group(0).strip().lower().strip(".:,") in _NOT_NAMES
        ):
            start += m.end()
            continue
        break
    chunk = text[start:end]
    words = [w for w in re.split(r"\s+", chunk) if w]
    if not words:
        return None
    if any(m.start() <= start and end <= m.end() for m in ORGANISATIONS.finditer(text)):
        return None  # het Rode Kruis, Bank van de Post
    core = [w for w in words if not re.fullmatch(_PARTICLE, w)]
    if not core or not any(w[:1].isupper() for w in words):
        return None
    if (end < len(text) and text[end] == "-" and text[end + 1 : end + 2].isalpha()) or (
        start > 1 and text[start - 1] == "-" and text[start - 2].isalpha()
    ):
        return None  # part of a compound word: Tax-on-web, Kapelle-op-den-Bos
    joined = " ".join(core).lower()
    if joined in _municipalities():
        return None  # "in Brugge", "het OCMW van Aalst", "de bib van Leuven"
    if all(w.lower() in _LANGUAGES for w in core):
        return None
    if len(core) == 1 and core[0].lower() in _NOT_NAMES:
        return None
    if len(core) == 1 and _VENUE.search(text[:start]):
        return None  # zaal De Linde, buurthuis De Kring
    return start, end


# --- spans ----------------------------------------------------------------------------------


def _pattern_spans(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []

    def add(start: int, end: int, kind: str) -> None:
        if not any(s < end and start < e for s, e, _ in spans):
            spans.append((start, end, kind))

    for m in URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?)]}'\"":
            end -= 1
        add(m.start(), end, "url")
    for pattern in (PLAIN_EMAIL, EMAIL):
        for m in pattern.finditer(text):
            add(m.start(), m.end(), "email")
    for m in IBAN_BE.finditer(text):
        # a BE account whose check fails is still someone's (mistyped) number
        add(m.start(), m.end(), "iban" if iban_valid(m.group(0)) else "number")
    for m in IBAN_OTHER.finditer(text):
        if iban_valid(m.group(0)):
            add(m.start(), m.end(), "iban")
    for m in NATIONAL_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if national_number_valid(digits):
            add(m.start(), m.end(), "national_number")
        elif re.fullmatch(r"\d\d\.\d\d\.\d\d[-.]\d{3}\.\d\d", m.group(0)):
            # the register layout itself: a typo in the check digits is still a person's
            add(m.start(), m.end(), "national_number")
        else:
            add(m.start(), m.end(), "number")
    for m in PLATE.finditer(text):
        add(m.start(), m.end(), "plate")
    for m in PHONE.finditer(text):
        national = m.group(0).replace("+32", "0").replace("0032", "0")
        if 9 <= sum(c.isdigit() for c in national) <= 11:
            add(m.start(), m.end(), "phone")
    for m in HANDLE.finditer(text):
        add(m.start(), m.end(), "name")
    return spans


def _address_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for m in STREET.finditer(text):
        if (
            m.group("lone")
            and not _LIVING_CUE.search(text[: m.start()])
            and not _POSTCODE_AFTER.match(text, m.end())
        ):
            continue  # "Meir 50" only where someone lives, or followed by a postcode
        start = m.start()
        # the optional leading words may be lower-case particles ("de Veldstraat"): drop them
        lead = re.match(r"(?:(?:de|van|ter|ten|der|den)\s+)+", m.group(0))
        if lead:
            start += lead.end()
        spans.append((start, m.end(), "address"))
    return spans


def _extend_address(text: str, end: int) -> int:
    tail = ADDRESS_TAIL.match(text, end)
    if tail and tail.end() > end:
        # a municipality after the postcode only if it is one word (or a known name)
        return tail.end()
    return end


def _name_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for m in TITLED_NAME.finditer(text):
        spans.append((m.start("name"), m.end("name"), "name"))
    for m in CUED_NAME.finditer(text):
        words = list(re.finditer(r"[^\s,.;:!?()]+", m.group("name")))
        taken = []
        for w in words:
            word = w.group(0)
            if re.fullmatch(_PARTICLE, word, re.I) and taken:
                taken.append(w)
                continue
            if re.fullmatch(_PARTICLE, word, re.I) and word[0].isupper():
                taken.append(w)
                continue
            if _is_name_word(word) or (
                word[:1].isupper() and word.lower() not in _NOT_NAMES and len(taken) > 0
            ):
                taken.append(w)
            else:
                break
        while taken and re.fullmatch(_PARTICLE, taken[-1].group(0), re.I):
            taken.pop()
        if taken:
            base = m.start("name")
            spans.append((base + taken[0].start(), base + taken[-1].end(), "name"))
    # lower-case "first name + surname" pairs from deduce's lists ("mieke wouters")
    pair = re.compile(
        r"([a-zà-ÿ]{2,})\s+((?:(?:van|de|den|der|vande|vanden|vander)\s+)*[a-zà-ÿ'’]{3,})(?![\w@])"
    )
    for w in re.finditer(r"(?<![\w@.])[a-zà-ÿ]{2,}", text):
        m = pair.match(text, w.start())
        if not m:
            continue
        first, last = m.group(1), m.group(2).split()[-1]
        if _plain_first_name(first) and _plain_surname(last):
            spans.append((m.start(), m.end(), "name"))
    return spans


def find_spans(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) spans of personal data in `text`, in order."""
    spans = _pattern_spans(text)

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e, _ in spans)

    found = []
    if re.search(r"[A-Za-zÀ-ÿ]{2}", text):
        # deduce finds names by capitals (lower-case names are the pair rule's): skip it when
        # there are none
        people = _deduce_spans(text) if any(c.isupper() for c in text) else []
        found = _address_spans(text) + people + _name_spans(text)
    # addresses first (a street named after a person is an address), then names
    found.sort(key=lambda s: (s[2] != "address", s[0], -(s[1] - s[0])))
    for start, end, kind in found:
        if kind == "address":
            end = _extend_address(text, end)
        if kind == "name":
            start, end = _cut_name(text, start, end, spans)
            if start >= end:
                continue
        if free(start, end):
            spans.append((start, end, kind))
        elif kind == "name":
            # a longer name overlapping a shorter one: widen the existing name span
            for i, (s, e, k) in enumerate(spans):
                if k == "name" and s < end and start < e:
                    spans[i] = (min(s, start), max(e, end), "name")
    spans = _merge(sorted(spans))
    return spans


def _cut_name(
    text: str, start: int, end: int, spans: list[tuple[int, int, str]]
) -> tuple[int, int]:
    """A name span cut short where another kind (an address, an e-mail) or an organisation
    begins."""
    for s, _e, k in spans:
        if k != "name" and start < s < end:
            end = s
    for m in ORGANISATIONS.finditer(text, start, end):
        if start < m.start() < end:
            end = m.start()
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and (
        re.fullmatch(_PARTICLE, words[-1].group(0))
        or words[-1].group(0).lower() in ("op", "in", "aan", "bij", "te", "uit")
    ):
        words.pop()
    return (start, start + words[-1].end()) if words else (start, start)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if merged and merged[-1][2] == kind and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), kind)
        elif merged and start < merged[-1][1]:
            continue
        else:
            merged.append((start, end, kind))
    return merged


def deidentify(text: str) -> tuple[str, list[str]]:
    """`text` with personal data replaced by labels, and the kinds replaced (in order)."""
    if not isinstance(text, str) or not text.strip():
        return text, []
    spans = find_spans(text)
    out, last, kinds = [], 0, []
    for start, end, kind in spans:
        out.append(text[last:start])
        out.append(LABELS[kind])
        last = end
        if kind not in kinds:
            kinds.append(kind)
    out.append(text[last:])
    return "".join(out), kinds


def deidentify_many(texts: Iterable[object]) -> list[tuple[object, list[str]]]:
    """De-identify many texts, each distinct text once (columns repeat answers a lot)."""
    done: dict[str, tuple[str, list[str]]] = {}
    results = []
    for text in texts:
        if not isinstance(text, str):
            results.append((text, []))
            continue
        if text not in done:
            done[text] = deidentify(text)
        results.append(done[text])
    return results
