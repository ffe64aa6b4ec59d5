"""`inclusie report` audits what it published: the cells are named, the index says so."""

from __future__ import annotations

import json

import pandas as pd

from inclusie_analysis.cli import _say_audit
from inclusie_analysis.publish.index import audit_disclosure, write_index
from inclusie_analysis.publish.reportbook import ReportBook


def year_folder(tmp_path, hidden_total: int):
    """A year with one area report whose feedback table hides one cell; the caption n is
    120 + `hidden_total`, so with one hidden cell it is given away."""
    folder = tmp_path / "2025"
    book = ReportBook(folder / "jaarrapport-limburg")
    frame = pd.DataFrame({"Soort": ["a", "b", "c"], "Antwoorden": [70, 50, pd.NA]})
    book.table(frame, "Feedback per soort activiteit", n=120 + hidden_total, source="test",
               counts=["Antwoorden"], index=False)  # fmt: skip
    book.write_excel()
    manifest = {
        "generated_at": "2025-12-31T12:00:00",
        "versions": {"inclusie-analysis": "0"},
        "data": {},
        "reports": {
            "jaarrapport-limburg": {
                "status": "ok", "kind": "jaarrapport", "title": "Jaarrapport Limburg",
                "folder": "jaarrapport-limburg", "parameters": {"area": "Limburg", "year": 2025},
            }
        },
    }  # fmt: skip
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_a_disclosed_cell_is_named_in_the_log_the_index_and_on_the_console(tmp_path, capsys):
    folder = year_folder(tmp_path, hidden_total=3)
    log = folder / "run.log"
    audit = audit_disclosure(folder, threshold=5, width=3, log=log)
    assert not audit["ok"] and audit["hidden"] == 1 and audit["narrowest"] == 0
    line = (
        "jaarrapport-limburg · Feedback per soort activiteit · rij 'c' · kolom 'Antwoorden': "
        "tussen 3 en 3 (exact)"
    )
    assert audit["lines"] == [line]
    assert line in log.read_text(encoding="utf-8")
    assert (folder / "onthulling.xlsx").exists()
    write_index(folder)
    assert "Controle op onthulling mislukt" in (folder / "index.html").read_text(encoding="utf-8")
    assert _say_audit(folder, "refuse") is True
    err = capsys.readouterr().err
    assert f"Af te leiden: {line}" in err and "niet veilig" in err


def test_a_protected_suite_passes_and_the_index_says_so(tmp_path, capsys):
    folder = year_folder(tmp_path, hidden_total=0)  # one hidden cell but no caption leak...
    table = folder / "jaarrapport-limburg" / "tabellen.json"
    meta = json.loads(table.read_text(encoding="utf-8"))
    for sheet in meta.values():
        sheet["n"] = "120 + ?"  # ...because no single n is published
    table.write_text(json.dumps(meta), encoding="utf-8")
    audit = audit_disclosure(folder, threshold=5, width=3)
    assert audit["ok"] and audit["lines"] == []
    write_index(folder)
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "mislukt" not in index and "1 verborgen cellen" in index
    assert _say_audit(folder, "refuse") is False
    assert "Controle op onthulling" in capsys.readouterr().out


def test_a_report_made_without_excel_is_said_to_be_unchecked(tmp_path):
    folder = year_folder(tmp_path, hidden_total=3)
    (folder / "jaarrapport-limburg" / "tabellen.json").unlink()
    audit = audit_disclosure(folder, threshold=5, width=3)
    assert audit["ok"] and audit["hidden"] == 0
    assert "Niet gecontroleerd" in audit["summary"] and "jaarrapport-limburg" in audit["summary"]
