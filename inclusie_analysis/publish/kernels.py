"""One warm Jupyter kernel per worker process, and papermill's engine that runs reports in it.

Starting a kernel and importing pandas and matplotlib is where a report's time goes, so each
worker keeps one kernel and runs its reports in it one after the other; before each report the
kernel's namespace, open figures and changed settings are cleared, and library warnings are
sent to the run log instead of into the report. The kernel is this Python (`sys.executable`),
not whatever a "python3" kernelspec points to; a kernel that fails to start (e.g. a port clash
when several start at once) is retried.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from inclusie_analysis.publish.runlog import log_line

KERNEL_NAME = "inclusie-analysis"
KERNEL_START_ATTEMPTS = 3
# IPython keeps every executed cell, the parameters cell too, in a history database under
# ~/.ipython; a report's kernel keeps none.
KERNEL_OPTIONS = ("--HistoryManager.enabled=False",)

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
    shutdown_kernel()
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


def shutdown_kernel() -> None:
    """Stop the worker's kernel, if any: a kernel that died, hung or timed out is not reused."""
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
from inclusie_analysis.publish.kernels import capture_warnings as _capture
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


def register_engine() -> None:
    """Register papermill's engine "inclusie-warm", which runs reports in the warm kernel."""
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


def init_worker(log: str) -> None:
    """In each worker: kernels' and libraries' messages go to the run log, and the worker's
    kernel is shut down when the pool closes."""
    from multiprocessing import util

    handle = open(log, "ab")  # noqa: SIM115 - kept open for the worker's life
    os.dup2(handle.fileno(), 2)
    util.Finalize(None, shutdown_kernel, exitpriority=100)


@contextlib.contextmanager
def stderr_to(log: Path):
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
