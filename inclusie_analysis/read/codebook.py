"""Survey codebooks: which column of an export holds which variable, and what its codes mean.

One YAML per instrument and wave (`surveys/codebooks/leernoden-2025.yaml`). Variables that mean
the same across waves share a name, so waves line up. A codebook is checked completely when it
is loaded: a typo in it is an InputError naming the codebook, the variable and the key.
"""

from __future__ import annotations

import difflib
import fnmatch
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from inclusie_analysis.errors import InputError

VARIABLE_TYPES = {
    "single_choice",
    "check_all",
    "scale",
    "number",
    "date",
    "free_text",
    "municipality",
    "pii_drop",
    "metadata",
}
# Types whose columns hold the respondents' answers (not bookkeeping or personal data).
ANSWER_TYPES = {"single_choice", "check_all", "scale", "number", "free_text", "municipality"}
FIND_KEYS = {"code", "header", "text"}
TOP_KEYS = {"instrument", "wave", "platform", "title", "files", "scales", "variables", "note"}
REQUIRED_TOP_KEYS = ("instrument", "wave", "platform", "variables")
VARIABLE_KEYS = {
    "name",
    "type",
    "find",
    "label",
    "labels",
    "scale",
    "theme",
    "options",
    "separator",
    "other",
    "changed",
    "asked_of",
    "identity",
    "required",
    "note",
}
SCALE_KEYS = {"levels", "missing", "codes", "label", "note"}
OPTION_KEYS = {"value", "label", "code"}
OTHER_KEYS = {"code", "in_list"}
CHANGE_KEYS = {"kind", "previous", "from", "comparable", "note"}
CHANGE_KINDS = {"reworded", "split", "new", "merged"}
PLATFORMS = {
    "limesurvey",
    "msforms",
    "googleforms",
    "qualtrics",
    "surveymonkey",
    "kobo",
    "spss",
    "plain",
}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Option:
    """One box of a check-all question: its value in the tidy data, label and export code."""

    value: str
    label: str
    code: str


@dataclass(frozen=True)
class Change:
    """How a variable differs from the previous wave (`changed:` in the codebook)."""

    kind: str
    previous: str | None = None
    from_: tuple[str, ...] = ()
    # a reworded item whose answers the user judges comparable with the previous wave's
    # (`comparable: true`): wave comparisons and theme trends keep it
    comparable: bool = False


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale: levels low to high, answers outside the order, raw codes."""

    name: str
    levels: tuple[str, ...]
    missing: tuple[str, ...] = ()
    codes: dict[str, str] = field(default_factory=dict)

    def label(self, raw: str) -> str:
        """The level (or missing label) a raw answer stands for; the answer itself otherwise."""
        return self.codes.get(raw, raw)


@dataclass(frozen=True)
class Variable:
    """One variable of an instrument and how to find its column."""

    name: str
    type: str
    find: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)
    scale: str | None = None
    theme: str | None = None
    spec: dict = field(default_factory=dict, compare=False)
    label: str | None = None
    options: tuple[Option, ...] = ()
    separator: str | None = None
    other: dict | None = None
    changed: Change | None = None
    asked_of: tuple[str, ...] = ()
    identity: bool = False
    required: bool = False
    note: str | None = None

    @property
    def per_option_columns(self) -> bool:
        """A check-all question exported as one column per option (no separator)."""
        return self.type == "check_all" and self.separator is None


@dataclass(frozen=True)
class MatchedColumn:
    """A column a variable found; for check-all questions, which option it holds."""

    column: object
    position: int
    how: str  # header, code, text, prefix, option or other
    option: str | None = None  # the option value, for one-column-per-option questions
    other: bool = False  # the free-text "other" column


@dataclass(frozen=True)
class MissingColumn:
    """A variable that found no column, what it looked for and the nearest headers."""

    variable: str
    wanted: str
    closest: tuple[str, ...]


@dataclass
class ColumnMatch:
    """Which export column each variable of a codebook found, and which columns nobody claimed.

    `found` has every variable (an empty tuple when it found nothing); `unmatched` are the
    columns no variable claimed, to be reported; `missing` are the required variables without
    a column; `missing_options` the check-all options whose own column is absent.
    """

    codebook: Codebook
    found: dict[str, tuple[MatchedColumn, ...]]
    unmatched: tuple[object, ...]
    missing: tuple[MissingColumn, ...]
    not_found: tuple[str, ...]
    missing_options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    closest: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def column(self, name: str) -> object | None:
        """The (first) column of a variable, or None."""
        hits = [m for m in self.found.get(name, ()) if not m.other]
        return hits[0].column if hits else None

    def columns(self, name: str) -> list[object]:
        return [m.column for m in self.found.get(name, ())]

    def option_columns(self, name: str) -> dict[str, object]:
        """Option value → column, for a check-all question with one column per option."""
        return {m.option: m.column for m in self.found.get(name, ()) if m.option is not None}

    def other_column(self, name: str) -> object | None:
        hits = [m.column for m in self.found.get(name, ()) if m.other]
        return hits[0] if hits else None

    def renames(self) -> dict[object, str]:
        """Column → variable name, for the variables held in exactly one column."""
        out = {}
        for name, hits in self.found.items():
            if len(hits) == 1 and hits[0].option is None and not hits[0].other:
                out[hits[0].column] = name
        return out

    def require(self, source: str | None = None) -> None:
        """Raise an InputError listing the required variables that found no column."""
        if not self.missing:
            return
        parts = [
            f"'{m.variable}' (zoekt {m.wanted!r}; dichtstbij: "
            + (", ".join(repr(c) for c in m.closest) or "geen")
            + ")"
            for m in self.missing
        ]
        raise InputError(
            f"verplichte vragen van codeboek {self.codebook.path} zonder kolom: "
            f"{'; '.join(parts)}.",
            file=source or str(self.codebook.path),
            hint="Controleer of de kolom hernoemd of verwijderd werd, en pas de export of "
            "find: in het codeboek aan.",
        )


@dataclass(frozen=True)
class Codebook:
    """A survey instrument of one wave."""

    path: Path
    instrument: str
    wave: int
    platform: str
    files: tuple[str, ...]
    variables: tuple[Variable, ...]
    scales: dict
    title: str | None = None

    def variable(self, name: str) -> Variable:
        for v in self.variables:
            if v.name == name:
                return v
        raise KeyError(name)

    def scale(self, name: str) -> Scale:
        spec = self.scales[name]
        return Scale(
            name, tuple(spec["levels"]), tuple(spec.get("missing", ())), dict(spec.get("codes", {}))
        )

    @property
    def answer_variables(self) -> tuple[Variable, ...]:
        return tuple(v for v in self.variables if v.type in ANSWER_TYPES)

    @property
    def identity(self) -> Variable | None:
        """The personal-data variable (the e-mail column) pseudonyms are derived from."""
        return next((v for v in self.variables if v.identity), None)

    def matches_file(self, path: Path) -> bool:
        """Whether an export file belongs to this codebook (by its `files` name patterns)."""
        return any(fnmatch.fnmatch(path.name.lower(), p.lower()) for p in self.files)

    def find_column(
        self, variable: Variable, columns: list, questions: Mapping | None = None
    ) -> object | None:
        """The export column holding `variable`: by header, question code or question text.

        For a check-all question with one column per option this is its first option column;
        `match_columns` gives them all.
        """
        index = _ColumnIndex(columns, questions)
        free = set(range(len(index.columns)))
        for step in _STEPS[1:]:  # not the "other" column
            hits = step(self, variable, index, free, None)
            if hits:
                return hits[0].column
        return None

    def match_columns(
        self, columns: Iterable, questions: Mapping | None = None, source: str | None = None
    ) -> ColumnMatch:
        """Match every variable to its column(s); see `ColumnMatch`.

        Exact header/code matches go first, then option columns of check-all questions, then
        exact question texts, then headers that start with the question text. A column goes to
        one variable only; a text that fits two columns is an InputError naming both.
        `questions` (column → question text, from the reader) is searched like the headers.
        """
        index = _ColumnIndex(list(columns), questions)
        claimed: dict[int, str] = {}
        found: dict[str, list[MatchedColumn]] = {v.name: [] for v in self.variables}
        for step in _STEPS:
            free = set(range(len(index.columns))) - set(claimed)
            taken: dict[int, str] = {}
            for variable in self.variables:
                if any(not h.other for h in found[variable.name]):
                    continue
                for hit in step(self, variable, index, free, source):
                    if hit.position in taken and taken[hit.position] != variable.name:
                        raise _claimed_twice(self, index, hit, taken, variable, source)
                    taken[hit.position] = variable.name
                    found[variable.name].append(hit)
            claimed.update(taken)
        return self._summarise(index, claimed, found)

    def _summarise(
        self, index: _ColumnIndex, claimed: dict[int, str], found: dict[str, list]
    ) -> ColumnMatch:
        not_found = tuple(v.name for v in self.variables if not found[v.name])
        closest = {name: index.closest(_queries(self.variable(name))) for name in not_found}
        missing = tuple(
            MissingColumn(v.name, _wanted(v), closest[v.name])
            for v in self.variables
            if v.required and not found[v.name]
        )
        missing_options = {}
        for v in self.variables:
            if v.per_option_columns and found[v.name]:
                got = {h.option for h in found[v.name]}
                absent = tuple(o.value for o in v.options if o.value not in got)
                if absent:
                    missing_options[v.name] = absent
        return ColumnMatch(
            codebook=self,
            found={k: tuple(sorted(v, key=lambda h: h.position)) for k, v in found.items()},
            unmatched=tuple(c for i, c in enumerate(index.columns) if i not in claimed),
            missing=missing,
            not_found=not_found,
            missing_options=missing_options,
            closest=closest,
        )


# --- matching columns ------------------------------------------------------------------------

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


# --- loading and checking --------------------------------------------------------------------


class _Map(dict):
    """A YAML mapping that remembers on which line of the file it starts."""

    line: int = 0


class _DuplicateKey(Exception):
    def __init__(self, key: object, line: int):
        super().__init__(key, line)
        self.key, self.line = key, line


class _Loader(yaml.SafeLoader):
    """Safe YAML with line numbers, an error for a key given twice, and only true/false as
    booleans (so an answer code `Yes` or `No` stays text)."""


def _construct_map(loader: _Loader, node: yaml.MappingNode):
    data = _Map()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "een sleutel moet een tekst zijn", key_node.start_mark
            ) from None
        if key in data:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        data[key] = loader.construct_object(value_node, deep=True)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_codebook(path: Path | str) -> Codebook:
    """Load and check one codebook; a mistake in it is a clear InputError naming the variable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"het codeboek kan niet gelezen worden: {exc}", file=str(path)) from None
    return parse_codebook(text, path)


def parse_codebook(text: str, path: Path | str = "<codeboek>") -> Codebook:
    """Check and build a codebook from its YAML text (`path` is named in error messages)."""
    path = Path(path)
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except _DuplicateKey as exc:
        raise InputError(
            f"regel {exc.line}{_variable_at(text, exc.line)}: de sleutel '{exc.key}' staat twee "
            "keer in dezelfde lijst.",
            file=str(path),
            hint="Verwijder of hernoem een van beide.",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            f"het codeboek is geen geldige YAML: {exc}",
            file=str(path),
            hint="Let op inspringing en zet teksten met ':' of '#' tussen aanhalingstekens.",
        ) from None
    return _Checker(path).codebook(data)


def _variable_at(text: str, line: int) -> str:
    """ ", variabele 'x'" for the variable a line of the YAML text belongs to, if any."""
    for above in reversed(text.splitlines()[:line]):
        m = re.match(r"^\s*-\s*name:\s*['\"]?([^'\"#]+?)['\"]?\s*(#.*)?$", above)
        if m:
            return f", variabele '{m.group(1)}'"
        if re.match(r"^variables\s*:", above):
            break
    return ""


def _suggest(word: object, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), sorted(allowed), n=1, cutoff=0.6)
    return f" (bedoelde u '{close[0]}'?)" if close else ""


class _Checker:
    """Checks a parsed codebook; every error names the file, the variable and the key."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, message: str, hint: str | None = None):
        raise InputError(message, file=str(self.path), hint=hint)

    def keys(self, mapping: Mapping, allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.fail(
                    f"{where}: onbekende sleutel '{key}'{_suggest(key, allowed)}.",
                    hint=f"Toegestaan: {', '.join(sorted(allowed))}.",
                )

    def text(self, value: object, where: str, key: str, *, empty: bool = False) -> str:
        if isinstance(value, bool) or value is None or isinstance(value, list | dict):
            self.fail(f"{where}, sleutel '{key}': verwacht een tekst, niet {value!r}.")
        text = str(value)
        if not empty and not text.strip():
            self.fail(f"{where}, sleutel '{key}': mag niet leeg zijn.")
        return text

    def codebook(self, data: object) -> Codebook:
        if not isinstance(data, dict):
            self.fail("het codeboek moet een lijst van sleutels zijn (instrument, wave, ...).")
        self.keys(data, TOP_KEYS, "codeboek")
        for key in REQUIRED_TOP_KEYS:
            if key not in data:
                self.fail(f"het codeboek mist de sleutel '{key}'.")
        instrument = self.text(data["instrument"], "codeboek", "instrument")
        wave = data["wave"]
        if isinstance(wave, bool) or not str(wave).strip().isdigit():
            self.fail(f"codeboek, sleutel 'wave': verwacht een jaartal, niet {wave!r}.")
        platform = self.text(data["platform"], "codeboek", "platform")
        if platform not in PLATFORMS:
            self.fail(
                f"codeboek, sleutel 'platform': onbekend platform {platform!r}"
                f"{_suggest(platform, PLATFORMS)}.",
                hint=f"Kies uit: {', '.join(sorted(PLATFORMS))}.",
            )
        files = data.get("files") or [f"*{instrument}*{wave}*"]
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list):
            self.fail("codeboek, sleutel 'files': verwacht een lijst van bestandspatronen.")
        scales = self.scales(data.get("scales") or {})
        variables = self.variables(data["variables"], scales)
        title = data.get("title")
        return Codebook(
            path=self.path,
            instrument=instrument,
            wave=int(wave),
            platform=platform,
            files=tuple(self.text(f, "codeboek", "files") for f in files),
            variables=variables,
            scales=scales,
            title=None if title is None else self.text(title, "codeboek", "title"),
        )

    def scales(self, scales: object) -> dict:
        if not isinstance(scales, dict):
            self.fail("codeboek, sleutel 'scales': verwacht een lijst van schalen met een naam.")
        out = {}
        for name, spec in scales.items():
            where = f"schaal '{name}'"
            if not isinstance(spec, dict):
                self.fail(f"{where}: verwacht de sleutels levels (en eventueel missing, codes).")
            self.keys(spec, SCALE_KEYS, where)
            levels = self.labels_list(spec.get("levels"), where, "levels", required=True)
            missing = self.labels_list(spec.get("missing") or [], where, "missing")
            if set(levels) & set(missing):
                both = ", ".join(sorted(set(levels) & set(missing)))
                self.fail(f"{where}: '{both}' staat zowel in levels als in missing.")
            codes = spec.get("codes") or {}
            if not isinstance(codes, dict):
                self.fail(f"{where}, sleutel 'codes': verwacht 'ruwe waarde: niveau'-paren.")
            known = levels + missing
            for raw, target in codes.items():
                target = self.text(target, where, "codes")
                if target not in known:
                    self.fail(
                        f"{where}, sleutel 'codes': {raw!r} verwijst naar {target!r}, dat geen "
                        f"niveau (levels) of ontbrekende waarde (missing) van de schaal is"
                        f"{_suggest(target, known)}.",
                        hint=f"Niveaus: {', '.join(known)}.",
                    )
            out[str(name)] = {
                "levels": levels,
                "missing": missing,
                "codes": {str(k): str(v) for k, v in codes.items()},
            }
        return out

    def labels_list(self, value: object, where: str, key: str, required: bool = False) -> list:
        if not isinstance(value, list) or (required and not value):
            order = " (van laag naar hoog)" if key == "levels" else ""
            self.fail(f"{where}, sleutel '{key}': verwacht een lijst van labels{order}.")
        labels = [self.text(v, where, key) for v in value]
        if len(set(labels)) != len(labels):
            self.fail(f"{where}, sleutel '{key}': een label staat er twee keer in.")
        return labels

    def variables(self, specs: object, scales: dict) -> tuple[Variable, ...]:
        if not isinstance(specs, list) or not specs:
            self.fail("codeboek, sleutel 'variables': verwacht een lijst van variabelen.")
        variables = [self.variable(i, spec, scales) for i, spec in enumerate(specs, start=1)]
        names = [v.name for v in variables]
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            self.fail(f"variabelen staan dubbel in het codeboek: {', '.join(dupes)}.")
        identities = [v.name for v in variables if v.identity]
        if len(identities) > 1:
            self.fail(
                f"variabelen {', '.join(identities)}, sleutel 'identity': maar één kolom kan de "
                "respondent identificeren."
            )
        for v in variables:
            if v.changed and v.name in v.changed.from_:
                self.fail(
                    f"variabele '{v.name}', sleutel 'changed.from': een variabele kan niet uit "
                    "zichzelf ontstaan."
                )
        return tuple(variables)

    def variable(self, i: int, spec: object, scales: dict) -> Variable:
        line = f", regel {spec.line}" if isinstance(spec, _Map) else ""
        if not isinstance(spec, dict):
            self.fail(f"variabele {i}{line}: verwacht sleutels (name, type, find, ...).")
        name = spec.get("name")
        where = f"variabele '{name}' (nr. {i}{line})" if name else f"variabele {i}{line}"
        self.keys(spec, VARIABLE_KEYS, where)
        for key in ("name", "type", "find"):
            if key not in spec:
                self.fail(f"{where}: de sleutel '{key}' ontbreekt.")
        name = self.text(name, where, "name")
        if not NAME.match(name):
            self.fail(
                f"{where}, sleutel 'name': {name!r} is geen geldige naam.",
                hint="Gebruik letters, cijfers en '_' (bv. need_outreach).",
            )
        kind = spec["type"]
        if kind not in VARIABLE_TYPES:
            self.fail(
                f"{where}, sleutel 'type': onbekend type {kind!r}{_suggest(kind, VARIABLE_TYPES)}.",
                hint=f"Kies uit: {', '.join(sorted(VARIABLE_TYPES))}.",
            )
        find = self.find(spec["find"], where)
        self.only_for(spec, where, kind)
        scale = self.scale_ref(spec, where, kind, scales)
        options, separator = self.options(spec, where, kind, find)
        return Variable(
            name=name,
            type=kind,
            find=find,
            labels=self.label_map(spec.get("labels"), where),
            scale=scale,
            theme=None if spec.get("theme") is None else self.text(spec["theme"], where, "theme"),
            spec=spec,
            label=None if spec.get("label") is None else self.text(spec["label"], where, "label"),
            options=options,
            separator=separator,
            other=self.other(spec.get("other"), where, kind, separator),
            changed=self.changed(spec.get("changed"), where),
            asked_of=self.asked_of(spec.get("asked_of"), where),
            identity=self.flag(spec, "identity", where),
            required=self.flag(spec, "required", where),
            note=None if spec.get("note") is None else self.text(spec["note"], where, "note"),
        )

    def find(self, find: object, where: str) -> dict[str, str]:
        if not isinstance(find, dict) or not find:
            self.fail(
                f"{where}, sleutel 'find': verwacht code, header en/of text.",
                hint="Bv. find: {code: Q1} of find: {text: 'Wat is uw functie?'}.",
            )
        self.keys(find, FIND_KEYS, f"{where}, find")
        return {k: self.text(v, where, f"find.{k}") for k, v in find.items()}

    def only_for(self, spec: Mapping, where: str, kind: str) -> None:
        rules = {
            "scale": {"scale"},
            "options": {"check_all"},
            "separator": {"check_all"},
            "other": {"check_all", "single_choice"},
            "labels": {"single_choice"},
        }
        for key, types in rules.items():
            if spec.get(key) is not None and kind not in types:
                self.fail(
                    f"{where}, sleutel '{key}': hoort niet bij type '{kind}' "
                    f"(alleen bij {', '.join(sorted(types))})."
                )
        if spec.get("identity") is True and kind != "pii_drop":
            self.fail(
                f"{where}, sleutel 'identity': alleen een variabele van type pii_drop (de kolom "
                "met het e-mailadres) kan de respondent identificeren."
            )

    def scale_ref(self, spec: Mapping, where: str, kind: str, scales: dict) -> str | None:
        if kind != "scale":
            return None
        if not spec.get("scale"):
            self.fail(
                f"{where}, sleutel 'scale': een variabele van type scale moet een schaal noemen.",
                hint=f"Schalen in dit codeboek: {', '.join(scales) or 'geen (voeg scales: toe)'}.",
            )
        name = self.text(spec["scale"], where, "scale")
        if name not in scales:
            self.fail(
                f"{where}, sleutel 'scale': schaal '{name}' is niet gedefinieerd"
                f"{_suggest(name, scales)}.",
                hint=f"Schalen in dit codeboek: {', '.join(scales) or 'geen'}.",
            )
        return name

    def options(
        self, spec: Mapping, where: str, kind: str, find: dict
    ) -> tuple[tuple[Option, ...], str | None]:
        if kind != "check_all":
            return (), None
        separator = spec.get("separator")
        if separator is not None:
            separator = self.text(separator, where, "separator", empty=True)
            if separator == "":
                self.fail(f"{where}, sleutel 'separator': mag niet leeg zijn.")
        elif not ({"code", "text"} & set(find)):
            self.fail(
                f"{where}, sleutel 'find': een check_all-vraag zonder 'separator' heeft een kolom "
                "per optie; geef find.code (bv. Q5 voor Q5[SQ001] of Q5_1) of find.text "
                "(voor '<vraag> - <optie>').",
            )
        raw = spec.get("options")
        if not isinstance(raw, list) or not raw:
            self.fail(f"{where}, sleutel 'options': een check_all-vraag heeft een lijst opties.")
        options = []
        for n, item in enumerate(raw, start=1):
            at = f"{where}, options nr. {n}"
            if not isinstance(item, dict):
                self.fail(f"{at}: verwacht value, label en code.")
            self.keys(item, OPTION_KEYS, at)
            for key in sorted(OPTION_KEYS):
                if key not in item:
                    self.fail(f"{at}: de sleutel '{key}' ontbreekt.")
            options.append(Option(*(self.text(item[k], at, k) for k in ("value", "label", "code"))))
        for attr in ("value", "code"):
            seen = [getattr(o, attr) for o in options]
            if len(set(seen)) != len(seen):
                dupes = sorted({s for s in seen if seen.count(s) > 1})
                self.fail(f"{where}, sleutel 'options': {attr} {', '.join(dupes)} staat dubbel.")
        return tuple(options), separator

    def label_map(self, labels: object, where: str) -> dict[str, str]:
        if labels is None:
            return {}
        if not isinstance(labels, dict):
            self.fail(f"{where}, sleutel 'labels': verwacht 'ruwe waarde: label'-paren.")
        return {str(k): self.text(v, where, "labels") for k, v in labels.items()}

    def other(self, other: object, where: str, kind: str, separator: str | None) -> dict | None:
        if other is None:
            return None
        if not isinstance(other, dict) or len(other) != 1:
            self.fail(f"{where}, sleutel 'other': verwacht {{code: <kolom>}} of {{in_list: true}}.")
        self.keys(other, OTHER_KEYS, f"{where}, other")
        if "in_list" in other:
            if other["in_list"] is not True:
                self.fail(f"{where}, sleutel 'other.in_list': verwacht true.")
            if kind == "check_all" and separator is None:
                self.fail(
                    f"{where}, sleutel 'other.in_list': een vraag met een kolom per optie heeft "
                    "geen lijst; geef other: {code: <kolom met de andere antwoorden>}."
                )
            return {"in_list": True}
        return {"code": self.text(other["code"], where, "other.code")}

    def changed(self, changed: object, where: str) -> Change | None:
        if changed is None:
            return None
        if not isinstance(changed, dict):
            self.fail(f"{where}, sleutel 'changed': verwacht kind (en previous of from).")
        self.keys(changed, CHANGE_KEYS, f"{where}, changed")
        kind = changed.get("kind")
        if kind not in CHANGE_KINDS:
            self.fail(
                f"{where}, sleutel 'changed.kind': onbekende soort {kind!r}"
                f"{_suggest(kind, CHANGE_KINDS)}.",
                hint=f"Kies uit: {', '.join(sorted(CHANGE_KINDS))}.",
            )
        previous = changed.get("previous")
        sources = changed.get("from")
        if kind == "reworded" and previous is None:
            self.fail(f"{where}, sleutel 'changed.previous': 'reworded' vraagt de vorige tekst.")
        if kind in ("split", "merged") and sources is None:
            self.fail(
                f"{where}, sleutel 'changed.from': '{kind}' vraagt de naam van de vorige "
                "variabele(n)."
            )
        if kind == "new" and (previous is not None or sources is not None):
            self.fail(f"{where}, sleutel 'changed': een nieuwe vraag heeft geen previous of from.")
        names = sources if isinstance(sources, list) else ([] if sources is None else [sources])
        names = tuple(self.text(n, where, "changed.from") for n in names)
        for n in names:
            if not NAME.match(n):
                self.fail(f"{where}, sleutel 'changed.from': {n!r} is geen variabelenaam.")
        comparable = changed.get("comparable", False)
        if not isinstance(comparable, bool):
            self.fail(
                f"{where}, sleutel 'changed.comparable': verwacht true of false, niet "
                f"{comparable!r}."
            )
        if comparable and kind != "reworded":
            self.fail(
                f"{where}, sleutel 'changed.comparable': alleen een anders geformuleerde vraag "
                f"(kind: reworded) kan vergelijkbaar zijn, niet een vraag van soort '{kind}'.",
                hint="Haal 'comparable: true' weg: een nieuwe, gesplitste of samengevoegde vraag "
                "telt nooit mee in een vergelijking met de vorige bevraging.",
            )
        return Change(
            kind,
            None if previous is None else self.text(previous, where, "changed.previous"),
            names,
            comparable,
        )

    def asked_of(self, value: object, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        values = value if isinstance(value, list) else [value]
        return tuple(self.text(v, where, "asked_of") for v in values)

    def flag(self, spec: Mapping, key: str, where: str) -> bool:
        value = spec.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{where}, sleutel '{key}': verwacht true of false, niet {value!r}.")
        return value


def load_codebooks(folder: Path | str) -> list[Codebook]:
    """All codebooks in a folder, sorted by instrument and wave."""
    books = [load_codebook(p) for p in sorted(Path(folder).glob("*.yaml"))]
    return sorted(books, key=lambda b: (b.instrument, b.wave))
