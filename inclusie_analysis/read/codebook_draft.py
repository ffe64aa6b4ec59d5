"""`inclusie codebook draft`: a first codebook for a new export, for a person to review.

Each column gets a proposed type (`infer.infer_type`, plus the known Dutch and English answer
scales), scales get their levels in order where the labels are known, check-all questions get
their options (from `;`-joined answers or from `Q5[SQ001]` / `Q5_1` / `<vraag> - <optie>` column
families). With `--from` (last wave's codebook) each column is matched to last wave's variables
by question text, so names carry over and rewordings are recorded in `changed:`.

The draft is YAML with comments, written by hand here (no comment-preserving YAML library is
installed); it always loads with `load_codebook`. Values of personal-data and open-text
columns are never written into it.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pandas as pd

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.choices import ChoiceSplitter, split_parts
from inclusie_analysis.read.codebook import (
    ANSWER_TYPES,
    PLATFORMS,
    Codebook,
    Variable,
    load_codebook,
    normalize_key,
    normalize_text,
    parse_codebook,
    starts_with_phrase,
)
from inclusie_analysis.read.infer import CHECK_VALUES, EMAIL_VALUE, infer_type

DEFAULT_THRESHOLD = 70  # text similarity (0-100, `_text_score`) from which last wave's name is used
RARE_OPTION_SHARE = 0.03  # a ';'-list answer given by fewer respondents is taken as "other"
MAX_LEVELS = 12

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
# Platform bookkeeping columns → the names the codebooks use for them.
METADATA_NAMES = {
    "id": "response_id",
    "response id": "response_id",
    "responseid": "response_id",
    "respondent id": "response_id",
    "_id": "response_id",
    "submitdate": "submitted_at",
    "date submitted": "submitted_at",
    "completion time": "submitted_at",
    "enddate": "submitted_at",
    "end date": "submitted_at",
    "timestamp": "submitted_at",
    "tijdstempel": "submitted_at",
    "_submission_time": "submitted_at",
    "startdate": "started_at",
    "start time": "started_at",
    "start date": "started_at",
    "date started": "started_at",
    "lastpage": "last_page",
    "last page": "last_page",
    "startlanguage": "start_language",
    "start language": "start_language",
    "datestamp": "last_action_at",
    "date last action": "last_action_at",
    "last modified time": "modified_at",
    "email": "email",
    "email address": "email",
    "e-mail": "email",
    "e-mailadres": "email",
    "recipientemail": "email",
    "name": "name",
    "ipaddress": "ip_address",
    "ip address": "ip_address",
    "ipaddr": "ip_address",
}
STOPWORDS = frozenset(
    {"de", "het", "een", "en", "of", "van", "voor", "in", "op", "met", "te", "tot", "aan", "uw",
     "u", "wat", "welke", "wie", "hoe", "waar", "is", "zijn", "wordt", "bent", "hebt", "heeft",
     "graag", "wilt", "kunt", "the", "a", "an", "and", "or", "to", "for", "on", "with", "your",
     "you", "what", "which", "who", "how", "where", "are", "do", "does", "would"}
)  # fmt: skip
_BRACKET = re.compile(r"^(?P<stem>.+?)\s*\[(?P<sub>[^\[\]]+)\]$")
_UNDERSCORE = re.compile(r"^(?P<stem>[A-Za-z][A-Za-z0-9]*)_(?P<sub>\d+)(?P<text>_TEXT)?$")
_DASH = re.compile(r"^(?P<stem>.+?) - (?P<sub>.+)$")
_SLASH = re.compile(r"^(?P<stem>[^/\s]+)/(?P<sub>[^/\s]+)$")  # KoboToolbox "<vraag>/<optie>"
_OTHER_SUB = re.compile(r"^(other|anders|andere|other \(please specify\)|.*comment)$", re.I)
_NOT_FAMILIES = {"points", "feedback", "punten"}  # MS Forms quiz columns "Points - <vraag>"
_PHONE = re.compile(r"(\+|00)?\d[\d\s/.-]{7,}\d")
_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\ufeff]")


@dataclass
class ScaleDraft:
    name: str
    levels: list[str]
    missing: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)
    comment: str = ""


@dataclass
class Proposal:
    """One variable of the draft."""

    name: str
    type: str
    find: dict[str, str]
    positions: list[int]
    text: str | None = None  # question text, for matching with last wave
    label: str | None = None
    scale: ScaleDraft | None = None
    labels: dict[str, str] = field(default_factory=dict)
    options: list[dict] = field(default_factory=list)
    separator: str | None = None
    other: dict | None = None
    values: list[str] = field(default_factory=list)  # answers seen (never of pii/open columns)
    theme: str | None = None
    asked_of: tuple[str, ...] = ()
    changed: dict | None = None
    previous: str | None = None
    score: float | None = None
    comments: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # key → comment at the end of its line
    guessed: bool = True  # type inferred from the answers (False once last wave's is adopted)


@dataclass
class Draft:
    """The draft codebook text and what it was made from."""

    text: str
    proposals: list[Proposal]
    unplaced: list[tuple[str, str]]  # (column, reason)
    previous: Codebook | None = None
    missing_previous: list[str] = field(default_factory=list)

    @property
    def matched(self) -> list[Proposal]:
        return [p for p in self.proposals if p.previous]

    @property
    def new(self) -> list[Proposal]:
        return [p for p in self.proposals if p.changed and p.changed.get("kind") == "new"]

    @property
    def reworded(self) -> list[Proposal]:
        return [p for p in self.proposals if p.changed and p.changed.get("kind") == "reworded"]

    @property
    def unchanged(self) -> list[Proposal]:
        return [p for p in self.matched if not p.changed]

    @property
    def dropped(self) -> list[str]:
        """Last wave's questions without a column (its bookkeeping columns left out)."""
        if self.previous is None:
            return []
        return [n for n in self.missing_previous if self.previous.variable(n).type in ANSWER_TYPES]

    @property
    def guessed(self) -> list[Proposal]:
        """Questions whose type was guessed from the answers, not taken from last wave."""
        return [p for p in self.proposals if p.type in ANSWER_TYPES and p.guessed]

    def summary(self) -> list[str]:
        """Short lines for the console: what a person must look at, by kind."""

        def names(items) -> str:
            items = list(items)
            return f"{len(items)}" + (f" ({', '.join(items)})" if items else "")

        since = self.previous.wave if self.previous else None
        lines = []
        if since:
            lines += [
                f"Gekoppeld zoals in {since}: {names(p.name for p in self.unchanged)}",
                f"Herschreven (controleer): {names(p.name for p in self.reworded)}",
            ]
        new = [p.name + (f" [thema {p.theme}?]" if p.theme else "") for p in self.new]
        lines.append(f"Nieuw: {names(new)}")
        if since:
            lines.append(f"Niet meer gevraagd (uit {since}): {names(self.dropped)}")
        lines.append(f"Niet geplaatst: {names(c for c, _ in self.unplaced)}")
        lines.append(f"Type geraden: {names(f'{p.name} ({p.type})' for p in self.guessed)}")
        return lines


def draft_codebook(
    export: Path | str,
    previous: Path | str | Codebook | None = None,
    wave: int | None = None,
    instrument: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    themes: Path | str | None = None,
) -> Draft:
    """Propose a codebook for `export`, matched to `previous` (last wave's codebook) if given.

    New items on a scale whose items carry a theme get a theme proposed from the taxonomy
    (`themes`: the user's themes file, else the bundled one), marked for checking.
    """
    from inclusie_analysis.read.readers import read_export

    raw = read_export(export)
    prev = load_codebook(previous) if isinstance(previous, str | Path) else previous
    wave = wave or _wave_from_name(raw.path)
    instrument = instrument or (prev.instrument if prev else _instrument_from_name(raw.path))
    prev_scales = {name: prev.scale(name) for name in prev.scales} if prev else {}
    known_options = [
        str(x)
        for v in (prev.variables if prev else ())
        if v.type == "check_all"
        for o in v.options
        for x in (o.code, o.label)
    ]
    proposals, unplaced = _propose(raw, prev_scales, known_options)
    if not proposals:
        raise InputError(
            "geen enkele kolom van deze export kon een variabele worden.",
            file=str(raw.path),
            hint="Controleer of het de export met de antwoorden is (met een kopregel).",
        )
    missing_previous: list[str] = []
    if prev:
        missing_previous = _match_previous(proposals, prev, threshold)
        _propose_themes(proposals, prev, themes)
    _name_proposals(proposals, prev)
    text = _render(raw, proposals, unplaced, prev, wave, instrument, threshold, missing_previous)
    parse_codebook(text, raw.path.with_suffix(".draft.yaml"))  # a draft that doesn't load is a bug
    return Draft(text, proposals, unplaced, prev, missing_previous)


def describe_questions(raw) -> list[str]:
    """Lines for `inclusie inspect`: the check-all questions and matrices the draft would
    make of this export (column families and joined cells), so a user sees them before
    drafting a codebook."""
    proposals, _ = _propose(raw, {}, [])
    lines = []
    for p in proposals:
        if p.type == "check_all":
            stored = (
                f"aangevinkte opties in één cel, gescheiden door {p.separator!r}"
                if p.separator
                else f"een kolom per optie ({len(p.positions)} kolommen)"
            )
            text = _short_text(p.text or next(iter(p.find.values())))
            lines.append(f"  aanvinkvraag '{text}': {len(p.options)} opties, {stored}")
    lines += [f"  {c}" for p in proposals for c in p.comments if c.startswith("matrixvraag")]
    return lines


def _short_text(text: str, width: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def write_draft(
    export: Path,
    previous: Path | None = None,
    out: Path | None = None,
    wave: int | None = None,
    instrument: str | None = None,
    themes: Path | None = None,
) -> int:
    """The CLI: write the draft to `out` (never over an existing file) or to the screen."""
    if out is not None and out.exists():
        raise InputError(
            "dit bestand bestaat al; een ontwerp overschrijft nooit een codeboek.",
            file=str(out),
            hint="Kies een andere naam met --out of verwijder het bestand eerst.",
        )
    draft = draft_codebook(export, previous, wave=wave, instrument=instrument, themes=themes)
    if out is None:
        sys.stdout.write(draft.text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(draft.text, encoding="utf-8")
    where = f"geschreven naar {out}" if out else "hierboven"
    lines = [f"Ontwerp-codeboek {where}: {len(draft.proposals)} variabelen."]
    lines += [f"  {line}" for line in draft.summary()]
    lines.append("Controleer alles, zeker de regels met CONTROLEER.")
    print("\n".join(lines), file=sys.stderr)
    return 0


# --- file name → wave and instrument ---------------------------------------------------------


def _wave_from_name(path: Path) -> int:
    years = re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", path.name)
    if years:
        return int(years[0])
    raise InputError(
        "het jaar (de golf) van deze export staat niet in de bestandsnaam.",
        file=str(path),
        hint="Geef het mee met --wave, bv. --wave 2025.",
    )


def _instrument_from_name(path: Path) -> str:
    match = re.match(r"^([A-Za-z][A-Za-z]*)", path.stem)
    return match.group(1).lower() if match else "bevraging"


# --- proposing variables ---------------------------------------------------------------------


def _propose(
    raw, prev_scales: dict, known_options: list[str]
) -> tuple[list[Proposal], list[tuple[str, str]]]:
    frame = raw.frame
    questions = getattr(raw, "questions", None) or {}
    headers = [str(c) for c in frame.columns]
    counts = Counter(normalize_key(h) for h in headers)
    families = _families(headers, frame)
    proposals: list[Proposal] = []
    unplaced: list[tuple[str, str]] = []
    done: set[int] = set()
    for family in families:  # Kobo: the summary column beside its option columns
        if family["kind"] == "check_all" and family["style"] is _SLASH:
            for i, header in enumerate(headers):
                if header == family["stem"]:
                    unplaced.append(
                        (
                            header,
                            f"samenvatting van {header}/...: de opties staan in eigen kolommen",
                        )
                    )
                    done.add(i)
    for i, header in enumerate(headers):
        if i in done:
            continue
        family = next((f for f in families if i in f["positions"]), None)
        if family is not None:
            done |= set(family["positions"])
            if family["kind"] == "check_all":  # its "other" column belongs to it
                done |= set(family["others"])
            proposals += _family_proposals(family, raw, questions, prev_scales)
            continue
        reason = _unplaceable(header, counts, frame.iloc[:, i])
        if reason:
            unplaced.append((header, reason))
            continue
        proposals.append(
            _single(i, header, frame.iloc[:, i], raw, questions, prev_scales, known_options)
        )
    return proposals, unplaced


def _unplaceable(header: str, counts: Counter, series: pd.Series) -> str | None:
    if not header.strip() or re.match(r"^(Unnamed: \d+|\(kolom \d+\))$", header):
        return "kolom zonder naam"
    if counts[normalize_key(header)] > 1:
        return "deze kolomnaam komt meer dan eens voor; geen enkele find: kan ze onderscheiden"
    kind = _infer(series, header, None)
    if kind not in ("metadata", "pii_drop", "date") and series.dropna().empty:
        return "kolom is leeg in deze export: het type is niet af te leiden"
    return None


def _families(headers: list[str], frame: pd.DataFrame) -> list[dict]:
    """Column families `<code>[<sub>]`, `<code>_<n>`, `<question> - <label>` of 2+ columns."""
    groups: dict[tuple[str, str], dict] = {}
    for i, header in enumerate(headers):
        for pattern in (_BRACKET, _UNDERSCORE, _DASH, _SLASH):
            m = pattern.match(header.strip())
            if not m or m.group("stem").strip().lower() in _NOT_FAMILIES:
                continue
            stem, sub = m.group("stem").strip(), m.group("sub").strip()
            group = groups.setdefault(
                (pattern.pattern, stem),
                {"stem": stem, "style": pattern, "positions": [], "subs": [], "others": []},
            )
            is_other = _OTHER_SUB.match(sub) or (pattern is _UNDERSCORE and m.group("text"))
            if is_other:
                group["others"].append(i)
            else:
                group["positions"].append(i)
                group["subs"].append(sub)
            break
    families = []
    for group in groups.values():
        if len(group["positions"]) < 2:
            continue
        group["kind"] = _family_kind(
            [frame.iloc[:, i] for i in group["positions"]],
            [headers[i] for i in group["positions"]],
        )
        if group["kind"] == "scale" and group["style"] is _SLASH:
            continue  # Kobo group prefixes ("groep/vraag") are not matrix questions
        if group["kind"]:
            families.append(group)
    return families


def _family_kind(members: list[pd.Series], headers: list[str]) -> str | None:
    """check_all (Y/1/ticked-label columns) or scale (a matrix on one answer list), or None."""
    distinct = [set(_answers(s)) for s in members]
    if not any(distinct):
        return None
    kinds = {_infer(s, h, None) for s, h in zip(members, headers, strict=True)}
    if kinds & {"pii_drop", "metadata", "date"}:  # e.g. SurveyMonkey "Contact - Email"
        return None
    lowered = [{v.lower() for v in d} for d in distinct]
    if all(len(d) <= 1 or (d <= CHECK_VALUES and len(d) <= 2) for d in lowered):
        return "check_all"
    union = set().union(*distinct)
    if len(union) <= MAX_LEVELS and all(len(v) < 60 for v in union):
        return "scale"
    return None


def _answers(series: pd.Series) -> list[str]:
    """The distinct answers of a column as text, most frequent first."""
    texts = series.dropna().map(_as_text)
    counts = Counter(t for t in texts if t)
    return [t for t, _ in counts.most_common()]


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_code(header: str) -> bool:
    return bool(header) and not re.search(r"\s", header) and len(header) <= 30


def _find_for(header: str, platform: str, kind: str = "") -> dict[str, str]:
    bookkeeping = kind in ("metadata", "date") or normalize_key(header) in METADATA_NAMES
    if not _is_code(header) and not bookkeeping:
        return {"text": header}
    if platform in ("limesurvey", "qualtrics", "kobo", "spss"):
        return {"code": header}
    return {"header": header}


def _infer(series: pd.Series, header: str, question: str | None) -> str:
    from inclusie_analysis.read import infer

    by_question = getattr(infer, "infer_column_type", None)  # reads the question text too
    return by_question(series, header, question) if by_question else infer_type(series, header)


def _single(i, header, series, raw, questions, prev_scales, known_options=()) -> Proposal:
    column = raw.frame.columns[i]
    question = questions.get(column)
    kind = _infer(series, header, question)
    text = question or (None if _is_code(header) else header)
    text = core_text(text) if text else text
    p = Proposal("", kind, _find_for(header, raw.platform, kind), [i], text=text, label=text)
    if kind in ("metadata", "pii_drop", "date"):
        p.label = None if kind != "pii_drop" else p.label
        if kind == "pii_drop" and _mostly_emails(series):
            p.notes["type"] = (
                "bevat e-mailadressen: zet identity: true als dit het adres van de respondent "
                "is (voor het pseudoniem)"
            )
        return p
    if kind in ("check_all", "single_choice", "free_text"):
        separated = _separated(p, series, _separators(raw.platform), known_options)
        if separated is not None:
            return separated
        if kind == "check_all":
            kind = p.type = "free_text"  # ';' inside open answers, not a list of options
    answers = _answers(series)
    value_labels = {
        _as_text(k): str(v)
        for k, v in (getattr(raw, "value_labels", {}) or {}).get(column, {}).items()
    }
    fit = _fit_coded(answers, value_labels, prev_scales) if len(answers) <= MAX_LEVELS else None
    if value_labels and fit is None:  # SPSS: the file's own value labels, not the answers
        codes = sorted(set(value_labels) | set(answers), key=_natural)
        p.type, p.values = "single_choice", answers
        p.labels = {c: value_labels.get(c, c) for c in codes}
        p.notes["type"] = "CONTROLEER: uit de SPSS-waardelabels; een schaal?"
        return p
    if kind in ("free_text", "municipality", "number") and fit is None:
        return p  # answers of open questions never go into the draft
    values = _safe_values(answers, p)
    if fit is None and _looks_open(series):
        p.type = "free_text"  # few and unique, long answers: an open question
        return p
    if fit is not None or kind == "scale":
        p.type, p.values = "scale", values
        p.scale = fit or _unknown_scale(values, _slug(header, 2), value_labels)
        return p
    p.type, p.values = "single_choice", values
    p.labels = {v: value_labels.get(v, v) for v in sorted(values, key=_natural)}
    return p


def _fit_coded(answers: list[str], value_labels: dict, prev_scales: dict) -> ScaleDraft | None:
    """`_fit_scale` on the answers, read through the SPSS value labels when there are any."""
    shown = [value_labels.get(a, a) for a in answers]
    fit = _fit_scale(list(dict.fromkeys(shown)), prev_scales)
    if fit is None or not value_labels:
        return fit
    codes = {}
    for raw in sorted(answers, key=_natural):
        label = value_labels.get(raw, raw)
        target = fit.codes.get(label, label)
        if raw != target:
            codes[raw] = target
    fit.codes = codes
    return fit


def _looks_open(series: pd.Series) -> bool:
    texts = series.dropna().map(_as_text)
    texts = texts[texts != ""]
    if texts.empty:
        return False
    words = texts.str.split().map(len)
    if texts.str.contains("\n").any() or words.mean() > 8:
        return True
    return texts.nunique() == len(texts) and words.max() > 4


def _mostly_emails(series: pd.Series) -> bool:
    texts = series.dropna().map(lambda v: str(v).strip())
    return bool(len(texts)) and texts.map(lambda t: bool(EMAIL_VALUE.match(t))).mean() > 0.5


def _safe_values(values: list[str], p: Proposal) -> list[str]:
    """Answers that may be written into the draft: no e-mail addresses or phone numbers."""
    safe = [v for v in values if not EMAIL_VALUE.match(v) and not _PHONE.search(v)]
    if len(safe) < len(values):
        p.comments.append(f"{len(values) - len(safe)} antwoorden met persoonsgegevens weggelaten")
    return safe


MIN_MULTI_SHARE = 0.05  # share of answers with two or more options that makes a check-all


def _separators(platform: str) -> tuple[str, ...]:
    """The platform's own way of joining ticked options first (readers/<platform>.py), then
    the other usual ones: a Google Forms sheet joins with ", ", its CSV download with ";"."""
    from inclusie_analysis.read.readers import check_all_rule

    own = check_all_rule(platform).separator
    return tuple(s for s in dict.fromkeys((own, ";", ", ")) if s in (";", ", "))


def _separated(
    p: Proposal, series: pd.Series, separators: tuple[str, ...], known: list[str]
) -> Proposal | None:
    """A check-all question in one column, the ticked options joined with a separator (None
    when the answers are not lists of recurring options).

    Cells are cut at separators outside brackets and by last wave's options (longest first),
    and parts that always occur side by side are one option ("Vlaamse, provinciale of
    federale overheid"), so an option may contain the separator.
    """
    answered = series.dropna().map(_as_text)
    answered = answered[answered != ""].tolist()
    for separator in separators:
        if not any((separator.strip() or separator) in cell for cell in answered):
            continue
        splitter = ChoiceSplitter(separator, _learn_options(answered, separator, known))
        cells = [splitter.split(cell) for cell in answered]
        counts: Counter = Counter()
        for cell in cells:  # counted once per respondent
            counts.update(cell.options + [text for _, text in cell.others])
        floor = max(2, RARE_OPTION_SHARE * len(answered))
        common = [o for o, n in counts.most_common() if n >= floor]
        multi = sum(sum(o in common for o in cell.options) >= 2 for cell in cells)
        if len(common) < 2 or multi < max(2, MIN_MULTI_SHARE * len(answered)):
            continue
        parts = _safe_values(common, p)
        rare = len(counts) - len(common)
        p.type, p.separator, p.values = "check_all", separator, parts
        p.options = [{"value": "", "label": o, "code": o} for o in parts]
        if rare:
            p.other = {"in_list": True}
            p.notes["other"] = (
                f"{rare} zeldzame antwoorden (minder dan {floor:.0f} keer) niet als optie "
                "opgenomen: vermoedelijk 'Andere'"
            )
        return p
    return None


def _learn_options(cells: list[str], separator: str, known: list[str]) -> list[str]:
    """Last wave's options, then every part of the cells, parts that always occur side by
    side joined into one."""
    lists = [split_parts(cell, separator) for cell in cells]
    mark = (separator.strip() or separator) + " "
    while True:
        occurs = Counter(part for parts in lists for part in parts)
        pairs = Counter(pair for parts in lists for pair in pairwise(parts))
        glued = next(
            (
                (a, b)
                for (a, b), n in pairs.most_common()
                if n >= 2 and occurs[a] == n == occurs[b] and a != b
            ),
            None,
        )
        if glued is None:
            break
        lists = [_glue(parts, glued, mark) for parts in lists]
    learnt = {part for parts in lists for part in parts}
    return [*known, *sorted(learnt)]


def _glue(parts: list[str], pair: tuple[str, str], mark: str) -> list[str]:
    out: list[str] = []
    for part in parts:
        if out and (out[-1], part) == pair:
            out[-1] = out[-1] + mark + part
        else:
            out.append(part)
    return out


def _family_proposals(family: dict, raw, questions: dict, prev_scales: dict) -> list[Proposal]:
    frame, headers = raw.frame, [str(c) for c in raw.frame.columns]
    stem, positions = family["stem"], family["positions"]
    coded = family["style"] is not _DASH and _is_code(stem)
    if family["kind"] == "check_all":
        find = {"code": stem} if coded else {"text": stem}
        question = questions.get(frame.columns[positions[0]])
        text = _question_stem(question) if question else (None if coded else stem)
        text = core_text(text) if text else text
        p = Proposal("", "check_all", find, list(positions), text=text, label=text)
        for i, sub in zip(positions, family["subs"], strict=True):
            label = _option_label(questions.get(frame.columns[i])) or sub
            p.options.append({"value": "", "label": label, "code": sub})
            if label == sub and coded:
                p.notes.setdefault("options", "CONTROLEER: labels van de opties (nu de codes)")
        if family["others"]:
            p.other = {"code": headers[family["others"][0]]}
        p.comments.append(f"vraag met een kolom per optie: {len(positions)} kolommen")
        return [p]
    values: list[str] = []
    for i in positions:
        values += [v for v in _answers(frame.iloc[:, i]) if v not in values]
    fit = _fit_scale(values, prev_scales) or _unknown_scale(values, _slug(stem, 2))
    out = []
    grid = None
    for i in positions:
        header = headers[i]
        # The row of the matrix: "<vraag> [<rij>]", "<vraag> - <rij>", or for a code header
        # (Qualtrics Q5_1) the row in its question text. Its label is the row, not the header.
        whole = questions.get(frame.columns[i]) if _is_code(header) else header
        item = _option_label(whole)
        text = core_text(item or whole) if (item or whole) else None
        grid = grid or (core_text(_question_stem(whole)) if item else None)
        p = Proposal("", "scale", _find_for(header, raw.platform), [i], text=text, label=text)
        p.scale, p.values = fit, _answers(frame.iloc[:, i])
        out.append(p)
    shown = f" '{grid}'" if grid else f" {stem}"
    out[0].comments.append(f"matrixvraag{shown}: {len(positions)} deelvragen op dezelfde schaal")
    return out


_NUMBERING = re.compile(r"^\s*(?:(?:vraag|question|q)\s*)?\d+[a-z]?\s*[.):-]\s+", re.I)
_GRID_ROW = re.compile(r"^(?P<stem>.+?)\s*(?:\[(?P<bracket>[^\[\]]+)\]|\s[-\u2013]\s(?P<dash>.+))$")


def core_text(text: str) -> str:
    """A question or item text without platform decorations: HTML, numbering ("3. ",
    "Q3) "), and a matrix question's stem ("Vraag? [rij]", "Vraag - rij" → "rij").

    >>> core_text("<b>2.</b> Hoe groot is uw nood? [Toegang: computerruimtes]")
    'Toegang: computerruimtes'
    """
    import html

    plain = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(str(text))).split())
    plain = _NUMBERING.sub("", plain)
    row = _GRID_ROW.match(plain)
    if row and (row.group("bracket") or "").strip():
        plain = row.group("bracket").strip()
    return plain


def _question_stem(question: str) -> str:
    return re.split(r" - |\s*\[", question)[0].strip()


def _option_label(question: str | None) -> str | None:
    if not question:
        return None
    m = re.search(r"\[([^\[\]]+)\]\s*$", question) or re.search(r" - (.+)$", question)
    return m.group(1).strip() if m else None


# --- scales ----------------------------------------------------------------------------------


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


# --- matching with last wave -----------------------------------------------------------------

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
    from inclusie_analysis.analyse.themes import suggest_theme

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


# --- names -----------------------------------------------------------------------------------


def _slug(text: str, words: int = 4) -> str:
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    tokens = re.findall(r"[a-z0-9]+", folded)
    kept = [t for t in tokens if t not in STOPWORDS] or tokens
    slug = "_".join(kept[:words]) or "vraag"
    return f"v_{slug}" if slug[0].isdigit() else slug


def _name_proposals(proposals: list[Proposal], prev: Codebook | None) -> None:
    taken = {p.name for p in proposals if p.name}
    prefix = _scale_prefixes(prev)
    unnamed = [p for p in proposals if not p.name]
    bases = {id(p): _base_name(p, prefix, 3) for p in unnamed}
    for words in (5, 8):  # lengthen names that would clash
        counts = Counter(bases.values())
        for p in unnamed:
            if counts[bases[id(p)]] > 1 or bases[id(p)] in taken:
                bases[id(p)] = _base_name(p, prefix, words)
    for p in unnamed:
        base = bases[id(p)]
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        p.name = name
        taken.add(name)
    _name_options(proposals)


def _base_name(p: Proposal, prefix: dict[str, str], words: int) -> str:
    header = next(iter(p.find.values()))
    if p.type not in ANSWER_TYPES and normalize_key(header) in METADATA_NAMES:
        return METADATA_NAMES[normalize_key(header)]
    if p.type not in ANSWER_TYPES and (p.type != "pii_drop" or _is_code(header)):
        # Bookkeeping columns are named after the platform's own column name: their label
        # row is in the account's language (Qualtrics: "Antworttyp"), not the survey's.
        return _slug(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header), 4)
    base = _slug(p.text or header, words if p.text else 4)
    if p.scale is not None and p.scale.name in prefix:
        base = prefix[p.scale.name] + base
    return base


def _name_options(proposals: list[Proposal]) -> None:
    for p in proposals:
        seen = {o["value"] for o in p.options if o["value"]}
        for option in p.options:
            if option["value"]:
                continue
            base = _slug(option["label"], 3)
            value, n = base, 2
            while value in seen:
                value, n = f"{base}_{n}", n + 1
            option["value"] = value
            seen.add(value)


def _scale_prefixes(prev: Codebook | None) -> dict[str, str]:
    """Last wave's name prefix per scale ('need_' for the 'nood' items), for new items."""
    out = {}
    if prev is None:
        return out
    for scale in prev.scales:
        names = [v.name for v in prev.variables if v.scale == scale]
        heads = {n.split("_", 1)[0] for n in names if "_" in n}
        if len(names) >= 2 and len(heads) == 1:
            out[scale] = heads.pop() + "_"
    return out


# --- writing the YAML ------------------------------------------------------------------------


def quote(text: str) -> str:
    """A YAML double-quoted scalar for any text (JSON string syntax is valid YAML)."""

    def escape(m: re.Match) -> str:
        code = ord(m.group())
        return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return _UNSAFE.sub(escape, json.dumps(str(text), ensure_ascii=False))


def _wrap(text: str, width: int = 90) -> list[str]:
    import textwrap

    return textwrap.wrap(" ".join(text.split()), width) or [""]


def _comment(text: str) -> str:
    return "  # " + " ".join(str(text).split()) if text else ""


def _render(raw, proposals, unplaced, prev, wave, instrument, threshold, missing_prev) -> str:
    lines = _header_lines(raw, prev, threshold)
    platform = raw.platform if raw.platform in PLATFORMS else "plain"
    lines += [f"instrument: {quote(instrument)}", f"wave: {int(wave)}"]
    lines.append(f"platform: {platform}")
    if prev and prev.title and str(prev.wave) in prev.title:
        title = prev.title.replace(str(prev.wave), str(wave))
        lines.append(f"title: {quote(title)}{_comment('CONTROLEER')}")
    lines += ["files:", f"- {quote(_file_pattern(raw.path, instrument, wave))}"]
    lines += _scale_lines(proposals)
    lines.append("variables:")
    for p in proposals:
        lines += _variable_lines(p)
    lines += _trailer_lines(raw, unplaced, prev, missing_prev)
    return "\n".join(lines) + "\n"


def _header_lines(raw, prev: Codebook | None, threshold: float) -> list[str]:
    rows, cols = raw.frame.shape
    lines = [
        f"# ONTWERP-codeboek voor {raw.path.name}",
        f"# (platform {raw.platform}, {rows} rijen, {cols} kolommen), gemaakt met "
        "'inclusie codebook draft'.",
        "# Alles is een voorstel: controleer types, schalen, namen en labels; regels met",
        "# CONTROLEER vragen zeker een blik. Waarden uit kolommen met persoonsgegevens of open",
        "# antwoorden staan hier nooit in.",
    ]
    if prev:
        lines += [
            f"# Vergeleken met {prev.path} (golf {prev.wave}). Score = overeenkomst",
            "# van vraagtekst zonder opmaak van het platform (rapidfuzz, 0-100), antwoorden of",
            f"# opties; vanaf {threshold:.0f} is de naam uit {prev.wave} overgenomen. Alleen een",
            "# andere tekst geeft 'changed: reworded'; elke koppeling die niet exact is, staat",
            "# met CONTROLEER gemarkeerd.",
        ]
    return lines


def _file_pattern(path: Path, instrument: str, wave: int) -> str:
    stem = f"{instrument}-{wave}"
    return f"{stem}*" if path.name.lower().startswith(stem.lower()) else path.name


def _scale_lines(proposals: list[Proposal]) -> list[str]:
    scales: dict[str, ScaleDraft] = {}
    for p in proposals:
        if p.scale is None:
            continue
        s = p.scale
        name, n = s.name, 2
        while name in scales and scales[name] is not s and scales[name].levels != s.levels:
            name, n = f"{s.name}_{n}", n + 1
        if name not in scales:
            s.name = name
            scales[name] = s
        elif scales[name] is not s:  # same levels: one scale, with every missing label and code
            kept = scales[name]
            kept.missing = list(dict.fromkeys(kept.missing + s.missing))
            kept.codes = {**kept.codes, **s.codes}
            p.scale = kept
    if not scales:
        return []
    lines = ["scales:"]
    for name, s in scales.items():
        if s.comment:
            lines += [f"  # {line}" for line in _wrap(s.comment)]
        lines.append(f"  {name}:")
        lines += ["    levels:"] + [f"    - {quote(x)}" for x in s.levels]
        if s.missing:
            lines += ["    missing:"] + [f"    - {quote(x)}" for x in s.missing]
        if s.codes:
            lines += ["    codes:"] + [f"      {quote(k)}: {quote(v)}" for k, v in s.codes.items()]
    return lines


def _variable_lines(p: Proposal) -> list[str]:
    lines = [f"# {' '.join(c.split())}" for c in p.comments]
    lines.append(f"- name: {p.name}{_comment(p.notes.get('name', ''))}")
    lines.append(f"  type: {p.type}{_comment(p.notes.get('type', ''))}")
    if p.scale is not None:
        lines.append(f"  scale: {p.scale.name}")
    if p.theme:
        lines.append(f"  theme: {quote(p.theme)}{_comment(p.notes.get('theme', ''))}")
    elif "theme" in p.notes:
        lines.append(f"  # theme: {p.notes['theme']}")
    lines.append("  find:")
    lines += [f"    {k}: {quote(v)}" for k, v in p.find.items()]
    if p.label:
        lines.append(f"  label: {quote(p.label)}{_comment(p.notes.get('label', ''))}")
    if p.asked_of:
        lines += ["  asked_of:"] + [f"  - {quote(a)}" for a in p.asked_of]
    if p.labels:
        lines.append("  labels:")
        lines += [f"    {quote(k)}: {quote(v)}" for k, v in p.labels.items()]
    if p.separator is not None:
        lines.append(f"  separator: {quote(p.separator)}")
    if p.options:
        lines.append(f"  options:{_comment(p.notes.get('options', ''))}")
        for o in p.options:
            lines += [
                f"  - value: {o['value']}",
                f"    label: {quote(o['label'])}",
                f"    code: {quote(o['code'])}",
            ]
    if p.other:
        key, value = next(iter(p.other.items()))
        shown = "true" if value is True else quote(value)
        lines += ["  other:", f"    {key}: {shown}{_comment(p.notes.get('other', ''))}"]
    if p.changed:
        lines.append(f"  changed:{_comment(p.notes.get('changed', ''))}")
        lines.append(f"    kind: {p.changed['kind']}")
        if "previous" in p.changed:
            lines.append(f"    previous: {quote(p.changed['previous'])}")
    elif "changed" in p.notes:
        lines.append(f"  # {p.notes['changed']}")
    return lines


def _trailer_lines(raw, unplaced, prev, missing_prev) -> list[str]:
    lines = []
    if unplaced:
        lines += [
            "",
            "# Kolommen die het ontwerp niet kon plaatsen. Haal de # weg en vul aan om ze op te",
            "# nemen; anders meldt de opschoning ze als kolommen zonder variabele.",
        ]
        for n, (column, reason) in enumerate(unplaced, start=1):
            lines += [
                f"# - name: kolom_{n}  # {' '.join(reason.split())}",
                "#   type: free_text",
                "#   find:",
                f"#     header: {quote(column)}",
            ]
    if prev and missing_prev:
        lines += ["", f"# Variabelen uit {prev.wave} zonder kolom in deze export:"]
        for name in missing_prev:
            v = prev.variable(name)
            text = v.find.get("text") or v.label or next(iter(v.find.values()))
            lines.append(f"#   {name}: {' '.join(str(text).split())}")
    return lines
