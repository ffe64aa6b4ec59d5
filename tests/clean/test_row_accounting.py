"""Property-based: however rows are shuffled, repeated, blanked or corrupted, every row of the
file is accounted for exactly once (kept, merged or rejected)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusie_analysis.clean.datasets import clean_needs
from inclusie_analysis.clean.privacy import DEMO_KEY
from inclusie_analysis.demo import write_demo

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def source_rows(tmp_path_factory) -> tuple[list[str], list[list[str]]]:
    demo = write_demo(tmp_path_factory.mktemp("acc") / "demo", seed=3)
    text = (demo.out / "2020" / "leernoden-2020_limesurvey_SYNTHETISCH.csv").read_text(
        encoding="utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return rows[0], rows[1:40]


operations = st.lists(
    st.one_of(
        st.tuples(st.just("copy"), st.integers(0, 38)),
        st.tuples(st.just("blank"), st.integers(0, 38)),
        st.tuples(st.just("corrupt"), st.integers(0, 38)),
        st.tuples(st.just("short"), st.integers(0, 38)),
    ),
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations, order=st.randoms(use_true_random=False))
def test_every_row_is_accounted_for(tmp_path_factory, source_rows, ops, order):
    header, rows = source_rows
    rows = [list(r) for r in rows]
    for op, i in ops:
        if op == "copy":
            rows.append(list(rows[i]))
        elif op == "blank":
            rows.insert(i, [""] * len(header))
        elif op == "corrupt":
            rows[i] = [value[::-1] if value else "?" for value in rows[i]]
        elif op == "short":
            rows[i] = rows[i][: len(header) // 2]
    order.shuffle(rows)
    folder = tmp_path_factory.mktemp("prop") / "2020"
    folder.mkdir()
    out = io.StringIO()
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        [header, *rows]
    )
    (folder / "leernoden-2020_test.csv").write_text(out.getvalue(), encoding="utf-8-sig")
    data = clean_needs(folder.parent, ROOT / "surveys" / "codebooks", 2020, key=DEMO_KEY)
    files = data.files.iloc[0]
    assert files["rows_in"] == len(rows)
    assert files["kept"] + files["merged"] + files["rejected"] == len(rows)
    assert len(data.ledger) == len(rows) and data.ledger["row"].is_unique
    assert files["kept"] == len(data.respondents)
    assert data.respondents["respondent_id"].is_unique
