"""Speed of next year's first steps on a Google Forms export (not a test: machines are noisy).

    .venv/bin/python benchmarks/next_year.py [--scales 1 10 100] [--repeat 3]

Builds the 2026 Google Forms scenario of the tests (tests/scenarios/next_year.py: the demo's
2025 answers as a Google Forms sheet CSV, check-all options joined with ", ", one option
containing ", ") with its rows repeated `scale` times, then times, in this interpreter after
a warm-up, the codebook draft from the 2025 codebook and the cleaning of that one export
with the drafted codebook (splitting every check-all cell by the known options).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "scenarios"))


def median_time(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from next_year import build_next_year

    from inclusie_analysis.clean.geo import MunicipalityMatcher
    from inclusie_analysis.clean.ledger import Ledger
    from inclusie_analysis.clean.needs import clean_needs_export
    from inclusie_analysis.demo import write_demo
    from inclusie_analysis.read.codebook import parse_codebook
    from inclusie_analysis.read.codebook_draft import draft_codebook
    from inclusie_analysis.read.readers import read_export

    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        demo = write_demo(tmp / "demo", seed=1).out
        scenario = build_next_year(demo, tmp / "scenario", "googleforms", register=False)
        base = pd.read_csv(scenario.export, dtype=str, keep_default_na=False)
        previous = scenario.codebooks / "leernoden-2025.yaml"
        rows = [("what", "responses", "median s", "per 1,000 responses")]
        for scale in args.scales:
            export = tmp / f"leernoden-2026-x{scale}.csv"
            pd.concat([base] * scale).to_csv(export, index=False)
            n = len(base) * scale
            draft = draft_codebook(export, previous)  # warm-up, and the codebook to clean with
            seconds = median_time(lambda e=export: draft_codebook(e, previous), args.repeat)
            rows.append(("codebook draft --from 2025", n, seconds, 1000 * seconds / n))
            book, raw, matcher = (
                parse_codebook(draft.text),
                read_export(export),
                MunicipalityMatcher(),
            )
            seconds = median_time(
                lambda b=book, r=raw, m=matcher: clean_needs_export(r, b, m, b"k" * 32, Ledger()),
                args.repeat,
            )
            rows.append(("clean the export (one file)", n, seconds, 1000 * seconds / n))
    widths = [max(len(f"{r[i]:,.3f}" if isinstance(r[i], float) else str(r[i])) for r in rows)
              for i in range(4)]  # fmt: skip
    for r in rows:
        cells = [f"{c:,.3f}" if isinstance(c, float) else str(c) for c in r]
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |")


if __name__ == "__main__":
    main()
