"""Synthetic demo exports: the default input of `inclusie run --demo` and of every end-to-end test.

`write_demo(out)` writes, per year folder, the exports real platforms produce (LimeSurvey 2020,
Microsoft Forms 2025, activity registers, attendance lists, feedback forms) with realistic
faults at known rates. What each faulty cell should have said is written to a sibling
folder (`<out>-truth/`, e.g. `surveys/demo-truth/`), which the cleaner never reads.
Everything is synthetic and says so in file names and document properties.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from inclusie_analysis.errors import InputError

if TYPE_CHECKING:
    from inclusie_analysis.demo.events import EventFaults
    from inclusie_analysis.demo.surveys import SurveyFaults

SURVEY_SIZES = {2020: 240, 2025: 320}
EVENT_YEARS = (2024, 2025)
PEOPLE = 450
MARKER = "LEESMIJ_SYNTHETISCH.txt"
# Every file `write_demo` wrote, with its sha256: what makes "the folder `inclusie demo` wrote"
# checkable, so the public demo key is never used on anything else (`check_demo_folder`).
LISTING = "SYNTHETISCH_bestanden.json"
README = """SYNTHETISCHE DEMODATA - geen echte personen, besturen of antwoorden.

Gemaakt met `inclusie demo --seed {seed} --scale {scale}` (inclusie-analysis {version}).
Namen zijn willekeurige combinaties van veelvoorkomende voor- en achternamen; alle
e-mailadressen liggen op de gereserveerde domeinen example.org, example.com en example.net.
De bestanden bevatten met opzet fouten zoals echte exports (verkeerd gespelde gemeenten,
dubbele en onvolledige antwoorden, lege rijen, ...). Wat elke fout had moeten zijn staat in
de map {truth}, die de opschoning niet leest.
"""


@dataclass
class DemoSummary:
    """What `write_demo` wrote: the files (relative to `out`), the truth folder, row counts."""

    out: Path
    truth: Path
    files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def truth_folder(out: Path) -> Path:
    """Where the ground truth of a demo in `out` lives: beside it, never inside it."""
    out = Path(out)
    return out.parent / f"{out.name}-truth"


def write_demo(
    out: Path | str,
    seed: int = 1,
    scale: int = 1,
    truth: Path | str | None = None,
    only: str | None = None,
) -> DemoSummary:
    """Write the synthetic demo exports into `out` (replacing an earlier demo there).

    `scale` multiplies the number of survey responses, events and participants (for
    benchmarks); `only="surveys"` writes just the two survey waves. The same seed and scale
    always give byte-identical files.
    """
    from inclusie_analysis import __version__

    if scale < 1:
        raise InputError(
            "--scale moet minstens 1 zijn.",
            hint="Gebruik bv. --scale 10 voor tien keer meer rijen.",
        )
    out = Path(out)
    truth_dir = Path(truth) if truth else truth_folder(out)
    _clear(out)
    _clear(truth_dir)
    out.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    summary = DemoSummary(out, truth_dir)

    def rng(part: str) -> random.Random:
        return random.Random(f"{seed}-{scale}-{part}")

    survey_truth, survey_faults = _write_surveys(out, rng, scale)
    if only not in (None, "surveys"):
        raise InputError(f"onbekend onderdeel '{only}' voor --only.", hint="Kies 'surveys'.")
    event_tables, event_faults = _write_events(out, rng, scale, EVENT_YEARS if only is None else ())
    tables = {"survey_rows": survey_truth, **event_tables}
    for name, rows in tables.items():
        _write_csv(truth_dir / f"{name}.csv", rows)
        summary.rows[name] = len(rows)
    rates = {"survey": _rates(survey_faults), "events": _rates(event_faults)}
    (truth_dir / "rates.json").write_text(
        json.dumps({"seed": seed, "scale": scale, "rates": rates}, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    (out / MARKER).write_text(
        README.format(seed=seed, scale=scale, version=__version__, truth=truth_dir.name),
        encoding="utf-8",
    )
    _write_listing(out)
    summary.files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    return summary


def _write_surveys(
    out: Path, rng: Callable[[str], random.Random], scale: int
) -> tuple[list[dict], SurveyFaults]:
    """Write the two survey waves; return their truth rows and the fault rates used."""
    from inclusie_analysis.demo import survey_exports, surveys

    survey_faults = surveys.SurveyFaults()
    survey_truth = []
    path = out / "2020" / "leernoden-2020_limesurvey_SYNTHETISCH.csv"
    survey_truth += survey_exports.write_limesurvey_2020(
        rng("survey-2020"), path, SURVEY_SIZES[2020] * scale, survey_faults
    )
    path = out / "2025" / "leernoden-2025_msforms_SYNTHETISCH.xlsx"
    survey_truth += survey_exports.write_msforms_2025(
        rng("survey-2025"), path, SURVEY_SIZES[2025] * scale, survey_faults
    )
    return survey_truth, survey_faults


def _write_events(
    out: Path, rng: Callable[[str], random.Random], scale: int, years: tuple[int, ...]
) -> tuple[dict[str, list[dict]], EventFaults]:
    """Write each year's register, attendance lists and feedback; return truth tables and rates.

    One participant pool serves all years (people come back year after year).
    """
    from inclusie_analysis.demo import attendance, feedback, registers
    from inclusie_analysis.demo import events as ev
    from inclusie_analysis.demo.world import make_people

    event_faults = ev.EventFaults()
    people = make_people(rng("people"), PEOPLE * scale, 2024)
    register_truth, communication_truth, attendance_truth, feedback_truth = [], [], [], []
    for year in years:
        events = ev.make_events(rng(f"events-{year}"), year, people, scale)
        reg, comm = registers.write_register(
            rng(f"register-{year}"),
            out / str(year) / f"activiteiten-{year}_SYNTHETISCH.xlsx",
            year,
            events,
            event_faults,
            scale,
        )
        register_truth += reg
        communication_truth += comm
        attendance_truth += attendance.write_attendance(
            rng(f"attendance-{year}"), out / str(year) / "aanwezigheden", events, event_faults
        )
        feedback_truth += feedback.write_feedback(
            rng(f"feedback-{year}"),
            out / str(year) / f"feedback-{year}_msforms_SYNTHETISCH.xlsx",
            year,
            events,
            event_faults,
        )
    tables = {
        "events": register_truth,
        "communication": communication_truth,
        "attendance_rows": attendance_truth,
        "feedback_rows": feedback_truth,
    }
    return tables, event_faults


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_listing(out: Path) -> None:
    """`SYNTHETISCH_bestanden.json`: every file written (relative path and sha256), last."""
    files = {
        p.relative_to(out).as_posix(): _sha256(p)
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).as_posix() != LISTING
    }
    listing = {"geschreven_door": "inclusie demo", "bestanden": files}
    (out / LISTING).write_text(
        json.dumps(listing, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


DEMO_HINT = (
    "De demosleutel is openbaar: wie een lijst e-mailadressen heeft, rekent pseudoniemen ermee "
    "terug. Voor deze bestanden maakt u een eigen sleutel met 'inclusie key --create' en "
    "gebruikt u 'inclusie report'; voor de demo zelf: 'inclusie run --demo' zonder --input "
    "(schrijft de demo opnieuw)."
)


def check_demo_folder(folder: Path | str) -> None:
    """Refuse (InputError) unless `folder` holds only files `write_demo` wrote, unchanged.

    The folder must hold the marker and the listing, and every file under it (any depth,
    hidden ones too) must be in the listing with the same sha256: a renamed, added or changed
    file means the folder may hold real data, and the public demo key must not touch it. A
    listed file that is missing is allowed: what is left is still only synthetic data.
    """
    folder = Path(folder)
    listing_file = folder / LISTING
    try:
        listed = json.loads(listing_file.read_text(encoding="utf-8"))["bestanden"]
        if not isinstance(listed, dict):
            raise TypeError
        if not (folder / MARKER).is_file():
            raise FileNotFoundError(MARKER)
    except FileNotFoundError:
        raise InputError(
            f"de demosleutel wordt alleen gebruikt op een map die 'inclusie demo' schreef; deze "
            f"map mist {MARKER} of {LISTING}.",
            file=str(folder),
            hint=DEMO_HINT,
        ) from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise InputError(
            "de lijst van de demobestanden is onleesbaar of gewijzigd; de demosleutel wordt "
            "geweigerd.",
            file=str(listing_file),
            hint=DEMO_HINT,
        ) from None
    unknown, changed = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        name = path.relative_to(folder).as_posix()
        if name == LISTING:
            continue
        if name not in listed:
            unknown.append(name)
        elif not path.is_file() or _sha256(path) != listed[name]:
            changed.append(name)
    for names, what in (
        (unknown, "staat niet in de lijst van 'inclusie demo' (hernoemd of toegevoegd)"),
        (changed, "is gewijzigd sinds 'inclusie demo' het schreef"),
    ):
        if names:
            more = f" (en nog {len(names) - 1} zo)" if len(names) > 1 else ""
            raise InputError(
                f"dit bestand {what}{more}: de demosleutel wordt geweigerd.",
                file=(folder / names[0]).as_posix(),
                hint=DEMO_HINT,
            )


def _rates(faults) -> dict:
    return json.loads(json.dumps(asdict(faults)))


def _clear(folder: Path) -> None:
    """Remove an earlier demo; refuse to touch a folder that holds anything else."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise InputError("de doelmap voor de demo is een bestand.", file=str(folder))
    entries = list(folder.iterdir())
    if not entries:
        return
    is_demo = (folder / MARKER).exists() or (folder / "rates.json").exists()
    if not is_demo:
        raise InputError(
            "de doelmap voor de demo is niet leeg en bevat geen eerdere demo.",
            file=str(folder),
            hint="Kies een lege map met --out; bestaande bestanden worden nooit overschreven.",
        )
    shutil.rmtree(folder)


def _write_csv(path: Path, rows: list[dict]) -> None:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
