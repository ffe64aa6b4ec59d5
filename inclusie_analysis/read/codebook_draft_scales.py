"""Answer scales for `inclusie codebook draft`: which known scale (last wave's, or a usual
Dutch or English Likert scale) a column's answers fit, with their order low to high, the
answers that mean "no answer" and raw codes; otherwise the levels in natural order, marked for
a person to check. The scales are data (`KNOWN_SCALES`, `MISSING_LABELS`), not branches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from inclusie_analysis.read.codebook_columns import normalize_text

# Known answer scales, low to high; each level with the other spellings that mean it.
KNOWN_SCALES: dict[str, list[tuple[str, ...]]] = {
    "nood": [
        ("Geen nood",),
        ("Kleine nood", "Beperkte nood"),
        ("Matige nood",),
        ("Grote nood",),
        ("Zeer grote nood", "Heel grote nood"),
    ],
    "akkoord": [
        ("Helemaal niet akkoord", "Helemaal oneens"),
        ("Niet akkoord", "Oneens", "Eerder niet akkoord"),
        ("Neutraal", "Noch akkoord, noch niet akkoord", "Noch eens, noch oneens"),
        ("Akkoord", "Eens", "Eerder akkoord"),
        ("Helemaal akkoord", "Helemaal eens"),
    ],
    "agree": [
        ("Strongly disagree",),
        ("Disagree",),
        ("Neither agree nor disagree", "Neutral"),
        ("Agree",),
        ("Strongly agree",),
    ],
    "tevredenheid": [
        ("Zeer ontevreden", "Helemaal niet tevreden"),
        ("Ontevreden", "Niet tevreden"),
        ("Neutraal",),
        ("Tevreden",),
        ("Zeer tevreden", "Helemaal tevreden"),
    ],
    "satisfaction": [
        ("Very dissatisfied",),
        ("Dissatisfied",),
        ("Neutral", "Neither satisfied nor dissatisfied"),
        ("Satisfied",),
        ("Very satisfied",),
    ],
    "belang": [
        ("Helemaal niet belangrijk",),
        ("Niet belangrijk",),
        ("Neutraal",),
        ("Belangrijk",),
        ("Zeer belangrijk", "Heel belangrijk"),
    ],
    "importance": [
        ("Not at all important",),
        ("Slightly important",),
        ("Moderately important",),
        ("Very important",),
        ("Extremely important",),
    ],
    "frequentie": [("Nooit",), ("Zelden",), ("Soms",), ("Vaak",), ("Altijd",)],
    "frequency": [("Never",), ("Rarely",), ("Sometimes",), ("Often",), ("Always",)],
    "need": [
        ("No need",),
        ("Small need",),
        ("Moderate need",),
        ("High need",),
        ("Very high need",),
    ],
    "stoplicht": [("Rood",), ("Oranje",), ("Groen",)],
}
MISSING_LABELS = (
    "Weet niet",
    "Geen mening",
    "Niet van toepassing",
    "N.v.t.",
    "Geen antwoord",
    "Don't know",
    "Not applicable",
    "N/A",
    "No opinion",
    "Prefer not to say",
)


@dataclass
class ScaleDraft:
    name: str
    levels: list[str]
    missing: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)
    comment: str = ""


def _head(value: str) -> str:
    """'Rood (nog geen acties)' → 'rood': the label without an explanation in brackets."""
    return normalize_text(re.sub(r"\s*\([^()]*\)\s*$", "", value))


def _fit_scale(values: list[str], prev_scales: dict, with_codes: bool = False) -> ScaleDraft | None:
    """The known scale (last wave's first, then the usual Likert scales) all answers fit.

    Last wave's raw codes (A1, A2, ...) only count `with_codes`, for a column matched to a
    scale variable of last wave: such codes say nothing about an unknown column.
    """
    if not values:
        return None
    candidates = [
        (name, [(lvl,) for lvl in s.levels], list(s.missing), s.codes if with_codes else {})
        for name, s in prev_scales.items()
    ]
    candidates += [(name, levels, [], {}) for name, levels in KNOWN_SCALES.items()]
    best, best_hits = None, 1
    for name, levels, missing, codes in candidates:
        mapping = _map_values(values, levels, missing, codes)
        if mapping is None:
            continue
        hits = len({t for t in mapping.values() if t in {lvl[0] for lvl in levels}})
        if hits > best_hits:
            best_hits = hits
            seen_missing = [t for t in dict.fromkeys(mapping.values()) if t not in _firsts(levels)]
            best = ScaleDraft(
                name,
                _firsts(levels),
                list(dict.fromkeys(missing + seen_missing)),
                {raw: mapping[raw] for raw in sorted(mapping, key=_natural) if raw != mapping[raw]},
            )
    return best


def _firsts(levels: list[tuple[str, ...]]) -> list[str]:
    return [lvl[0] for lvl in levels]


def _map_values(values, levels, missing, codes) -> dict[str, str] | None:
    lookup: dict[str, str] = {}
    for label in MISSING_LABELS:
        lookup[normalize_text(label)] = label
    for label in missing:
        lookup[normalize_text(label)] = label
    for spellings in levels:
        for spelling in spellings:
            lookup[normalize_text(spelling)] = spellings[0]
    mapping = {}
    for value in values:
        if value in codes:
            mapping[value] = codes[value]
            continue
        target = lookup.get(normalize_text(value)) or lookup.get(_head(value))
        if target is None:
            return None
        mapping[value] = target
    return mapping


def _natural(value: str) -> tuple:
    """Sort key: numbers by value, then text with its digits as numbers (A2 before A10)."""
    if re.fullmatch(r"-?\d+([.,]\d+)?", value):
        return (0, float(value.replace(",", ".")), [])
    parts = re.split(r"(\d+)", value.casefold())
    return (1, 0.0, [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts])


def _unknown_scale(values: list[str], name: str, value_labels: dict | None = None) -> ScaleDraft:
    """Levels in natural order (numbers by value; SPSS codes with their value labels); a person
    must check the order."""
    value_labels = value_labels or {}
    ordered = sorted(values, key=_natural)
    levels = list(dict.fromkeys(value_labels.get(v, v) for v in ordered))
    return ScaleDraft(
        name,
        levels,
        codes={v: value_labels[v] for v in ordered if v in value_labels and value_labels[v] != v},
        comment="CONTROLEER: volgorde en labels onbekend (nu alfabetisch of op getal); zet de "
        "niveaus van laag naar hoog, 'weet niet' en dergelijke onder missing, en ruwe codes "
        "onder codes",
    )
