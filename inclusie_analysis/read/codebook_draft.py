"""`inclusie codebook draft`: a first codebook for a new export, for a person to review.

Each column gets a proposed type (`infer.infer_type`, plus the known Dutch and English answer
scales), scales get their levels in order where the labels are known, check-all questions get
their options (from `;`-joined answers or from `Q5[SQ001]` / `Q5_1` / `<vraag> - <optie>` column
families). With `--from` (last wave's codebook) each column is matched to last wave's variables
by question text, so names carry over and rewordings are recorded in `changed:`.

The draft is YAML with comments, written by hand (no comment-preserving YAML library is
installed); it always loads with `load_codebook`. Values of personal-data and open-text
columns are never written into it.

The steps live in sibling modules: proposing types and names (`codebook_draft_propose`), the
answer scales (`codebook_draft_scales`), matching to last wave (`codebook_draft_previous`) and
writing the YAML (`codebook_draft_yaml`). This module puts them together.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.codebook import ANSWER_TYPES, Codebook, load_codebook, parse_codebook
from inclusie_analysis.read.codebook_draft_previous import _match_previous, _propose_themes
from inclusie_analysis.read.codebook_draft_propose import Proposal, _name_proposals, _propose
from inclusie_analysis.read.codebook_draft_yaml import _render

DEFAULT_THRESHOLD = 70  # text similarity (0-100, `_text_score`) from which last wave's name is used


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
