"""The theme taxonomy and the coding of Dutch open answers into themes.

`reference/themes.yaml` holds every theme with a Dutch label, a description, where it comes
from (leernood, pijler, principe, opleidingsthema, doelgroep), the coding group it counts
under, and Dutch keywords. Open answers are coded multi-label: words are lower-cased, accents
dropped and stemmed with the Dutch Snowball stemmer, so "digitale vaardigheden" and
"vaardigheid" meet; an answer that matches nothing is "overig".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from inclusie_analysis.errors import InputError

THEMES_FILE = Path(__file__).resolve().parent / "reference" / "themes.yaml"
OTHER = "overig"
KINDS = {"leernood", "pijler", "principe", "opleidingsthema", "doelgroep"}


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str
    kinds: tuple[str, ...]
    group: str
    keywords: tuple[str, ...]


@functools.cache
def load_themes(path: Path | None = None) -> dict[str, Theme]:
    """All themes by id; a mistake in the file names the theme and the key."""
    path = Path(path) if path else THEMES_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    themes = {}
    for key, spec in (data.get("themes") or {}).items():
        unknown = set(spec) - {"label", "kinds", "description", "group", "keywords"}
        if unknown or "label" not in spec or set(spec.get("kinds", [])) - KINDS:
            raise InputError(f"thema '{key}': onbekende of ontbrekende sleutels.", file=str(path))
        themes[key] = Theme(
            key, spec["label"], spec.get("description", ""), tuple(spec.get("kinds", [])),
            spec.get("group", key), tuple(spec.get("keywords") or ()),
        )  # fmt: skip
    for theme in themes.values():
        if theme.group not in themes:
            raise InputError(
                f"thema '{theme.id}': groep '{theme.group}' bestaat niet.", file=str(path)
            )
    return themes


def theme_label(theme_id: str) -> str:
    """The Dutch label of a theme id (the id itself when unknown)."""
    theme = load_themes().get(theme_id)
    return theme.label if theme else ("Overig" if theme_id == OTHER else theme_id)


def groups() -> list[str]:
    """The themes open answers are coded into (each theme's group)."""
    return sorted({t.group for t in load_themes().values()})


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


@functools.cache
def _patterns() -> list[tuple[tuple[str, ...], str]]:
    """Keyword stem sequences → coding group, longest first."""
    out = []
    for theme in load_themes().values():
        for keyword in (theme.id.replace("_", " "), theme.label, *theme.keywords):
            stems = tuple(_stems(_words(keyword)))
            if stems and (len(stems) > 1 or len(stems[0]) > 2):
                out.append((stems, theme.group))
    return sorted(set(out), key=lambda p: -len(p[0]))


def code_text(text: object) -> list[str]:
    """The coding groups an open answer is about (multi-label), or ["overig"]."""
    if text is None or (isinstance(text, float) and text != text):
        return [OTHER]
    stems = _stems(_words(str(text)))
    grams: dict[int, set[tuple[str, ...]]] = {}
    found: set[str] = set()
    for pattern, group in _patterns():
        n = len(pattern)
        if n not in grams:  # every run of n stems in the answer, once
            grams[n] = {tuple(stems[i : i + n]) for i in range(len(stems) - n + 1)}
        if pattern in grams[n]:
            found.add(group)
    return sorted(found) or [OTHER]


def code_answers(texts: pd.DataFrame, column: str = "text") -> pd.DataFrame:
    """Add a `themes` column (";"-joined coding groups) to a frame of open answers."""
    values = texts[column]
    coded = {t: ";".join(code_text(t)) for t in values.dropna().unique()}  # each text once
    themes = values.map(coded).fillna(OTHER) if len(values) else values
    return texts.assign(themes=themes.astype("string"))


def evaluate(labelled: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall per theme of `code_text` against hand labels (`text`, `themes`)."""
    rows = []
    predicted = labelled["text"].map(lambda t: set(code_text(t)))
    truth = labelled["themes"].map(lambda t: set(str(t).split(";")))
    for theme in sorted(set().union(*truth) | set().union(*predicted)):
        tp = sum(theme in p and theme in t for p, t in zip(predicted, truth, strict=True))
        fp = sum(theme in p and theme not in t for p, t in zip(predicted, truth, strict=True))
        fn = sum(theme not in p and theme in t for p, t in zip(predicted, truth, strict=True))
        rows.append({"theme": theme, "n": tp + fn, "tp": tp, "fp": fp, "fn": fn,
                     "precision": tp / (tp + fp) if tp + fp else float("nan"),
                     "recall": tp / (tp + fn) if tp + fn else float("nan")})  # fmt: skip
    return pd.DataFrame(rows)
