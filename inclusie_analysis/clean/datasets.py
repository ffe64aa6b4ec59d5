"""The one place that knows paths: where exports are found and where cleaned data is written.

Analysis functions and notebooks receive frames from here, never paths to raw files:
`load_needs(data_dir)` gives the cleaned learning-needs frames of a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from inclusie_analysis.clean.areas import load_region_mapping
from inclusie_analysis.clean.duplicates import find_duplicates
from inclusie_analysis.clean.geo import MunicipalityMatcher, load_aliases
from inclusie_analysis.clean.ledger import Ledger
from inclusie_analysis.clean.needs import (
    FileResult,
    clean_needs_export,
    need_items,
    need_items_table,
)
from inclusie_analysis.clean.schemas import validate
from inclusie_analysis.clean.sources import (
    file_source,
    is_missing,
    mark_unlinkable_attendance,
    previous_wave_source,
    targets_source,
)
from inclusie_analysis.errors import InputError
from inclusie_analysis.read.codebook import Codebook, load_codebooks
from inclusie_analysis.read.readers import read_export
from inclusie_analysis.read.themes import Taxonomy, check_theme_ids, code_answers

NEEDS_FRAMES = ("respondents", "needs", "choices", "answers_text", "items")
LEDGER_FRAMES = ("ledger", "fixes", "files")


@dataclass
class NeedsData:
    """The cleaned learning-needs data of a run, plus the ledger of how it was made.

    - `respondents`: one row per response (pseudonym, wave, organisation, 2025 municipality, ...)
    - `needs`: one row per answered need item (theme, item, ordered level or "weet niet")
    - `choices`: one row per ticked option of a check-all question
    - `answers_text`: open answers, personal data removed
    - `items`: one row per need item and wave, from the codebooks: label, theme, and how it
      differs from the previous wave (change, previous wording, comparable)
    - `ledger`: every input row and where it went (kept / merged / rejected, with the reason)
    - `fixes`: every value that was changed or could not be read, with advice for staff
    - `files`: per input file its platform and row counts
    """

    respondents: pd.DataFrame
    needs: pd.DataFrame
    choices: pd.DataFrame
    answers_text: pd.DataFrame
    items: pd.DataFrame
    ledger: pd.DataFrame
    fixes: pd.DataFrame
    files: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def find_survey_exports(input_root: Path, codebooks_dir: Path) -> list[tuple[Path, Codebook]]:
    """Pair every export under `input_root/<wave>/` with the codebook of its instrument and wave."""
    pairs = []
    for codebook in load_codebooks(codebooks_dir):
        folder = Path(input_root) / str(codebook.wave)
        if folder.is_dir():
            pairs += [
                (p, codebook)
                for p in sorted(folder.iterdir())
                if (p.is_file() or p.is_dir()) and codebook.matches_file(p)
            ]
    return pairs


def clean_needs(
    input_root: Path,
    codebooks_dir: Path,
    up_to_year: int,
    *,
    key: bytes | Callable[[], bytes],
    aliases: Path | None = None,
    region_mapping: Path | pd.DataFrame | None = None,
    region_column: str = "referentieregio",
    ledger: Ledger | None = None,
    taxonomy: Taxonomy = None,
) -> NeedsData:
    """Read and clean every survey wave up to `up_to_year`.

    A file that cannot be read is recorded in `files` with its error and the others are
    still cleaned; only when no file at all could be cleaned is that an error. `key` is the
    pseudonym key, or a function that loads it (called only once there is something to clean).
    `taxonomy` is the themes file (default: the configured one); a codebook with a `theme:`
    outside it stops cleaning with an InputError. `region_mapping` is the user's region
    mapping: its CSV, or the frame `areas.load_region_mapping` made of it (the CLI reads it
    once for the frames and the reports).
    """
    pairs = [
        (p, cb) for p, cb in find_survey_exports(input_root, codebooks_dir) if cb.wave <= up_to_year
    ]
    if not pairs:
        raise InputError(
            f"geen enkele bevragingsexport gevonden onder {input_root}/<jaar>/ die bij een "
            f"codeboek in {codebooks_dir} hoort.",
            hint="Zet de exports in een map per jaar (bv. surveys/raw/2025/) of maak eerst de demo "
            "met 'inclusie demo'.",
        )
    for codebook in {id(cb): cb for _, cb in pairs}.values():
        check_theme_ids(codebook, taxonomy)
    key = key() if callable(key) else key
    matcher = MunicipalityMatcher(aliases=load_aliases(aliases))
    ledger = ledger if ledger is not None else Ledger()
    results: list[FileResult] = []
    for number, (path, codebook) in enumerate(pairs):
        try:
            raw = read_export(path)
            ledger.sheet_chosen(raw)
            result = clean_needs_export(raw, codebook, matcher, key, ledger)
        except InputError as exc:
            ledger.forget(path.name)
            ledger.file(path.name, "bevraging", None, 0, error=str(exc))
            continue
        ledger.file(path.name, "bevraging", raw.platform, len(raw.frame) + raw.trailing_blank_rows)
        results.append(_globalise(result, number))
    if not results:
        failures = "; ".join(f["error"] for f in ledger.files)
        raise InputError(f"geen enkele bevragingsexport kon opgeschoond worden: {failures}")
    data = _combine(results, ledger, describe_items(cb for _, cb in pairs), taxonomy)
    if region_mapping is not None:
        mapping = (region_mapping if isinstance(region_mapping, pd.DataFrame)
                   else load_region_mapping(region_mapping, region_column))  # fmt: skip
        data.respondents = data.respondents.merge(mapping, on="nis_code", how="left")
    return data


def _globalise(result: FileResult, number: int) -> FileResult:
    """Make row indexes unique across files: file number × 10^8 + row index."""
    offset = number * 100_000_000
    result.respondents.index = result.respondents.index + offset
    result.signature.index = result.signature.index + offset
    for frame in (result.needs, result.choices, result.answers_text):
        frame["_index"] = frame["_index"].astype("int64") + offset
    return result


def describe_items(codebooks: Iterable[Codebook]) -> pd.DataFrame:
    """The need items of every wave's codebook (see `clean.needs.need_items`), one row per
    wave and item, in wave order."""
    unique = {(cb.wave, cb.instrument): cb for cb in codebooks}
    frames = [need_items(unique[k]) for k in sorted(unique)]
    filled = [f for f in frames if len(f)]
    if not filled:
        return frames[0] if frames else need_items_table([])
    items = pd.concat(filled, ignore_index=True)
    return items.drop_duplicates(["wave", "item"], ignore_index=True)


def _combine(
    results: list[FileResult], ledger: Ledger, items: pd.DataFrame, taxonomy: Taxonomy = None
) -> NeedsData:
    respondents = pd.concat([r.respondents for r in results])
    signature = pd.concat([r.signature for r in results])
    dropped = find_duplicates(respondents, signature.reindex(respondents.index))
    drop, kept = respondents.loc[list(dropped)], respondents.loc[list(dropped.values())]
    ledger.merge(
        pd.DataFrame(
            {
                "file": drop["source_file"].to_numpy(),
                "row": drop["source_row"].to_numpy(),
                "kept_file": kept["source_file"].to_numpy(),
                "kept_row": kept["source_row"].to_numpy(),
                "record_id": kept["respondent_id"].to_numpy(),
            }
        )
    )
    ledger.recount()
    keep = ~respondents.index.isin(list(dropped))
    respondents = respondents.loc[keep].drop(columns=["_place_key"], errors="ignore")
    frames = {}
    for name in ("needs", "choices", "answers_text"):
        frame = pd.concat([getattr(r, name) for r in results], ignore_index=True)
        frame = frame.loc[~frame["_index"].isin(list(dropped))].drop(columns="_index")
        frames[name] = _typed(frame.reset_index(drop=True))
    respondents = _typed(respondents.reset_index(drop=True))
    frames["respondents"] = respondents
    frames["answers_text"] = code_answers(frames["answers_text"], taxonomy=taxonomy)
    for name, frame in frames.items():
        frames[name] = validate(name, frame, sources=respondents)
    frames["items"] = validate("items", items)
    return NeedsData(**frames, **ledger.frames())


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as pandas strings, waves as integers, so parquet round-trips cleanly."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].astype("string")
    if "wave" in out:
        out["wave"] = out["wave"].astype("int64")
    for column in ("dont_know", "formula", "complete"):
        if column in out:
            out[column] = out[column].astype(bool)
    return out


@dataclass
class EventData:
    """The cleaned events data of a run.

    - `events`: one row per activity in the register (type, themes, mode, hours, goal, counts)
    - `activities`: communication outputs (newsletters, Lokaal articles, good practices)
    - `attendance`: one row per registration (pseudonymised participant, municipality)
    - `feedback`: one row per feedback response, linked to its event where possible
    - `feedback_text`: open feedback answers, personal data removed
    - `indicators`: the action plan's targets against what was realised
    - `sources`: per kind of input (register, attendance, feedback, targets, an earlier
      survey wave) whether it was found for the year (see `inclusie_analysis.clean.sources`);
      missing is never zero
    """

    events: pd.DataFrame
    activities: pd.DataFrame
    attendance: pd.DataFrame
    feedback: pd.DataFrame
    feedback_text: pd.DataFrame
    indicators: pd.DataFrame
    sources: list[dict] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in EVENT_FRAMES}


EVENT_FRAMES = ("events", "activities", "attendance", "feedback", "feedback_text", "indicators")


def clean_year(
    input_root: Path,
    year: int,
    *,
    codebooks_dir: Path,
    events_config: Path | None = None,
    key: bytes | Callable[[], bytes],
    aliases: Path | None = None,
    region_mapping: Path | pd.DataFrame | None = None,
    region_column: str = "referentieregio",
    as_of=None,
    taxonomy: Taxonomy = None,
    targets_dir: Path | None = None,
) -> tuple[NeedsData, EventData]:
    """Clean everything of a year once: survey waves up to `year`, registers, attendance
    lists and feedback forms, and compute the year's indicators. One ledger covers it all.
    `events.sources` records which of the year's inputs were found.

    `taxonomy` is the themes file and `targets_dir` the user's targets folder (`paths.themes`
    and `paths.targets`); None: those of the settings in use."""
    from inclusie_analysis.clean.events import clean_events, load_events_config

    ledger = Ledger()
    needs = clean_needs(
        input_root, codebooks_dir, year, key=key, aliases=aliases, region_mapping=region_mapping,
        region_column=region_column, ledger=ledger, taxonomy=taxonomy,
    )  # fmt: skip
    key = key() if callable(key) else key
    config = load_events_config(events_config)
    frames = clean_events(
        input_root, year, config, key=key,
        matcher=MunicipalityMatcher(aliases=load_aliases(aliases)), ledger=ledger,
        taxonomy=taxonomy,
    )  # fmt: skip
    ledger.recount()
    found = event_sources(input_root, year, config, ledger.frames()["files"])
    measured = not is_missing(found, "register")
    indicators, targets = _indicators(frames, year, as_of, measured, targets_dir)
    needs.ledger, needs.fixes, needs.files = ledger.frames().values()
    waves = needs.respondents["wave"].unique()
    codebook_waves = [cb.wave for cb in load_codebooks(codebooks_dir)]
    sources = [*found, targets, previous_wave_source(waves, input_root, codebook_waves,
                                                     codebooks_dir)]  # fmt: skip
    events = EventData(
        events=_typed(frames.events),
        activities=_typed(frames.activities),
        attendance=_typed(frames.attendance),
        feedback=_typed(frames.feedback),
        feedback_text=code_answers(_typed(frames.feedback_text), taxonomy=taxonomy),
        indicators=indicators,
        sources=sources,
    )
    for name, frame in events.frames().items():
        setattr(events, name, validate(name, frame))
    return needs, events


def event_sources(input_root: Path, year: int, config, files: pd.DataFrame) -> list[dict]:
    """Whether the year's folder holds a register, attendance lists and a feedback form that
    could be read (`files`: the ledger's file table)."""
    from inclusie_analysis.clean.events import find_event_files

    folder = Path(input_root) / str(year)
    out = []
    for kind in ("register", "attendance", "feedback"):
        found = find_event_files(folder, config, kind)
        # where a kind is looked for: its patterns' subfolder (aanwezigheden/*) or the year
        subfolders = {
            p.rsplit("/", 1)[0] for p in config.section(kind).get("files", []) if "/" in p
        }
        where = folder / subfolders.pop() if len(subfolders) == 1 else folder
        out.append(file_source(kind, year, where, found, files))
    return mark_unlinkable_attendance(out)


def _indicators(
    frames, year: int, as_of, measured: bool = True, targets_dir: Path | None = None
) -> tuple[pd.DataFrame, dict]:
    """The year's indicators and whether there were targets for it (else an empty table).
    Without a register for the year (`measured` False) nothing is realised: every
    indicator is "geen gegevens", never 0. No targets file for the year is "missing" (said
    in every report); a targets file with a mistake stops cleaning with its message, as a
    codebook with a mistake does."""
    from inclusie_analysis.analyse.indicators import (
        compute_indicators,
        find_targets,
        load_targets,
        target_folders,
        unmeasured,
    )

    path = find_targets(year, targets_dir)
    if path is None:  # expected in the user's folder, where `inclusie targets draft` writes
        expected = target_folders(targets_dir)[0] / f"{year}.yaml"
        return pd.DataFrame(), targets_source(year, FileNotFoundError(), str(expected))
    targets = load_targets(year, path)
    if not measured:
        return unmeasured(targets), targets_source(year, None, str(path))
    events, activities = frames.events, frames.activities
    table = compute_indicators(
        events[events["year"] == year],
        activities[activities["year"] == year],
        targets,
        year,
        as_of=as_of,
        previous_events=events[events["year"] < year],  # every earlier year: their mean pace
        previous_activities=activities[activities["year"] < year],
    )
    return table, targets_source(year, None, str(path))


def write_frames(frames: dict[str, pd.DataFrame], data_dir: Path) -> list[Path]:
    """Write frames as parquet into `reports/<year>/data/`; return the paths.

    The folder holds pseudonymised records: it is made (or tightened to) 0700, whatever the
    umask. Text that a spreadsheet would run as a formula is stored inert (`inert_text`), so
    a parquet file converted to CSV or opened in a spreadsheet never runs it; the loaders
    here give it back as typed."""
    from inclusie_analysis.paths import private_dir

    private_dir(data_dir)
    written = []
    for name, frame in frames.items():
        path = Path(data_dir) / f"{name}.parquet"
        inert_text(frame).to_parquet(path, index=False)
        written.append(path)
    return written


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype)
    ]  # fmt: skip


def inert_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every formula-like text cell made inert (a leading apostrophe,
    `privacy.inert`); the frame given is not changed."""
    from inclusie_analysis.clean.privacy import inert, is_formula_like

    out = frame
    for column in _text_columns(frame):
        values = frame[column]
        mask = values.map(lambda v: isinstance(v, str) and is_formula_like(v)).astype(bool)
        if mask.any():
            out = out.copy() if out is frame else out
            out[column] = values.where(
                ~mask, values.map(lambda v: inert(v) if isinstance(v, str) else v)
            )
    return out


def typed_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with `inert_text`'s apostrophes removed again (`privacy.as_typed`): text
    as typed, for reports that escape it (HTML, PDF) or mark it as text (Excel)."""
    from inclusie_analysis.clean.privacy import as_typed

    out = frame
    for column in _text_columns(frame):
        values = frame[column]
        mask = values.map(lambda v: isinstance(v, str) and v[:1] == "'").astype(bool)
        if mask.any():
            typed = values.map(lambda v: as_typed(v) if isinstance(v, str) else v)
            if (typed[mask] != values[mask]).any():
                out = out.copy() if out is frame else out
                out[column] = values.where(~mask, typed)
    return out


def read_frame(path: Path | str) -> pd.DataFrame:
    """One cleaned frame from parquet, its text as typed (`typed_text`)."""
    return typed_text(pd.read_parquet(path))


def write_meta(
    data_dir: Path,
    input_root: Path,
    year: int,
    as_of: str | None = None,
    sources: list[dict] | None = None,
    references: dict[str, Path | None] | None = None,
    root: Path | None = None,
    key: dict | None = None,
) -> Path:
    """`meta.json` beside the data: when it was cleaned, for which year and date, every
    input file with its size and sha256 (the reports' manifest repeats it), per kind of
    input whether it was found (`sources`, see `inclusie_analysis.clean.sources`), the reference
    files used (the themes and the targets file, None when there was none), and the
    pseudonym key used (`key`: its fingerprint, whether it was the demo key; None when no
    key was needed). Paths are relative (`paths.portable`), never absolute: to `root` (the
    settings folder, so reports say "surveys/raw/2025") or else to the report year folder;
    `paths_relative_to` says which."""
    import hashlib
    import json
    import time

    input_root = Path(input_root)
    inputs = []
    for path in sorted(p for p in input_root.rglob("*") if p.is_file()):
        relative = path.relative_to(input_root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        inputs.append({"file": relative.as_posix(), "bytes": path.stat().st_size,
                       "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})  # fmt: skip
    meta = {
        "cleaned_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "year": year,
        "as_of": as_of,
        "input_root": str(input_root.resolve()),
        "inputs": inputs,
        "sources": sources or [],
        "references": {name: _file_record(path) for name, path in (references or {}).items()},
        "key": key,
    }
    from inclusie_analysis.paths import portable

    meta = portable(meta, root or Path(data_dir).parent)  # no home folder, no user name
    meta["paths_relative_to"] = "settings" if root else "year_folder"
    path = Path(data_dir) / "meta.json"
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _file_record(path: Path | None) -> dict | None:
    import hashlib

    if path is None:
        return None
    return {
        "file": str(Path(path).resolve()),
        "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
    }


def write_needs(data: NeedsData, data_dir: Path) -> list[Path]:
    """Write every needs frame (and the ledger) as parquet into `reports/<year>/data/`."""
    return write_frames(data.frames(), data_dir)


def load_events(source: Path | str) -> EventData:
    """The cleaned events frames of a run (`reports/<year>/data`), read from parquet."""
    folder = Path(source)
    missing = [n for n in EVENT_FRAMES if not (folder / f"{n}.parquet").exists()]
    if missing:
        raise InputError(
            f"de opgeschoonde activiteiten ontbreken ({', '.join(missing)}).",
            file=str(folder),
            hint="Voer eerst 'inclusie clean' (of 'make report') uit.",
        )
    return EventData(
        **{n: read_frame(folder / f"{n}.parquet") for n in EVENT_FRAMES},
        sources=load_sources(folder),
    )


def load_meta(source: Path | str) -> dict:
    """`meta.json` of a run's cleaned data (empty when there is none)."""
    import json

    path = Path(source) / "meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def load_sources(source: Path | str) -> list[dict]:
    """Which inputs were found for the year (`sources` of meta.json; see
    `inclusie_analysis.clean.sources`): notebooks say what is missing instead of showing zeros."""
    return load_meta(source).get("sources", [])


def latest_year(input_root: Path | str) -> int:
    """The latest year folder (`<input_root>/<year>/`) that holds at least one file."""
    root = Path(input_root)
    years = sorted(
        (int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit()
         and any(f.is_file() and not f.name.startswith(".") for f in p.rglob("*"))),
        reverse=True,
    ) if root.is_dir() else []  # fmt: skip
    if not years:
        raise InputError(
            "er is geen map per jaar met gegevens.",
            file=str(root),
            hint="Zet de exports in een map per jaar (bv. surveys/raw/2025/) of kies het jaar "
            "met --year.",
        )
    return years[0]


def load_needs(source: Path | str) -> NeedsData:
    """The cleaned learning-needs frames of a run (`reports/<year>/data`), read from parquet."""
    folder = Path(source)
    missing = [n for n in (*NEEDS_FRAMES, *LEDGER_FRAMES) if not (folder / f"{n}.parquet").exists()]
    if missing:
        raise InputError(
            f"de opgeschoonde gegevens ontbreken ({', '.join(missing)}).",
            file=str(folder),
            hint="Voer eerst 'inclusie clean' (of 'make report') uit.",
        )
    return NeedsData(
        **{n: read_frame(folder / f"{n}.parquet") for n in (*NEEDS_FRAMES, *LEDGER_FRAMES)}
    )


def load_respondents(data_dir: Path | str) -> pd.DataFrame:
    """The cleaned survey respondents of a run (one row per response)."""
    path = Path(data_dir) / "respondents.parquet"
    if not path.exists():
        raise InputError(
            "de opgeschoonde gegevens ontbreken.",
            file=str(path),
            hint="Voer eerst 'inclusie clean' (of 'make report') uit.",
        )
    return read_frame(path)
