"""The `inclusie` command: demo data, cleaning and reports in one place for staff."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

from inclusie_analysis.cli_parser import build_parser
from inclusie_analysis.errors import InputError


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with _settings_in_use(args.settings):
            return _dispatch(args)
    except InputError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2


@contextlib.contextmanager
def _settings_in_use(path: Path | None):
    """While a command runs, `--settings` is the settings file everything finds, also what
    reads the settings by itself (the themes in use, the targets folders) and the report
    kernels, which inherit the environment."""
    from inclusie_analysis.settings import ENV_VAR

    if path is None:
        yield
        return
    before = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(Path(path).resolve())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = before


def _dispatch(args: argparse.Namespace) -> int:
    from inclusie_analysis.settings import load_settings

    if args.command == "inspect":
        from inclusie_analysis.read.codebook_draft import describe_questions
        from inclusie_analysis.read.readers import describe_export, read_export

        raw = read_export(args.file, sheet=args.sheet)
        print(describe_export(raw))
        questions = describe_questions(raw)
        if questions:
            print("Vragen over meer kolommen of met meer antwoorden per cel:")
            print("\n".join(questions))
        return 0
    settings = load_settings(args.settings)
    if args.command == "codebook":
        from inclusie_analysis.read.codebook_draft import write_draft

        return write_draft(
            args.export, args.previous, args.out, args.wave, args.instrument, themes=settings.themes
        )
    if args.command == "targets":
        return _draft_targets(settings, args.year, args.previous, args.out)
    if args.command == "themes" and args.themes_command == "learn":
        return _themes_learn(settings, args.files, args.out, args.kappa)
    if args.command == "demo":
        return _demo(args.out or settings.demo, args.seed, args.scale, args.only)
    if args.command == "key":
        return _key(settings, args.create)
    if args.command == "themes":
        return _themes(settings, args)
    input_root = args.input or settings.raw
    as_of = _as_of(args.as_of)
    demo = args.command == "run" and args.demo
    if demo and args.input is None:
        _demo(settings.demo, seed=1, scale=1)
        input_root = settings.demo
    year = _year(args.year, settings.year, input_root)
    if args.command == "clean":
        data = _clean(settings, input_root, year, as_of)
        return 1 if (data.files["status"] != "ok").any() else 0
    return _report(settings, input_root, year, as_of, args, demo=demo)


def _year(chosen: int | None, configured: int | None, input_root: Path) -> int:
    """--year, else report.year of the settings, else the latest year folder with data."""
    if chosen:
        return chosen
    if configured is not None:
        return configured
    from inclusie_analysis.clean.datasets import latest_year
    from inclusie_analysis.clean.sources import display_path

    year = latest_year(input_root)
    print(
        f"Jaar {year} gekozen: de recentste map met gegevens in {display_path(input_root)}. "
        "Kies een ander jaar met --year."
    )
    return year


def _as_of(text: str | None) -> str | None:
    if text is None:
        return None
    import pandas as pd

    try:
        return pd.Timestamp(text).date().isoformat()
    except ValueError:
        raise InputError(
            f"--as-of '{text}' is geen datum.", hint="Schrijf de datum als JJJJ-MM-DD."
        ) from None


def _demo(out: Path, seed: int, scale: int, only: str | None = None) -> int:
    from inclusie_analysis.demo import write_demo

    start = time.perf_counter()
    summary = write_demo(out, seed=seed, scale=scale, only=only)
    print(
        f"Synthetische demodata geschreven naar {out} ({len(summary.files)} bestanden, "
        f"{time.perf_counter() - start:.1f} s)."
    )
    return 0


def _draft_targets(settings, year: int, previous: str | None, out: Path | None) -> int:
    from inclusie_analysis.analyse.indicators import write_targets_draft

    source = None if previous is None else int(previous) if previous.isdigit() else Path(previous)
    draft = write_targets_draft(year, settings, source, out)
    print(
        f"Ontwerp van de doelen voor {year} geschreven naar {draft.path} (uit {draft.source}). "
        f"Kijk de {draft.checks} regels met # CONTROLEER na en pas ze aan het actieplan aan."
    )
    if not draft.found:
        folder = draft.path.parent
        if folder.is_relative_to(settings.root):
            folder = folder.relative_to(settings.root)
        print(
            f"Let op: de rapporten vinden dit bestand pas als paths.targets naar "
            f"{draft.path.parent} wijst. Zet in {settings.source or 'inclusie.toml'} onder "
            f'[paths]: targets = "{folder.as_posix()}"',
            file=sys.stderr,
        )
    return 0


def _themes(settings, args: argparse.Namespace) -> int:
    """`inclusie themes sample|agree`: the coding workbook and the coders' agreement."""
    if args.themes_command == "agree":
        from inclusie_analysis.analyse.agreement import run_agree

        return run_agree(args.workbooks, args.out, args.decisions, args.gold, settings.themes)
    if args.themes_command != "sample":
        raise InputError(f"onbekende opdracht 'themes {args.themes_command}'.")
    from inclusie_analysis.analyse.coding_workbook import write_sample

    year = args.year or settings.year
    if args.data is None:
        year = year or _latest_cleaned(settings.reports)
    data = args.data or settings.reports / str(year) / "data"
    out = args.out
    if out is None:  # beside the cleaned data, in a folder as private as theirs
        from inclusie_analysis.paths import private_dir

        name = f"codeerwerkboek-{year}.xlsx" if year else "codeerwerkboek.xlsx"
        out = private_dir(Path(data).parent / "coderen") / name
    paths = write_sample(data, out, args.n, args.seed, args.second_coder, settings.themes, year)
    print(f"Codeerwerkboek geschreven: {', '.join(map(str, paths))}.")
    return 0


def _latest_cleaned(reports: Path) -> int:
    """The latest year under the reports folder with cleaned data."""
    years = sorted(
        (int(p.parent.parent.name) for p in Path(reports).glob("*/data/answers_text.parquet")
         if p.parent.parent.name.isdigit()),
        reverse=True,
    )  # fmt: skip
    if not years:
        raise InputError(
            "er zijn geen opgeschoonde gegevens.",
            file=str(reports),
            hint="Voer eerst 'inclusie clean' uit, of kies het jaar met --year.",
        )
    return years[0]


def _themes_learn(settings, files: list[Path], out: Path | None, kappa: float | None) -> int:
    from inclusie_analysis.analyse.theme_training import cv_text, learn

    target = out or settings.theme_model or settings.root / "surveys" / "theme_model.json"
    learnt = learn(files, target, settings.themes, kappa)
    micro = learnt.cv.iloc[-1]
    print(f"Kruisvalidatie (gegroepeerde folds; rechts de trefwoorden ter vergelijking):\n"
          f"{cv_text(learnt.cv)}\n")  # fmt: skip
    print(learnt.suggestions.read_text(encoding="utf-8"))
    print(
        f"Model geschreven naar {learnt.model} (precisie {micro['precision']:.2f}, recall "
        f"{micro['recall']:.2f} over alle groepen); suggesties in {learnt.suggestions}."
    )
    if settings.theme_model is None or learnt.model.resolve() != settings.theme_model.resolve():
        print(
            f"Let op: het opschonen gebruikt dit model pas als paths.theme_model ernaar wijst. "
            f"Zet in {settings.source or 'inclusie.toml'} onder [paths]: "
            f'theme_model = "{learnt.model.as_posix()}"',
            file=sys.stderr,
        )
    return 0


def _key(settings, create: bool) -> int:
    from inclusie_analysis.clean.privacy import ENV_KEY, create_key, key_fingerprint, load_key

    if not create:
        if ENV_KEY in os.environ:
            where = f"de omgevingsvariabele {ENV_KEY} (gaat voor op {settings.pseudonym_key})"
        elif settings.pseudonym_key.exists():
            where = str(settings.pseudonym_key)
        else:
            print(
                f"Pseudoniemsleutel: {settings.pseudonym_key} (bestaat nog niet). Maak er één "
                "met --create."
            )
            return 0
        fingerprint = key_fingerprint(load_key(settings.pseudonym_key))
        print(f"Pseudoniemsleutel: {where}, vingerafdruk {fingerprint}.")
        return 0
    path = create_key(settings.pseudonym_key)
    print(
        f"Nieuwe pseudoniemsleutel geschreven naar {path}. Bewaar hem buiten git en hergebruik "
        "hem elk jaar."
    )
    return 0


def _clean(settings, input_root: Path, year: int, as_of: str | None = None, demo: bool = False):
    """Clean every survey export up to `year` once; write data, ledger and quality report.

    The pseudonym key is the user's (`privacy.load_key`), also on demo files; only `run
    --demo` (`demo`) uses the public demo key, and only on the unchanged folder `inclusie
    demo` wrote. Which key it was (its fingerprint, never the key) goes into meta.json."""
    from inclusie_analysis.analyse.indicators import TARGETS_DIR
    from inclusie_analysis.clean.datasets import clean_year, write_frames
    from inclusie_analysis.clean.quality import write_quality_report
    from inclusie_analysis.paths import portable

    start = time.perf_counter()
    key, used = _key_loader(settings, input_root, demo)
    regions = _load_regions(settings)  # read and checked once, for the frames and for the reports
    data, events = clean_year(
        input_root,
        year,
        codebooks_dir=settings.codebooks,
        events_config=settings.events_config,
        taxonomy=settings.themes,
        targets_dir=settings.targets or TARGETS_DIR,
        key=key,
        aliases=settings.aliases,
        region_mapping=regions,
        region_column=settings.region_column,
        as_of=as_of,
    )
    out = settings.reports / str(year) / "data"
    write_frames({**data.frames(), **events.frames()}, out)
    _write_clean_meta(settings, out, input_root, year, as_of, events, used, regions)
    # What is published (the quality report, run.log) names folders relative to the settings
    # folder, never with the home folder; the console keeps the user's own paths.
    published = portable(events.sources, settings.root)
    xlsx, _ = write_quality_report(
        data.ledger,
        _relative_paths(data.fixes, input_root, settings.root),
        _relative_paths(data.files, input_root, settings.root),
        out.parent,
        year,
        sources=published,
    )
    log = out.parent / "run.log"
    _say_cleaned(settings, input_root, year, data, events, xlsx, log, start)
    _say_clean_problems(data, events, published, log)
    return data


def _key_loader(settings, input_root: Path, demo: bool):
    """A function giving the pseudonym key, loaded once (the demo folder checked once) when
    first needed, and the dict it fills with which key it was (for meta.json)."""
    from inclusie_analysis.clean.privacy import ENV_KEY, demo_key, key_fingerprint, load_key

    used: dict = {}
    loaded: list[bytes] = []

    def key() -> bytes:
        if not loaded:
            if demo:
                loaded.append(demo_key(input_root))
                source = "demo"
            else:
                loaded.append(load_key(settings.pseudonym_key))
                source = "omgevingsvariabele" if ENV_KEY in os.environ else "bestand"
            used.update(fingerprint=key_fingerprint(loaded[0]), demo=demo, source=source)
        return loaded[0]

    return key, used


def _write_clean_meta(
    settings,
    out: Path,
    input_root: Path,
    year: int,
    as_of: str | None,
    events,
    used: dict,
    regions=None,
) -> None:
    """meta.json beside the cleaned data: sources, reference files and the key's fingerprint."""
    from inclusie_analysis.analyse.indicators import TARGETS_DIR, find_targets
    from inclusie_analysis.clean.datasets import write_meta
    from inclusie_analysis.read.themes import themes_file

    targets = find_targets(year, settings.targets or TARGETS_DIR)
    references = {"themes": themes_file(settings.themes), "targets": targets,
                  "referentieregios": _keep_regions(settings, out, regions),
                  "region_mapping": settings.region_mapping}  # fmt: skip
    write_meta(
        out,
        input_root,
        year,
        as_of,
        events.sources,
        references,
        root=settings.root,
        key=used or None,
    )


def _say_cleaned(
    settings, input_root: Path, year: int, data, events, xlsx, log: Path, start: float
) -> None:
    """Print the one-line summary of the cleaning and add it to run.log."""
    from inclusie_analysis.paths import portable_path
    from inclusie_analysis.publish.report import log_line

    files = data.files
    summary = (
        f"{int(files['rows_in'].sum())} rijen uit {len(files)} bestanden → "
        f"{len(data.respondents)} antwoorden, {_count(events, 'register', 'events', year)} "
        f"activiteiten, {_count(events, 'feedback', 'feedback', year)} feedbackantwoorden van "
        f"{year}; {int(files['merged'].sum())} samengevoegd, {int(files['rejected'].sum())} "
        f"afgewezen ({time.perf_counter() - start:.1f} s). Datakwaliteit: "
    )
    print(f"Opgeschoond: {summary}{xlsx}")
    log_line(
        log,
        f"opschonen {year} uit {portable_path(input_root, settings.root)}: "
        f"{summary}{portable_path(xlsx, settings.root)}",
    )


def _say_clean_problems(data, events, published, log: Path) -> None:
    """Warn (console and run.log) about files not cleaned, sheets chosen and missing data."""
    from inclusie_analysis.clean.sources import missing_sentences
    from inclusie_analysis.publish.report import log_line

    files = data.files
    failures = files.loc[files["status"] != "ok"]
    unlinked = failures["error"].str.contains("geen activiteitenregister van", regex=False)
    for failure in failures.loc[~unlinked].itertuples():
        print(f"Let op: {failure.file} niet opgeschoond: {failure.error}", file=sys.stderr)
        log_line(log, f"niet opgeschoond: {failure.file}: {failure.error}")
    if unlinked.any():  # one line for all of them; the missing register is said below
        names = ", ".join(failures.loc[unlinked, "file"].head(3))
        more = f" en {int(unlinked.sum()) - 3} andere" if unlinked.sum() > 3 else ""
        text = (
            f"{int(unlinked.sum())} aanwezigheidslijst(en) niet opgeschoond ({names}{more}): "
            "er is geen activiteitenregister om ze aan te koppelen."
        )
        print(f"Let op: {text}", file=sys.stderr)
        log_line(log, f"niet opgeschoond: {text}")
    for fix in data.fixes.loc[data.fixes["action"] == "sheet_chosen"].itertuples():
        print(f"Let op: {fix.file}: {fix.message}", file=sys.stderr)
        log_line(log, f"{fix.file}: {fix.message}")
    for text, said in zip(
        missing_sentences(events.sources), missing_sentences(published), strict=True
    ):  # last, so it is what staff see
        print(f"Gegevens ontbreken: {text}", file=sys.stderr)
        log_line(log, f"gegevens ontbreken: {said}")


def _relative_paths(frame, input_root: Path, root: Path):
    """`frame` with the input folder in its text columns (errors name their file) written
    relative to the settings folder, as published files must (no home folder)."""
    import pandas as pd

    from inclusie_analysis.paths import portable_path, replace_folder

    short = portable_path(input_root, root)
    frame = frame.copy()
    for column in frame.columns:
        if column != "file" and pd.api.types.infer_dtype(frame[column], skipna=True) == "string":
            frame[column] = frame[column].map(
                lambda text: replace_folder(text, input_root, short), na_action="ignore"
            )
    return frame


def _count(events, kind: str, frame: str, year: int) -> str:
    """How many rows of `frame` belong to `year`, or "?" when its input is missing."""
    from inclusie_analysis.clean.sources import is_missing

    if is_missing(events.sources, kind):
        return "?"
    rows = getattr(events, frame)
    return str(int((rows["year"] == year).sum()))


def _report(
    settings, input_root: Path, year: int, as_of: str | None, args, demo: bool = False
) -> int:
    """Clean once, then run the year's report suite; nonzero exit when anything failed."""
    from inclusie_analysis.publish.report import NOTEBOOKS, key_warning, plan_suite, run_suite

    start = time.perf_counter()
    out = settings.reports / str(year)
    formats = tuple(f.strip().lower() for f in args.formats.split(",") if f.strip())
    data = _clean(settings, input_root, year, as_of, demo=demo)
    jobs = plan_suite(
        out / "data",
        year,
        language=args.lang or settings.language,
        as_of=as_of,
        threshold=settings.suppression_threshold,
        only=args.only,
        notebooks=settings.notebooks or NOTEBOOKS,
        statistics={
            "mean_min_n": settings.mean_min_n,
            "nps_min_n": settings.nps_min_n,
            "protection_width": settings.protection_width,
        },
        resamples=settings.bootstrap_resamples,
        levels=settings.areas,
    )
    _protect(settings, out / "data", year, args.lang or settings.language)
    _theme_chooser(settings, out, year, args.lang or settings.language)
    results = run_suite(
        jobs,
        out,
        formats=formats,
        workers=args.jobs,
        progress=not args.no_progress,
        reuse_kernels=not args.kernel_per_report,
        audit=(settings.suppression_threshold, settings.protection_width),
        root=settings.root,
    )
    failed = [r for r in results if not r.ok]
    for result in failed:
        print(f"Rapport {result.report_id} mislukt: {result.error}", file=sys.stderr)
    audit_failed = _say_audit(out, settings.audit)
    warning = key_warning(out)
    if warning:
        print(f"Let op: {warning}", file=sys.stderr)
    print(
        f"{len(results) - len(failed)} van {len(results)} rapporten klaar in "
        f"{time.perf_counter() - start:.1f} s: {out / 'index.html'}"
    )
    if failed or (audit_failed and settings.audit == "refuse"):
        return 1
    return 1 if (data.files["status"] != "ok").any() else 0


def _load_regions(settings):
    """The user's region mapping (`paths.region_mapping`) read and checked, or None."""
    from inclusie_analysis.clean import areas

    if settings.region_mapping is None:
        return None
    return areas.load_region_mapping(settings.region_mapping, settings.region_column)


def _keep_regions(settings, data_dir: Path, mapping=None) -> Path:
    """Keep the user's region mapping (if any) beside the cleaned data, checked: the reports
    and the audit use those regions. `mapping` is the mapping the clean step already read
    (`_load_regions`); None reads it here. Returns the bundled referentieregio file (for
    meta)."""
    from inclusie_analysis.clean import areas
    from inclusie_analysis.clean.geo import reference_file

    (data_dir / areas.REGIONS_FILE).unlink(missing_ok=True)
    areas.use_regions(None)
    if settings.region_mapping is not None:
        if mapping is None:
            mapping = _load_regions(settings)
        areas.use_regions(mapping, settings.region_column)
        areas.save_regions(mapping, settings.region_column, data_dir)
    return reference_file(areas.REFERENTIEREGIO_FILE)


def _theme_chooser(settings, out: Path, year: int, language: str) -> None:
    """Write the planners' theme chooser (`themakiezer.html`) before the reports run, so the
    index links it; a failure is said and logged, the reports still run."""
    from inclusie_analysis.publish.runlog import log_line
    from inclusie_analysis.publish.theme_chooser import write_theme_chooser

    start = time.perf_counter()
    try:
        path = write_theme_chooser(
            out / "data", out, year, language, settings.suppression_threshold,
            settings.bootstrap_resamples,
        )  # fmt: skip
    except Exception as exc:  # the reports still run; the message says why
        message = f"Themakiezer niet gemaakt: {exc}"
        print(message, file=sys.stderr)
        log_line(out / "run.log", message)
        return
    print(f"Themakiezer: {path.name} ({time.perf_counter() - start:.1f} s).")


def _protect(settings, data_dir: Path, year: int, language: str) -> None:
    """Protect the linked tables of every yearly report once, before the reports run (they
    read the result): the levels' tables together, with the audit as judge."""
    from inclusie_analysis.clean.areas import use_data_regions
    from inclusie_analysis.publish.protection import suite_protection

    start = time.perf_counter()
    use_data_regions(data_dir)
    tables = suite_protection(data_dir, year, list(settings.areas), settings.suppression_threshold,
                              settings.protection_width, language)  # fmt: skip
    withheld = sum(frame is None for frame in tables.values())
    print(
        f"Bescherming: {len(tables)} gekoppelde tabellen over {1 + len(settings.areas)} "
        f"niveau(s), {withheld} te klein om te tonen ({time.perf_counter() - start:.1f} s)."
    )


def _say_audit(out: Path, mode: str) -> bool:
    """Print the disclosure audit's result (every disclosed cell named); True when it failed."""
    import json

    from inclusie_analysis.publish.report import AUDIT_FILE

    path = out / AUDIT_FILE
    if not path.exists():
        return False
    audit = json.loads(path.read_text(encoding="utf-8"))
    if audit["ok"]:
        print(audit["summary"])
        return False
    print(audit["summary"], file=sys.stderr)
    for line in audit["lines"]:
        print(f"Af te leiden: {line}", file=sys.stderr)
    if mode == "refuse":
        print("De rapporten zijn niet veilig om te publiceren (privacy.audit = \"refuse\").",
              file=sys.stderr)  # fmt: skip
    return True


if __name__ == "__main__":
    sys.exit(main())
