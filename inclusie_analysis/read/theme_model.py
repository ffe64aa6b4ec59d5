"""The learnt coder of open answers: its features, its plain-data model file and prediction.

A model is a JSON file (no pickle): the coding groups of the taxonomy it was trained for, the
feature settings, the vocabularies with their idf weights, per group the coefficients, the
intercept and the decision threshold of a logistic regression, and where it came from (the
training sample's sha256 and size, the date, the cross-validated figures). Training
(`theme_training`, with scikit-learn) writes it; this module reads it and codes answers with
numpy and scipy only, so cleaning needs no scikit-learn and stays fast.

Features of an answer: tf-idf (sublinear, l2) of the Dutch stems' unigrams and bigrams, tf-idf
of the character 3-5-grams of the normalised words, and per coding group whether the keyword
coder (`themes.code_text`) gives that group: the model learns how far to trust the keywords.
An answer for which no group reaches its threshold is "overig".

The bundled `reference/theme_model.json` is trained on `reference/coded_answers.csv` by
`scripts/train_theme_model.py`; a user's model is the setting `paths.theme_model` (written by
`inclusie themes learn`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.themes import (
    OTHER,
    Taxonomy,
    _code,
    _patterns,
    _stamp,
    _stems,
    _words,
    groups,
)

if TYPE_CHECKING:
    import numpy as np

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
MODEL_FILE = REFERENCE / "theme_model.json"
SAMPLE_FILE = REFERENCE / "coded_answers.csv"
FORMAT, VERSION = "inclusie-theme-model", 1
SETTING = "paths.theme_model"
KEYWORDS = "keywords"  # code_answers(coder=KEYWORDS): the keyword coder only
RETRAIN = "Train het model opnieuw met `inclusie themes learn <gecodeerde antwoorden>`"
FEATURES = {
    "word_ngrams": [1, 2],  # of the Dutch Snowball stems
    "char_ngrams": [3, 5],  # of each normalised word, padded with a space on both sides
    "sublinear_tf": True,
    "norm": "l2",
    "keyword_weight": 0.3,  # the value of the feature "the keyword coder gives this group":
    # small, since with 3,500 coded answers the words themselves say more (3.0 suited 494)
}


# ---------------------------------------------------------------------------------------------
# Features


def word_terms(text: object) -> list[str]:
    """The stem unigrams and bigrams of a text ("digitale vaardigheden" → "digital",
    "vaardig", "digital vaardig")."""
    stems = _stems(_words(str(text)))
    return stems + [f"{a} {b}" for a, b in pairwise(stems)]


def char_terms(text: object) -> list[str]:
    """The character 3-5-grams of every normalised word (lower case, no accents), the word
    padded with a space so beginnings and ends count as such."""
    out = []
    for word in _words(str(text)):
        padded = f" {word} "
        for n in range(3, 6):
            out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


def keyword_matrix(texts: list[str], group_list: list[str], taxonomy: Taxonomy = None):
    """One row per text, one 0/1 column per group: does the keyword coder give the group."""
    import numpy as np

    patterns = _patterns(taxonomy)
    index = {g: j for j, g in enumerate(group_list)}
    out = np.zeros((len(texts), len(group_list)))
    for i, text in enumerate(texts):
        for group in _code(text, patterns):
            if group in index:
                out[i, index[group]] = 1.0
    return out


def tfidf_rows(texts: list[str], analyzer, vocabulary: dict[str, int], idf: np.ndarray):
    """The sublinear, l2-normalised tf-idf rows of `texts` (scipy CSR), as scikit-learn's
    TfidfVectorizer computes them with this vocabulary and idf."""
    import numpy as np
    from scipy.sparse import csr_matrix

    data, indices, indptr = [], [], [0]
    for text in texts:
        counts = Counter(t for t in analyzer(text) if t in vocabulary)
        columns = sorted(vocabulary[t] for t in counts)
        by_column = {vocabulary[t]: c for t, c in counts.items()}
        values = [(1.0 + math.log(by_column[j])) * idf[j] for j in columns]
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        data.extend(v / norm for v in values)
        indices.extend(columns)
        indptr.append(len(indices))
    shape = (len(texts), len(vocabulary))
    return csr_matrix((np.array(data, dtype=float), indices, indptr), shape=shape)


# ---------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class ThemeModel:
    """A loaded model file; `decision` and `predict` code texts with numpy/scipy only."""

    path: Path
    groups: tuple[str, ...]
    word_vocabulary: dict[str, int]
    char_vocabulary: dict[str, int]
    word_idf: np.ndarray
    char_idf: np.ndarray
    keyword_weight: float
    coef: np.ndarray  # groups × features
    intercept: np.ndarray
    thresholds: np.ndarray
    training: dict
    cv: list[dict]

    def decision(self, texts: list[str], taxonomy: Taxonomy = None) -> np.ndarray:
        """The logistic regressions' decision values, one row per text, one column per group."""
        from scipy.sparse import csr_matrix, hstack

        texts = [str(t) for t in texts]
        features = hstack(
            [
                tfidf_rows(texts, word_terms, self.word_vocabulary, self.word_idf),
                tfidf_rows(texts, char_terms, self.char_vocabulary, self.char_idf),
                csr_matrix(
                    keyword_matrix(texts, list(self.groups), taxonomy) * self.keyword_weight
                ),
            ]
        ).tocsr()
        return features @ self.coef.T + self.intercept

    def predict(self, texts: list[str], taxonomy: Taxonomy = None) -> list[list[str]]:
        """The coding groups of each text (multi-label), ["overig"] when none."""
        if not texts:
            return []
        above = self.decision(texts, taxonomy) >= self.thresholds
        return [[g for g, yes in zip(self.groups, row, strict=True) if yes] or [OTHER]
                for row in above]  # fmt: skip

    def describe(self) -> str:
        """How the coder column of the data names this model (Dutch)."""
        t = self.training
        return (
            f"geleerd: {self.path.name} ({t['rows']} antwoorden, sha256 {t['sha256'][:12]}, "
            f"getraind {t['date']})"
        )


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes (the training sample's fingerprint)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_theme_model(path: Path | str, taxonomy: Taxonomy = None) -> ThemeModel:
    """Read and check a model file; anything wrong (not JSON, another kind of file, another
    version, arrays of the wrong shape, groups other than the taxonomy's) is an InputError
    naming the file and saying to retrain."""
    path = Path(path)
    model = _load(path.resolve(), _stamp(path))
    expected = groups(taxonomy)
    if list(model.groups) != expected:
        extra = sorted(set(model.groups) - set(expected))
        missing = sorted(set(expected) - set(model.groups))
        raise _bad(
            path,
            "het model hoort bij andere codeergroepen dan het themabestand in gebruik"
            + (f" (niet in de thema's: {', '.join(extra)})" if extra else "")
            + (f" (niet in het model: {', '.join(missing)})" if missing else "")
            + ".",
        )
    return model


def _bad(path: Path, message: str) -> InputError:
    return InputError(
        f"het model van de geleerde codeerder is onbruikbaar: {message}",
        file=str(path),
        hint=f"{RETRAIN} en zet het pad in {SETTING} (of maak die instelling leeg voor het "
        "meegeleverde model).",
    )


@functools.lru_cache(maxsize=8)
def _load(path: Path, stamp: tuple | None) -> ThemeModel:
    if stamp is None:
        raise _bad(path, "het bestand bestaat niet.")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(path, f"geen geldig JSON-bestand ({type(exc).__name__}: {exc}).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _bad(path, f"dit is geen modelbestand (verwacht format '{FORMAT}').")
    if data.get("version") != VERSION:
        raise _bad(path, f"versie {data.get('version')!r}; deze versie leest versie {VERSION}.")
    try:
        return _model(path, data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _bad(path, f"het bestand is onvolledig of beschadigd ({exc}).") from None


def _model(path: Path, data: dict) -> ThemeModel:
    import numpy as np

    group_list = [str(g) for g in data["groups"]]
    words, chars = list(data["vocabulary"]["word"]), list(data["vocabulary"]["char"])
    word_idf = np.asarray(data["idf"]["word"], dtype=float)
    char_idf = np.asarray(data["idf"]["char"], dtype=float)
    coef = np.asarray(data["coef"], dtype=float)
    intercept = np.asarray(data["intercept"], dtype=float)
    thresholds = np.asarray(data["thresholds"], dtype=float)
    n_features = len(words) + len(chars) + len(group_list)
    checks = {
        "groups": bool(group_list) and len(set(group_list)) == len(group_list),
        "vocabulary": len(set(words)) == len(words) and len(set(chars)) == len(chars),
        "idf": word_idf.shape == (len(words),) and char_idf.shape == (len(chars),),
        "coef": coef.shape == (len(group_list), n_features),
        "intercept": intercept.shape == (len(group_list),),
        "thresholds": thresholds.shape == (len(group_list),),
        "values": all(np.isfinite(a).all() for a in (word_idf, char_idf, coef, intercept)),
    }
    wrong = [name for name, ok in checks.items() if not ok]
    if wrong:
        raise ValueError(f"klopt niet: {', '.join(wrong)}")
    training = dict(data["training"])
    missing = {"sha256", "rows", "date"} - set(training)
    if missing:
        raise KeyError(", ".join(sorted(missing)))
    return ThemeModel(
        path=path, groups=tuple(group_list),
        word_vocabulary={t: i for i, t in enumerate(words)},
        char_vocabulary={t: i for i, t in enumerate(chars)},
        word_idf=word_idf, char_idf=char_idf,
        keyword_weight=float(data["features"]["keyword_weight"]),
        coef=coef, intercept=intercept, thresholds=thresholds,
        training=training, cv=list(data.get("cv") or []),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Which model


def model_file() -> Path:
    """The model in use: `paths.theme_model` of the settings in use when set, else the
    bundled `reference/theme_model.json`."""
    from inclusie_analysis.settings import find_settings_file, load_settings

    found = find_settings_file()
    if found is None:
        return MODEL_FILE
    return _configured(Path(found).resolve(), _stamp(Path(found)), load_settings)


@functools.lru_cache(maxsize=8)
def _configured(settings_file: Path, stamp: tuple | None, load) -> Path:
    return load(settings_file).theme_model or MODEL_FILE


def model_for(coder: Path | str | None, taxonomy: Taxonomy = None) -> ThemeModel | None:
    """The learnt model to code with: `coder` a model file, None the configured one, "keywords"
    none (keyword coding). The bundled model is only used when its groups are the taxonomy's
    (a user's own themes file with other groups needs its own model: then keywords)."""
    if coder is not None and str(coder) == KEYWORDS:
        return None
    path = Path(coder) if coder is not None else model_file()
    if coder is None and path == MODEL_FILE:
        model = _load(path.resolve(), _stamp(path))
        return model if list(model.groups) == groups(taxonomy) else None
    return load_theme_model(path, taxonomy)


# ---------------------------------------------------------------------------------------------
# Saying which coder


# What the report says of the bundled model's training sample (reference/SOURCES.yaml).
BUNDLED_SAMPLE = {
    "nl": " (het meegeleverde model: synthetische antwoorden die voor het project geschreven "
    "zijn, de meeste door taalmodellen, en die twee automatische codeerders (taalmodellen) "
    "onafhankelijk van elkaar codeerden met alleen het codeboek; een derde besliste bij "
    "verschil. Een eigen model, getraind op antwoorden die mensen codeerden, zet u met "
    "'inclusie themes learn')",
    "en": " (the bundled model: synthetic answers written for the project, most by language "
    "models, coded independently by two automated coders (language models) from the codebook "
    "only, a third deciding where they differed; train your own on answers people coded with "
    "'inclusie themes learn')",
}


def _bundled(what: str) -> bool:
    """Whether a coder description names the bundled model's training sample (by its hash)."""
    return SAMPLE_FILE.exists() and f"sha256 {file_sha256(SAMPLE_FILE)[:12]}" in what


def coder_sentence(frames: list, language: str = "nl") -> str:
    """The method sentence on how open answers got their themes, from the `coder` column of
    coded frames (answers_text, feedback_text); empty when there is none."""
    coders = sorted({str(c) for f in frames if f is not None and "coder" in f
                     for c in f["coder"].dropna().unique()})  # fmt: skip
    if not coders:
        return ""
    nl = language == "nl"
    parts = []
    for coder in coders:
        if coder.startswith("geleerd: "):
            what = coder.removeprefix("geleerd: ")
            parts.append(
                f"een geleerde codeerder ({what}), getraind op gecodeerde antwoorden en "
                "gecombineerd met de trefwoorden van het themabestand"
                if nl else
                "a learnt coder ("
                + what.replace("antwoorden", "answers").replace("getraind", "trained")
                + "), trained on coded answers and combined with the themes file's keywords"
            )  # fmt: skip
            if _bundled(what):
                parts[-1] += BUNDLED_SAMPLE["nl" if nl else "en"]
        else:
            parts.append(
                "de trefwoorden van het themabestand" if nl else "the themes file's keywords"
            )
    if nl:
        return f"**Open antwoorden.** De thema's van open antwoorden komen van {'; '.join(parts)}."
    return f"**Open answers.** The themes of open answers come from {'; '.join(parts)}."
