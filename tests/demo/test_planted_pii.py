"""Planted personal data must not reach any published file (issue 15).

A copy of the demo inputs gets the personal data a Flemish respondent or member of staff
writes (a national register number with and without dots, an IBAN, e-mail addresses plain
and obfuscated, a phone number, an address, a name, a number plate, a profile link) in every
free-text field of every kind of input: survey open answers, "other" answers, municipality
and job-title fields, feedback open answers, the register's title and organiser, the
communication sheet, an attendance list's cells. Some rows are kept, some are flagged (the
data-quality report quotes what it flags). `inclusie report` runs once; every file under the
reports folder is searched (parquet, xlsx, html, pdf text, ipynb, json, log, csv, ...).

One activity gets exactly one feedback response: its sheet shows no open answer.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from inclusie_analysis.cli import main
from inclusie_analysis.demo import write_demo

YEAR = 2025
NAME = "Jan Peeters"
# Every category in one sentence, as people write it; planted whole in every free-text field.
PLANTED = (
    "vraag het aan Jan Peeters van het OCMW, rijksregisternummer 85.07.30-033.61 of "
    "85073003361, rekening BE68 5390 0754 7034, mail jan [at] gemeente.be of "
    "jan(at)gemeente(dot)be of jan.peeters@gemeente.be, bel 0470 12 34 56, adres "
    "Kerkstraat 12, 9000 Gent, auto 1-ABC-123, linkedin.com/in/jan-peeters"
)
# What must not be found, by category: as written, and (second list) in digit-only or
# squeezed form, compared with outputs from which spaces, dots, dashes, slashes and
# brackets were removed (a number wrapped over two lines of a PDF is still found).
NEEDLES = {
    "rijksregisternummer": (["85.07.30-033.61", "85073003361"], ["85073003361"]),
    "rekeningnummer": (["BE68 5390 0754 7034", "BE68539007547034"], ["be68539007547034"]),
    "e-mail": (["jan.peeters@", "peeters@gemeente"], []),
    "e-mail (verhuld)": (
        ["jan [at] gemeente", "jan(at)gemeente", "gemeente(dot)be"],
        ["janatgemeente"],
    ),
    "telefoon": (["0470 12 34 56"], ["0470123456"]),
    "adres": (["Kerkstraat"], ["kerkstraat12"]),
    "naam": (["Peeters"], []),
    "nummerplaat": (["1-ABC-123"], ["1abc123"]),
    "link": (["linkedin.com/in", "jan-peeters"], []),
}
SINGLE_ANSWER = "de koffie was lauw maar de uitleg over de regierol was sterk"
TEXT_SUFFIXES = {".html", ".json", ".log", ".csv", ".txt", ".md", ".svg", ".yaml", ".toml"}


# ---------------------------------------------------------------------------------------------
# Planting


def _set(ws, row: int, header: str, value) -> None:
    columns = {cell.value: cell.column for cell in ws[1]}
    ws.cell(row=row, column=columns[header], value=value)


def _header_index(ws, prefix: str) -> int:
    return next(c.column for c in ws[1] if str(c.value or "").startswith(prefix))


def _plant_survey_2025(path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    municipality = "Voor welke gemeente of stad werkt u"
    # kept rows: open answer, "other" theme wish, municipality, job title, organisation type
    ws.cell(row=2, column=_header_index(ws, "Heeft u nog suggesties"), value=PLANTED)
    ws.cell(row=3, column=_header_index(ws, "Over welke thema's"), value="Regierol;" + PLANTED)
    ws.cell(row=4, column=_header_index(ws, municipality), value=PLANTED)
    ws.cell(row=5, column=_header_index(ws, "Wat is uw functie?"), value=PLANTED)  # flagged
    ws.cell(row=6, column=_header_index(ws, "Wat voor organisatie"), value=PLANTED)  # flagged
    ws.cell(row=7, column=_header_index(ws, municipality), value="Kerkstraat 12, 9000 Gent")
    for row in (2, 3, 4):  # the personal columns too: only used for the pseudonym
        _set(ws, row, "Name", NAME)
        _set(ws, row, "Email", "jan [at] gemeente.be")
        ws.cell(row=row, column=_header_index(ws, "Uw e-mailadres"), value=PLANTED)
    # a row that is rejected (no answers), with personal data in its personal columns
    last = ws.max_row + 1
    _set(ws, last, "ID", 9999)
    _set(ws, last, "Name", NAME)
    _set(ws, last, "Email", "jan.peeters@gemeente.be")
    ws.cell(row=last, column=_header_index(ws, "Uw e-mailadres"), value=PLANTED)
    wb.save(path)


def _rewrite_csv(path: Path, change) -> None:
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    quoting = csv.QUOTE_ALL if text.startswith('"') else csv.QUOTE_MINIMAL
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    change(rows)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", quoting=quoting, lineterminator="\n").writerows(rows)


def _plant_survey_2020(path: Path) -> None:
    def change(rows):
        header = rows[0]
        for column in ("Q2", "Q6[other]", "Q7"):  # municipality, "other", open answer
            rows[1][header.index(column)] = PLANTED

    _rewrite_csv(path, change)


def _plant_register(path: Path, titled: str) -> None:
    """The activity `titled` gets the planted text in its title, organiser and every
    field that is quoted when it cannot be read; the communication sheet too."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Activiteiten"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == titled)
    _set(ws, row, "Titel", "Infosessie " + PLANTED)
    _set(ws, row, "Organisator", PLANTED)
    for header in ("Thema", "Vorm", "Duur", "Doelstelling", "Ingeschreven", "Opname gepubliceerd"):
        _set(ws, row, header, PLANTED)
    comm = wb["Communicatie"]
    _set(comm, 2, "Titel", PLANTED)
    _set(comm, 2, "Link", "https://linkedin.com/in/jan-peeters")
    _set(comm, 3, "Soort", PLANTED)  # flagged: unknown kind, quoted
    wb.save(path)


def _plant_attendance(path: Path) -> None:
    def change(rows):
        header = rows[0]
        row = [""] * len(header)
        for column, value in {
            "Voornaam": "Jan", "Naam": "Peeters", "E-mailadres": "jan [at] gemeente.be",
            "Organisatie": PLANTED, "Gemeente": PLANTED, "Aanwezig": PLANTED,
        }.items():  # fmt: skip
            row[header.index(column)] = value
        rows.append(row)
        # the same person again (merged), and a present participant with an address
        rows.append(list(row))
        second = list(row)
        second[header.index("E-mailadres")] = "jan(at)gemeente(dot)be"
        second[header.index("Aanwezig")] = "ja"
        second[header.index("Gemeente")] = "Kerkstraat 12, 9000 Gent"
        rows.append(second)

    _rewrite_csv(path, change)


def _plant_feedback(path: Path, busy: str, single: str) -> None:
    """Open answers of the busiest activity (`busy`, as the form names it), flagged rows that
    quote their cells, and one response to the activity `single`."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    event = _header_index(ws, "Welke activiteit")
    best = _header_index(ws, "Wat vond u het sterkst")
    better = _header_index(ws, "Wat kan beter")
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=event).value == busy]
    for r in rows[:3]:
        ws.cell(row=r, column=best, value=PLANTED)
        ws.cell(row=r, column=better, value="Meer tijd. " + PLANTED)
        _set(ws, r, "Name", NAME)
        _set(ws, r, "Email", "jan(at)gemeente(dot)be")
    template = [c.value for c in ws[rows[0]]]
    next_id = max(int(ws.cell(row=r, column=1).value) for r in range(2, ws.max_row + 1)) + 1

    def add(**cells) -> None:
        nonlocal next_id
        values = list(template)
        values[0] = next_id
        next_id += 1
        for prefix, value in cells.items():
            values[_header_index(ws, prefix) - 1] = value
        ws.append(values)

    # flagged: unlinked activity, scores that are not scores, an unknown agreement answer
    add(**{"Welke activiteit": PLANTED})
    add(**{"Hoe tevreden": PLANTED, "Hoe waarschijnlijk": PLANTED, "De inhoud was": PLANTED})
    # exactly one response for the activity `single`, with an open answer
    add(**{"Welke activiteit": single, "Wat vond u het sterkst": SINGLE_ANSWER,
           "Wat kan beter": None})  # fmt: skip
    wb.save(path)


def plant(demo_dir: Path) -> dict:
    """Plant everything in the demo copy at `demo_dir`; say which activities were used."""
    folder = demo_dir / str(YEAR)
    register = next(folder.glob("activiteiten-*.xlsx"))
    feedback = next(folder.glob("feedback-*.xlsx"))
    events = pd.read_excel(register, sheet_name="Activiteiten", engine="openpyxl")
    answers = pd.read_excel(feedback, engine="openpyxl")
    forms = answers["Welke activiteit heeft u gevolgd?"].astype(str)
    busy = forms.value_counts().index[0]
    without = [
        e for e, t in zip(events["Nr"], events["Titel"], strict=True)
        if not forms.str.startswith(str(t) + " (").any() and not forms.str.contains(str(e)).any()
    ]  # fmt: skip
    titled, single = without[0], without[1]
    busy_id = next(
        e for e, t in zip(events["Nr"], events["Titel"], strict=True)
        if busy.startswith(str(t) + " (") or str(e) in busy
    )  # fmt: skip
    _plant_survey_2025(next(folder.glob("leernoden-*.xlsx")))
    _plant_survey_2020(next((demo_dir / "2020").glob("leernoden-*.csv")))
    _plant_register(register, titled)
    _plant_attendance(sorted((folder / "aanwezigheden").glob("*.csv"))[0])
    _plant_feedback(feedback, busy, single)
    return {"titled": titled, "single": single, "busy": busy, "busy_id": busy_id}


# ---------------------------------------------------------------------------------------------
# Searching the outputs


def texts_of(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every piece of text in an output file."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame = pd.read_parquet(path)
        out = [("kolommen", " ".join(map(str, frame.columns)))]
        for column in frame.columns:
            if pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(
                frame[column]
            ):
                continue
            for i, value in frame[column].dropna().astype(str).items():
                out.append((f"kolom {column}, rij {i}", value))
        return out
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        out = []
        for ws in wb.worksheets:
            out.append((f"blad {ws.title!r} (naam)", ws.title))
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None and hasattr(cell, "coordinate"):
                        out.append((f"blad {ws.title!r} cel {cell.coordinate}", str(cell.value)))
        wb.close()
        return out
    if suffix == ".pdf":
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        return [(f"pagina {n}", page) for n, page in enumerate(text.split("\f"), 1)]
    if suffix in (".ipynb", ".json"):
        out = []

        def walk(value, where):
            if isinstance(value, dict):
                for k, v in value.items():
                    if not str(k).startswith("image/"):  # embedded pictures: no text
                        walk(v, f"{where}/{k}")
            elif isinstance(value, list):
                for k, v in enumerate(value):
                    walk(v, f"{where}/{k}")
            elif isinstance(value, str):
                out.append((where or "/", _without_data_uris(value)))

        walk(json.loads(path.read_text(encoding="utf-8")), "")
        return out
    if suffix in TEXT_SUFFIXES:
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix == ".html":
            text = html.unescape(_without_data_uris(text))
        return [(f"regel {n}", line) for n, line in enumerate(text.splitlines(), 1)]
    return []


def _without_data_uris(text: str) -> str:
    return re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "data:…", text)


def squeeze(text: str) -> str:
    return re.sub(r"[\s.\-/()\[\]]+", "", text.lower())


def find_planted(
    root: Path, pdf: bool = True
) -> tuple[dict[str, list[str]], list[Path], list[Path]]:
    """Hits per category ("file: where: excerpt"), the files searched and those skipped
    (pictures; PDFs when `pdf` is false)."""
    hits: dict[str, list[str]] = {}
    searched, skipped = [], []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        readable = {".parquet", ".xlsx", ".ipynb", ".json", *TEXT_SUFFIXES}
        if suffix not in readable | ({".pdf"} if pdf else set()):
            skipped.append(path)
            continue
        pieces = texts_of(path)
        searched.append(path)
        for where, text in pieces:
            lower, squeezed = text.lower(), squeeze(text)
            for kind, (plain, digits) in NEEDLES.items():
                found = [n for n in plain if n.lower() in lower] + [
                    n for n in digits if n in squeezed
                ]
                if found:
                    at = lower.find(found[0].lower())
                    excerpt = text[max(at - 30, 0) : at + 60] if at >= 0 else text[:90]
                    hits.setdefault(kind, []).append(
                        f"{path.relative_to(root)}: {where}: {found[0]!r} in {excerpt!r}"
                    )
    return hits, searched, skipped


# ---------------------------------------------------------------------------------------------
# The run


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory, make_settings):
    folder = tmp_path_factory.mktemp("planted")
    demo = write_demo(folder / "demo", seed=1)
    used = plant(demo.out)
    settings = make_settings(folder, demo.out)
    # The planted feedback rows change the counts per activity type; whether those tables
    # stay protected is the disclosure audit's test (test_disclosure_audit), not this one's.
    with settings.open("a", encoding="utf-8") as handle:
        handle.write('\n[privacy]\naudit = "warn"\n')
    # The reports that can show planted values: every yearly report, and the sheets of the
    # activities planted in (the others show nothing of the planted rows; the whole suite
    # runs in tests/demo/conftest.py). Index, manifest, data and quality report always come.
    only = ["jaarrapport", *(str(used[k]) for k in ("titled", "single", "busy_id"))]
    code = main(["--settings", str(settings), "report", "--year", str(YEAR), "--no-progress",
                 "--jobs", "2", "--formats", "html,xlsx,pdf",
                 *(a for o in only for a in ("--only", o))])  # fmt: skip
    return code, folder / "reports", used


def test_no_planted_value_in_any_output(planted_run):
    code, reports, _ = planted_run
    assert code == 0
    pdf = shutil.which("pdftotext") is not None
    if not pdf:
        print("pdftotext (poppler-utils) ontbreekt: de PDF-bestanden worden niet doorzocht")
    hits, searched, skipped = find_planted(reports, pdf=pdf)
    kinds = {p.suffix for p in searched}
    assert {".parquet", ".xlsx", ".html", ".ipynb", ".json", ".log"} | (
        {".pdf"} if pdf else set()
    ) <= kinds, kinds
    allowed = {".png", ".jpg", ".jpeg"} | (set() if pdf else {".pdf"})
    assert {p.suffix for p in skipped} <= allowed, skipped
    # Every category must be gone everywhere: a hit is a field or an output that bypasses
    # the de-identification step, or a form of personal data the step does not know.
    assert not hits, "persoonsgegevens in de uitvoer:\n" + "\n".join(
        f"[{kind}] {len(found)} keer, bv.\n  " + "\n  ".join(found[:8])
        for kind, found in hits.items()
    )


def test_planted_fields_reached_the_outputs_scrubbed(planted_run):
    """The search above is not vacuous: the planted rows were kept and their fields reached
    the outputs, with labels where the personal data stood."""
    _, reports, used = planted_run
    data = reports / str(YEAR) / "data"
    events = pd.read_parquet(data / "events.parquet").set_index("event_id")
    titled = events.loc[used["titled"]]
    assert "[telefoon]" in titled["title"] and "[telefoon]" in titled["organiser"]
    activities = pd.read_parquet(data / "activities.parquet")
    assert activities["title"].str.contains("[telefoon]", regex=False).any()
    feedback_text = pd.read_parquet(data / "feedback_text.parquet")
    assert feedback_text["text"].str.contains("[telefoon]", regex=False).sum() >= 6
    answers = pd.read_parquet(data / "answers_text.parquet")
    assert answers["text"].str.contains("[telefoon]", regex=False).sum() >= 3  # 2025 and 2020
    index = (reports / str(YEAR) / "index.html").read_text(encoding="utf-8")
    assert used["titled"] in index and "[telefoon]" in index
    # the busiest activity shows its open answers, scrubbed
    planted = feedback_text.loc[feedback_text["text"].str.contains("[telefoon]", regex=False)]
    busy = planted["event_id"].value_counts().index[0]
    sheet = next((reports / str(YEAR)).glob(f"activiteit-{busy}*/report.html"))
    assert sheet.read_text(encoding="utf-8").count("[telefoon]") >= 6
    # the data-quality report quotes the flagged values, scrubbed
    problems = pd.read_excel(reports / str(YEAR) / "datakwaliteit.xlsx", sheet_name="Problemen",
                             header=None, engine="openpyxl").astype(str)  # fmt: skip
    quoted = problems.apply(lambda c: c.str.contains("[telefoon]", regex=False)).to_numpy().sum()
    assert quoted >= 10, quoted


def test_single_open_answer_is_withheld(planted_run):
    _, reports, used = planted_run
    data = reports / str(YEAR) / "data"
    texts = pd.read_parquet(data / "feedback_text.parquet")
    mine = texts.loc[texts["event_id"] == used["single"]]
    assert mine["text"].tolist() == [SINGLE_ANSWER]  # it was read and linked
    folder = next((reports / str(YEAR)).glob(f"activiteit-{used['single']}*"))
    for name in ("report.html", "report.ipynb"):
        text = html.unescape((folder / name).read_text(encoding="utf-8"))
        assert "koffie was lauw" not in text, name
        assert "1 open antwoord" in text and "niet getoond" in text, name
    xlsx = [piece for path in folder.glob("*.xlsx") for piece in texts_of(path)]
    assert xlsx and not any("koffie" in text for _, text in xlsx)
