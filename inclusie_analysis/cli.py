"""The `inclusie` command: demo data, cleaning and reports in one place for staff."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from inclusie_analysis.errors import InputError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inclusie",
        description="Leernoden, activiteiten en feedback van het netwerk digitale inclusie: "
        "opschonen, analyseren en het jaarrapport maken.",
    )
    parser.add_argument(
        "--settings", type=Path, help="instellingenbestand (standaard: inclusie.toml)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="schrijf synthetische demo-exports")
    demo.add_argument(
        "--out", type=Path, help="doelmap (standaard: paths.demo uit de instellingen)"
    )
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--scale", type=int, default=1, help="vermenigvuldig het aantal rijen")

    for name, text in (
        ("report", "schoon de exports op en maak het jaarrapport"),
        ("run", "alles in één keer: (demo,) opschonen en rapport"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--year", type=int, help="rapportjaar (standaard: report.year)")
        p.add_argument(
            "--input", type=Path, help="map met een submap per jaar (standaard: paths.raw)"
        )
        p.add_argument("--lang", choices=("nl", "en"), help="taal van het rapport")
        if name == "run":
            p.add_argument("--demo", action="store_true", help="maak en gebruik de demodata")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except InputError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    from inclusie_analysis.settings import load_settings

    settings = load_settings(args.settings)
    if args.command == "demo":
        return _demo(args.out or settings.demo, args.seed, args.scale)
    input_root = args.input or settings.raw
    if args.command == "run" and args.demo:
        _demo(settings.demo, seed=1, scale=1)
        input_root = settings.demo
    return _report(settings, input_root, args.year or settings.year, args.lang or settings.language)


def _demo(out: Path, seed: int, scale: int) -> int:
    from inclusie_analysis.demo import write_demo

    start = time.perf_counter()
    summary = write_demo(out, seed=seed, scale=scale)
    print(
        f"Synthetische demodata geschreven naar {out} ({len(summary.files)} bestanden, "
        f"{time.perf_counter() - start:.1f} s)."
    )
    return 0


def _report(settings, input_root: Path, year: int, language: str) -> int:
    from inclusie_analysis.datasets import clean_surveys, write_clean_data
    from inclusie_analysis.report import render_jaarrapport

    out = settings.reports / str(year)
    start = time.perf_counter()
    respondents = clean_surveys(input_root, settings.codebooks, year, aliases=settings.aliases)
    write_clean_data({"respondents": respondents}, out / "data")
    print(
        f"Opgeschoond: {len(respondents)} antwoorden uit {respondents['source_file'].nunique()} "
        f"bestanden ({time.perf_counter() - start:.1f} s)."
    )
    result = render_jaarrapport(out / "data", out, year, language=language)
    if not result.ok:
        print(f"Rapport {result.report_id} mislukt: {result.error}", file=sys.stderr)
        return 1
    print(f"Rapport klaar: {result.folder / 'report.html'} ({time.perf_counter() - start:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
