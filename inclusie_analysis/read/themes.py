"""The theme taxonomy and the coding of Dutch open answers into themes.

A themes file holds every theme with a Dutch label, a description, where it comes from
(leernood, pijler, principe, opleidingsthema, doelgroep), the coding group it counts under,
and Dutch keywords. The bundled `reference/themes.yaml` is the default; a user's own file is
the setting `paths.themes`. Every function that needs the taxonomy takes `taxonomy` (a themes
file); without it, the configured one is used: `paths.themes` of the settings in use
($INCLUSIE_SETTINGS or the nearest inclusie.toml, as `load_settings()` finds them), else the
bundled file. The report runner exports its settings file to its kernels, so reports use the
same taxonomy as cleaning did.

Open answers are coded multi-label: words are lower-cased, accents dropped and stemmed with
the Dutch Snowball stemmer, so "digitale vaardigheden" and "vaardigheid" meet; an answer that
matches nothing is "overig".
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import yaml

from inclusie_analysis.errors import InputError

if TYPE_CHECKING:
    from inclusie_analysis.read.codebook import Codebook

THEMES_FILE = Path(__file__).resolve().parents[1] / "reference" / "themes.yaml"
OTHER = "overig"
NO_THEME = "zonder_thema"  # a need item whose codebook variable has no `theme:`
RESERVED = {OTHER: "Overig", NO_THEME: "Zonder thema"}
KINDS = {"leernood", "pijler", "principe", "opleidingsthema", "doelgroep"}
THEME_KEYS = {"label", "kinds", "description", "group", "keywords"}
THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
SETTING = "paths.themes"

Taxonomy = Path | str | None  # a themes file; None: the configured one


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str
    kinds: tuple[str, ...]
    group: str
    keywords: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Which file, and reading it


def themes_file(taxonomy: Taxonomy = None) -> Path:
    """The themes file in use: `taxonomy` when given, else `paths.themes` of the settings in
    use, else the bundled `reference/themes.yaml`."""
    if taxonomy is not None and str(taxonomy).strip():
        return Path(taxonomy)
    from inclusie_analysis.settings import find_settings_file

    found = find_settings_file()
    if found is None:
        return THEMES_FILE
    return _configured_themes(Path(found).resolve(), _stamp(Path(found)))


@functools.lru_cache(maxsize=8)
def _configured_themes(settings_file: Path, stamp: tuple | None) -> Path:
    from inclusie_analysis.settings import load_settings

    return load_settings(settings_file).themes or THEMES_FILE


def _stamp(path: Path) -> tuple | None:
    """What tells an edited file apart, so caches keyed by it never serve an old version."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def load_themes(path: Taxonomy = None) -> dict[str, Theme]:
    """All themes by id, from `path` or the configured themes file; a mistake in the file is
    an InputError naming the file, the theme and the key. Do not change the returned dict."""
    path = themes_file(path)
    return _read_themes(path.resolve(), _stamp(path))


@functools.lru_cache(maxsize=16)
def _read_themes(path: Path, stamp: tuple | None) -> dict[str, Theme]:
    hint = f"Vergelijk met het meegeleverde {THEMES_FILE.name} (instelling {SETTING})."
    if stamp is None:
        raise InputError(
            "het themabestand bestaat niet.",
            file=str(path),
            hint=f"Pas {SETTING} in inclusie.toml aan, of maak het leeg voor de meegeleverde "
            "thema's.",
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"het themabestand is geen geldige YAML: {exc}", file=str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("themes"), dict):
        raise InputError(
            "het themabestand heeft een lijst 'themes' nodig.", file=str(path), hint=hint
        )
    themes = {}
    for key, spec in data["themes"].items():
        themes[str(key)] = _theme(str(key), spec, path, hint)
    for theme in themes.values():
        if theme.group not in themes:
            raise InputError(
                f"thema '{theme.id}': groep '{theme.group}' bestaat niet.",
                file=str(path),
                hint="Een groep is zelf een thema in hetzelfde bestand.",
            )
    return themes


def _theme(key: str, spec: object, path: Path, hint: str) -> Theme:
    def bad(message: str) -> InputError:
        return InputError(f"thema '{key}': {message}", file=str(path), hint=hint)

    if not THEME_ID.match(key) or key in RESERVED:
        raise bad(
            "een id bestaat uit kleine letters, cijfers en _ (bv. 'digitale_kloof')"
            + (f"; '{key}' is voorbehouden." if key in RESERVED else ".")
        )
    if not isinstance(spec, dict):
        raise bad("verwacht de sleutels label, kinds, description, group en keywords.")
    unknown, kinds = set(spec) - THEME_KEYS, spec.get("kinds") or []
    if unknown:
        raise bad(f"onbekende sleutel(s) {', '.join(sorted(map(str, unknown)))}.")
    if not str(spec.get("label") or "").strip():
        raise bad("het label ontbreekt.")
    if not isinstance(kinds, list) or set(kinds) - KINDS:
        raise bad(f"kinds moet een lijst zijn uit {', '.join(sorted(KINDS))}.")
    keywords = spec.get("keywords") or []
    if not isinstance(keywords, list):
        raise bad("keywords moet een lijst zijn, bv. [ai, chatgpt].")
    return Theme(
        key, str(spec["label"]), str(spec.get("description") or ""), tuple(kinds),
        str(spec.get("group") or key), tuple(str(k) for k in keywords),
    )  # fmt: skip


def theme_label(theme_id: object, taxonomy: Taxonomy = None) -> str:
    """The Dutch label of a theme id ("Overig", "Zonder thema"; the id itself when unknown)."""
    theme = load_themes(taxonomy).get(theme_id)  # type: ignore[arg-type]
    if theme is not None:
        return theme.label
    return RESERVED.get(theme_id, str(theme_id))  # type: ignore[arg-type]


def groups(taxonomy: Taxonomy = None) -> list[str]:
    """The themes open answers are coded into (each theme's group)."""
    return sorted({t.group for t in load_themes(taxonomy).values()})


def group_of(taxonomy: Taxonomy = None) -> dict[str, str]:
    """Theme id → the group it counts under, for every theme of the taxonomy."""
    return {t.id: t.group for t in load_themes(taxonomy).values()}


def check_theme_ids(codebook: Codebook, taxonomy: Taxonomy = None) -> None:
    """Refuse a codebook whose `theme:` ids are not in the taxonomy (all of them at once),
    naming the closest known ids and what to do."""
    from rapidfuzz import process

    known = load_themes(taxonomy)
    wrong = [v for v in codebook.variables if v.theme is not None and v.theme not in known]
    if not wrong:
        return
    parts = []
    for variable in wrong:
        close = [c for c, _, _ in process.extract(variable.theme, list(known), limit=3)]
        parts.append(
            f"variabele '{variable.name}' heeft thema '{variable.theme}', dat niet in de "
            f"thema's staat (dichtstbij: {', '.join(close)})"
        )
    raise InputError(
        "; ".join(parts) + ".",
        file=str(codebook.path),
        hint=f"Voeg het thema toe aan {themes_file(taxonomy)} ({SETTING}) of kies een bestaand id.",
    )


# ---------------------------------------------------------------------------------------------
# Coding open answers


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text)


@functools.cache
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("dutch")


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def _stems(words: list[str]) -> list[str]:
    # word by word through a cache: open answers share most of their vocabulary
    return [_stem(word) for word in words]


def _phrases(theme: Theme) -> list[tuple[tuple[str, ...], bool]]:
    """A theme's stem sequences (id, label, keywords), each with whether it is id or label.
    A single letter is no keyword; two are (AI, pc, hr), matched as a whole word."""
    out = []
    for n, phrase in enumerate((theme.id.replace("_", " "), theme.label, *theme.keywords)):
        stems = tuple(_stems(_words(phrase)))
        if stems and (len(stems) > 1 or len(stems[0]) > 1):
            out.append((stems, n < 2))
    return out


def _patterns(taxonomy: Taxonomy = None) -> list[tuple[tuple[str, ...], str]]:
    path = themes_file(taxonomy)
    return _patterns_of(path.resolve(), _stamp(path))


@functools.lru_cache(maxsize=16)
def _patterns_of(path: Path, stamp: tuple | None) -> list[tuple[tuple[str, ...], str]]:
    """Keyword stem sequences → coding group, longest first."""
    out = {
        (stems, theme.group)
        for theme in _read_themes(path, stamp).values()
        for stems, _ in _phrases(theme)
    }
    return sorted(out, key=lambda p: (-len(p[0]), p))


def _code(text: object, patterns: list[tuple[tuple[str, ...], str]]) -> list[str]:
    if text is None or (isinstance(text, float) and text != text):
        return [OTHER]
    stems = _stems(_words(str(text)))
    grams: dict[int, set[tuple[str, ...]]] = {}
    found: set[str] = set()
    for pattern, group in patterns:
        n = len(pattern)
        if n not in grams:  # every run of n stems in the answer, once
            grams[n] = {tuple(stems[i : i + n]) for i in range(len(stems) - n + 1)}
        if pattern in grams[n]:
            found.add(group)
    return sorted(found) or [OTHER]


def code_text(text: object, taxonomy: Taxonomy = None) -> list[str]:
    """The coding groups an open answer is about (multi-label), or ["overig"]."""
    return _code(text, _patterns(taxonomy))


def code_answers(
    texts: pd.DataFrame,
    column: str = "text",
    taxonomy: Taxonomy = None,
    coder: Path | str | None = None,
) -> pd.DataFrame:
    """Add a `themes` column (";"-joined coding groups) and a `coder` column (which coder and
    which training sample, in Dutch) to a frame of open answers.

    `coder`: None codes with the learnt model in use (`paths.theme_model`, else the bundled
    one when it fits the taxonomy's groups), a path with that model file, "keywords" with the
    keyword rules only (`code_text`)."""
    from inclusie_analysis.read.theme_model import model_for

    model = model_for(coder, taxonomy)
    values = texts[column]
    unique = [t for t in values.dropna().unique()]  # each text once
    if model is None:
        patterns = _patterns(taxonomy)
        coded = {t: ";".join(_code(t, patterns)) for t in unique}
        name = "trefwoorden"
    else:
        predicted = model.predict([str(t) for t in unique], taxonomy)
        coded = {t: ";".join(p) for t, p in zip(unique, predicted, strict=True)}
        name = model.describe()
    themes = values.map(coded).fillna(OTHER) if len(values) else values
    return texts.assign(
        themes=themes.astype("string"), coder=pd.Series(name, index=texts.index, dtype="string")
    )


def theme_for_phrase(text: object, taxonomy: Taxonomy = None) -> str | None:
    """The theme id whose id, label or one keyword is exactly `text` (compared stemmed, so
    "algoritmes" finds the keyword "algoritme"); ids and labels go before keywords. For short
    theme names typed in a register, not for sentences (see `code_text`)."""
    path = themes_file(taxonomy)
    stems = tuple(_stems(_words(str(text))))
    return _phrase_index(path.resolve(), _stamp(path)).get(stems) if stems else None


@functools.lru_cache(maxsize=8)
def _phrase_index(path: Path, stamp: tuple | None) -> dict[tuple[str, ...], str]:
    index: dict[tuple[str, ...], str] = {}
    themes = _read_themes(path, stamp).values()
    for first in (True, False):  # ids and labels of every theme, then keywords
        for theme in themes:
            for stems, is_label in _phrases(theme):
                if is_label == first:
                    index.setdefault(stems, theme.id)
    return index


def evaluate(labelled: pd.DataFrame, taxonomy: Taxonomy = None) -> pd.DataFrame:
    """Precision and recall per theme of `code_text` against hand labels (`text`, `themes`)."""
    patterns = _patterns(taxonomy)
    rows = []
    predicted = labelled["text"].map(lambda t: set(_code(t, patterns)))
    truth = labelled["themes"].map(lambda t: set(str(t).split(";")))
    for theme in sorted(set().union(*truth) | set().union(*predicted)):
        tp = sum(theme in p and theme in t for p, t in zip(predicted, truth, strict=True))
        fp = sum(theme in p and theme not in t for p, t in zip(predicted, truth, strict=True))
        fn = sum(theme not in p and theme in t for p, t in zip(predicted, truth, strict=True))
        rows.append({"theme": theme, "n": tp + fn, "tp": tp, "fp": fp, "fn": fn,
                     "precision": tp / (tp + fp) if tp + fp else float("nan"),
                     "recall": tp / (tp + fn) if tp + fn else float("nan")})  # fmt: skip
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Suggesting a theme for a question

# Dutch function words: they say nothing about a theme and would dilute the score.
STOPWORDS = frozenset(
    "de het een en of van voor met op in te aan om tot bij naar uit door over als die dat "  # noqa: SIM905
    "dit er is zijn wordt worden hoe wat wie welke uw u we wij ons onze hun hen je jouw meer "
    "ook niet geen nog al kan kunnen moet moeten zou beter andere ander".split()
)
LABEL_PHRASE, KEYWORD_PHRASE, LABEL_WORD = 1.0, 0.85, 0.5  # how much a match of each counts
MIN_SCORE = 0.15


def suggest_theme(text: str, taxonomy: Taxonomy = None, limit: int = 3) -> list[tuple[str, float]]:
    """The theme ids a question or item text is most likely about, best first, each with a
    score from 0 to 1; empty when nothing fits.

    The score is the share of the text's meaningful words (Dutch stems, function words left
    out) that a theme's id, label or keywords explain, each word weighted by how specific it
    is to one theme (a word in many themes' vocabulary, such as "digitaal", counts less). A
    whole id, label or keyword phrase counts fully (a keyword a bit less than the label), a
    loose word of the label half.

    >>> suggest_theme("Toegang: publieke computerruimtes")[0][0]
    'toegang'
    """
    path = themes_file(taxonomy)
    index = _suggest_index(path.resolve(), _stamp(path))
    stems = _stems(_words(text))
    content = [s for s in dict.fromkeys(stems) if s not in index.stopstems]
    if not content:
        return []
    weight = {s: index.idf.get(s, index.unknown) for s in content}
    total = sum(weight.values())
    grams = {n: {tuple(stems[i : i + n]) for i in range(len(stems) - n + 1)} for n in index.lengths}
    scores = []
    for theme_id, phrases, label_words in index.themes:
        credit: dict[str, float] = {}
        for phrase, is_label in phrases:
            if phrase in grams.get(len(phrase), ()):
                for s in phrase:
                    credit[s] = max(
                        credit.get(s, 0.0), LABEL_PHRASE if is_label else KEYWORD_PHRASE
                    )
        for s in label_words:
            credit[s] = max(credit.get(s, 0.0), LABEL_WORD)
        score = sum(weight[s] * c for s, c in credit.items() if s in weight) / total
        if score >= MIN_SCORE:
            scores.append((theme_id, round(score, 3)))
    return sorted(scores, key=lambda p: (-p[1], p[0]))[:limit]


@dataclass(frozen=True)
class _SuggestIndex:
    themes: tuple[tuple[str, list, frozenset], ...]  # id, phrases, loose label stems
    idf: dict[str, float]
    unknown: float
    lengths: frozenset[int]
    stopstems: frozenset[str]


@functools.lru_cache(maxsize=8)
def _suggest_index(path: Path, stamp: tuple | None) -> _SuggestIndex:
    themes = _read_themes(path, stamp)
    stopstems = frozenset(_stem(w) for w in STOPWORDS) | STOPWORDS
    entries, df = [], {}
    for theme in themes.values():
        phrases = _phrases(theme)
        label_words = frozenset(_stems(_words(theme.label))) - stopstems
        entries.append((theme.id, phrases, label_words))
        for s in {s for p, _ in phrases for s in p} | label_words:
            df[s] = df.get(s, 0) + 1
    n = len(themes)
    idf = {s: math.log(1 + n / d) for s, d in df.items()}
    lengths = frozenset(len(p) for _, phrases, _ in entries for p, _ in phrases)
    return _SuggestIndex(tuple(entries), idf, math.log(1 + n), lengths, stopstems)
