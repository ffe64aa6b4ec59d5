"""What the suite run says about itself: the run log's lines and the reasons a report failed.

Every line of `run.log` is timestamped; a failed report is one line naming the notebook, the
cell (or the step) and the error. Messages may quote data and go to the console and the run
log, so they are scrubbed like the data, and the year folder's absolute path is left out (the
messages also go into the published manifest).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inclusie_analysis.publish.suite import ReportJob, ReportResult


def is_cell_error(exc: Exception) -> bool:
    """Whether a cell of the notebook failed (not the kernel, an export or the folder)."""
    return type(exc).__name__ == "PapermillExecutionError"


def describe_failure(
    exc: Exception, job: ReportJob, failed: Path | None, stage: str | None = None
) -> str:
    """Notebook, cell (or the step that failed), error and message on one line. The message
    may quote data (a title, an answer), and it goes to the console and the run log: it is
    scrubbed like the data."""
    from inclusie_analysis.clean.privacy import scrub

    where = f" Het uitgevoerde notebook staat in {failed.name}." if failed else ""
    if is_cell_error(exc):
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


def timestamp() -> str:
    """Now, as the manifest and the results give a start or end time."""
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def log_line(log: Path, message: str) -> None:
    """Append one timestamped line to the run log."""
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}\n")


def log_result(log: Path, result: ReportResult) -> None:
    """One line of the run log on how a report went."""
    if result.ok:
        log_line(log, f"{result.report_id}: klaar in {result.seconds:.1f} s")
    else:
        log_line(log, f"{result.report_id}: MISLUKT: {result.error}")


def relative_text(text: str, out_root: Path) -> str:
    """A message with the year folder's absolute path left out (it goes into the manifest)."""
    from inclusie_analysis.paths import replace_folder

    return replace_folder(text, out_root, ".", separator=True)


def one_line_error(exc: BaseException, out_root: Path) -> str:
    """The exception's type and message on one line, without the year folder's path."""
    return relative_text(f"{type(exc).__name__}: {' '.join(str(exc).split())}", Path(out_root))
