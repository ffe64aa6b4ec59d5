"""The action plan's indicators: targets against what was realised, with the rows that count.

Targets live in `reference/targets/<year>.yaml`, one small declarative rule per indicator
(which frame, which rows, what to measure), so a new year is a new file and no new code.
Every figure lists the event ids or activity rows it counts, so staff can audit it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from inclusie_analysis.errors import InputError

TARGETS_DIR = Path(__file__).resolve().parent / "reference" / "targets"
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
           "expected", "counted", "n_counted"]  # fmt: skip


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


def load_targets(year: int, path: Path | str | None = None) -> list[Indicator]:
    """The indicators of `year` (`reference/targets/<year>.yaml`, or the file given)."""
    path = Path(path) if path else TARGETS_DIR / f"{year}.yaml"
    if not path.exists():
        raise InputError(
            f"er zijn geen doelen voor {year}.",
            file=str(path),
            hint=f"Maak {path.name} naar het voorbeeld van een vorig jaar in {TARGETS_DIR}.",
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"het doelenbestand is geen geldige YAML: {exc}", file=str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise InputError("het doelenbestand heeft een lijst 'indicators' nodig.", file=str(path))
    unknown = set(data) - {"year", "source", "indicators"}
    if unknown:
        raise InputError(f"onbekende sleutel(s): {', '.join(sorted(unknown))}.", file=str(path))
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
    and `expected` is what should have been reached by then: the target × the share of last
    year's realised value that had happened by the same day of the year (from
    `previous_*`), or × the share of the year elapsed where last year has nothing to go on.
    A share ("every online meeting") does not accrue over the year: its expected value is
    the target itself. Status: "gehaald" (realised ≥ target), else "op koers" (realised ≥
    expected), else "achter"; at year end "gehaald" or "niet gehaald".
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
        expected = float("nan")
        if mid_year:
            expected = (
                target
                if indicator.measure == "share"
                else target * _elapsed_share(indicator, previous[indicator.frame], cutoff, year)
            )
        if realised != realised:  # NaN: nothing to measure (e.g. no online meeting yet)
            status = STATUS["na"]
        elif realised >= target - 1e-9:
            status = STATUS["met"]
        elif not mid_year:
            status = STATUS["not_met"]
        else:
            status = STATUS["on_track"] if realised >= expected - 1e-9 else STATUS["behind"]
        rows.append({
            "goal": indicator.goal, "indicator": indicator.id, "description": indicator.description,
            "unit": indicator.unit, "op": indicator.op, "target": target, "realised": realised,
            "status": status, "expected": expected, "counted": ";".join(map(str, counted)),
            "n_counted": len(counted),
        })  # fmt: skip
    return _typed(pd.DataFrame(rows, columns=COLUMNS))


def unmeasured(targets: list[Indicator]) -> pd.DataFrame:
    """The indicators of `targets` when there is nothing to measure them on (no register for
    the year): realised and expected unknown, status "geen gegevens", never a realised 0."""
    rows = [{
        "goal": i.goal, "indicator": i.id, "description": i.description, "unit": i.unit,
        "op": i.op, "target": i.target, "realised": float("nan"), "status": STATUS["no_data"],
        "expected": float("nan"), "counted": "", "n_counted": 0,
    } for i in targets]  # fmt: skip
    return _typed(pd.DataFrame(rows, columns=COLUMNS))


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    return out.astype({"target": "float64", "realised": "float64", "expected": "float64",
                       "n_counted": "int64"}).astype({c: "string" for c in (
        "goal", "indicator", "description", "unit", "op", "status", "counted")})  # fmt: skip


def _until(frame: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    dates = pd.to_datetime(frame["date"])
    return frame.loc[dates.notna() & (dates <= cutoff)]


def _elapsed_share(
    indicator: Indicator, previous: pd.DataFrame | None, cutoff: pd.Timestamp, year: int
) -> float:
    """How much of the year's value is normally there by `cutoff`'s day of the year."""
    if previous is not None and len(previous):
        total, _ = _measure(indicator, previous)
        if total and total == total:
            same_day = pd.Timestamp(
                year - 1, cutoff.month, min(cutoff.day, 28 if cutoff.month == 2 else cutoff.day)
            )
            part, _ = _measure(indicator, _until(previous, same_day))
            return part / total
    start = pd.Timestamp(year, 1, 1)
    days = (pd.Timestamp(year + 1, 1, 1) - start).days
    return ((cutoff - start).days + 1) / days
