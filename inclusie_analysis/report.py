"""Run the parameterised report notebooks with papermill and export them for readers.

A report run is all-or-nothing per report: everything is written into a temporary folder
next to the target and moved into place only when the notebook ran and exported cleanly, so
a failing run never replaces a good earlier report.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks" / "reports"
KERNEL_NAME = "python3"
FLANDERS_AND_BRUSSELS = "Vlaanderen en Brussel"


@dataclass(frozen=True)
class ReportResult:
    """Where a report was written, or why it failed."""

    report_id: str
    folder: Path
    ok: bool
    error: str | None = None


def slugify(text: str) -> str:
    """A file-name-safe id: 'Vlaanderen en Brussel' → 'vlaanderen-en-brussel'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def render_jaarrapport(
    data_dir: Path,
    out_root: Path,
    year: int,
    area: str = FLANDERS_AND_BRUSSELS,
    language: str = "nl",
    notebook: Path | None = None,
) -> ReportResult:
    """Execute `jaarrapport.ipynb` for one area and export it to `out_root/jaarrapport-<area>/`."""
    report_id = f"jaarrapport-{slugify(area)}"
    parameters = {
        "year": year,
        "area": area,
        "data_dir": str(data_dir.resolve()),
        "language": language,
    }
    return _render(notebook or NOTEBOOKS / "jaarrapport.ipynb", out_root, report_id, parameters)


def _render(notebook: Path, out_root: Path, report_id: str, parameters: dict) -> ReportResult:
    import papermill

    out_root.mkdir(parents=True, exist_ok=True)
    target = out_root / report_id
    work = Path(tempfile.mkdtemp(prefix=f".{report_id}-", dir=out_root))
    executed = work / "report.ipynb"
    try:
        with _kernel_stderr_to(out_root / "run.log"):
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                language="python",
                progress_bar=False,
                cwd=str(notebook.parent),
            )
        export_html(executed, work / "report.html", language=parameters.get("language", "nl"))
    except Exception as exc:  # any failure keeps the old report; the reason is returned
        failed = out_root / f"{report_id}.failed.ipynb"
        if executed.exists():
            shutil.copyfile(executed, failed)
        shutil.rmtree(work, ignore_errors=True)
        return ReportResult(report_id, target, ok=False, error=_describe_failure(exc, failed))
    if target.exists():
        shutil.rmtree(target)
    work.rename(target)
    (out_root / f"{report_id}.failed.ipynb").unlink(missing_ok=True)
    return ReportResult(report_id, target, ok=True)


@contextlib.contextmanager
def _kernel_stderr_to(log: Path):
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


def _describe_failure(exc: Exception, failed: Path) -> str:
    name = type(exc).__name__
    if name == "PapermillExecutionError":
        return (
            f"cel {exc.exec_count} faalde met {exc.ename}: {exc.evalue}. "
            f"Het uitgevoerde notebook staat in {failed}."
        )
    return f"{name}: {exc}"


def export_html(notebook: Path, html: Path, language: str = "nl") -> None:
    """Export an executed notebook to one self-contained HTML file without code cells."""
    import nbformat
    from nbconvert import HTMLExporter

    templates = Path(__file__).resolve().parent / "templates"
    exporter = HTMLExporter(
        template_name="rapport",
        extra_template_basedirs=[str(templates)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    nb = nbformat.read(notebook, as_version=4)
    body, _ = exporter.from_notebook_node(nb, resources={"language_code": language})
    html.write_text(body, encoding="utf-8")
