"""Measure the de-identification on a labelled set: recall per category, clean words lost.

Used by tests/clean/test_deidentify.py (which asserts the goals) and
benchmarks/deidentify.py (which prints the figures with the load time and throughput).

Definitions (words are runs of letters and digits, lower case):

- A planted value is *caught* when the value itself is not a substring of the output and
  none of its counted words survives: a word survives when it occurs more often in the
  output than in the sentence with all planted values cut out. Counted words are those with
  a digit or of 3 letters or more, except municipality names and the generic words in
  `NEUTRAL` (particles, "bus", "te", mail domains, site names), which say nothing about a
  person on their own.
- *Clean words lost*: of the words of the clean sentences, and of the PII sentences outside
  their planted values, the share missing from the output (counted as multisets).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = (
    "naam",
    "adres",
    "e-mail",
    "telefoon",
    "rijksregisternummer",
    "rekeningnummer",
    "nummerplaat",
    "link",
)
NEUTRAL = frozenset(
    """
    van de den der het ten ter vande vanden vander bus bte te nr nummer
    at dot punt www http https com org net be nl eu gemeente example gmail hotmail telenet
    skynet vzw linkedin facebook instagram tiktok twitter status profile php sharing usp
    view file drive google
    """.split()  # noqa: SIM905
)


def words(text: str) -> list[str]:
    """Runs of letters and digits, lower case."""
    return re.findall(r"[^\W_]+", text.lower())


def _municipality_words() -> frozenset[str]:
    from inclusie_analysis.clean.deidentify import _municipalities

    return frozenset(w for name in _municipalities() for w in words(name))


@dataclass
class Evaluation:
    """Per-category counts and misses, and the clean words lost."""

    planted: Counter = field(default_factory=Counter)
    caught: Counter = field(default_factory=Counter)
    missed: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    clean_words: int = 0
    clean_lost: int = 0
    lost_examples: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    sentences: int = 0

    def recall(self, category: str) -> float:
        return self.caught[category] / self.planted[category] if self.planted[category] else 1.0

    @property
    def lost_share(self) -> float:
        return self.clean_lost / self.clean_words if self.clean_words else 0.0

    def table(self) -> str:
        """A plain-text table: category, planted, caught, recall; then the clean-word loss."""
        lines = [f"{'categorie':<22}{'geplant':>8}{'gevonden':>10}{'recall':>8}"]
        for cat in CATEGORIES:
            lines.append(
                f"{cat:<22}{self.planted[cat]:>8}{self.caught[cat]:>10}{self.recall(cat):>8.3f}"
            )
        lines.append(
            f"schone woorden verloren: {self.clean_lost} van {self.clean_words} "
            f"({self.lost_share:.2%})"
        )
        return "\n".join(lines)


def load_cases(path: Path) -> tuple[list[dict], list[str]]:
    """The PII sentences (text + planted values per category) and the clean sentences."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return data["pii"], data["clean"]


def _cut(text: str, values: list[str]) -> str:
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def evaluate(
    pii: list[dict], clean: list[str], scrub: Callable[[str], tuple[str, list[str]]]
) -> Evaluation:
    """Run `scrub` on every sentence and count what it caught and what clean words it lost."""
    exempt = NEUTRAL | _municipality_words()
    ev = Evaluation()
    start = time.perf_counter()
    for case in pii:
        text = case["text"]
        out = scrub(text)[0]
        values = [v for vs in case["pii"].values() for v in vs]
        rest = _cut(text, values)
        baseline, produced = Counter(words(rest)), Counter(words(out))
        for category, vs in case["pii"].items():
            for value in vs:
                ev.planted[category] += 1
                counted = [
                    w for w in words(value) if w not in exempt and (len(w) >= 3 or w.isdigit())
                ]
                survives = value.lower() in out.lower() or any(
                    produced[w] > baseline[w] for w in counted
                )
                if survives:
                    ev.missed.setdefault(category, []).append((value, out))
                else:
                    ev.caught[category] += 1
        lost = baseline - produced
        ev.clean_words += sum(baseline.values())
        ev.clean_lost += sum(lost.values())
        if lost:
            ev.lost_examples.append((text, out))
    for text in clean:
        out = scrub(text)[0]
        lost = Counter(words(text)) - Counter(words(out))
        ev.clean_words += len(words(text))
        ev.clean_lost += sum(lost.values())
        if lost:
            ev.lost_examples.append((text, out))
    ev.seconds = time.perf_counter() - start
    ev.sentences = len(pii) + len(clean)
    return ev
