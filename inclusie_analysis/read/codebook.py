"""Survey codebooks: which column of an export holds which variable, and what its codes mean.

One YAML per instrument and wave (`surveys/codebooks/leernoden-2025.yaml`). Variables that mean
the same across waves share a name, so waves line up. A codebook is checked completely when it
is loaded: a typo in it is an InputError naming the codebook, the variable and the key.

Here: the codebook model (variables, scales, the result of matching an export) and loading the
YAML. Checking its content is `codebook_checker.py`; matching it to an export's columns
(`check_wave`, `match_export`) is `codebook_columns.py`.
"""

from __future__ import annotations

import fnmatch
import re
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
        from inclusie_analysis.read.codebook_columns import find_column

        return find_column(self, variable, columns, questions)

    def match_columns(
        self, columns: Iterable, questions: Mapping | None = None, source: str | None = None
    ) -> ColumnMatch:
        """Match every variable to its column(s); see `ColumnMatch` and `codebook_columns`.

        Exact header/code matches go first, then option columns of check-all questions, then
        exact question texts, then headers that start with the question text. A column goes to
        one variable only; a text that fits two columns is an InputError naming both.
        `questions` (column → question text, from the reader) is searched like the headers.
        """
        from inclusie_analysis.read.codebook_columns import match_columns

        return match_columns(self, columns, questions, source)


# --- loading ---------------------------------------------------------------------------------


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
    from inclusie_analysis.read.codebook_checker import CodebookChecker

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
    return CodebookChecker(path).codebook(data)


def _variable_at(text: str, line: int) -> str:
    """ ", variabele 'x'" for the variable a line of the YAML text belongs to, if any."""
    for above in reversed(text.splitlines()[:line]):
        m = re.match(r"^\s*-\s*name:\s*['\"]?([^'\"#]+?)['\"]?\s*(#.*)?$", above)
        if m:
            return f", variabele '{m.group(1)}'"
        if re.match(r"^variables\s*:", above):
            break
    return ""


def load_codebooks(folder: Path | str) -> list[Codebook]:
    """All codebooks in a folder, sorted by instrument and wave."""
    books = [load_codebook(p) for p in sorted(Path(folder).glob("*.yaml"))]
    return sorted(books, key=lambda b: (b.instrument, b.wave))
