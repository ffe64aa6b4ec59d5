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

This module runs the suite; the steps around it have their own modules: `suite` plans the
reports, `kernels` keeps the warm kernels and papermill's engine, `export` makes the HTML and
PDF, `index` writes the manifest, the disclosure audit and `index.html`, and `runlog` the run
log's lines and failure messages.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import time
from pathlib import Path

from inclusie_analysis.errors import InputError
from inclusie_analysis.publish.export import export_html, export_pdf
from inclusie_analysis.publish.index import (
    AUDIT_FILE,
    audit_disclosure,
    key_warning,
    write_index,
    write_manifest,
)
from inclusie_analysis.publish.kernels import (
    KERNEL_NAME,
    init_worker,
    move_stderr_to_log,
    register_engine,
    shutdown_kernel,
    stderr_to,
)
from inclusie_analysis.publish.runlog import (
    describe_failure,
    is_cell_error,
    log_line,
    log_result,
    one_line_error,
    relative_text,
    timestamp,
)
from inclusie_analysis.publish.suite import (
    FORMATS,
    NOTEBOOKS,
    ReportJob,
    ReportResult,
    check_parameters,
    check_unique,
    plan_suite,
)

# Imported from here by the command line (cli.py) and the benchmarks: they stay importable.
__all__ = ["AUDIT_FILE", "NOTEBOOKS", "key_warning", "log_line", "plan_suite", "run_suite"]

CELL_TIMEOUT = 600  # seconds; a cell running longer is stopped and the report fails

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
    _check_jobs(jobs, formats)
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    log = out_root / "run.log"
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    started = time.time()
    log_line(
        log, f"start: {len(jobs)} rapporten, {workers} tegelijk, formaten {', '.join(formats)}"
    )
    check_unique(jobs)
    done = _run_all(jobs, out_root, formats, workers, progress, reuse_kernels, log)
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
        _audit(out_root, audit, log)
    write_index(out_root)
    return results


def _check_jobs(jobs: list[ReportJob], formats: tuple[str, ...]) -> None:
    """Refuse an unknown format, and parameters a report's notebook does not declare."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise InputError(
            f"onbekend formaat {', '.join(unknown)}.", hint=f"Kies uit {', '.join(FORMATS)}."
        )
    for job in jobs:
        check_parameters(job.notebook, {**job.parameters, "output_dir": ""})


def _run_all(jobs, out_root, formats, workers, progress, reuse, log) -> dict[str, ReportResult]:
    """Every job's result by report id, the jobs run one by one or in a pool of `workers`."""
    done: dict[str, ReportResult] = {}
    try:
        if workers == 1:
            _run_serial(jobs, out_root, formats, progress, reuse, log, done)
        else:
            _run_parallel(jobs, out_root, formats, workers, progress, reuse, log, done)
    except Exception as exc:  # the run itself broke (e.g. the process pool): reports not
        # done are failed, and the index and manifest still say so
        reason = f"niet uitgevoerd: de rapportrun stopte ({one_line_error(exc, out_root)})"
        for job in jobs:
            if job.report_id not in done:
                done[job.report_id] = _failure(job, out_root, reason)
                log_result(log, done[job.report_id])
    return done


def _audit(out_root: Path, audit: tuple[int, int], log: Path) -> None:
    """The disclosure audit (`audit_disclosure`); when it breaks, `onthulling.json` says so,
    so that the index is written all the same and says it."""
    try:
        audit_disclosure(out_root, *audit, log=log)
    except Exception as exc:
        (out_root / AUDIT_FILE).write_text(json.dumps({
            "ok": False, "hidden": None, "narrowest": None, "lines": [],
            "summary": f"Controle op onthulling niet gelukt: "
                       f"{one_line_error(exc, out_root)}"}, ensure_ascii=False),
            encoding="utf-8")  # fmt: skip


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="Rapporten", unit="rapport", disable=not enabled, leave=True)


def _run_serial(jobs, out_root, formats, progress, reuse, log, done) -> None:
    with _progress(len(jobs), progress) as bar, stderr_to(log):
        try:
            for job in jobs:
                done[job.report_id] = _run_guarded(job, out_root, formats, reuse)
                log_result(log, done[job.report_id])
                bar.update()
        finally:
            shutdown_kernel()


def _run_parallel(jobs, out_root, formats, workers, progress, reuse, log, done) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("spawn")  # no inherited threads or kernels
    with (
        _progress(len(jobs), progress) as bar,
        ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker,
                            initargs=(str(log),)) as pool,
    ):  # fmt: skip
        futures = {pool.submit(_run_guarded, job, out_root, formats, reuse): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker process itself died
                result = _failure(
                    job, out_root, f"werkproces gestopt: {one_line_error(exc, out_root)}"
                )
            done[job.report_id] = result
            log_result(log, result)
            bar.update()


def _run_guarded(job, out_root, formats, reuse) -> ReportResult:
    """`run_job`, whose every failure becomes a failed result: one report never stops the run."""
    try:
        return run_job(job, out_root, formats, reuse)
    except Exception as exc:
        return _failure(
            job, out_root, f"mislukt buiten het rapport: {one_line_error(exc, out_root)}"
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
    began = timestamp()
    work = None
    stage = "de tijdelijke map maken"
    try:
        work = _work_folder(out_root, job.report_id)
        # the step that raises leaves its name in `stage`, for the failure message
        for stage, step in _steps(job, work, out_root, formats, reuse_kernel):  # noqa: B007
            step()
        stage = "de rapportmap op haar plaats zetten"
        _replace(work, target)
        work = None
        failed.unlink(missing_ok=True)
        files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    except Exception as exc:  # the earlier report stays; the reason goes back to the caller
        _keep_failed(job, work, out_root, failed)
        if not is_cell_error(exc):
            shutdown_kernel()  # a kernel that died, hung or timed out is not reused
        message = describe_failure(exc, job, failed if _exists(failed) else None, stage)
        return _failure(job, out_root, relative_text(message, out_root), began, start)
    finally:
        if not reuse_kernel:
            shutdown_kernel()
    return ReportResult(job.report_id, job.kind, job.title, target, True, started=began,
                        finished=timestamp(), seconds=round(time.time() - start, 2),
                        files=files)  # fmt: skip


def _steps(job: ReportJob, work: Path, out_root: Path, formats, reuse_kernel: bool):
    """The steps that build a report in `work`, each named (in Dutch) for the failure message:
    run the notebook, check it, export it, and keep the files of the chosen formats."""
    executed = work / "report.ipynb"
    log = out_root / "run.log"
    language = job.parameters.get("language", "nl")

    def execute() -> None:
        _execute(job, executed, _notebook_parameters(job, work), reuse_kernel, log, cwd=work)

    def check() -> None:
        publishable_notebook(executed, job, work, out_root)
        move_stderr_to_log(executed, log, job.report_id)

    def html() -> None:
        export_html(executed, work / "report.html", language=language, title=job.title)

    yield "het notebook uitvoeren", execute
    yield "het notebook nakijken", check
    if "html" in formats or "pdf" in formats:
        yield "de HTML maken", html
    if "pdf" in formats:
        yield "de PDF maken", lambda: export_pdf(work / "report.html", work / "report.pdf")
    yield "de bestanden kiezen", lambda: _keep_formats(work, formats)


def _keep_formats(work: Path, formats) -> None:
    """Remove the files of formats not asked for; an asked-for Excel file must be there."""
    if "html" not in formats:
        (work / "report.html").unlink(missing_ok=True)
    if "xlsx" in formats and not (work / "tabellen.xlsx").exists():
        raise RuntimeError("het notebook schreef geen tabellen.xlsx (book.write_excel())")
    if "xlsx" not in formats:
        for name in ("tabellen.xlsx", "tabellen.json"):
            (work / name).unlink(missing_ok=True)


def _keep_failed(job: ReportJob, work: Path | None, out_root: Path, failed: Path) -> None:
    """After a failure: keep the executed notebook (made publishable) as `<id>.failed.ipynb`
    for diagnosis, and remove the temporary folder."""
    executed = work / "report.ipynb" if work is not None else None
    with contextlib.suppress(Exception):
        if executed is not None and executed.exists():
            with contextlib.suppress(Exception):
                publishable_notebook(executed, job, work, out_root)
            shutil.copyfile(executed, failed)
    if work is not None:
        shutil.rmtree(work, ignore_errors=True)


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
    from inclusie_analysis.paths import portable_path

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


def _failure(job, out_root, message, began=None, start=None) -> ReportResult:
    failed = Path(out_root) / f"{job.report_id}.failed.ipynb"
    return ReportResult(
        job.report_id, job.kind, job.title, Path(out_root) / job.report_id, False, message,
        failed if _exists(failed) else None, began, timestamp(),
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

    register_engine()
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
