"""Speed and quality of the de-identification (not a test: machines are noisy).

    .venv/bin/python benchmarks/deidentify.py [--repeat 3]

Prints: deduce's load time in fresh interpreters (`deduce.Deduce()` with all lists, and the
project's `deduce_model()` with the name lists only), the throughput of `deidentify` on
distinct texts and of `deidentify_many` on a column with repeated answers, and the recall
table per category with
the clean words lost on tests/data/pii_sentences.yaml.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOAD_FULL = "import deduce; deduce.Deduce()"
LOAD_PROJECT = "from inclusie_analysis.clean.name_model import deduce_model; deduce_model()"


def load_seconds(code: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from inclusie_analysis.clean.deidentify import deidentify, deidentify_many
    from inclusie_analysis.clean.deidentify_eval import evaluate, load_cases
    from inclusie_analysis.clean.name_model import deduce_model

    bare = load_seconds("import sys", args.repeat)
    full = load_seconds(LOAD_FULL, args.repeat) - bare
    reduced = load_seconds(LOAD_PROJECT, args.repeat) - bare
    print(f"deduce.Deduce() laden (alle lijsten):        {full:6.2f} s (mediaan van {args.repeat})")
    print(f"deduce_model() laden (naamlijsten, 0,9 MB):  {reduced:6.2f} s")

    start = time.perf_counter()
    deduce_model()
    print(f"deduce_model() in dit proces:                {time.perf_counter() - start:6.2f} s")

    pii, clean = load_cases(ROOT / "tests" / "data" / "pii_sentences.yaml")
    texts = [c["text"] for c in pii] + clean
    start = time.perf_counter()
    for text in texts:
        deidentify(text)
    seconds = time.perf_counter() - start
    print(f"verschillende teksten: {len(texts) / seconds:8.0f} teksten/s ({len(texts)} teksten)")

    column = texts * 50  # a column of 14,300 answers with many repeats
    start = time.perf_counter()
    deidentify_many(column)
    seconds = time.perf_counter() - start
    print(
        f"kolom met herhalingen: {len(column) / seconds:8.0f} teksten/s "
        f"({len(column)} teksten, {len(set(column))} verschillend)"
    )

    ev = evaluate(pii, clean, lambda t: deidentify(t))
    print()
    print(ev.table())
    for category, misses in ev.missed.items():
        for value, out in misses:
            print(f"gemist ({category}): {value!r} -> {out!r}")


if __name__ == "__main__":
    main()
