"""Matching a draft to last wave's codebook (`inclusie codebook draft --from`): each
proposal takes last wave's name when its question text, answers or options match well enough
(one to one, best first), rewordings are recorded in `changed:`, new items get a theme
proposed, and every match that is not exact is marked for a person to check.
"""

from __future__ import annotations

from inclusie_analysis.read.codebook import ANSWER_TYPES, Codebook, Variable
from inclusie_analysis.read.codebook_columns import (
    normalize_key,
    normalize_text,
    starts_with_phrase,
)
from inclusie_analysis.read.codebook_draft_propose import (
    METADATA_NAMES,
    Proposal,
    _is_code,
    core_text,
)
from inclusie_analysis.read.codebook_draft_scales import _fit_scale, _head

_GROUPS = {
    "metadata": "meta",
    "date": "meta",
    "pii_drop": "pii",
    "single_choice": "choice",
    "scale": "choice",
    "number": "choice",
    "check_all": "check",
    "free_text": "text",
    "municipality": "text",
}


def _match_previous(proposals: list[Proposal], prev: Codebook, threshold: float) -> list[str]:
    """Give each proposal last wave's name when it matches well enough (one to one, best
    first); returns last wave's variables that found no column."""
    scores = [[_score(p, v, prev, proposals) for v in prev.variables] for p in proposals]
    pairs = sorted(
        (
            (s, i, j)
            for i, row in enumerate(scores)
            for j, (s, _) in enumerate(row)
            if s >= threshold
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_p: set[int] = set()
    used_v: set[int] = set()
    for score, i, j in pairs:
        if i in used_p or j in used_v:
            continue
        used_p.add(i)
        used_v.add(j)
        _adopt(proposals[i], prev.variables[j], prev, score, scores[i][j][1])
    for i, p in enumerate(proposals):
        if i in used_p or p.type not in ANSWER_TYPES:
            continue
        p.changed = {"kind": "new"}
        best = max(range(len(prev.variables)), key=lambda j: scores[i][j][0], default=None)
        if best is not None and scores[i][best][0] > 0:
            v = prev.variables[best]
            free = best not in used_v and scores[i][best][0] >= 50
            hint = " (gesplitst of hernoemd?)" if free else ""
            p.notes["changed"] = (
                f"CONTROLEER: niet gevonden in {prev.wave}; dichtstbij {v.name} "
                f"(score {scores[i][best][0]:.0f}){hint}"
            )
        else:
            p.notes["changed"] = f"CONTROLEER: niet gevonden in {prev.wave}"
    return [v.name for j, v in enumerate(prev.variables) if j not in used_v]


def _previous_texts(v: Variable) -> list[str]:
    texts = [v.find.get("text")]
    header = v.find.get("header")
    if header and not _is_code(header):
        texts.append(header)
    return [t for t in texts if t]


def _score(p: Proposal, v: Variable, prev: Codebook, proposals: list[Proposal]) -> tuple:
    """(score 0-100, why) for proposal `p` being last wave's variable `v`."""

    if _GROUPS.get(p.type, p.type) != _GROUPS.get(v.type, v.type):
        return 0.0, ""
    mine = {normalize_key(x) for x in p.find.values()}
    theirs = {normalize_key(x) for x in v.find.values()}
    if mine & theirs:
        return 100.0, "zelfde kolom"
    standard = {METADATA_NAMES.get(x) for x in mine} - {None}
    if standard & ({METADATA_NAMES.get(x) for x in theirs} | {v.name}):
        return 100.0, "zelfde metadata"
    score = 0.0
    if p.text:
        texts = [(t, False) for t in _previous_texts(v)]  # question wording
        if v.label:  # a short description of the question: its words, not its length
            texts.append((v.label, True))
        score = max((_text_score(p.text, t, words) for t, words in texts), default=0.0)
    why = "tekst"
    share = _value_share(p, v, prev)
    if share is not None and share < 0.5:
        score *= 0.5  # the answers are on another scale or list: another question
    elif share is not None and share >= 0.6 and v.type == "single_choice":
        score, why = max(score, (score + 100 * share) / 2), "tekst en antwoorden"
    elif share is not None and share >= 0.6 and v.type == "check_all":
        score, why = max(score, 90 * share), "opties"
    if p.type == "municipality" and v.type == "municipality" and _only(proposals, prev):
        score, why = max(score, 90.0), "enige gemeentevraag"
    return score, why


def _text_score(mine: str, theirs: str, words: bool = False) -> float:
    """Similarity (0-100) of two question texts without platform decorations. Word sets
    (token_set_ratio) for a label (`words`) or texts of comparable length; otherwise the
    whole texts (token_sort_ratio), so "time" is not "Start time" just because its one word
    is in it."""
    from rapidfuzz import fuzz, utils

    a, b = core_text(mine), core_text(theirs)
    short, long = sorted((len(a.split()), len(b.split())))
    comparable = words or short > long / 2 or _found_by(a, b) or _found_by(b, a)
    scorer = fuzz.token_set_ratio if comparable else fuzz.token_sort_ratio
    return scorer(a, b, processor=utils.default_process)


def _found_by(text: str, find: str) -> bool:
    """Whether a codebook's `find: text:` finds this question (it matches a prefix)."""
    return starts_with_phrase(normalize_text(core_text(text)), normalize_text(core_text(find)))


def _same_question(text: str, v: Variable) -> bool:
    """The same wording as last wave's `v` (its find text or its label, without platform
    decorations). Bookkeeping and personal-data columns are never compared across waves, so
    for them being found by last wave's find text (a prefix such as "Uw e-mailadres") is
    enough."""
    mine = normalize_text(core_text(text))
    find, label = v.find.get("text"), v.label
    if any(mine == normalize_text(core_text(t)) for t in (find, label) if t):
        return True
    return v.type not in ANSWER_TYPES and bool(find) and _found_by(text, find)


def _only(proposals: list[Proposal], prev: Codebook) -> bool:
    mine = sum(p.type == "municipality" for p in proposals)
    return mine == 1 and sum(v.type == "municipality" for v in prev.variables) == 1


def _value_share(p: Proposal, v: Variable, prev: Codebook) -> float | None:
    """Share of this export's answers (or options) that last wave's `v` also had."""
    if p.type == "check_all" and p.options and v.options:
        # Overlap both ways: most of last wave's options still there, or most new ones old.
        pairs = [(o, mine) for o in v.options for mine in p.options if _same_option(o, mine)]
        return max(
            len({id(mine) for _, mine in pairs}) / len(p.options),
            len({o.value for o, _ in pairs}) / len(v.options),
        )
    if not p.values or p.type not in ("scale", "single_choice"):
        return None
    vocabulary: set[str] = set()
    if v.type == "scale" and v.scale:
        s = prev.scale(v.scale)
        vocabulary = {*s.levels, *s.missing, *s.codes}
    elif v.type == "single_choice":
        vocabulary = {*v.labels, *v.labels.values()}
    if not vocabulary:
        return None
    known = {normalize_text(x) for x in vocabulary}
    return sum(normalize_text(x) in known or _head(x) in known for x in p.values) / len(p.values)


def _adopt(p: Proposal, v: Variable, prev: Codebook, score: float, why: str) -> None:
    p.name, p.previous, p.score = v.name, v.name, score
    p.notes["name"] = f"{prev.wave}: {v.name}, score {score:.0f} ({why})"
    if v.type == "municipality" and p.type == "free_text":
        p.type = "municipality"
    if p.type not in ANSWER_TYPES:
        return
    if v.type == "scale" and v.scale and p.type in ("scale", "single_choice"):
        fit = _fit_scale(p.values, {v.scale: prev.scale(v.scale)}, with_codes=True)
        if fit is not None and fit.name == v.scale:
            p.type, p.scale, p.labels = "scale", fit, {}
    p.theme, p.asked_of = v.theme, v.asked_of
    p.guessed = p.type != v.type
    if p.label is None:
        p.label = v.label
    old = v.find.get("text") or v.label
    same = bool(p.text and old) and _same_question(p.text, v)
    if p.text and old and not same:
        if v.find.get("text") or len(old.split()) >= 5:
            p.changed = {"kind": "reworded", "previous": core_text(old)}
            p.notes["changed"] = (
                f"CONTROLEER: andere tekst dan in {prev.wave}. Toen: {core_text(old)!r}. "
                f"Nu: {core_text(p.text)!r}. Zelfde vraag? Laat 'reworded' staan (en zet "
                "comparable: true als de cijfers vergelijkbaar blijven); anders is het een "
                "nieuwe vraag: zet kind: new en kies een nieuwe naam."
            )
        else:
            p.notes["label"] = f"label in {prev.wave}: {old}"
    exact = same or why in ("zelfde kolom", "zelfde metadata")
    if not exact and "changed" not in p.notes:
        p.notes["name"] += f" CONTROLEER: gekoppeld op {why}, niet op dezelfde tekst"
    if p.type == "single_choice" and v.type == "single_choice":
        _adopt_labels(p, v)
    if p.type == "check_all" and v.type == "check_all":
        _adopt_options(p, v)


def _same(a: str, b: str) -> bool:
    from rapidfuzz import fuzz, utils

    if normalize_text(a) == normalize_text(b):
        return True
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) >= 90 and (
        fuzz.ratio(a, b, processor=utils.default_process) >= 85
    )


def _adopt_labels(p: Proposal, v: Variable) -> None:
    for raw in list(p.labels):
        if raw in v.labels:
            p.labels[raw] = v.labels[raw]
            continue
        match = next((lab for lab in v.labels.values() if _same(raw, lab)), None)
        if match is not None:
            p.labels[raw] = match


def _same_option(old, mine: dict) -> bool:
    return normalize_key(old.code) == normalize_key(mine["code"]) or _same(old.label, mine["label"])


def _adopt_options(p: Proposal, v: Variable) -> None:
    order = {o.value: n for n, o in enumerate(v.options)}
    for option in p.options:
        old = next((o for o in v.options if _same_option(o, option)), None)
        if old is not None:
            option["value"] = old.value
            if option["label"] == option["code"] and p.separator is None:
                option["label"] = old.label
    # Last wave's order first, new options after them (in the order of the export).
    p.options.sort(key=lambda o: order.get(o["value"], len(order)))
    if all(o["label"] != o["code"] for o in p.options):
        p.notes.pop("options", None)


def _propose_themes(proposals: list[Proposal], prev: Codebook, themes) -> None:
    """A theme for each new item on a scale whose items had themes last wave."""
    from inclusie_analysis.read.themes import suggest_theme

    themed = {v.scale for v in prev.variables if v.theme and v.scale}
    new = [p for p in proposals if p.changed and p.changed.get("kind") == "new"]
    new = [p for p in new if p.scale is not None and p.scale.name in themed]
    if not new:
        return
    for p in new:
        best = suggest_theme(p.text or "", themes)
        if best:
            p.theme = best[0][0]
            others = ", ".join(t for t, _ in best[1:3])
            p.notes["theme"] = "CONTROLEER: voorgesteld uit de trefwoorden" + (
                f" (ook mogelijk: {others})" if others else ""
            )
        else:
            p.notes["theme"] = "CONTROLEER: geen thema gevonden; kies er een uit het themabestand"
