"""The reports as readers get them, opened in real renderers: the HTML in headless Chromium,
the PDF through poppler. The checker itself is tested on pages with one planted fault each."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from renderers import check_html, need_chromium, need_poppler, pdf_pages_png, pdf_text

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()
GOOD = (
    '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>t</title></head><body>'
    '<nav><a href="#deel">Deel</a></nav><h2 id="deel">Deel</h2>'
    f'<img src="data:image/png;base64,{PNG}" alt="Een stip van één pixel">'
    "<table><thead><tr><th>Kop</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
    "{extra}</body></html>"
)


def _page(tmp_path: Path, extra: str = "", replace: tuple[str, str] | None = None) -> Path:
    html = GOOD.replace("{extra}", extra)
    if replace:
        html = html.replace(*replace)
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_checker_passes_a_clean_page(tmp_path):
    need_chromium()
    assert check_html(_page(tmp_path)) == []


@pytest.mark.parametrize(
    ("extra", "replace", "expected"),
    [
        ('<img src="missing.png" alt="kapot beeld">', None, "image did not load"),
        (f'<img src="data:image/png;base64,{PNG}">', None, "without alt text"),
        ("<script>console.error('stuk')</script>", None, "console error"),
        ("<script>throw new Error('oei')</script>", None, "page error"),
        ('<link rel="stylesheet" href="https://cdn.example.org/x.css">', None, "network request"),
        ("<pre>Traceback (most recent call last):</pre>", None, "error text"),
        ("", ('<html lang="nl">', "<html>"), "no lang"),
        ("<table><tr><td>geen kop</td></tr></table>", None, "without header cells"),
        ('<a href="#nergens">weg</a>', None, "missing section"),
    ],
)
def test_checker_finds_each_planted_fault(tmp_path, extra, replace, expected):
    need_chromium()
    problems = check_html(_page(tmp_path, extra, replace))
    assert any(expected in p for p in problems), problems


def test_html_reports_render_cleanly_in_chromium(run, tmp_path):
    need_chromium()
    _, out = run
    for report_id in ("jaarrapport-vlaanderen-en-brussel", "jaarrapport-brussel",
                      "activiteit-2025-003"):  # fmt: skip
        shot = tmp_path / f"{report_id}.png"
        assert check_html(out / report_id / "report.html", screenshot=shot) == [], report_id
        assert shot.stat().st_size > 10_000
    assert check_html(out / "index.html") == []


def test_pdf_holds_the_headings_and_numbers(run, tmp_path):
    need_poppler()
    _, out = run
    pdf = out / "jaarrapport-vlaanderen-en-brussel" / "report.pdf"
    text = pdf_text(pdf)
    for heading in ("Samenvatting", "Indicatoren van het actieplan", "Bereik", "Leernoden",
                    "Feedback op de activiteiten", "Aanbevolen thema's voor 2026",
                    "Datakwaliteit", "Methode"):  # fmt: skip
        assert heading in text, heading
    html = (out / "jaarrapport-vlaanderen-en-brussel" / "report.html").read_text(encoding="utf-8")
    first = re.search(r'<ol class="bevindingen"><li>(\d+) antwoorden', html).group(1)
    assert f"{first} antwoorden" in text, "the first finding's count is in the PDF"
    assert re.search(r"\d+,\d", text), "Dutch decimal commas"
    pages = pdf_pages_png(pdf, tmp_path / "page", 1, 2)
    assert len(pages) == 2 and all(p.stat().st_size > 5_000 for p in pages)


def test_excel_tables_open_in_libreoffice(run, tmp_path):
    """Where LibreOffice happens to be installed, it converts the workbook without complaint."""
    import shutil
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed: the Excel file is checked with openpyxl only")
    _, out = run
    workbook = out / "jaarrapport-vlaanderen-en-brussel" / "tabellen.xlsx"
    result = subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "tabellen.pdf").stat().st_size > 1000
