"""Run the year's report suite with papermill, in parallel, and export every report.

The suite is one yearly report for everyone ("Vlaanderen en Brussel"), one per province and
Brussels, and one feedback sheet per event. The data is cleaned once before; here each
report is a parameterised notebook executed by papermill and exported to HTML, Excel and PDF.

- **All-or-nothing per report.** A report is built in a temporary folder beside its target
  and moved into place only when the notebook ran and every export succeeded. A failing
  report keeps the earlier good one, leaves `<id>.failed.ipynb` for diagnosis and is named,
  with its cell and error, on one line; the other reports still finish.
- **Parallel, without paying start-up per report.** A process pool sized to the cores; each
  worker keeps one warm kernel and runs its reports in it one after the other, clearing the
  kernel's namespace and open figures between reports (imports stay loaded, which is where
  the time goes). `reuse_kernels=False` gives every report a fresh kernel instead.
- **Kernels that work in any environment.** The kernel is this Python (`sys.executable`),
  not whatever a "python3" kernelspec on the machine points to. A kernel that fails to start
  (e.g. a port clash when several start at once) is retried; every cell has a time limit,
  so a worker never hangs.
- **Strict parameters.** A parameter the notebook's `parameters` cell does not declare is an
  error (papermill itself only warns).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import secrets
import shutil
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from inclusie_analysis.errors import InputError

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks" / "reports"
FORMATS = ("html", "xlsx", "pdf")
KERNEL_NAME = "inclusie-analysis"
KERNEL_START_ATTEMPTS = 3
CELL_TIMEOUT = 600  # seconds; a cell running longer is stopped and the report fails
TOC_MARKER = "<!--inhoudstafel-->"
# IPython keeps every executed cell, the parameters cell too, in a history database under
# ~/.ipython; a report's kernel keeps none.
KERNEL_OPTIONS = ("--HistoryManager.enabled=False",)


MAX_REPORT_ID = 80  # a report folder's name; with '.failed.ipynb' or a temp suffix < 255 bytes


def slugify(text: str) -> str:
    """A file-name-safe id: 'Vlaanderen en Brussel' → 'vlaanderen-en-brussel'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def make_report_id(prefix: str, name: str, *, exact: bool = False) -> str:
    """The report's id and folder name: `prefix` + the slug of `name`, unique by construction.

    At most `MAX_REPORT_ID` characters: a longer slug is cut and the first 8 hex digits of the
    sha256 of the full `name` are appended, so two long names that share a beginning stay
    apart. With `exact` (event ids) the digest is also appended whenever the slug is not the
    name itself ('2025_001' and '2025-001' both slugify to '2025-001': the first gets
    'activiteit-2025-001-<digest>', the second keeps 'activiteit-2025-001'). A folder thus
    depends on its own id only, so it stays the same from run to run whatever other
    activities are added, and distinct ids give distinct folders.
    """
    slug = slugify(name)
    room = MAX_REPORT_ID - len(prefix)
    if len(slug) <= room and (slug == name or not exact) and slug:
        return prefix + slug
    stem = slug[: room - 9].rstrip("-")
    return prefix + (f"{stem}-" if stem else "") + _digest(name)


def _check_unique(jobs: list[ReportJob]) -> None:
    """Two reports with one folder would overwrite each other: an error naming both."""
    seen: dict[str, ReportJob] = {}
    for job in jobs:
        other = seen.setdefault(job.report_id, job)
        if other is not job:
            raise InputError(
                f"'{_source(other)}' en '{_source(job)}' krijgen dezelfde rapportmap "
                f"'{job.report_id}'.",
                hint="Geef een van beide activiteiten een ander nummer in het register.",
            )


def _source(job: ReportJob) -> str:
    """The id the report is made for: the event id or the area."""
    return str(job.parameters.get("event_id") or job.parameters.get("area") or job.title)


@dataclass(frozen=True)
class ReportJob:
    """One report of the suite: which notebook, with which parameters, into which folder."""

    report_id: str
    kind: str  # "jaarrapport" or "activiteit"
    title: str
    notebook: Path
    parameters: dict


@dataclass
class ReportResult:
    """How a report run went: where it was written, or which cell failed and why."""

    report_id: str
    kind: str
    title: str
    folder: Path
    ok: bool
    error: str | None = None
    failed_notebook: Path | None = None
    started: str | None = None
    finished: str | None = None
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Planning the suite


def plan_suite(
    data_dir: Path,
    year: int,
    *,
    language: str = "nl",
    as_of: str | None = None,
    threshold: int = 5,
    only: list[str] | None = None,
    notebooks: Path = NOTEBOOKS,
    statistics: dict[str, int] | None = None,
    resamples: int | None = None,
    levels: tuple[str, ...] | list[str] = ("provincie", "referentieregio"),
) -> list[ReportJob]:
    """The year's reports: the yearly report for everyone and per area of each of `levels`
    (provinces, referentieregio's, a user's regions), then one sheet per event of the year.

    `statistics` holds the [statistics] thresholds of the settings (`mean_min_n`,
    `nps_min_n`), passed to every notebook; `resamples` (the ranking's bootstrap) goes to the
    yearly reports only; None keeps the notebooks' defaults.

    `only` keeps the reports whose area, event id or report id is named (case and accents do
    not matter); "jaarrapport" keeps all yearly reports, "activiteiten" all event sheets.
    """
    from inclusie_analysis.clean.datasets import load_events
    from inclusie_analysis.publish.protection import suite_areas

    data_dir = Path(data_dir).resolve()
    common = {"year": year, "data_dir": str(data_dir), "language": language,
              "threshold": threshold, **(statistics or {})}  # fmt: skip
    levels = list(levels)
    jobs: list[ReportJob] = []
    for level, area in suite_areas(levels):
        report_id = make_report_id("jaarrapport-", area)
        if any(job.report_id == report_id for job in jobs):  # "Limburg": province and region
            report_id = make_report_id("jaarrapport-", f"{area} {level}")
        jobs.append(
            ReportJob(
                report_id, "jaarrapport", area, notebooks / "jaarrapport.ipynb",
                {**common, "area": area, "level": level, "levels": levels, "as_of": as_of,
                 **({"bootstrap_resamples": resamples} if resamples else {})},
            )
        )  # fmt: skip
    events = load_events(data_dir).events
    for event in events.loc[events["year"] == year].sort_values("event_id").itertuples():
        jobs.append(
            ReportJob(
                make_report_id("activiteit-", str(event.event_id), exact=True), "activiteit",
                f"{event.event_id} {event.title}", notebooks / "activiteit.ipynb",
                {**common, "event_id": str(event.event_id)},
            )
        )  # fmt: skip
    _check_unique(jobs)
    return select_jobs(jobs, only) if only else jobs


def select_jobs(jobs: list[ReportJob], only: list[str]) -> list[ReportJob]:
    """The jobs `only` names; an unknown name is an error that lists what can be chosen."""
    groups = {"jaarrapport": "jaarrapport", "jaarrapporten": "jaarrapport",
              "activiteit": "activiteit", "activiteiten": "activiteit"}  # fmt: skip
    chosen: list[ReportJob] = []
    for name in only:
        key = slugify(name)
        exact = [job for job in jobs if name in (job.report_id, _source(job))]
        if exact:  # '2025_001' names that activity, not also '2025-001'
            hits = exact
        elif key in groups:
            hits = [job for job in jobs if job.kind == groups[key]]
        else:
            hits = [
                job
                for job in jobs
                if key
                in (
                    job.report_id,
                    slugify(job.parameters.get("area") or ""),
                    slugify(job.parameters.get("event_id") or ""),
                )
            ]
        if not hits:
            areas = [job.title for job in jobs if job.kind == "jaarrapport"]
            events = [job.parameters["event_id"] for job in jobs if job.kind == "activiteit"]
            shown = ", ".join(events[:5]) + (", ..." if len(events) > 5 else "")
            raise InputError(
                f"--only '{name}' noemt geen rapport van dit jaar.",
                hint=f"Kies een gebied ({', '.join(areas)}), een activiteit ({shown}), "
                "'jaarrapport' of 'activiteiten'.",
            )
        chosen += [job for job in hits if job not in chosen]
    return chosen


def check_parameters(notebook: Path, parameters: dict) -> None:
    """Refuse parameters the notebook's `parameters` cell does not declare (papermill warns
    only, so a typo would silently run the report with its default)."""
    import papermill

    declared = set(papermill.inspect_notebook(str(notebook)))
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise InputError(
            f"{notebook.name}: onbekende parameter(s) {', '.join(unknown)}.",
            hint=f"Het parameters-blok van het notebook kent: {', '.join(sorted(declared))}.",
        )


# ---------------------------------------------------------------------------------------------
# Running the suite


def run_suite(
    jobs: list[ReportJob],
    out_root: Path,
    *,
    formats: tuple[str, ...] = FORMATS,
    workers: int | None = None,
    progress: bool = True,
    reuse_kernels: bool = True,
    audit: tuple[int, int] | None = None,
    root: Path | None = None,
) -> list[ReportResult]:
    """Run every job (in a process pool of `workers`, default: one per core), write
    `index.html` and `manifest.json`, and return the results in the order of `jobs`.
    The manifest's paths are relative to `root` (the settings folder), else to `out_root`.

    With `audit` = (threshold, protection width) the published tables of the year are audited
    for disclosure (`audit_disclosure`) before the index is written; the index says the result.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise InputError(
            f"onbekend formaat {', '.join(unknown)}.", hint=f"Kies uit {', '.join(FORMATS)}."
        )
    for job in jobs:
        check_parameters(job.notebook, {**job.parameters, "output_dir": ""})
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    log = out_root / "run.log"
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    started = time.time()
    log_line(
        log, f"start: {len(jobs)} rapporten, {workers} tegelijk, formaten {', '.join(formats)}"
    )
    _check_unique(jobs)
    done: dict[str, ReportResult] = {}
    try:
        if workers == 1:
            _run_serial(jobs, out_root, formats, progress, reuse_kernels, log, done)
        else:
            _run_parallel(jobs, out_root, formats, workers, progress, reuse_kernels, log, done)
    except Exception as exc:  # the run itself broke (e.g. the process pool): reports not
        # done are failed, and the index and manifest still say so
        reason = f"niet uitgevoerd: de rapportrun stopte ({_one_line_error(exc, out_root)})"
        for job in jobs:
            if job.report_id not in done:
                done[job.report_id] = _failure(job, out_root, reason)
                _log_result(log, done[job.report_id])
    results = [done[job.report_id] for job in jobs]
    failed = [r for r in results if not r.ok]
    log_line(
        log,
        f"klaar: {len(results) - len(failed)} gelukt, {len(failed)} mislukt, "
        f"{time.time() - started:.1f} s",
    )
    write_manifest(out_root, jobs, results, formats, workers, root=root)
    if warning := key_warning(out_root):
        log_line(log, f"let op: {warning}")
    if audit is not None:
        try:
            audit_disclosure(out_root, *audit, log=log)
        except Exception as exc:  # the index is written all the same, and says it
            (out_root / AUDIT_FILE).write_text(json.dumps({
                "ok": False, "hidden": None, "narrowest": None, "lines": [],
                "summary": f"Controle op onthulling niet gelukt: "
                           f"{_one_line_error(exc, out_root)}"}, ensure_ascii=False),
                encoding="utf-8")  # fmt: skip
    write_index(out_root)
    return results


AUDIT_FILE = "onthulling.json"


def audit_disclosure(out_root: Path, threshold: int, width: int, log: Path | None = None) -> dict:
    """Audit every published count table of the year's reports (`disclosure.audit_suite`):
    write `onthulling.xlsx` (every hidden cell's interval, the disclosed ones first) and
    `onthulling.json` (the figures and one line per disclosed cell), log them and return the
    latter. Tables that contradict each other count as a failed audit."""
    from inclusie_analysis.publish.disclosure import audit_suite
    from inclusie_analysis.publish.excel import write_tables

    out_root = Path(out_root)
    try:
        result = audit_suite(out_root, threshold, width)
    except ValueError as exc:
        summary = {"ok": False, "hidden": None, "narrowest": None, "lines": [str(exc)]}
        summary["summary"] = f"Controle op onthulling niet gelukt: {exc}"
    else:
        summary = {
            "ok": result.ok,
            "hidden": result.hidden,
            "narrowest": result.narrowest,
            "summary": result.summary(),
            "lines": result.lines(),
        }
        write_tables(
            out_root / "onthulling.xlsx",
            {"Af te leiden cellen": result.findings, "Alle verborgen cellen": result.intervals},
        )
    (out_root / AUDIT_FILE).write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    if log is not None:
        log_line(log, summary["summary"])
        for line in summary["lines"]:
            log_line(log, f"af te leiden: {line}")
    return summary


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="Rapporten", unit="rapport", disable=not enabled, leave=True)


def _run_serial(jobs, out_root, formats, progress, reuse, log, done) -> None:
    with _progress(len(jobs), progress) as bar, _stderr_to(log):
        try:
            for job in jobs:
                done[job.report_id] = _run_guarded(job, out_root, formats, reuse)
                _log_result(log, done[job.report_id])
                bar.update()
        finally:
            _shutdown_kernel()


def _run_parallel(jobs, out_root, formats, workers, progress, reuse, log, done) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("spawn")  # no inherited threads or kernels
    with (
        _progress(len(jobs), progress) as bar,
        ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                            initargs=(str(log),)) as pool,
    ):  # fmt: skip
        futures = {pool.submit(_run_guarded, job, out_root, formats, reuse): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker process itself died
                result = _failure(
                    job, out_root, f"werkproces gestopt: {_one_line_error(exc, out_root)}"
                )
            done[job.report_id] = result
            _log_result(log, result)
            bar.update()


def _run_guarded(job, out_root, formats, reuse) -> ReportResult:
    """`run_job`, whose every failure becomes a failed result: one report never stops the run."""
    try:
        return run_job(job, out_root, formats, reuse)
    except Exception as exc:
        return _failure(
            job, out_root, f"mislukt buiten het rapport: {_one_line_error(exc, out_root)}"
        )


def run_job(
    job: ReportJob, out_root: Path, formats: tuple[str, ...] = FORMATS, reuse_kernel: bool = True
) -> ReportResult:
    """Execute one report into a temporary folder, export it, and move it into place.

    Whatever fails, from making the temporary folder to the last export and the move into
    place, fails this report only: it comes back as a failed result with a Dutch reason.
    """
    out_root = Path(out_root)
    target = out_root / job.report_id
    failed = out_root / f"{job.report_id}.failed.ipynb"
    start = time.time()
    began = _now()
    log = out_root / "run.log"
    work = executed = None
    stage = "de tijdelijke map maken"
    try:
        work = _work_folder(out_root, job.report_id)
        executed = work / "report.ipynb"
        stage = "het notebook uitvoeren"
        _execute(job, executed, _notebook_parameters(job, work), reuse_kernel, log, cwd=work)
        stage = "het notebook nakijken"
        publishable_notebook(executed, job, work, out_root)
        move_stderr_to_log(executed, log, job.report_id)
        language = job.parameters.get("language", "nl")
        if "html" in formats or "pdf" in formats:
            stage = "de HTML maken"
            export_html(executed, work / "report.html", language=language, title=job.title)
        if "pdf" in formats:
            stage = "de PDF maken"
            export_pdf(work / "report.html", work / "report.pdf")
        stage = "de bestanden kiezen"
        if "html" not in formats:
            (work / "report.html").unlink(missing_ok=True)
        if "xlsx" in formats and not (work / "tabellen.xlsx").exists():
            raise RuntimeError("het notebook schreef geen tabellen.xlsx (book.write_excel())")
        if "xlsx" not in formats:
            for name in ("tabellen.xlsx", "tabellen.json"):
                (work / name).unlink(missing_ok=True)
        stage = "de rapportmap op haar plaats zetten"
        _replace(work, target)
        work = None
        failed.unlink(missing_ok=True)
        files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    except Exception as exc:  # the earlier report stays; the reason goes back to the caller
        with contextlib.suppress(Exception):
            if executed is not None and executed.exists():
                with contextlib.suppress(Exception):
                    publishable_notebook(executed, job, work, out_root)
                shutil.copyfile(executed, failed)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        if not _is_cell_error(exc):
            _shutdown_kernel()  # a kernel that died, hung or timed out is not reused
        message = _describe_failure(exc, job, failed if _exists(failed) else None, stage)
        return _failure(job, out_root, _relative_text(message, out_root), began, start)
    finally:
        if not reuse_kernel:
            _shutdown_kernel()
    return ReportResult(job.report_id, job.kind, job.title, target, True, started=began,
                        finished=_now(), seconds=round(time.time() - start, 2),
                        files=files)  # fmt: skip


def _work_folder(out_root: Path, report_id: str) -> Path:
    """A new hidden folder beside the report's, made with the user's umask (unlike
    `tempfile.mkdtemp`'s 0700): the report folder it becomes is readable as the user's
    other files are."""
    for _ in range(10):
        work = out_root / f".{report_id}-{secrets.token_hex(4)}"
        try:
            work.mkdir()
            return work
        except FileExistsError:
            continue
    raise FileExistsError(f"geen vrije tijdelijke map voor {report_id}")


def _notebook_parameters(job: ReportJob, work: Path) -> dict:
    """The parameters as the published notebook shows them: the data folder relative to the
    report's folder ("../data", as the kernel runs in it; it also works when the notebook
    is opened in JupyterLab from its folder) and the output folder ".": no absolute path."""
    from inclusie_analysis.publish.paths import portable_path

    parameters = {**job.parameters, "output_dir": "."}
    if parameters.get("data_dir"):
        parameters["data_dir"] = portable_path(parameters["data_dir"], work)
    return parameters


def publishable_notebook(notebook: Path, job: ReportJob, work: Path, out_root: Path) -> None:
    """Take absolute paths out of an executed notebook: papermill's record of the input and
    output paths becomes the notebook's name and 'report.ipynb', and a path of the report's
    folder or of the year folder printed in an output becomes '.' or '..'."""
    import nbformat

    text = notebook.read_text(encoding="utf-8")
    for path, shown in ((work, "."), (out_root, "..")):
        for form in {str(path), str(Path(path).resolve())}:
            text = text.replace(json.dumps(form)[1:-1], shown)
    nb = nbformat.reads(text, as_version=4)
    record = nb.metadata.get("papermill", {})
    if "input_path" in record:
        record["input_path"] = job.notebook.name
    if "output_path" in record:
        record["output_path"] = "report.ipynb"
    nbformat.write(nb, notebook)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a name too long for the file system
        return False


def _relative_text(text: str, out_root: Path) -> str:
    """A message with the year folder's absolute path left out (it goes into the manifest)."""
    from inclusie_analysis.publish.paths import replace_folder

    return replace_folder(text, out_root, ".", separator=True)


def _one_line_error(exc: BaseException, out_root: Path) -> str:
    return _relative_text(f"{type(exc).__name__}: {' '.join(str(exc).split())}", Path(out_root))


def _failure(job, out_root, message, began=None, start=None) -> ReportResult:
    failed = Path(out_root) / f"{job.report_id}.failed.ipynb"
    return ReportResult(
        job.report_id, job.kind, job.title, Path(out_root) / job.report_id, False, message,
        failed if _exists(failed) else None, began, _now(),
        round(time.time() - start, 2) if start else 0.0,
    )  # fmt: skip


def _replace(work: Path, target: Path) -> None:
    """Put the new report in place of the old one with two renames (never half a report);
    when the second rename fails, the old report is put back."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    try:
        work.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _execute(
    job: ReportJob,
    executed: Path,
    parameters: dict,
    reuse_kernel: bool,
    log: Path | None = None,
    cwd: Path | None = None,
) -> None:
    import papermill

    _register_engine()
    papermill.execute_notebook(
        str(job.notebook),
        str(executed),
        parameters=parameters,
        engine_name="inclusie-warm",
        kernel_name=KERNEL_NAME,
        language="python",
        progress_bar=False,
        log_output=False,
        execution_timeout=CELL_TIMEOUT,
        start_timeout=60,
        warnings_log=str(log) if log else None,
        report_id=job.report_id,
        kernel_cwd=str(Path(cwd).resolve()) if cwd else None,
    )


# ---------------------------------------------------------------------------------------------
# One warm kernel per worker process

_KERNEL = None
_ENGINE_REGISTERED = False


def _kernel_spec_manager():
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class ThisPython(KernelSpecManager):
        """Every kernel name means this interpreter, so reports run in this environment."""

        def get_kernel_spec(self, kernel_name, *args, **kwargs):
            return KernelSpec(
                argv=[
                    sys.executable,
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                    *KERNEL_OPTIONS,
                ],
                display_name="Python (inclusie-analysis)",
                language="python",
                env={"PYDEVD_DISABLE_FILE_VALIDATION": "1"},
            )

    return ThisPython()


def _kernel():
    """The worker's running kernel, started (with retries) when there is none."""
    global _KERNEL
    if _KERNEL is not None and _KERNEL.is_alive():
        return _KERNEL
    _shutdown_kernel()
    from jupyter_client import KernelManager

    last = None
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        manager = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=_kernel_spec_manager())
        try:
            manager.start_kernel()
            client = manager.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=60)
            finally:
                client.stop_channels()
            # nbclient polls replies and output concurrently on one event loop: its clients
            # must be asynchronous, or a blocking read would outlast the cell time limit
            from jupyter_client.asynchronous import AsyncKernelClient

            manager.client_factory = AsyncKernelClient
            _KERNEL = manager
            return manager
        except Exception as exc:  # e.g. a port taken by a kernel started at the same moment
            last = exc
            with contextlib.suppress(Exception):
                manager.shutdown_kernel(now=True)
            time.sleep(0.5 * attempt)
    raise RuntimeError(f"de Python-kernel startte niet na {KERNEL_START_ATTEMPTS} pogingen: {last}")


def _shutdown_kernel() -> None:
    global _KERNEL
    if _KERNEL is not None:
        with contextlib.suppress(Exception):
            _KERNEL.shutdown_kernel(now=True)
        _KERNEL = None


# Run in the warm kernel before each report: nothing of the previous report survives but the
# imported modules (no variables, no open figures, no changed pandas or matplotlib settings).
RESET = """
get_ipython().run_line_magic("reset", "-f")
import sys as _sys, warnings as _warnings
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        _sys.modules["matplotlib"].rcdefaults()
if "pandas" in _sys.modules:
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        _sys.modules["pandas"].reset_option("all")
del _sys, _warnings
"""
# Then: library warnings go to the run log, never into the report (see capture_warnings).
CAPTURE = """
from inclusie_analysis.publish.report import capture_warnings as _capture
_capture({log!r}, {report_id!r})
del _capture
"""


def capture_warnings(log: str | Path | None, report_id: str) -> None:
    """In a report's kernel: send warnings (matplotlib, pandas, ...) to the run log as
    "<report-id>: waarschuwing: ...", so no library warning with a local path ever lands in
    a report. Called before every report; each report logs its own warnings again."""
    import logging
    import warnings

    logger = logging.getLogger("py.warnings")
    for handler in [h for h in logger.handlers if getattr(h, "inclusie_report", False)]:
        logger.removeHandler(handler)
        handler.close()
    handler = logging.FileHandler(log, encoding="utf-8") if log else logging.NullHandler()
    handler.inclusie_report = True
    handler.setFormatter(
        logging.Formatter(
            f"%(asctime)s {report_id}: waarschuwing: %(message)s", "%Y-%m-%d %H:%M:%S"
        )
    )
    handler.addFilter(_one_line)
    logger.addHandler(handler)
    logger.propagate = False  # not to the root logger, whose last resort is stderr
    logging.captureWarnings(True)
    # Warnings show once per place; resetting the registries lets this report log its own.
    filters = list(warnings.filters)
    warnings.resetwarnings()
    warnings.filters[:] = filters


def _one_line(record) -> bool:
    """A warning on one line of the run log (its message and the source line it quotes)."""
    record.msg, record.args = " ".join(record.getMessage().split()), ()
    return True


def move_stderr_to_log(notebook: Path, log: Path, report_id: str) -> int:
    """Take every stderr output (warnings a library printed itself) out of an executed
    notebook and append it to the run log; return how many were moved. The HTML and PDF
    are made from the notebook afterwards, so they never show them."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    moved = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        keep = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                moved.append((number, output.get("text", "")))
            else:
                keep.append(output)
        cell["outputs"] = keep
    if moved:
        nbformat.write(nb, notebook)
        for number, text in moved:
            for line in str(text).splitlines():
                if line.strip():
                    log_line(log, f"{report_id}: cel {number}: {line}")
    return len(moved)


def _register_engine() -> None:
    global _ENGINE_REGISTERED
    if _ENGINE_REGISTERED:
        return
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmKernelEngine(NBClientEngine):
        """papermill's nbclient engine, running in the worker's warm kernel."""

        @classmethod
        def execute_managed_notebook(
            cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
            start_timeout=60, execution_timeout=None, warnings_log=None, report_id="rapport",
            kernel_cwd=None, **kwargs,
        ):  # fmt: skip
            client = PapermillNotebookClient(
                nb_man, km=_kernel(), kernel_name=kernel_name, timeout=execution_timeout,
                startup_timeout=start_timeout, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file,
            )  # fmt: skip
            client.reset_execution_trackers()
            with client.setup_kernel():
                try:
                    reset = RESET + CAPTURE.format(log=warnings_log, report_id=report_id)
                    if kernel_cwd:  # relative parameters ("../data", ".") resolve from here;
                        # first, as the previous report's folder may be gone (a failure)
                        chdir = f"import os as _os\n_os.chdir({kernel_cwd!r})\ndel _os\n"
                        reset = chdir + reset
                    reply = client.wait_for_reply(
                        client.kc.execute(reset, silent=True, store_history=False)
                    )
                    if reply is None or reply["content"]["status"] != "ok":
                        raise RuntimeError("de kernel kon niet leeggemaakt worden")
                    client.papermill_execute_cells()
                    info = client.wait_for_reply(client.kc.kernel_info())
                    client.nb.metadata["language_info"] = info["content"]["language_info"]
                finally:
                    client.kc.stop_channels()
                    client.kc = None
            return client.nb

    papermill_engines.register("inclusie-warm", WarmKernelEngine)
    _ENGINE_REGISTERED = True


def _init_worker(log: str) -> None:
    """In each worker: kernels' and libraries' messages go to the run log, and the worker's
    kernel is shut down when the pool closes."""
    from multiprocessing import util

    handle = open(log, "ab")  # noqa: SIM115 - kept open for the worker's life
    os.dup2(handle.fileno(), 2)
    util.Finalize(None, _shutdown_kernel, exitpriority=100)


@contextlib.contextmanager
def _stderr_to(log: Path):
    """Send what kernels print on start-up (e.g. ipykernel's transport warning) to the run log.

    Kernels inherit our stderr; staff should see our messages, not the kernel's.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with log.open("ab") as target:
        os.dup2(target.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


# ---------------------------------------------------------------------------------------------
# Errors and the run log


def _is_cell_error(exc: Exception) -> bool:
    return type(exc).__name__ == "PapermillExecutionError"


def _describe_failure(
    exc: Exception, job: ReportJob, failed: Path | None, stage: str | None = None
) -> str:
    """Notebook, cell (or the step that failed), error and message on one line. The message
    may quote data (a title, an answer), and it goes to the console and the run log: it is
    scrubbed like the data."""
    from inclusie_analysis.clean.privacy import scrub

    where = f" Het uitgevoerde notebook staat in {failed.name}." if failed else ""
    if _is_cell_error(exc):
        first = next((line for line in exc.source.splitlines() if line.strip()), "").strip()
        evalue = scrub(" ".join(str(exc.evalue).split()))[0]
        return (
            f"{job.notebook.name}, cel {exc.cell_index + 1} van het uitgevoerde notebook "
            f"({first[:60]}): "
            f"{exc.ename}: {evalue}.{where}"
        )
    step = f"{stage} mislukt: " if stage else ""
    message = scrub(" ".join(str(exc).split()))[0]
    return f"{job.notebook.name}: {step}{type(exc).__name__}: {message}.{where}"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def log_line(log: Path, message: str) -> None:
    """Append one timestamped line to the run log."""
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}\n")


def _log_result(log: Path, result: ReportResult) -> None:
    if result.ok:
        log_line(log, f"{result.report_id}: klaar in {result.seconds:.1f} s")
    else:
        log_line(log, f"{result.report_id}: MISLUKT: {result.error}")


# ---------------------------------------------------------------------------------------------
# Exports

_EXPORTER = None
_FONTS = None


def export_html(notebook: Path, html_path: Path, language: str = "nl", title: str = "") -> None:
    """Export an executed notebook to one self-contained HTML file: no code, images embedded,
    a table of contents from the section headings, nothing fetched from the network."""
    global _EXPORTER
    import nbformat

    if _EXPORTER is None:
        from nbconvert import HTMLExporter

        templates = Path(__file__).resolve().parent / "templates"
        _EXPORTER = HTMLExporter(
            template_name="rapport",
            extra_template_basedirs=[str(templates)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
        )
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = title
    _EXPORTER.language_code = language  # the <html lang> attribute
    body, _ = _EXPORTER.from_notebook_node(nb)
    html_path.write_text(add_table_of_contents(body, language), encoding="utf-8")


def add_table_of_contents(body: str, language: str = "nl") -> str:
    """Replace the header's marker with links to every h2 section."""
    if TOC_MARKER not in body:
        return body
    sections = re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', body)
    if not sections:
        return body.replace(TOC_MARKER, "")
    label = "Inhoud" if language == "nl" else "Contents"
    items = "".join(f'<li><a href="#{anchor}">{text}</a></li>' for anchor, text in sections)
    nav = (
        f'<nav class="inhoud" aria-label="{label}"><p class="inhoud-titel">{label}</p>'
        f"<ol>{items}</ol></nav>"
    )
    return body.replace(TOC_MARKER, nav, 1)


# WeasyPrint's extra stylesheets count as the user's, below the document's own: hence !important
PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-right { content: counter(page) " / " counter(pages);
                        font-size: 8pt; color: #555; } }
body.jp-Notebook, main { max-width: none !important; padding: 0 !important; margin: 0 !important; }
.jp-Cell, .jp-OutputArea-output { padding: 0 !important; margin: 0 !important; }
header.rapport-kop h1 { margin-top: 0 !important; font-size: 18pt !important; }
.jp-RenderedHTMLCommon { font-size: 9pt !important; line-height: 1.35 !important; }
.jp-RenderedHTMLCommon h2 { font-size: 13pt !important; margin: 9pt 0 3pt !important; }
.jp-RenderedHTMLCommon p { margin: 2pt 0 4pt !important; }
.jp-RenderedHTMLCommon table.rapport-tabel td,
.jp-RenderedHTMLCommon table.rapport-tabel th { padding: 1.5pt 4pt !important; }
.waarschuwing { padding: 3pt 6pt !important; }
.rapport-tabel { font-size: 8pt !important; width: 100% !important; table-layout: auto !important; }
.rapport-tabel td, .rapport-tabel th { word-break: break-word !important; }
figure, .tabel-blok tr, header.rapport-kop { break-inside: avoid !important; }
img { height: auto; }  /* widths: the template and the figure itself */
h2 { break-after: avoid !important; }
"""


def export_pdf(html_path: Path, pdf_path: Path) -> None:
    """Render the HTML report to PDF with WeasyPrint (A4, page numbers, tables wrapped)."""
    global _FONTS
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    if _FONTS is None:
        _FONTS = FontConfiguration()
    HTML(filename=str(html_path)).write_pdf(
        str(pdf_path), stylesheets=[CSS(string=PRINT_CSS, font_config=_FONTS)], font_config=_FONTS
    )


# ---------------------------------------------------------------------------------------------
# Manifest and index


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    names = ("inclusie-analysis", "pandas", "numpy", "pyarrow", "matplotlib", "scipy",
             "papermill", "nbconvert", "nbclient", "ipykernel", "openpyxl",
             "weasyprint")  # fmt: skip
    out = {"python": sys.version.split()[0]}
    for name in names:
        with contextlib.suppress(PackageNotFoundError):
            out[name] = version(name)
    return out


def write_manifest(
    out_root: Path,
    jobs: list[ReportJob],
    results: list[ReportResult],
    formats,
    workers: int,
    root: Path | None = None,
) -> Path:
    """`manifest.json`: inputs (with sha256), parameters, versions, and per report its start,
    end and status, its `folder` and the id it was made for (`source_id`: event id or area).
    Reports not run this time keep their earlier entry. Paths are relative to `root` (the
    settings folder) or else to `out_root` (`paths.portable`; `paths_relative_to` says which):
    the manifest is published and names no home folder."""
    from inclusie_analysis.publish.paths import portable

    path = Path(out_root) / "manifest.json"
    previous = {}
    if path.exists():
        with contextlib.suppress(ValueError, KeyError):
            previous = json.loads(path.read_text(encoding="utf-8"))["reports"]
    meta_file = next(
        (
            Path(job.parameters["data_dir"]) / "meta.json"
            for job in jobs
            if "data_dir" in job.parameters
        ),
        None,
    )
    meta = (
        json.loads(meta_file.read_text(encoding="utf-8"))
        if meta_file and meta_file.exists()
        else {}
    )
    base = root or out_root
    reports = portable(previous, base)
    for job, result in zip(jobs, results, strict=True):
        entry = asdict(result) | {"notebook": job.notebook.name,
                                  "parameters": portable(job.parameters, base)}  # fmt: skip
        entry["folder"] = job.report_id
        entry["source_id"] = _source(job)
        entry["failed_notebook"] = result.failed_notebook.name if result.failed_notebook else None
        entry["status"] = "ok" if result.ok else "failed"
        entry.pop("ok")
        reports[job.report_id] = entry
    manifest = {
        "generated_at": _now(),
        "formats": list(formats),
        "workers": workers,
        "versions": _versions(),
        "paths_relative_to": "settings" if root else "year_folder",
        "data": portable(meta, base),
        "key": key_record(out_root, meta),
        "reports": reports,
    }
    path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return path


def key_record(out_root: Path, meta: dict) -> dict | None:
    """The manifest's `key`: the pseudonym key's fingerprint (never the key), whether it was
    the public demo key, and the comparison with the most recent earlier year's manifest in
    the same reports folder; `warning` says when the keys differ (pseudonyms of the two
    years cannot be linked). None when the cleaning needed no key."""
    key = meta.get("key") or {}
    if not key.get("fingerprint"):
        return None
    record = {"fingerprint": key["fingerprint"], "demo": bool(key.get("demo"))}
    earlier = _earlier_key(Path(out_root).parent, meta.get("year"))
    if earlier is not None:
        year, previous = earlier
        same = previous["fingerprint"] == record["fingerprint"]
        record["previous"] = {"year": year, "fingerprint": previous["fingerprint"],
                              "demo": bool(previous.get("demo")), "same": same}  # fmt: skip
        if not same:
            record["warning"] = f"andere sleutel dan in {year}: pseudoniemen niet koppelbaar"
            if previous.get("demo") != record["demo"]:
                which = year if previous.get("demo") else "nu"
                record["warning"] += f" ({which} de openbare demosleutel)"
    return record


def _earlier_key(reports_root: Path, year: object) -> tuple[int, dict] | None:
    """The key record of the most recent year before `year` whose manifest has one."""
    if not str(year).isdigit() or not reports_root.is_dir():
        return None
    names = [p.name for p in reports_root.iterdir() if p.name.isdigit()]
    for earlier in sorted((int(n) for n in names if int(n) < int(year)), reverse=True):
        path = reports_root / str(earlier) / "manifest.json"
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            key = manifest.get("key") or manifest.get("data", {}).get("key") or {}
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(key, dict) and key.get("fingerprint"):
            return earlier, key
    return None


def key_warning(out_root: Path) -> str | None:
    """The manifest's warning about a key other than the earlier year's, if any."""
    try:
        manifest = json.loads((Path(out_root) / "manifest.json").read_text(encoding="utf-8"))
        return (manifest.get("key") or {}).get("warning")
    except (OSError, ValueError, AttributeError):
        return None


def write_index(out_root: Path) -> Path:
    """`index.html`: every report of the year with links to its HTML, PDF and Excel file."""
    out_root = Path(out_root)
    manifest = json.loads((out_root / "manifest.json").read_text(encoding="utf-8"))
    rows: dict[str, list[str]] = {}
    for report_id, entry in manifest["reports"].items():
        folder = out_root / report_id
        links = []
        for name, label in (
            ("report.html", "HTML"),
            ("report.pdf", "PDF"),
            ("tabellen.xlsx", "Excel"),
        ):
            if (folder / name).exists():
                links.append(f'<a href="{report_id}/{name}">{label}</a>')
        status = "" if entry["status"] == "ok" else "laatste run mislukt, zie run.log"
        if not links and not status:
            continue
        folder_name = html.escape(entry.get("folder", report_id))
        group = entry["kind"]
        if group == "jaarrapport":
            group = f"jaarrapport:{(entry.get('parameters') or {}).get('level', 'provincie')}"
        rows.setdefault(group, []).append(
            f'<tr><th scope="row">{html.escape(entry["title"])}</th>'
            f"<td>{' · '.join(links) or '–'}</td>"
            f"<td><code>{folder_name}</code></td>"
            f"<td>{html.escape(status)}</td></tr>"
        )
    year = next((e["parameters"].get("year") for e in manifest["reports"].values()), "")
    sections = []
    levels = [k.split(":", 1)[1] for k in rows if k.startswith("jaarrapport:")]
    for kind, heading in (
        ("jaarrapport:vlaanderen", "Jaarrapport voor heel Vlaanderen en Brussel"),
        ("jaarrapport:provincie", "Jaarrapporten per provincie (en Brussel)"),
        ("jaarrapport:referentieregio", "Jaarrapporten per referentieregio"),
        *(
            (f"jaarrapport:{level}", f"Jaarrapporten per {level}")
            for level in levels
            if level not in ("vlaanderen", "provincie", "referentieregio")
        ),
        ("activiteit", "Feedback per activiteit"),
    ):
        if rows.get(kind):
            sections.append(
                f'<h2>{heading}</h2><table><thead><tr><th scope="col">Rapport</th>'
                f'<th scope="col">Bestanden</th><th scope="col">Map</th>'
                f'<th scope="col">Status</th></tr></thead>'
                f"<tbody>{''.join(rows[kind])}</tbody></table>"
            )
    notice = ("<p><strong>Let op: gemaakt met synthetische demodata, niet met echte antwoorden."
              "</strong></p>") if _synthetic(manifest) else ""  # fmt: skip
    if warning := (manifest.get("key") or {}).get("warning"):
        notice += (
            f'<div class="ontbreekt" role="alert"><p><strong>Let op: {html.escape(warning)}.'
            "</strong> Wie in beide jaren antwoordde of deelnam, is niet als dezelfde persoon "
            "te herkennen. Was dat niet de bedoeling, gebruik dan de sleutel van toen "
            "('inclusie key' toont de vingerafdruk; zie manifest.json).</p></div>"
        )
    notice += _missing_notice(manifest.get("data", {}).get("sources", []))
    notice += _audit_notice(out_root / AUDIT_FILE)
    page = (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>Rapporten {year}</title>"
        "<style>body{font-family:Segoe UI,Helvetica Neue,Arial,sans-serif;max-width:56rem;"
        "margin:2rem auto;"
        "padding:0 1rem;line-height:1.5}table{border-collapse:collapse;width:100%}"
        "th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #ddd}"
        ".ontbreekt{background:#fff3cd;border-left:4px solid #8a6d00;padding:.25rem 1rem}"
        "</style></head>"
        f"<body><h1>Rapporten digitale inclusie {year}</h1>{notice}"
        f"<p>Gemaakt op {html.escape(manifest['generated_at'])} met inclusie-analysis "
        f"{html.escape(manifest['versions'].get('inclusie-analysis', ''))}. Wat er liep, staat in "
        '<a href="run.log">run.log</a>; bronnen en versies in '
        '<a href="manifest.json">manifest.json</a>.</p>'
        f"{''.join(sections)}</body></html>"
    )
    path = out_root / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _synthetic(manifest: dict) -> bool:
    """Whether the index says "synthetische demodata": the demo key was used (only possible on
    the unchanged demo folder), or every input file in a year folder is named SYNTHETISCH."""
    data = manifest.get("data") or {}
    if (manifest.get("key") or {}).get("demo"):
        return True
    names = [i.get("file", "") for i in data.get("inputs", []) if "/" in i.get("file", "")]
    return bool(names) and all("SYNTHETISCH" in name.upper() for name in names)


def _audit_notice(path: Path) -> str:
    """The index's line on the disclosure audit (empty when it did not run)."""
    if not path.exists():
        return ""
    audit = json.loads(path.read_text(encoding="utf-8"))
    if audit["ok"]:
        return f'<p class="controle">{html.escape(audit["summary"])}</p>'
    return (
        '<div class="ontbreekt" role="alert"><h2>Controle op onthulling mislukt</h2>'
        f"<p>{html.escape(audit['summary'])} Deze cellen zijn niet veilig; publiceer de "
        'rapporten niet zo. Details in <a href="onthulling.xlsx">onthulling.xlsx</a> en '
        '<a href="run.log">run.log</a>.</p></div>'
    )


def _missing_notice(sources: list[dict]) -> str:
    """The index's box with every input of the year that is missing (empty when none is)."""
    from inclusie_analysis.analyse.sources import missing_sentences

    missing = missing_sentences(sources)
    if not missing:
        return ""
    items = "".join(f"<li>{html.escape(text)}</li>" for text in missing)
    return (
        '<div class="ontbreekt" role="note"><h2>Ontbrekende gegevens</h2>'
        f"<ul>{items}</ul><p>De rapporten zeggen dat deze gegevens ontbreken; ze tonen er geen "
        'nullen voor. Meer in <a href="datakwaliteit.html">datakwaliteit.html</a>.</p></div>'
    )
