"""A cleaned frame that fails its schema: traced to the input row where there is one."""

from __future__ import annotations

import pandas as pd
import pytest

from inclusie_analysis.clean.schemas import validate
from inclusie_analysis.errors import InputError

RID = "r_" + "0" * 15 + "1"


def _choices(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent_id": pd.array([RID] * len(rows), dtype="string"),
            "wave": pd.array([2026] * len(rows), dtype="int64"),
            "question": pd.array([q for q, _ in rows], dtype="string"),
            "choice": pd.array([c for _, c in rows], dtype="string"),
            "label": pd.array([c for _, c in rows], dtype="string"),
        }
    )


def test_a_failure_traced_to_an_input_row_names_file_row_and_question():
    sources = pd.DataFrame(
        {"respondent_id": [RID], "source_file": ["leernoden-2026.csv"], "source_row": [14]}
    )
    frame = _choices([("theme_wishes", "toegang"), ("theme_wishes", "toegang")])
    with pytest.raises(InputError) as caught:
        validate("choices", frame, sources=sources)
    text = str(caught.value)
    assert text.startswith("leernoden-2026.csv, rij 14, kolom 'theme_wishes':")
    assert "fout in inclusie-analysis" not in text
    assert "codeboek" in text  # what to do


def test_a_failure_with_no_input_behind_it_is_reported_as_ours():
    frame = _choices([("theme_wishes", "toegang"), ("theme_wishes", "toegang")])
    with pytest.raises(InputError, match="fout in inclusie-analysis"):
        validate("choices", frame)


def test_a_valid_frame_passes_unchanged():
    frame = _choices([("theme_wishes", "toegang"), ("theme_wishes", "regie")])
    pd.testing.assert_frame_equal(validate("choices", frame), frame)
