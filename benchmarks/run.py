"""Speed of the package, printed as a table (not a test: machines are noisy).

    .venv/bin/python benchmarks/run.py [--repeat 5] [--scales 1 10 180]

Each figure is the median of --repeat runs (runs of scale 50 or more: once), each run in a
fresh subprocess so imports and caches count the way they do for a user. Scale 180 is about
100 000 survey responses.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(code: str, repeat: int) -> float:
    """Median wall time of running `code` in a fresh interpreter (start-up and imports count)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def inside(setup: str, statement: str, repeat: int) -> tuple[float, float]:
    """Median time of `statement` alone, run after `setup` in a fresh interpreter, and the
    largest peak memory (MB) of those interpreters."""
    timer = "import time, resource\nt = time.perf_counter()"
    report = "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    code = f"{setup}\n{timer}\n{statement}\n{report}"
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True, text=True
        ).stdout.split()
        runs.append((float(out[-2]), int(out[-1]) / 1024))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 180])
    args = parser.parse_args()
    rows = []
    bare = timed("pass", args.repeat)
    pandas = timed("import pandas", args.repeat)
    package = timed("import inclusie_analysis", args.repeat)
    rows.append(("python -c pass", bare, "", ""))
    rows.append(("import pandas", pandas, "", ""))
    rows.append(("import inclusie_analysis", package, f"{package / pandas:.2f}× pandas", ""))
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            repeat = args.repeat if scale < 50 else 1  # big runs: once
            out = Path(tmp) / f"demo-{scale}"
            demo, _ = inside(
                "from inclusie_analysis.demo import write_demo",
                f"write_demo({str(out)!r}, scale={scale}, only='surveys')",
                repeat,
            )
            rows.append((f"inclusie demo --only surveys --scale {scale}", demo, "", ""))
            codebooks = str(ROOT / "surveys" / "codebooks")
            clean, memory = inside(
                "from inclusie_analysis.datasets import clean_needs; "
                "from inclusie_analysis.clean.privacy import DEMO_KEY",
                f"d = clean_needs({str(out)!r}, {codebooks!r}, 2025, key=DEMO_KEY); "
                "n = int(d.files['rows_in'].sum())",
                repeat,
            )
            xlsx = str(out / "2025" / "leernoden-2025_msforms_SYNTHETISCH.xlsx")
            csv_file = str(out / "2020" / "leernoden-2020_limesurvey_SYNTHETISCH.csv")
            floor, floor_memory = inside(
                "from python_calamine import CalamineWorkbook; import csv",
                f"b = CalamineWorkbook.from_path({xlsx!r}); "
                "b.get_sheet_by_name(b.sheet_names[0]).to_python(); "
                f"list(csv.reader(open({csv_file!r}, encoding='utf-8-sig'), delimiter=';'))",
                repeat,
            )
            responses = 560 * scale
            rows.append(
                (
                    f"clean surveys (~{responses:,} responses)",
                    clean,
                    f"{clean / floor:.1f}× the reading floor",
                    f"{memory:.0f} MB",
                )
            )
            rows.append(
                ("  floor: calamine + csv read the same files", floor, "", f"{floor_memory:.0f} MB")
            )
    width = max(len(r[0]) for r in rows)
    print(f"| {'what'.ljust(width)} | median s | ratio | peak memory |")
    print(f"|{'-' * (width + 2)}|---------:|-------|------------:|")
    for what, seconds, ratio, memory in rows:
        print(f"| {what.ljust(width)} | {seconds:8.3f} | {ratio} | {memory} |")


if __name__ == "__main__":
    main()
