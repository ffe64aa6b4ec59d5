"""Matching a codebook to an export: which column each variable finds, and whether the file
belongs to the codebook's wave at all.

Headers and question texts are compared tolerantly (case, spaces, NBSP, HTML entities, end
punctuation) and in a fixed order of steps (the "other" column, exact header or code, option
columns of check-all questions, exact question text, question text as a prefix), so each column
goes to one variable only. `Codebook.match_columns` and `Codebook.find_column` call the
functions here; `check_wave` and `match_export` are what the cleaning steps use.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.codebook import (
    Codebook,
    ColumnMatch,
    MatchedColumn,
    MissingColumn,
    Option,
    Variable,
)

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_TAG = re.compile(r"<[^>]+>")
_TRAILING = " ?!.:;,*\u2026"


def normalize_key(value: object) -> str:
    """A header as compared for codes and exact headers: case, spaces, NBSP and entities."""
    text = unicodedata.normalize("NFKC", html.unescape(str(value))).translate(_QUOTES)
    return " ".join(text.casefold().split())


def normalize_text(value: object) -> str:
    """A question text as compared: `normalize_key` without HTML tags and end punctuation."""
    text = normalize_key(_TAG.sub(" ", html.unescape(str(value))))
    return text.rstrip(_TRAILING).strip()


def starts_with_phrase(text: str, prefix: str) -> bool:
    """`text` starts with `prefix` and the prefix ends at a word boundary."""
    if not prefix or not text.startswith(prefix):
        return False
    return len(text) == len(prefix) or not text[len(prefix)].isalnum()


def find_column(
    codebook: Codebook, variable: Variable, columns: list, questions: Mapping | None = None
) -> object | None:
    """The export column holding `variable`: by header, question code or question text.

    For a check-all question with one column per option this is its first option column;
    `match_columns` gives them all.
    """
    index = _ColumnIndex(columns, questions)
    free = set(range(len(index.columns)))
    for step in _STEPS[1:]:  # not the "other" column
        hits = step(codebook, variable, index, free, None)
        if hits:
            return hits[0].column
    return None


def match_columns(
    codebook: Codebook,
    columns: Iterable,
    questions: Mapping | None = None,
    source: str | None = None,
) -> ColumnMatch:
    """Match every variable to its column(s); see `ColumnMatch`.

    Exact header/code matches go first, then option columns of check-all questions, then
    exact question texts, then headers that start with the question text. A column goes to
    one variable only; a text that fits two columns is an InputError naming both.
    `questions` (column → question text, from the reader) is searched like the headers.
    """
    index = _ColumnIndex(list(columns), questions)
    claimed: dict[int, str] = {}
    found: dict[str, list[MatchedColumn]] = {v.name: [] for v in codebook.variables}
    for step in _STEPS:
        free = set(range(len(index.columns))) - set(claimed)
        taken: dict[int, str] = {}
        for variable in codebook.variables:
            if any(not h.other for h in found[variable.name]):
                continue
            for hit in step(codebook, variable, index, free, source):
                if hit.position in taken and taken[hit.position] != variable.name:
                    raise _claimed_twice(codebook, index, hit, taken, variable, source)
                taken[hit.position] = variable.name
                found[variable.name].append(hit)
        claimed.update(taken)
    return _summarise(codebook, index, claimed, found)


def _summarise(
    codebook: Codebook, index: _ColumnIndex, claimed: dict[int, str], found: dict[str, list]
) -> ColumnMatch:
    not_found = tuple(v.name for v in codebook.variables if not found[v.name])
    closest = {name: index.closest(_queries(codebook.variable(name))) for name in not_found}
    missing = tuple(
        MissingColumn(v.name, _wanted(v), closest[v.name])
        for v in codebook.variables
        if v.required and not found[v.name]
    )
    missing_options = {}
    for v in codebook.variables:
        if v.per_option_columns and found[v.name]:
            got = {h.option for h in found[v.name]}
            absent = tuple(o.value for o in v.options if o.value not in got)
            if absent:
                missing_options[v.name] = absent
    return ColumnMatch(
        codebook=codebook,
        found={k: tuple(sorted(v, key=lambda h: h.position)) for k, v in found.items()},
        unmatched=tuple(c for i, c in enumerate(index.columns) if i not in claimed),
        missing=missing,
        not_found=not_found,
        missing_options=missing_options,
        closest=closest,
    )


class _ColumnIndex:
    """The export's columns with their normalised forms (headers and question texts)."""

    def __init__(self, columns: list, questions: Mapping | None):
        self.columns = list(columns)
        questions = questions or {}
        self.keys = [normalize_key(c) for c in self.columns]
        self.texts = [normalize_text(c) for c in self.columns]
        self.questions = [
            normalize_text(questions[c]) if questions.get(c) else None for c in self.columns
        ]

    def by_key(self, value: str, free: set[int]) -> list[int]:
        exact = [i for i in sorted(free) if str(self.columns[i]).strip() == value.strip()]
        if exact:
            return exact
        key = normalize_key(value)
        return [i for i in sorted(free) if self.keys[i] == key]

    def by_text(self, value: str, free: set[int], prefix: bool) -> list[int]:
        text = normalize_text(value)
        if not text:
            return []

        def fits(candidate: str | None) -> bool:
            if candidate is None:
                return False
            return starts_with_phrase(candidate, text) if prefix else candidate == text

        return [i for i in sorted(free) if fits(self.texts[i]) or fits(self.questions[i])]

    def option_column(self, variable: Variable, option: Option, free: set[int]) -> list[int]:
        """Columns of one option: `<code>[<opt>]` (LimeSurvey), `<code>_<opt>` (Qualtrics),
        `<code>/<opt>` (KoboToolbox) or `<text> - <label>` (SurveyMonkey)."""
        hits = []
        if "code" in variable.find:
            code = variable.find["code"].strip()
            for name in (
                f"{code}[{option.code}]",
                f"{code}_{option.code}",
                f"{code}/{option.code}",
            ):
                hits += [i for i in self.by_key(name, free) if i not in hits]
        if "text" in variable.find and not hits:
            text = normalize_text(variable.find["text"])
            wanted = {normalize_text(option.label), normalize_text(option.code)}
            for i in sorted(free):
                for candidate in (self.texts[i], self.questions[i]):
                    if candidate and _option_rest(candidate, text) in wanted and i not in hits:
                        hits.append(i)
        return hits

    def closest(self, wanted: Iterable[str], limit: int = 3) -> tuple[str, ...]:
        """The headers nearest to any of `wanted` (codes, texts, the label), best first."""
        from rapidfuzz import fuzz, process

        choices = {i: self.questions[i] or self.texts[i] for i in range(len(self.columns))}
        scores: dict[int, float] = {}
        for query in {normalize_text(w) for w in wanted if w}:
            for _, score, i in process.extract(query, choices, scorer=fuzz.WRatio, limit=limit):
                scores[i] = max(score, scores.get(i, 0))
        best = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
        return tuple(str(self.columns[i]) for i in best)


def _option_rest(candidate: str, text: str) -> str | None:
    """What follows the question text in `<question> - <label>` or `<question> [<label>]`."""
    if not text or not candidate.startswith(text):
        return None
    rest = candidate[len(text) :].lstrip(" ?:.")
    if rest[:2] in ("- ", "\u2013 "):
        return normalize_text(rest[2:])
    if rest.startswith("[") and rest.endswith("]"):
        return normalize_text(rest[1:-1])
    return None


def _one(
    codebook: Codebook,
    variable: Variable,
    index: _ColumnIndex,
    hits: list[int],
    how: str,
    wanted: str,
    source: str | None,
) -> list[MatchedColumn]:
    if len(hits) > 1:
        names = " en ".join(repr(str(index.columns[i])) for i in hits[:3])
        raise InputError(
            f"codeboek {codebook.path}, variabele '{variable.name}', find.{how}: "
            f"{wanted!r} past op meer dan één kolom: {names}.",
            file=source or str(codebook.path),
            hint="Maak de tekst in het codeboek langer tot ze maar bij één kolom past, of geef "
            "find.header met de volledige kolomnaam.",
        )
    return [MatchedColumn(index.columns[i], i, how) for i in hits]


def _match_other(codebook, variable, index, free, source) -> list[MatchedColumn]:
    code = (variable.other or {}).get("code")
    if not code:
        return []
    hits = _one(codebook, variable, index, index.by_key(code, free), "other", code, source)
    return [MatchedColumn(h.column, h.position, "other", other=True) for h in hits]


def _match_exact(codebook, variable, index, free, source) -> list[MatchedColumn]:
    if variable.per_option_columns:
        return []
    for key in ("header", "code"):
        if key in variable.find:
            hits = index.by_key(variable.find[key], free)
            if hits:
                return _one(codebook, variable, index, hits, key, variable.find[key], source)
    return []


def _match_options(codebook, variable, index, free, source) -> list[MatchedColumn]:
    if not variable.per_option_columns:
        return []
    out = []
    for option in variable.options:
        hits = index.option_column(variable, option, free)
        for hit in _one(codebook, variable, index, hits, "code", option.code, source):
            out.append(MatchedColumn(hit.column, hit.position, "option", option=option.value))
    return out


def _text_step(prefix: bool):
    how = "prefix" if prefix else "text"

    def step(codebook, variable, index, free, source) -> list[MatchedColumn]:
        if variable.per_option_columns or "text" not in variable.find:
            return []
        hits = index.by_text(variable.find["text"], free, prefix)
        found = _one(codebook, variable, index, hits, "text", variable.find["text"], source)
        return [MatchedColumn(h.column, h.position, how) for h in found]

    return step


_STEPS = (_match_other, _match_exact, _match_options, _text_step(False), _text_step(True))


def _claimed_twice(codebook, index, hit, taken, variable, source) -> InputError:
    other = taken[hit.position]
    return InputError(
        f"codeboek {codebook.path}: de variabelen '{other}' en '{variable.name}' wijzen naar "
        f"dezelfde kolom {str(index.columns[hit.position])!r}.",
        file=source or str(codebook.path),
        hint="Pas find: van een van beide aan zodat elke kolom bij één variabele hoort.",
    )


def _queries(variable: Variable) -> list[str]:
    return [*variable.find.values(), variable.label or ""]


def _wanted(variable: Variable) -> str:
    for key in ("header", "code", "text"):
        if key in variable.find:
            return variable.find[key]
    return variable.name


def check_wave(codebook: Codebook, raw, match: ColumnMatch | None = None) -> ColumnMatch:
    """Match `raw` (a RawExport) to `codebook`; an export of another wave is an InputError.

    Fewer than half of the codebook's answer variables finding a column means the file and
    the codebook do not belong together (typically last year's codebook on this year's file).
    """
    source = str(getattr(raw, "path", "") or "") or None
    if match is None:
        match = codebook.match_columns(
            list(raw.frame.columns), getattr(raw, "questions", None) or {}, source=source
        )
    answers = codebook.answer_variables
    lost = [v for v in answers if not match.found[v.name]]
    if answers and 2 * (len(answers) - len(lost)) < len(answers):
        examples = "; ".join(
            f"'{v.name}' zoekt {_wanted(v)!r}, dichtstbij: "
            + (", ".join(repr(c) for c in match.closest.get(v.name, ())[:3]) or "geen")
            for v in lost[:3]
        )
        raise InputError(
            f"dit bestand past niet bij codeboek {codebook.path} (golf {codebook.wave}): slechts "
            f"{len(answers) - len(lost)} van de {len(answers)} vragen vinden een kolom. "
            f"Bijvoorbeeld {examples}.",
            file=source,
            hint="Is dit een export van een andere golf of vragenlijst? Zet het in de map van "
            "de juiste golf, of maak een codeboek voor deze golf met 'inclusie codebook draft "
            f"<bestand> --from {codebook.path}'.",
        )
    return match


def match_export(codebook: Codebook, raw) -> ColumnMatch:
    """`check_wave`, then an InputError when a required variable found no column."""
    match = check_wave(codebook, raw)
    match.require(str(getattr(raw, "path", "") or "") or None)
    return match
