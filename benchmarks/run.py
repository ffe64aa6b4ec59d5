"""Speed of the package, printed as a table (not a test: machines are noisy).

    .venv/bin/python benchmarks/run.py [--repeat 5] [--scales 1 10 180] [--suite-repeat 3]

Each figure is the median of --repeat runs (runs of scale 50 or more: once), each run in a
fresh subprocess so imports and caches count the way they do for a user. Scale 180 is about
100 000 survey responses.

The report suite part runs the seven yearly reports (every area) on the cleaned demo, one at
a time and two at a time, next to the naive floor: the same number of near-empty notebooks
(imports of pandas, matplotlib, seaborn and scipy and one small chart), each run the naive
way in its own processes, two at a time: papermill CLI, then nbconvert to HTML, then
WeasyPrint to PDF.
"""

from __future__ import annotations

import argparse
import json
import os
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


NEAR_EMPTY = [
    "import pandas as pd\nimport matplotlib.pyplot as plt\nimport seaborn\nimport scipy.stats",
    "fig, ax = plt.subplots()\nax.plot([1, 2, 3], [2, 1, 3])\nplt.show()",
]


def naive_floor(tmp: Path, reports: int, parallel: int) -> float:
    """Wall time of `reports` near-empty notebooks, each through papermill CLI, nbconvert and
    WeasyPrint in its own processes, `parallel` at a time."""
    from concurrent.futures import ThreadPoolExecutor

    import nbformat

    bin_dir = Path(sys.executable).parent
    source = tmp / "near-empty.ipynb"
    cells = [nbformat.v4.new_code_cell(code) for code in NEAR_EMPTY]
    params = nbformat.v4.new_code_cell("n = 1")
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[params, *cells])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, source)

    def one(i: int) -> None:
        out = tmp / f"naive-{i}.ipynb"
        run = lambda *cmd: subprocess.run(cmd, check=True, capture_output=True)  # noqa: E731
        run(str(bin_dir / "papermill"), str(source), str(out), "-p", "n", str(i),
            "--no-progress-bar")  # fmt: skip
        run(str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out))
        run(sys.executable, "-m", "weasyprint", str(out.with_suffix(".html")),
            str(out.with_suffix(".pdf")))  # fmt: skip

    start = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, range(reports)))
    return time.perf_counter() - start


def suite_rows(repeat: int) -> list[tuple]:
    """The seven yearly reports on the cleaned demo: serial, two at a time, and the floor."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        settings = tmp / "inclusie.toml"
        settings.write_text(
            f'[paths]\nraw = "{(tmp / "demo").as_posix()}"\n'
            f'codebooks = "{(ROOT / "surveys" / "codebooks").as_posix()}"\n'
            f'reports = "{(tmp / "reports").as_posix()}"\n',
            encoding="utf-8",
        )
        cli = [sys.executable, "-m", "inclusie_analysis.cli", "--settings", str(settings)]
        subprocess.run([*cli, "demo", "--out", str(tmp / "demo")], check=True, capture_output=True)
        # `clean` needs a user key, also on the demo (the demo key is only for `run --demo`)
        key = {"INCLUSIE_PSEUDONYM_KEY": "benchmark key: synthetic demo data only, not secret"}
        subprocess.run([*cli, "clean"], check=True, capture_output=True, env={**os.environ, **key})
        data = tmp / "reports" / "2025" / "data"
        setup = (
            "from inclusie_analysis.publish.report import plan_suite, run_suite\n"
            f"jobs = plan_suite({str(data)!r}, 2025, only=['jaarrapport'])"
        )
        found = {}
        variants = (
            ("one at a time", 1, True),
            ("two at a time", 2, True),
            ("two at a time, a kernel per report", 2, False),
        )
        for label, workers, reuse in variants:
            statement = (
                f"r = run_suite(jobs, {str(tmp / 'out')!r}, workers={workers}, progress=False, "
                f"reuse_kernels={reuse})\nassert all(x.ok for x in r), [x.error for x in r]"
            )
            found[label], _ = inside(setup, statement, repeat)
        floors = []
        for _ in range(repeat):
            floors.append(naive_floor(tmp, 7, 2))
        floor = statistics.median(floors)
        for label, seconds in found.items():
            rows.append((f"7 yearly reports (html, xlsx, pdf), {label}", seconds,
                         f"{seconds / floor:.2f}× the naive floor", ""))  # fmt: skip
        rows.append(("  floor: 7 near-empty notebooks, naive, two at a time", floor, "", ""))
        manifest = json.loads((tmp / "out" / "manifest.json").read_text(encoding="utf-8"))
        per_report = [e["seconds"] for e in manifest["reports"].values()]
        rows.append(("  (last run) seconds per report, median", statistics.median(per_report),
                     "", ""))  # fmt: skip
    return rows


def coder_rows(scale: int, repeat: int) -> list[tuple]:
    """Cleaning the demo surveys at `scale` with the learnt coder (the default) and with the
    keyword coder, and coding their open answers alone with each."""
    rows = []
    codebooks = str(ROOT / "surveys" / "codebooks")
    keywords_only = (
        "import inclusie_analysis.read.theme_model as tm; "
        "tm.model_for = lambda coder, taxonomy=None: None"  # the learnt coder switched off
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"demo-{scale}"
        inside(
            "from inclusie_analysis.demo import write_demo",
            f"write_demo({str(out)!r}, scale={scale}, only='surveys')",
            1,
        )
        clean = (
            "from inclusie_analysis.clean.datasets import clean_needs; "
            "from inclusie_analysis.clean.privacy import DEMO_KEY"
        )
        statement = f"d = clean_needs({str(out)!r}, {codebooks!r}, 2025, key=DEMO_KEY)"
        found = {}
        for label, setup in (
            ("keyword coder", f"{keywords_only}\n{clean}"),
            ("learnt coder", clean),
        ):
            found[label], memory = inside(setup, statement, repeat)
            rows.append((f"clean surveys (~{560 * scale:,} responses), {label}", found[label],
                         "", f"{memory:.0f} MB"))  # fmt: skip
        ratio = found["learnt coder"] / found["keyword coder"]
        rows[-1] = (*rows[-1][:2], f"{ratio:.2f}× the keyword coder", rows[-1][3])
        setup = (
            f"{clean}\nfrom inclusie_analysis.read.themes import code_answers\n"
            f"{statement}\nframe = d.answers_text.drop(columns=['themes', 'coder'])\n"
            "from inclusie_analysis.read.theme_model import model_for; model_for(None)"
        )
        texts = "frame['text'].nunique()"
        for label, coder in (("keyword coder", "'keywords'"), ("learnt coder", "None")):
            seconds, _ = inside(setup, f"c = code_answers(frame, coder={coder}); {texts}", repeat)
            rows.append((f"  code_answers alone, {label}", seconds, "", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 180])
    parser.add_argument("--suite-repeat", type=int, default=3, help="0: skip the report suite")
    parser.add_argument(
        "--coder-scale", type=int, default=100, help="scale of the coder comparison (0: skip)"
    )
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
                "from inclusie_analysis.clean.datasets import clean_needs; "
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
    if args.coder_scale:
        rows += coder_rows(args.coder_scale, args.repeat if args.coder_scale < 50 else 1)
    if args.suite_repeat:
        rows += suite_rows(args.suite_repeat)
    width = max(len(r[0]) for r in rows)
    print(f"| {'what'.ljust(width)} | median s | ratio | peak memory |")
    print(f"|{'-' * (width + 2)}|---------:|-------|------------:|")
    for what, seconds, ratio, memory in rows:
        print(f"| {what.ljust(width)} | {seconds:8.3f} | {ratio} | {memory} |")


if __name__ == "__main__":
    main()
