"""Training the learnt coder of open answers (scikit-learn, imported here only).

`read_coded` reads answers coded by people (the csv of `reference/coded_answers.csv`, or the
coding workbook: columns id, text and one ja/nee column per coding group). `train` fits one
logistic regression per coding group (one-vs-rest, balanced class weights) on the features of
`theme_model`, and picks one decision threshold in inner cross-validation: the lowest that
keeps the pooled precision at `PRECISION` or more, which gives the best recall at that
precision. `cross_validate` measures that whole procedure on grouped folds (paraphrases of one
answer stay in one fold) next to the keyword coder. `model_data` is the JSON of the model file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.theme_model import (
    FEATURES,
    FORMAT,
    VERSION,
    char_terms,
    file_sha256,
    keyword_matrix,
    word_terms,
)
from inclusie_analysis.read.themes import OTHER, Taxonomy, _code, _patterns, groups

if TYPE_CHECKING:
    import numpy as np

PRECISION = 0.85  # the thresholds keep at least this precision (pooled over groups): the
# precision issue 18 asks; the recall at it is what the coded sample allows (see cross_validate)
C = 100.0  # inverse regularisation strength of the logistic regressions: with 3,500 coded
# answers little regularisation does best (grouped CV, C 3 to 1000; see the closing note of 18)
MIN_DF = 2  # a term must occur in this many answers to be a feature
OUTER_FOLDS, INNER_FOLDS, SEED = 5, 4, 0
# fewer coded answers: the inner folds hold a handful each, too few for a word to count twice
MIN_ANSWERS = 50
MIN_SUGGESTED = 2  # a suggested keyword occurs in this many answers of its group
PER_GROUP = 0  # >0: groups with this many coded examples get their own threshold
YES = {"ja", "j", "yes", "y", "1", "x", "waar", "true"}
NO = {"nee", "n", "no", "0", "", "onwaar", "false", "nan", "none"}


# ---------------------------------------------------------------------------------------------
# Reading coded answers


@dataclass(frozen=True)
class Sample:
    """Coded answers (id, text, themes, source, paraphrase_group) and where they came from."""

    frame: pd.DataFrame
    files: tuple[Path, ...]
    sha256: str  # of the one file's bytes; of the files' hashes in order when more
    kappa: float | None = None


def read_coded(paths: list[Path | str], taxonomy: Taxonomy = None,
               kappa: float | None = None) -> Sample:  # fmt: skip
    """Coded answers from csv files (id, text, themes ";"-joined, optional source and
    paraphrase_group) or xlsx workbooks (id, text and one ja/nee column per coding group)."""
    paths = [Path(p) for p in paths]
    frames = [_read_one(p, groups(taxonomy), taxonomy) for p in paths]
    frame = pd.concat(frames, ignore_index=True)
    hashes = [file_sha256(p) for p in paths]
    joined = hashlib.sha256("".join(hashes).encode()).hexdigest()
    sha = hashes[0] if len(hashes) == 1 else joined
    return Sample(frame, tuple(paths), sha, kappa)


def _read_one(path: Path, group_list: list[str], taxonomy: Taxonomy) -> pd.DataFrame:
    if not path.is_file():
        raise InputError("het bestand met gecodeerde antwoorden bestaat niet.", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm") and _is_coding_workbook(path):
        frame = _from_coding_workbook(path, group_list, taxonomy)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = pd.read_excel(path, dtype=str, sheet_name=None, engine="calamine")
        coded = [s for s in sheets.values() if {"id", "text"} <= {str(c).lower() for c in s}]
        sheet = coded[0] if coded else next(iter(sheets.values()))  # the codebook sheet: not
        frame = _from_workbook(sheet, path, group_list, taxonomy)
    elif path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        raise InputError("verwacht een .xlsx- of .csv-bestand.", file=str(path))
    missing = {"id", "text", "themes"} - set(frame.columns)
    if missing:
        raise InputError(
            f"de kolom(men) {', '.join(sorted(missing))} ontbreken.", file=str(path),
            hint="Een csv heeft de kolommen id, text en themes (codeergroepen gescheiden door "
            "';', 'overig' voor geen); een werkboek id, text en een ja/nee-kolom per groep.",
        )  # fmt: skip
    frame = frame.assign(source=frame.get("source", "onbekend"))
    frame["paraphrase_group"] = frame.get("paraphrase_group", frame["id"])
    frame["paraphrase_group"] = frame["paraphrase_group"].where(
        frame["paraphrase_group"].astype(str).str.strip() != "", frame["id"]
    )
    for number, value in enumerate(frame["themes"], start=2):
        unknown = set(str(value).split(";")) - set(group_list) - {OTHER}
        if unknown:
            raise InputError(
                f"onbekende codeergroep(en) {', '.join(sorted(unknown))}.",
                file=str(path), row=number, column="themes",
                hint=f"Gebruik de groepen van het themabestand: {', '.join(group_list)}.",
            )  # fmt: skip
    frame["file"] = path.name
    return frame[["id", "text", "themes", "source", "paraphrase_group", "file"]].astype(str)


def _is_coding_workbook(path: Path) -> bool:
    """A workbook of `inclusie themes sample` / the gold of `inclusie themes agree` (its
    columns are named by the groups' labels, their ids kept in a hidden sheet)."""
    from openpyxl import load_workbook

    from inclusie_analysis.analyse.coding_workbook import SHEET

    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # not a workbook openpyxl reads: the generic reader says what is wrong
        return False
    try:
        return SHEET in book.sheetnames
    finally:
        book.close()


def _from_coding_workbook(path: Path, group_list: list[str], taxonomy: Taxonomy) -> pd.DataFrame:
    """The coding (or gold) workbook read as `inclusie themes agree` reads it: its checks name
    the sheet, row and column of a mistake; the ja-groups become the themes column."""
    from inclusie_analysis.analyse.agreement import read_coded as read_workbook

    coded = read_workbook(path, taxonomy)
    chosen = coded[group_list].apply(lambda row: [g for g in group_list if row[g]], axis=1)
    return pd.DataFrame({
        "id": coded["id"].astype(str), "text": coded["text"].astype(str),
        "themes": [";".join(c) if c else OTHER for c in chosen],
        "source": coded["source"].fillna("onbekend").astype(str),
    })  # fmt: skip


def _from_workbook(
    sheet: pd.DataFrame, path: Path, group_list: list[str], taxonomy: Taxonomy
) -> pd.DataFrame:
    """The coding workbook: one ja/nee column per group (named by its id) → a themes column."""
    from inclusie_analysis.read.themes import theme_label

    lower = {str(c).strip().lower(): c for c in sheet.columns}
    for group in group_list:  # a column may be named by the group's label instead of its id
        label = theme_label(group, taxonomy).strip().lower()
        if group not in lower and label in lower:
            lower[group] = lower[label]
    absent = [g for g in ["id", "text", *group_list] if g not in lower]
    if absent:
        raise InputError(
            f"de kolom(men) {', '.join(absent)} ontbreken in het werkboek.", file=str(path),
            hint="Het werkboek heeft de kolommen id, text en per codeergroep een kolom ja/nee "
            "(zoals `inclusie themes sample` het schrijft).",
        )  # fmt: skip
    themes = []
    for number, (_, row) in enumerate(sheet.iterrows(), start=2):
        chosen = []
        for group in group_list:
            value = str(row[lower[group]]).strip().lower()
            if value not in YES | NO:
                raise InputError(
                    f"'{row[lower[group]]}' is geen ja of nee.", file=str(path), row=number,
                    column=str(lower[group]), hint="Vul ja of nee in (leeg telt als nee).",
                )  # fmt: skip
            if value in YES:
                chosen.append(group)
        themes.append(";".join(chosen) or OTHER)
    out = pd.DataFrame({"id": sheet[lower["id"]], "text": sheet[lower["text"]], "themes": themes})
    for extra in ("source", "paraphrase_group"):
        if extra in lower:
            out[extra] = sheet[lower[extra]].fillna("").astype(str)
    return out.loc[out["text"].notna()].reset_index(drop=True)


def label_matrix(themes: pd.Series, group_list: list[str]) -> np.ndarray:
    """One row per answer, one 0/1 column per group, from ";"-joined themes."""
    import numpy as np

    sets = [set(str(t).split(";")) for t in themes]
    return np.array([[int(g in s) for g in group_list] for s in sets], dtype=int)


# ---------------------------------------------------------------------------------------------
# Fitting


@dataclass
class Fitted:
    """The fitted vectorisers and regressions, with the chosen thresholds."""

    groups: list[str]
    word: object
    char: object
    models: list
    thresholds: np.ndarray
    taxonomy: Taxonomy = None

    def features(self, texts: list[str]):
        from scipy.sparse import csr_matrix, hstack

        kw = keyword_matrix(texts, self.groups, self.taxonomy) * FEATURES["keyword_weight"]
        parts = [self.word.transform(texts), self.char.transform(texts), csr_matrix(kw)]
        return hstack(parts).tocsr()

    def decision(self, texts: list[str]) -> np.ndarray:
        """scikit-learn's decision values (texts × groups)."""
        import numpy as np

        features = self.features(texts)
        return np.column_stack([_decision(m, features) for m in self.models])


def _decision(model, features) -> np.ndarray:
    import numpy as np

    if isinstance(model, float):  # a group without any coded example: never predicted
        return np.full(features.shape[0], model)
    return model.decision_function(features)


def _fit_raw(texts: list[str], y: np.ndarray, group_list: list[str], taxonomy: Taxonomy):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    def vectoriser(analyzer):
        return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=MIN_DF, norm="l2")

    word, char = vectoriser(word_terms).fit(texts), vectoriser(char_terms).fit(texts)
    fitted = Fitted(group_list, word, char, [], None, taxonomy)
    features = fitted.features(texts)
    for j in range(len(group_list)):
        if y[:, j].min() == y[:, j].max():  # all or none: a constant decision
            fitted.models.append(1.0 if y[0, j] else -1e6)
            continue
        model = LogisticRegression(
            C=C, class_weight="balanced", solver="liblinear", random_state=SEED
        )
        fitted.models.append(model.fit(features, y[:, j]))
    return fitted


def _folds(n_splits: int, frame: pd.DataFrame, seed: int):
    """Grouped folds over paraphrase groups, stratified on each answer's first theme."""
    import warnings

    from sklearn.model_selection import StratifiedGroupKFold

    first = frame["themes"].str.split(";").str[0].to_numpy()
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    with warnings.catch_warnings():  # small groups: fewer members than folds is expected
        warnings.simplefilter("ignore", UserWarning)
        return list(splitter.split(frame, first, frame["paraphrase_group"].to_numpy()))


def choose_threshold(scores: np.ndarray, y: np.ndarray, precision: float | None = None) -> float:
    """The lowest decision threshold (one for all groups) whose pooled precision is at least
    `precision`: the best recall at that precision. None reaches it: the most precise one."""
    import numpy as np

    precision = PRECISION if precision is None else precision
    order = np.argsort(-scores.ravel(), kind="stable")
    s, truth = scores.ravel()[order], y.ravel()[order]
    tp = np.cumsum(truth)
    prec = tp / np.arange(1, len(s) + 1)
    last = np.r_[s[1:] != s[:-1], True]  # a threshold keeps all tied scores
    ok = np.flatnonzero(last & (prec >= precision))
    i = ok[-1] if len(ok) else int(np.argmax(np.where(last, prec, -1)))
    return float(s[i])


def fit(frame: pd.DataFrame, taxonomy: Taxonomy = None, seed: int = SEED) -> Fitted:
    """Fit the coder on coded answers; the threshold comes from inner grouped folds."""
    import numpy as np

    group_list = groups(taxonomy)
    texts, y = frame["text"].tolist(), label_matrix(frame["themes"], group_list)
    scores = np.zeros(y.shape)
    for train, test in _folds(INNER_FOLDS, frame, seed):
        inner = _fit_raw([texts[i] for i in train], y[train], group_list, taxonomy)
        scores[test] = inner.decision([texts[i] for i in test])
    fitted = _fit_raw(texts, y, group_list, taxonomy)
    pooled = choose_threshold(scores, y)
    fitted.thresholds = np.full(len(group_list), pooled)
    if PER_GROUP:  # a group's own threshold where it has examples enough to choose one
        for j in range(len(group_list)):
            if y[:, j].sum() >= PER_GROUP:
                fitted.thresholds[j] = choose_threshold(scores[:, j], y[:, j])
    return fitted


# ---------------------------------------------------------------------------------------------
# Cross-validation


def cross_validate(frame: pd.DataFrame, taxonomy: Taxonomy = None,
                   seed: int = SEED) -> pd.DataFrame:  # fmt: skip
    """Per coding group and micro-averaged ("alle groepen"): n, precision and recall with
    Wilson 95 % intervals of the learnt coder on grouped outer folds (paraphrases stay in one
    fold; thresholds chosen inside each training part), next to the keyword coder's."""
    import numpy as np

    group_list = groups(taxonomy)
    texts, y = frame["text"].tolist(), label_matrix(frame["themes"], group_list)
    predicted = np.zeros(y.shape, dtype=int)
    for train, test in _folds(OUTER_FOLDS, frame, seed):
        fitted = fit(frame.iloc[train].reset_index(drop=True), taxonomy, seed)
        scores = fitted.decision([texts[i] for i in test])
        predicted[test] = scores >= fitted.thresholds
    patterns = _patterns(taxonomy)
    keywords = label_matrix(pd.Series([";".join(_code(t, patterns)) for t in texts]), group_list)
    return _table(y, predicted, keywords, group_list)


def _table(y, predicted, keywords, group_list: list[str]) -> pd.DataFrame:
    from inclusie_analysis.analyse.stats import wilson_interval

    rows = []
    for name, cols in [*((g, [j]) for j, g in enumerate(group_list)),
                       ("alle groepen", list(range(len(group_list))))]:  # fmt: skip
        row = {"group": name, "n": int(y[:, cols].sum())}
        for prefix, p in (("", predicted), ("kw_", keywords)):
            tp = int((p[:, cols] & y[:, cols]).sum())
            fp, fn = int(p[:, cols].sum()) - tp, row["n"] - tp
            low_p, high_p = wilson_interval(tp, tp + fp)
            low_r, high_r = wilson_interval(tp, tp + fn)
            row |= {
                f"{prefix}tp": tp, f"{prefix}fp": fp, f"{prefix}fn": fn,
                f"{prefix}precision": tp / (tp + fp) if tp + fp else float("nan"),
                f"{prefix}precision_low": low_p, f"{prefix}precision_high": high_p,
                f"{prefix}recall": tp / (tp + fn) if tp + fn else float("nan"),
                f"{prefix}recall_low": low_r, f"{prefix}recall_high": high_r,
            }  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


def cv_text(table: pd.DataFrame) -> str:
    """The cross-validation table in Dutch, for the console."""
    lines = [
        f"{'codeergroep':<22}{'n':>4}  {'precisie (95%-BI)':<20}{'recall (95%-BI)':<20}"
        f"{'trefwoorden P/R':>16}"
    ]
    for row in table.to_dict("records"):
        lines.append(
            f"{row['group']:<22}{row['n']:>4}  "
            f"{_pct(row, 'precision'):<20}{_pct(row, 'recall'):<20}"
            f"{row['kw_precision']:>8.2f}/{row['kw_recall']:.2f}"
        )
    return "\n".join(lines)


def _pct(row: dict, key: str) -> str:
    return f"{row[key]:.2f} ({row[key + '_low']:.2f}-{row[key + '_high']:.2f})"


# ---------------------------------------------------------------------------------------------
# The model file


def model_data(fitted: Fitted, sample: Sample, cv: pd.DataFrame | None) -> dict:
    """The JSON of the model file (see `theme_model`); plain numbers and strings only."""
    import sklearn

    n_features = len(fitted.word.vocabulary_) + len(fitted.char.vocabulary_) + len(fitted.groups)
    coef, intercept = [], []
    for model in fitted.models:
        if isinstance(model, float):
            coef.append([0.0] * n_features)
            intercept.append(model)
        else:
            coef.append([float(v) for v in model.coef_[0]])
            intercept.append(float(model.intercept_[0]))
    return {
        "format": FORMAT,
        "version": VERSION,
        "groups": fitted.groups,
        "features": {**FEATURES, "min_df": MIN_DF, "stemmer": "snowball dutch"},
        "vocabulary": {k: _terms(v.vocabulary_) for k, v in (("word", fitted.word),
                                                             ("char", fitted.char))},
        "idf": {"word": [float(v) for v in fitted.word.idf_],
                "char": [float(v) for v in fitted.char.idf_]},
        "coef": coef,
        "intercept": intercept,
        "thresholds": [float(v) for v in fitted.thresholds],
        "training": {
            "files": [p.name for p in sample.files], "sha256": sample.sha256,
            "rows": len(sample.frame), "kappa": sample.kappa,
            "date": dt.date.today().isoformat(), "precision_target": PRECISION, "C": C,
            "seed": SEED, "scikit_learn": sklearn.__version__,
        },
        "cv": [] if cv is None else _records(cv),
    }  # fmt: skip


def _terms(vocabulary: dict[str, int]) -> list[str]:
    return [t for t, _ in sorted(vocabulary.items(), key=lambda p: p[1])]


def _records(table: pd.DataFrame) -> list[dict]:
    import math

    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in table.to_dict("records")]  # fmt: skip


def write_model(data: dict, path: Path) -> Path:
    """Write the model JSON (one line per top-level key would not help: compact, sorted)."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")  # fmt: skip
    return path


# ---------------------------------------------------------------------------------------------
# Keyword suggestions


def keyword_suggestions(fitted: Fitted, frame: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """Per coding group, the stems and stem pairs with the largest positive coefficients that
    are not yet keywords of the group's themes (compared stemmed, stop words left out): the
    term, a word as people wrote it, the coefficient, and in how many answers coded with the
    group (and in how many answers in all) it occurs."""
    from inclusie_analysis.read.themes import STOPWORDS, _stem, _stems, _words, load_themes

    stop = {_stem(w) for w in STOPWORDS} | set(STOPWORDS)
    known: dict[str, set[str]] = {}
    for theme in load_themes(fitted.taxonomy).values():
        for phrase in (theme.id.replace("_", " "), theme.label, *theme.keywords):
            known.setdefault(theme.group, set()).add(" ".join(_stems(_words(phrase))))
    terms = _terms(fitted.word.vocabulary_)
    per_answer = [set(word_terms(t)) for t in frame["text"]]
    surface = _surface_forms(frame["text"])
    rows = []
    for j, group in enumerate(fitted.groups):
        model = fitted.models[j]
        if isinstance(model, float):
            continue
        coded = frame["themes"].str.split(";").map(lambda s, g=group: g in s).to_numpy()
        coef = model.coef_[0][: len(terms)]
        for k in coef.argsort()[::-1]:
            term = terms[k]
            if coef[k] <= 0 or sum(r["group"] == group for r in rows) >= limit:
                break
            if term in known.get(group, ()) or all(s in stop or len(s) < 3 for s in term.split()):
                continue
            has = [term in a for a in per_answer]
            in_group = int(sum(h and c for h, c in zip(has, coded, strict=True)))
            if in_group < MIN_SUGGESTED:  # one answer's wording is no keyword
                continue
            rows.append({
                "group": group, "term": term,
                "example": " ".join(surface.get(s, s) for s in term.split()),
                "coefficient": round(float(coef[k]), 3),
                "answers_in_group": in_group,
                "answers": int(sum(has)),
            })  # fmt: skip
    return pd.DataFrame(rows, columns=["group", "term", "example", "coefficient",
                                       "answers_in_group", "answers"])  # fmt: skip


def _surface_forms(texts: pd.Series) -> dict[str, str]:
    """Stem → the word people wrote most often for it (to show a suggestion readably)."""
    from collections import Counter

    from inclusie_analysis.read.themes import _stem, _words

    counts: dict[str, Counter] = {}
    for text in texts:
        for word in _words(str(text)):
            counts.setdefault(_stem(word), Counter())[word] += 1
    return {s: c.most_common(1)[0][0] for s, c in counts.items()}


def suggestions_text(table: pd.DataFrame, model_name: str) -> str:
    """The suggestions in Dutch, for a person to add to the themes file."""
    lines = [
        f"Voorgestelde trefwoorden per codeergroep (uit het model {model_name}).",
        "Woorden die de gecodeerde antwoorden van een groep het best onderscheiden en nog geen",
        "trefwoord zijn. Beoordeel ze zelf; voeg de goede toe aan de keywords van een thema in",
        "het themabestand (instelling paths.themes). Tussen haakjes: in hoeveel antwoorden van",
        "de groep het woord staat / in hoeveel antwoorden in totaal.",
        "",
    ]
    for group, rows in table.groupby("group", sort=True):
        lines.append(f"{group}:")
        for row in rows.to_dict("records"):
            lines.append(
                f"  - {row['example']}  (stam '{row['term']}', gewicht {row['coefficient']:.2f}; "
                f"{row['answers_in_group']}/{row['answers']})"
            )
    if table.empty:
        lines.append("Geen suggesties: het model vond geen woorden buiten de trefwoorden.")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# All of it


@dataclass(frozen=True)
class Learnt:
    """What `learn` made: the model file, the suggestions file and the tables behind them."""

    model: Path
    suggestions: Path
    cv: pd.DataFrame
    keyword_suggestions: pd.DataFrame


def suggestions_file(model: Path) -> Path:
    """The suggestions beside a model: theme_model.json → theme_model.suggesties.txt."""
    return model.with_name(f"{model.stem}.suggesties.txt")


def learn(paths: list[Path | str], out: Path, taxonomy: Taxonomy = None,
          kappa: float | None = None) -> Learnt:  # fmt: skip
    """Cross-validate, train on all coded answers in `paths`, write the model to `out` and the
    keyword suggestions beside it."""
    sample = read_coded(paths, taxonomy, kappa)
    if len(sample.frame) < MIN_ANSWERS:
        raise InputError(
            f"{len(sample.frame)} gecodeerde antwoorden: te weinig om een codeerder te leren "
            f"en hem te toetsen (minstens {MIN_ANSWERS}).", file=str(sample.files[0]),
            hint="Codeer meer antwoorden (inclusie themes sample --n 150) of voeg gecodeerde "
            "bestanden samen: inclusie themes learn a.xlsx b.xlsx ...",
        )  # fmt: skip
    table = cross_validate(sample.frame, taxonomy)
    fitted = fit(sample.frame, taxonomy)
    write_model(model_data(fitted, sample, table), Path(out))
    suggestions = keyword_suggestions(fitted, sample.frame)
    target = suggestions_file(Path(out))
    target.write_text(suggestions_text(suggestions, Path(out).name), encoding="utf-8")
    return Learnt(Path(out), target, table, suggestions)
