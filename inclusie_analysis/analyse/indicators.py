"""The action plan's indicators: targets against what was realised, with the rows that count.

Targets are a `<year>.yaml` file with one small declarative rule per indicator (which frame,
which rows, what to measure), so a new year is a new file and no new code. A year's file is
looked for in the user's targets folder (`paths.targets`) first, then in the bundled
`reference/targets/`; `inclusie targets draft --year N` writes next year's file from the
latest earlier one. Every figure lists the event ids or activity rows it counts, so staff
can audit it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import yaml

from inclusie_analysis.errors import InputError

if TYPE_CHECKING:
    from inclusie_analysis.settings import Settings

TARGETS_DIR = Path(__file__).resolve().parents[1] / "reference" / "targets"
OPS = {"at_least", "every", "all_of"}
MEASURES = {"count", "participant_hours", "share", "cases"}
FRAMES = {
    "events": {"type", "mode", "goal", "organiser", "recording_published", "attendance_source"},
    "activities": {"type"},
}
ID_COLUMN = {"events": "event_id", "activities": "activity_id"}
INDICATOR_KEYS = {"id", "goal", "description", "unit", "op", "target", "rule"}
RULE_KEYS = {"frame", "where", "measure", "condition", "cases"}
STATUS = {"met": "gehaald", "not_met": "niet gehaald", "on_track": "op koers", "behind": "achter",
          "na": "niet van toepassing", "no_data": "geen gegevens"}  # fmt: skip
COLUMNS = ["goal", "indicator", "description", "unit", "op", "target", "realised", "status",
           "expected", "expected_basis", "expected_years", "counted", "n_counted"]  # fmt: skip
# How `expected` was found mid-year: the year's plan in the register (activities dated after
# the as-of date), earlier years' pace (`expected_years` of them), the share of the year
# elapsed, or the target itself (a share does not accrue).
BASES = ("plan", "previous_years", "elapsed", "target")


@dataclass(frozen=True)
class Indicator:
    id: str
    goal: str
    description: str
    unit: str
    op: str
    target: float
    frame: str
    where: dict
    measure: str
    condition: dict
    cases: tuple


def target_folders(settings: Settings | Path | None = None) -> list[Path]:
    """Where a year's targets file is looked for, in order: the user's folder, then the
    bundled `reference/targets/`. `settings` is the Settings (its `paths.targets`), the
    user's folder itself, or None for the settings in use (`load_settings()`)."""
    if settings is None:
        from inclusie_analysis.settings import load_settings

        settings = load_settings()
    user = getattr(settings, "targets", settings)
    folders = [Path(user)] if user else []
    return [*folders, TARGETS_DIR] if TARGETS_DIR not in folders else folders


def find_targets(year: int, settings: Settings | Path | None = None) -> Path | None:
    """The targets file of `year` (user's folder first, then the bundled one), or None when
    there is none: "no targets for 2026" is None, while a file with zero targets is a path."""
    return _first(year, target_folders(settings))


def _first(year: int, folders: list[Path]) -> Path | None:
    return next((f / f"{year}.yaml" for f in folders if (f / f"{year}.yaml").is_file()), None)


def latest_targets(before: int, settings: Settings | Path | None = None) -> Path | None:
    """The targets file of the latest year before `before` (user's folder first)."""
    found: dict[int, Path] = {}
    for folder in reversed(target_folders(settings)):  # the user's folder wins a tie
        for path in folder.glob("*.yaml") if folder.is_dir() else ():
            if re.fullmatch(r"\d{4}", path.stem) and int(path.stem) < before:
                found[int(path.stem)] = path
    return found[max(found)] if found else None


def load_targets(
    year: int, path: Path | str | None = None, settings: Settings | Path | None = None
) -> list[Indicator]:
    """The indicators of `year`: from the file given, else `<year>.yaml` in the targets
    folders (see `target_folders`). No file is an InputError that says where it looked and
    how to make one."""
    if path is None:
        folders = target_folders(settings)
        path = _first(year, folders)
        if path is None:
            raise InputError(
                f"er zijn geen doelen voor {year}: geen {year}.yaml in "
                f"{' of '.join(str(f) for f in folders)}.",
                hint=f"Maak een ontwerp met 'inclusie targets draft --year {year}' en kijk de "
                "regels met # CONTROLEER na (de map van paths.targets wordt eerst bekeken).",
            )
    path = Path(path)
    if not path.is_file():
        raise InputError(f"het doelenbestand voor {year} bestaat niet.", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"het doelenbestand kan niet gelezen worden: {exc}", file=str(path)
        ) from None
    return parse_targets(text, path, year)


def parse_targets(text: str, path: Path | str, year: int | None = None) -> list[Indicator]:
    """Check and build the indicators of a targets file's text (`path` is named in errors)."""
    path = Path(path)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"het doelenbestand is geen geldige YAML: {exc}", file=str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise InputError("het doelenbestand heeft een lijst 'indicators' nodig.", file=str(path))
    unknown = set(data) - {"year", "source", "indicators"}
    if unknown:
        raise InputError(f"onbekende sleutel(s): {', '.join(sorted(unknown))}.", file=str(path))
    if year is not None and data.get("year") is not None and str(data["year"]) != str(year):
        raise InputError(
            f"dit doelenbestand zegt year: {data['year']}, maar wordt gebruikt voor {year}.",
            file=str(path),
            hint=f"Zet year op {year}, of geef het bestand de naam {data['year']}.yaml.",
        )
    out = [_indicator(spec, path, n) for n, spec in enumerate(data["indicators"], start=1)]
    ids = [i.id for i in out]
    if len(set(ids)) != len(ids):
        raise InputError("een indicator-id staat er twee keer in.", file=str(path))
    return out


def _indicator(spec: dict, path: Path, number: int) -> Indicator:
    name = spec.get("id", f"nr. {number}") if isinstance(spec, dict) else f"nr. {number}"

    def bad(message: str) -> InputError:
        return InputError(f"indicator {name}: {message}", file=str(path))

    if not isinstance(spec, dict):
        raise bad("moet een lijst van sleutels zijn.")
    if set(spec) - INDICATOR_KEYS or INDICATOR_KEYS - set(spec):
        extra, missing = set(spec) - INDICATOR_KEYS, INDICATOR_KEYS - set(spec)
        raise bad(
            ("onbekende sleutel(s) " + ", ".join(sorted(extra)) if extra else "")
            + ("; " if extra and missing else "")
            + ("ontbrekende sleutel(s) " + ", ".join(sorted(missing)) if missing else "")
            + "."
        )
    rule = spec["rule"]
    if not isinstance(rule, dict) or set(rule) - RULE_KEYS:
        raise bad(f"rule mag alleen {', '.join(sorted(RULE_KEYS))} bevatten.")
    if spec["op"] not in OPS:
        raise bad(f"op '{spec['op']}' is onbekend (kies {', '.join(sorted(OPS))}).")
    if rule.get("measure") not in MEASURES:
        raise bad(
            f"measure '{rule.get('measure')}' is onbekend (kies {', '.join(sorted(MEASURES))})."
        )
    if rule.get("frame") not in FRAMES:
        raise bad(f"frame '{rule.get('frame')}' is onbekend (kies {', '.join(sorted(FRAMES))}).")
    allowed = FRAMES[rule["frame"]]
    conditions = [rule.get("where") or {}, rule.get("condition") or {}, *(rule.get("cases") or [])]
    for where in conditions:
        if not isinstance(where, dict):
            raise bad("where/condition/cases moeten kolom: [waarden] geven.")
        for column, values in where.items():
            if column not in allowed:
                raise bad(
                    f"kolom '{column}' bestaat niet in {rule['frame']} "
                    f"(kies {', '.join(sorted(allowed))})."
                )
            if not isinstance(values, list):
                raise bad(f"de waarden voor '{column}' moeten een lijst zijn, bv. [{values}].")
    if rule["measure"] == "share" and not rule.get("condition"):
        raise bad("measure share heeft een condition nodig.")
    if rule["measure"] == "cases" and not rule.get("cases"):
        raise bad("measure cases heeft een lijst cases nodig.")
    if (spec["op"] == "all_of") != (rule["measure"] == "cases"):
        raise bad("op all_of hoort bij measure cases (en omgekeerd).")
    if not isinstance(spec["target"], int | float) or isinstance(spec["target"], bool):
        raise bad("target moet een getal zijn.")
    return Indicator(
        id=str(spec["id"]), goal=str(spec["goal"]), description=str(spec["description"]),
        unit=str(spec["unit"]), op=spec["op"], target=float(spec["target"]), frame=rule["frame"],
        where=rule.get("where") or {}, measure=rule["measure"],
        condition=rule.get("condition") or {},
        cases=tuple(rule.get("cases") or ()),
    )  # fmt: skip


def _select(frame: pd.DataFrame, where: dict) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, values in where.items():
        mask &= frame[column].isin(values).fillna(False).astype(bool)
    return frame.loc[mask]


def _measure(indicator: Indicator, frame: pd.DataFrame) -> tuple[float, list[str]]:
    """Realised value and the ids of the rows that count, on the rows already in `frame`."""
    id_column = ID_COLUMN[indicator.frame]
    chosen = _select(frame, indicator.where)
    if indicator.measure == "count":
        return float(len(chosen)), chosen[id_column].tolist()
    if indicator.measure == "participant_hours":
        usable = chosen.dropna(subset=["attended", "hours"])
        hours = (usable["attended"].astype(float) * usable["hours"].astype(float)).sum()
        return float(hours), usable[id_column].tolist()
    if indicator.measure == "share":
        if not len(chosen):
            return float("nan"), []
        meeting = _select(chosen, indicator.condition)
        return len(meeting) / len(chosen), meeting[id_column].tolist()
    met = [_select(chosen, case) for case in indicator.cases]
    return float(sum(len(m) > 0 for m in met)), [i for m in met for i in m[id_column].head(1)]


def compute_indicators(
    events: pd.DataFrame,
    activities: pd.DataFrame,
    targets: list[Indicator],
    year: int,
    as_of: date | str | None = None,
    previous_events: pd.DataFrame | None = None,
    previous_activities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every indicator of `targets`: target, realised, status and the rows that count.

    With `as_of` before the end of `year` (mid-year mode) only rows up to that date count,
    and `expected` is what should have been reached by then (`expected_basis` says how):
    - "plan": the register also lists the year's planned activities (rows of the indicator
      dated after `as_of`): the target × the share of those rows dated by `as_of`;
    - "previous_years": else the target × the mean over earlier years (`previous_*`, one or
      more years; `expected_years` of them had a value) of the share of that year's value
      reached by the same day;
    - "elapsed": else the target × the share of the year elapsed;
    - "target": a share ("every online meeting") does not accrue; expected is the target.
    Status: "gehaald" (realised ≥ target), else "achter" when expected − realised is more
    than one activity (for counts and cases; for hours any shortfall), else "op koers"; at
    year end "gehaald" or "niet gehaald".
    """
    frames = {"events": events, "activities": activities}
    previous = {"events": previous_events, "activities": previous_activities}
    cutoff = pd.Timestamp(as_of) if as_of is not None else None
    mid_year = cutoff is not None and cutoff < pd.Timestamp(year, 12, 31)
    rows = []
    for indicator in targets:
        frame = _until(frames[indicator.frame], cutoff) if mid_year else frames[indicator.frame]
        realised, counted = _measure(indicator, frame)
        target = indicator.target
        expected, basis, years = float("nan"), pd.NA, 0
        if mid_year:
            share, basis, years = _due_share(
                indicator, frames[indicator.frame], previous[indicator.frame], cutoff, year
            )
            expected = target * share
        if realised != realised:  # NaN: nothing to measure (e.g. no online meeting yet)
            status = STATUS["na"]
        elif realised >= target - 1e-9:
            status = STATUS["met"]
        elif not mid_year:
            status = STATUS["not_met"]
        else:
            slack = 1.0 if indicator.measure in ("count", "cases") else 0.0
            status = STATUS["behind"] if expected - realised > slack + 1e-9 else STATUS["on_track"]
        rows.append({
            "goal": indicator.goal, "indicator": indicator.id, "description": indicator.description,
            "unit": indicator.unit, "op": indicator.op, "target": target, "realised": realised,
            "status": status, "expected": expected, "expected_basis": basis,
            "expected_years": years, "counted": ";".join(map(str, counted)),
            "n_counted": len(counted),
        })  # fmt: skip
    return _typed(pd.DataFrame(rows, columns=COLUMNS))


def unmeasured(targets: list[Indicator]) -> pd.DataFrame:
    """The indicators of `targets` when there is nothing to measure them on (no register for
    the year): realised and expected unknown, status "geen gegevens", never a realised 0."""
    rows = [{
        "goal": i.goal, "indicator": i.id, "description": i.description, "unit": i.unit,
        "op": i.op, "target": i.target, "realised": float("nan"), "status": STATUS["no_data"],
        "expected": float("nan"), "expected_basis": pd.NA, "expected_years": 0, "counted": "",
        "n_counted": 0,
    } for i in targets]  # fmt: skip
    return _typed(pd.DataFrame(rows, columns=COLUMNS))


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    return out.astype({"target": "float64", "realised": "float64", "expected": "float64",
                       "n_counted": "int64", "expected_years": "int64"}).astype(
        {c: "string" for c in ("goal", "indicator", "description", "unit", "op", "status",
                               "expected_basis", "counted")})  # fmt: skip


def _until(frame: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    dates = pd.to_datetime(frame["date"])
    return frame.loc[dates.notna() & (dates <= cutoff)]


def _due_share(
    indicator: Indicator,
    frame: pd.DataFrame,
    previous: pd.DataFrame | None,
    cutoff: pd.Timestamp,
    year: int,
) -> tuple[float, str, int]:
    """How much of the year's target is due by `cutoff`, how that was found (`BASES`) and
    from how many earlier years."""
    if indicator.measure == "share":
        return 1.0, "target", 0
    planned = pd.to_datetime(_select(frame, indicator.where)["date"]).dropna()
    if (planned > cutoff).any():  # the register lists the rest of the year's plan
        if indicator.measure == "participant_hours":  # planned rows have no attendance yet
            return float((planned <= cutoff).mean()), "plan", 0
        total, _ = _measure(indicator, frame)
        if total:
            done, _ = _measure(indicator, _until(frame, cutoff))
            return done / total, "plan", 0
    shares = []
    if previous is not None and len(previous):
        dates = pd.to_datetime(previous["date"])
        for earlier, part in previous.groupby(dates.dt.year):
            total, _ = _measure(indicator, part)
            if total and total == total:
                day = min(cutoff.day, 28) if cutoff.month == 2 else cutoff.day
                done, _ = _measure(
                    indicator, _until(part, pd.Timestamp(int(earlier), cutoff.month, day))
                )
                shares.append(done / total)
    if shares:
        return sum(shares) / len(shares), "previous_years", len(shares)
    start = pd.Timestamp(year, 1, 1)
    days = (pd.Timestamp(year + 1, 1, 1) - start).days
    return ((cutoff - start).days + 1) / days, "elapsed", 0


def expected_sentence(indicators: pd.DataFrame, as_of: date | str, language: str = "nl") -> str:
    """Mid-year: how 'Verwacht' was found, with the number of earlier years used, and when an
    indicator is 'achter'. Empty at year end (no expected values)."""
    from inclusie_analysis.formats import format_date

    if not indicators["expected"].notna().any():
        return ""
    nl = language == "nl"
    bases = indicators["expected_basis"].dropna()
    years = sorted(set(indicators.loc[bases.index[bases == "previous_years"], "expected_years"]))
    parts = []
    if (bases == "plan").any():
        parts.append("het doel maal het deel van de in het register geplande activiteiten dat op "
                     "die datum voorbij was" if nl else "the target times the share of the "
                     "activities planned in the register that were due by then")  # fmt: skip
    if years:
        count = "/".join(str(y) for y in years)
        parts.append(f"het doel maal het deel dat in de vorige {count} jaar (gemiddeld) op "
                     "dezelfde dag gehaald was" if nl else f"the target times the share the "
                     f"previous {count} year(s) had reached by the same day (mean)")  # fmt: skip
    if (bases == "elapsed").any():
        parts.append("het doel maal het deel van het jaar dat voorbij is" if nl
                     else "the target times the share of the year elapsed")  # fmt: skip
    how = "; ".join(parts) if parts else ("het doel" if nl else "the target")
    when = format_date(as_of, language)
    return (
        f"Stand op {when}: 'Verwacht' is wat op dit moment van het jaar te verwachten was "
        f"({how}; een aandeel verwacht het doel zelf). 'Achter' staat er alleen als het "
        "verschil met 'Verwacht' groter is dan één activiteit. "
        if nl
        else f"Status on {when}: 'Expected' is what was due by this point of the year ({how}; "
        "a share expects the target itself). 'Behind' only when the gap to 'Expected' is more "
        "than one activity. "
    )


# ---------------------------------------------------------------------------------------------
# Next year's targets

CHECK = "# CONTROLEER"
_HEADER_STARTS = (
    f"{CHECK}: ontwerp",
    "# Elke regel met CONTROLEER",
    "# en haal dan het commentaar",
)


@dataclass(frozen=True)
class TargetsDraft:
    """A written draft: where it went, what it came from, how many lines need a look, and
    whether the targets folders (so the reports) will find it."""

    path: Path
    source: Path
    checks: int
    found: bool


def draft_targets(text: str, year: int, from_year: int, source: str) -> str:
    """Next year's targets file from last year's text: every indicator and comment kept, the
    year changed, and every target and the source marked `# CONTROLEER`."""
    lines, marked = _mark(text.splitlines(), year, from_year)
    if marked != _count_indicators(text):
        # targets not one per line (e.g. written inline): rewrite the file in block style
        data = yaml.safe_load(text) or {}
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        lines, _ = _mark(body.splitlines(), year, from_year)
    header = [
        f"{CHECK}: ontwerp van de doelen voor {year}, gemaakt met 'inclusie targets draft' uit "
        f"{source}.",
        f"# Elke regel met CONTROLEER komt nog uit {from_year}: zet het doel of de bron van het "
        f"actieplan {year}",
        "# en haal dan het commentaar weg. Een indicator die niet meer geldt mag weg, een nieuwe "
        "komt erbij.",
    ]
    return "\n".join(header + lines) + "\n"


def _count_indicators(text: str) -> int:
    data = yaml.safe_load(text) or {}
    return len(data.get("indicators") or []) if isinstance(data, dict) else 0


def _mark(lines: list[str], year: int, from_year: int) -> tuple[list[str], int]:
    """The lines with the year changed and source and targets marked; how many targets."""
    out, has_year, marked = [], False, 0
    for line in lines:
        if line.startswith(_HEADER_STARTS):  # the header of an earlier draft
            continue
        line = re.sub(rf"\s+{CHECK}\b.*$", "", line)  # and its marks
        if re.match(r"^year\s*:", line):
            line, has_year = f"year: {year}", True
        elif re.match(r"^source\s*:", line):
            line = f"{line.rstrip()}  {CHECK}: bron van {from_year}"
        elif m := re.match(r"^(\s*(?:-\s+)?)target\s*:\s*([^#{},]+?)\s*(?:#\s*(.*))?$", line):
            note = f" ({m[3].strip()})" if m[3] else ""
            line = f"{m[1]}target: {m[2]}  {CHECK}: doel van {from_year}{note}"
            marked += 1
        out.append(line)
    if not has_year:
        first = next((i for i, line in enumerate(out) if line and not line.startswith("#")), 0)
        out.insert(first, f"year: {year}")
    return out, marked


def write_targets_draft(
    year: int,
    settings: Settings,
    from_year: int | Path | None = None,
    out: Path | None = None,
) -> TargetsDraft:
    """Write next year's draft targets file (see `draft_targets`); never overwrites.

    The source is `from_year`'s file (or a file given), else the latest earlier year (user's
    folder first, then the bundled one). The draft goes to `out`, else to `paths.targets`,
    else to `surveys/targets/` beside the settings file.
    """
    if isinstance(from_year, Path):
        source = from_year
    elif from_year is not None:
        source = find_targets(from_year, settings)
        if source is None:
            raise InputError(
                f"er zijn geen doelen voor {from_year} om van te vertrekken (gezocht in "
                f"{' en '.join(str(f) for f in target_folders(settings))}).",
                hint="Kies met --from een ander jaar of een bestand.",
            )
    else:
        source = latest_targets(year, settings)
        if source is None:
            raise InputError(
                f"er is geen doelenbestand van vóór {year} om van te vertrekken.",
                hint="Geef met --from een jaar of een bestand.",
            )
    source_year = int(source.stem) if re.fullmatch(r"\d{4}", source.stem) else year - 1
    parse_targets(_read(source), source, None)  # the source itself must be sound
    name = f"het meegeleverde {source.name}" if source.parent == TARGETS_DIR else str(source)
    text = draft_targets(_read(source), year, source_year, name)
    folder = settings.targets or settings.root / "surveys" / "targets"
    target = Path(out).resolve() if out else folder / f"{year}.yaml"
    parse_targets(text, target, year)  # the draft loads as it is
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise InputError(
            "dit doelenbestand bestaat al en wordt niet overschreven.",
            file=str(target),
            hint="Pas het bestaande bestand aan, of kies met --out een andere plaats.",
        ) from None
    found = find_targets(year, settings)
    return TargetsDraft(
        target,
        source,
        text.count(CHECK) - 1,
        found is not None and found.resolve() == target.resolve(),
    )


def _read(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"het doelenbestand kan niet gelezen worden: {exc}", file=str(path)
        ) from None
