"""The ledger of a demo clean, saved or compared with a saved one (issue 17's refactor of the
ledger into frames must not change what it records).

    python benchmarks/ledger_snapshot.py save DIR [--scale N]
    python benchmarks/ledger_snapshot.py compare DIR [--scale N]

`save` writes the demo (seed 1) next to DIR, cleans the year 2025 and writes the three ledger
frames (ledger, fixes, files) as parquet into DIR, with the clean's wall time; `compare` cleans
again and checks each frame equal to the saved one after sorting.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SORT = {
    "ledger": ["file", "sheet", "row", "status"],
    "fixes": ["file", "sheet", "row", "column", "action", "variable", "value", "message"],
    "files": ["file", "sheet"],
}


def ledger_frames(folder: Path, scale: int) -> tuple[dict[str, pd.DataFrame], float]:
    """Clean a fresh demo of `scale` and return its ledger frames and the clean's time."""
    from inclusie_analysis.clean.datasets import clean_year
    from inclusie_analysis.demo import write_demo

    demo = write_demo(folder / "demo", seed=1, scale=scale)
    start = time.perf_counter()
    needs, _ = clean_year(
        Path(demo.out), 2025, codebooks_dir=ROOT / "surveys" / "codebooks", key=b"snapshot"
    )
    took = time.perf_counter() - start
    return {"ledger": needs.ledger, "fixes": needs.fixes, "files": needs.files}, took


def _sorted(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(SORT[name], na_position="first", kind="stable").reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["save", "compare"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    frames, took = ledger_frames(args.folder, args.scale)
    print(f"clean_year (scale {args.scale}): {took:.2f} s")
    for name, frame in frames.items():
        path = args.folder / f"{name}.parquet"
        if args.mode == "save":
            frame.to_parquet(path)
        else:
            saved = pd.read_parquet(path)
            pd.testing.assert_frame_equal(_sorted(name, frame), _sorted(name, saved))
            print(f"{name}: {len(frame)} rows, equal")


if __name__ == "__main__":
    main()
