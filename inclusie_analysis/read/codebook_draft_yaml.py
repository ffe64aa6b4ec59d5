"""Writing the draft codebook as YAML with comments, by hand (no comment-preserving YAML
library is installed): header, scales, variables with their CONTROLEER notes, and the columns
that could not be placed. Values are always quoted, so the draft loads with `load_codebook`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from inclusie_analysis.read.codebook import PLATFORMS, Codebook
from inclusie_analysis.read.codebook_draft_propose import Proposal
from inclusie_analysis.read.codebook_draft_scales import ScaleDraft

_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\ufeff]")


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
