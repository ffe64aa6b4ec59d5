"""Speed and size of the theme chooser page (issue 19), printed as a table.

    PYTHONPATH=. .venv/bin/python benchmarks/theme_chooser.py [--repeat 3] [--scales 1 10]

The demo (surveys at `--scales`, the year's events at scale 1) cleaned once per scale; then,
each in fresh interpreters (median of --repeat): `write_theme_chooser` whole (loading the
data, the signals of every area × organisation type, the page), the data alone
(`chooser_data`) and the page alone from that data; the page's size; and, when Debian's
Chromium and playwright are there, the page's load time (from `goto` until the chart and
the table are drawn, median of 5 loads).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from run import inside

ROOT = Path(__file__).resolve().parents[1]

CLEAN = """
from inclusie_analysis.clean.datasets import clean_year, write_frames
from inclusie_analysis.clean.privacy import DEMO_KEY
from inclusie_analysis.demo import write_demo
demo = write_demo({demo!r}, seed=1, scale={scale})
needs, events = clean_year(demo.out, 2025, codebooks_dir={codebooks!r}, key=DEMO_KEY)
write_frames({{**needs.frames(), **events.frames()}}, {data!r})
"""
DATA = """
import inclusie_analysis as ia
from inclusie_analysis.analyse.chooser import chooser_data
from inclusie_analysis.clean.sources import unavailable_signals
needs, events = ia.load_needs({data!r}), ia.load_events({data!r})
args = (needs.needs, needs.respondents, events.events[events.events["year"] == 2025],
        events.feedback, needs.answers_text)
"""


def load_seconds(page: Path, times: int = 5) -> float | None:
    """Median seconds from `goto` to the chart's bars and the table drawn (None: no browser)."""
    sys.path.insert(0, str(ROOT / "tests" / "demo"))
    try:
        from playwright.sync_api import sync_playwright
        from renderers import CHROMIUM_ARGS, chromium_path
    except ImportError:
        return None
    if chromium_path() is None:
        return None
    found = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for _ in range(times):
            tab = browser.new_page()
            start = time.perf_counter()
            tab.goto(page.resolve().as_uri())
            tab.wait_for_selector("#chart svg .mark-rect path")
            tab.wait_for_selector("body[data-rendered]")
            found.append(time.perf_counter() - start)
            tab.close()
        browser.close()
    return statistics.median(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scales", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    rows = []
    codebooks = str(ROOT / "surveys" / "codebooks")
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            folder = Path(tmp) / f"scale-{scale}"
            data, out = str(folder / "data"), str(folder / "out")
            inside(CLEAN.format(demo=str(folder / "demo"), scale=scale, codebooks=codebooks,
                                data=data), "", 1)  # fmt: skip
            setup = "from inclusie_analysis.publish.theme_chooser import write_theme_chooser"
            whole, memory = inside(setup, f"write_theme_chooser({data!r}, {out!r}, 2025)",
                                   args.repeat)  # fmt: skip
            alone, _ = inside(
                DATA.format(data=data),
                "frame = chooser_data(*args, unavailable=unavailable_signals(events.sources))",
                args.repeat,
            )
            page_setup = (
                DATA.format(data=data)
                + "frame = chooser_data(*args, unavailable=unavailable_signals(events.sources))\n"
                + "from inclusie_analysis.publish.theme_chooser import chooser_page\n"
                + "import altair, vl_convert"
            )
            page_alone, _ = inside(page_setup, "html = chooser_page(frame, 2025)", args.repeat)
            page = Path(out) / "themakiezer.html"
            size = page.stat().st_size
            respondents = f"scale {scale}"
            rows.append((f"write_theme_chooser, demo {respondents}", whole, f"{memory:.0f} MB"))
            rows.append(("  chooser_data alone (every area × organisation type)", alone, ""))
            rows.append(("  chooser_page alone (Altair, vl-convert, the JavaScript)", page_alone,
                         ""))  # fmt: skip
            rows.append((f"  page size: {size:,} bytes", float("nan"), ""))
            loaded = load_seconds(page)
            if loaded is not None:
                rows.append(("  page load in Chromium, goto → chart and table, median of 5",
                             loaded, ""))  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"| {'what'.ljust(width)} | median s | peak memory |")
    print(f"|{'-' * (width + 2)}|---------:|------------:|")
    for what, seconds, memory in rows:
        shown = "" if seconds != seconds else f"{seconds:.3f}"
        print(f"| {what.ljust(width)} | {shown:>8} | {memory} |")


if __name__ == "__main__":
    main()
