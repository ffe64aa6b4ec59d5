"""Proposing variables for `inclusie codebook draft`: a type for each column of an export
(`infer.infer_type`, plus joined and per-option check-all questions and matrix questions) and
a name for each proposal.

Column families (`Q5[SQ001]`, `Q5_1`, `<vraag> - <optie>`, Kobo `<vraag>/<optie>`) become one
check-all question or the items of one matrix; answers of personal-data and open-text columns
are never kept in a proposal.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

import pandas as pd

from inclusie_analysis.read.choices import ChoiceSplitter, split_parts
from inclusie_analysis.read.codebook import ANSWER_TYPES, Codebook
from inclusie_analysis.read.codebook_columns import normalize_key
from inclusie_analysis.read.codebook_draft_scales import (
    ScaleDraft,
    _fit_scale,
    _natural,
    _unknown_scale,
)
from inclusie_analysis.read.infer import CHECK_VALUES, EMAIL_VALUE, infer_type

MAX_LEVELS = 12
RARE_OPTION_SHARE = 0.03  # a ';'-list answer given by fewer respondents is taken as "other"
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
