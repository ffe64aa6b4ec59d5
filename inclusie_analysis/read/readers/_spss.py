"""Reading an SPSS export (.sav/.zsav) with pyreadstat: the cells as codes, the variable
labels as question texts, the value labels and the user-missing ranges kept beside the table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inclusie_analysis.errors import InputError
from inclusie_analysis.read.readers._files import RawExport, _cell, _short


def _read_spss(path: Path, data: bytes) -> RawExport:
    if not data.startswith((b"$FL2", b"$FL3")):
        raise InputError(
            "dit is geen geldig SPSS-bestand (.sav/.zsav).",
            file=str(path),
            hint="Exporteer opnieuw als SPSS (.sav), of als .xlsx of .csv.",
        )
    frame, meta = _load_sav(path)
    frame = _object_frame(frame)
    value_labels = {
        str(col): {_code(k): v for k, v in labels.items()}
        for col, labels in (meta.variable_value_labels or {}).items()
    }
    user_missing = {
        str(col): [(_code(r["lo"]), _code(r["hi"])) for r in ranges]
        for col, ranges in (meta.missing_ranges or {}).items()
    }
    return RawExport(
        path,
        frame,
        platform="spss",
        header_rows=0,
        encoding=meta.file_encoding,
        notes=_spss_notes(value_labels, user_missing),
        questions={str(c): str(label) for c, label in meta.column_names_to_labels.items() if label},
        value_labels=value_labels,
        variant="zsav" if data.startswith(b"$FL3") else "sav",
        user_missing=user_missing,
    )


def _load_sav(path: Path):
    """pyreadstat's (frame, metadata), user-missing codes kept; its errors as InputErrors."""
    import pyreadstat

    try:
        return pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:
        raise InputError(
            f"het SPSS-bestand kan niet gelezen worden ({_short(str(exc), 120)}).",
            file=str(path),
            hint="Exporteer het opnieuw, of bewaar het in SPSS opnieuw als .sav.",
        ) from None


def _object_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as read (whole numbers as int), empty cells None, in object columns."""
    # Column by column into object Series: DataFrame.map would turn [1, None] back into floats.
    frame = pd.DataFrame(
        {
            str(c): pd.Series(
                [None if _spss_missing(v) else _cell(v) for v in frame[c].tolist()],
                dtype="object",
                index=frame.index,
            )
            for c in frame.columns
        },
        index=frame.index,
    )
    frame.columns = pd.Index(list(frame.columns), dtype="object")
    return frame.mask(frame.isna())


def _code(key: object) -> object:
    return int(key) if isinstance(key, float) and key.is_integer() else key


def _spss_notes(value_labels: dict, user_missing: dict) -> list[str]:
    notes = []
    if value_labels:
        notes.append(
            f"{len(value_labels)} variabele(n) met waardelabels: de cellen bevatten de codes."
        )
    if user_missing:
        notes.append(
            f"{len(user_missing)} variabele(n) met eigen ontbrekende waarden (user-missing); "
            "die codes staan gewoon in de tabel."
        )
    return notes


def _spss_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
