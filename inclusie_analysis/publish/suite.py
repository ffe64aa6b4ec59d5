"""Plan the year's report suite: which reports, from which notebook, with which parameters.

The suite is one yearly report for everyone ("Vlaanderen en Brussel"), one per area of each
level (provinces and Brussels, referentieregio's, a user's regions), and one feedback sheet per
event. Each report gets an id that is also its folder's name, stable from run to run and unique
by construction; `--only` picks reports by area, event id or report id. What the notebooks
receive is checked against their `parameters` cell before anything runs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from inclusie_analysis.errors import InputError

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks" / "reports"
FORMATS = ("html", "xlsx", "pdf")


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


def check_unique(jobs: list[ReportJob]) -> None:
    """Two reports with one folder would overwrite each other: an error naming both."""
    seen: dict[str, ReportJob] = {}
    for job in jobs:
        other = seen.setdefault(job.report_id, job)
        if other is not job:
            raise InputError(
                f"'{source_id(other)}' en '{source_id(job)}' krijgen dezelfde rapportmap "
                f"'{job.report_id}'.",
                hint="Geef een van beide activiteiten een ander nummer in het register.",
            )


def source_id(job: ReportJob) -> str:
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
    check_unique(jobs)
    return select_jobs(jobs, only) if only else jobs


def select_jobs(jobs: list[ReportJob], only: list[str]) -> list[ReportJob]:
    """The jobs `only` names; an unknown name is an error that lists what can be chosen."""
    groups = {"jaarrapport": "jaarrapport", "jaarrapporten": "jaarrapport",
              "activiteit": "activiteit", "activiteiten": "activiteit"}  # fmt: skip
    chosen: list[ReportJob] = []
    for name in only:
        key = slugify(name)
        exact = [job for job in jobs if name in (job.report_id, source_id(job))]
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
