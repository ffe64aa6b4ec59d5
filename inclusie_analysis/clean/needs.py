"""Learning-needs survey responses: from a raw export + its codebook to tidy respondents."""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.clean.geo import MunicipalityMatcher, resolve_municipalities
from inclusie_analysis.codebook import Codebook
from inclusie_analysis.readers import RawExport

RESPONDENT_COLUMNS = [
    "wave",
    "source_file",
    "source_row",
    "complete",
    "org_type",
    "nis_code",
    "municipality",
    "arrondissement",
    "province",
    "region",
    "geo_method",
]


def extract_respondents(
    raw: RawExport, codebook: Codebook, matcher: MunicipalityMatcher
) -> pd.DataFrame:
    """One row per non-empty response: wave, organisation type, 2025 municipality, completeness.

    Fully blank rows are left out (they are not responses). Personal data columns are never
    copied: only the variables named here leave the raw table.
    """
    frame = raw.frame
    meta = {v.name for v in codebook.variables if v.type in ("metadata", "pii_drop")}
    answer_columns = [
        c
        for v in codebook.variables
        if v.name not in meta and (c := codebook.find_column(v, list(frame.columns)))
    ]
    answered = (
        frame[answer_columns].notna().any(axis=1) if answer_columns else frame.notna().any(axis=1)
    )
    rows = frame.loc[answered]
    org = _column(rows, codebook, "org_type")
    muni_var = next((v for v in codebook.variables if v.type == "municipality"), None)
    muni = (
        _column(rows, codebook, muni_var.name) if muni_var else pd.Series(pd.NA, index=rows.index)
    )
    labels = codebook.variable("org_type").labels if _has(codebook, "org_type") else {}
    respondents = pd.DataFrame(
        {
            "wave": codebook.wave,
            "source_file": raw.path.name,
            "source_row": [raw.spreadsheet_row(i) for i in range(len(frame)) if answered.iloc[i]],
            "complete": _completeness(rows, raw.platform),
            "org_type": org.map(
                lambda v: labels.get(str(v).strip(), str(v).strip()), na_action="ignore"
            ),
            "municipality_answer": muni,
        },
        index=rows.index,
    )
    resolved = resolve_municipalities(respondents, "municipality_answer", matcher)
    return (
        resolved.drop(columns="municipality_answer")
        .astype({"org_type": "string", "source_file": "string"})[RESPONDENT_COLUMNS]
        .reset_index(drop=True)
    )


def _has(codebook: Codebook, name: str) -> bool:
    return any(v.name == name for v in codebook.variables)


def _column(rows: pd.DataFrame, codebook: Codebook, name: str) -> pd.Series:
    if not _has(codebook, name):
        return pd.Series(pd.NA, index=rows.index, dtype="object")
    column = codebook.find_column(codebook.variable(name), list(rows.columns))
    return (
        rows[column] if column is not None else pd.Series(pd.NA, index=rows.index, dtype="object")
    )


def _completeness(rows: pd.DataFrame, platform: str) -> pd.Series:
    # LimeSurvey leaves submitdate empty for partial responses; MS Forms only stores submitted ones.
    if platform == "limesurvey":
        for column in ("submitdate", "Date submitted"):
            if column in rows.columns:
                return rows[column].notna()
    return pd.Series(True, index=rows.index)
