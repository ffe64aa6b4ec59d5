"""The year folder's own files: the manifest, the pseudonym key's record, the disclosure audit
and `index.html`.

The manifest records inputs, parameters, versions and every report's status with paths that
name no home folder; its `key` compares the pseudonym key with the earlier year's. The audit
checks every published count table of the year together (`onthulling.json`/`.xlsx`), and
the index links every report and says what staff must know first: synthetic demo data, a
changed key, missing inputs, a failed audit.
"""

from __future__ import annotations

import contextlib
import html
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from inclusie_analysis.publish.runlog import log_line, timestamp
from inclusie_analysis.publish.suite import source_id

if TYPE_CHECKING:
    from inclusie_analysis.publish.suite import ReportJob, ReportResult

AUDIT_FILE = "onthulling.json"


def audit_disclosure(out_root: Path, threshold: int, width: int, log: Path | None = None) -> dict:
    """Audit every published count table of the year's reports (`disclosure.audit_suite`):
    write `onthulling.xlsx` (every hidden cell's interval, the disclosed ones first) and
    `onthulling.json` (the figures and one line per disclosed cell), log them and return the
    latter. Tables that contradict each other count as a failed audit."""
    from inclusie_analysis.publish.disclosure import audit_suite
    from inclusie_analysis.publish.excel import write_tables

    out_root = Path(out_root)
    try:
        result = audit_suite(out_root, threshold, width)
    except ValueError as exc:
        summary = {"ok": False, "hidden": None, "narrowest": None, "lines": [str(exc)]}
        summary["summary"] = f"Controle op onthulling niet gelukt: {exc}"
    else:
        summary = {
            "ok": result.ok,
            "hidden": result.hidden,
            "narrowest": result.narrowest,
            "summary": result.summary(),
            "lines": result.lines(),
        }
        write_tables(
            out_root / "onthulling.xlsx",
            {"Af te leiden cellen": result.findings, "Alle verborgen cellen": result.intervals},
        )
    (out_root / AUDIT_FILE).write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    if log is not None:
        log_line(log, summary["summary"])
        for line in summary["lines"]:
            log_line(log, f"af te leiden: {line}")
    return summary


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    names = ("inclusie-analysis", "pandas", "numpy", "pyarrow", "matplotlib", "scipy",
             "papermill", "nbconvert", "nbclient", "ipykernel", "openpyxl",
             "weasyprint")  # fmt: skip
    out = {"python": sys.version.split()[0]}
    for name in names:
        with contextlib.suppress(PackageNotFoundError):
            out[name] = version(name)
    return out


def write_manifest(
    out_root: Path,
    jobs: list[ReportJob],
    results: list[ReportResult],
    formats,
    workers: int,
    root: Path | None = None,
) -> Path:
    """`manifest.json`: inputs (with sha256), parameters, versions, and per report its start,
    end and status, its `folder` and the id it was made for (`source_id`: event id or area).
    Reports not run this time keep their earlier entry. Paths are relative to `root` (the
    settings folder) or else to `out_root` (`paths.portable`; `paths_relative_to` says which):
    the manifest is published and names no home folder."""
    from inclusie_analysis.paths import portable

    path = Path(out_root) / "manifest.json"
    previous = {}
    if path.exists():
        with contextlib.suppress(ValueError, KeyError):
            previous = json.loads(path.read_text(encoding="utf-8"))["reports"]
    meta_file = next(
        (
            Path(job.parameters["data_dir"]) / "meta.json"
            for job in jobs
            if "data_dir" in job.parameters
        ),
        None,
    )
    meta = (
        json.loads(meta_file.read_text(encoding="utf-8"))
        if meta_file and meta_file.exists()
        else {}
    )
    base = root or out_root
    reports = portable(previous, base)
    for job, result in zip(jobs, results, strict=True):
        entry = asdict(result) | {"notebook": job.notebook.name,
                                  "parameters": portable(job.parameters, base)}  # fmt: skip
        entry["folder"] = job.report_id
        entry["source_id"] = source_id(job)
        entry["failed_notebook"] = result.failed_notebook.name if result.failed_notebook else None
        entry["status"] = "ok" if result.ok else "failed"
        entry.pop("ok")
        reports[job.report_id] = entry
    manifest = {
        "generated_at": timestamp(),
        "formats": list(formats),
        "workers": workers,
        "versions": _versions(),
        "paths_relative_to": "settings" if root else "year_folder",
        "data": portable(meta, base),
        "key": key_record(out_root, meta),
        "reports": reports,
    }
    path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return path


def key_record(out_root: Path, meta: dict) -> dict | None:
    """The manifest's `key`: the pseudonym key's fingerprint (never the key), whether it was
    the public demo key, and the comparison with the most recent earlier year's manifest in
    the same reports folder; `warning` says when the keys differ (pseudonyms of the two
    years cannot be linked). None when the cleaning needed no key."""
    key = meta.get("key") or {}
    if not key.get("fingerprint"):
        return None
    record = {"fingerprint": key["fingerprint"], "demo": bool(key.get("demo"))}
    earlier = _earlier_key(Path(out_root).parent, meta.get("year"))
    if earlier is not None:
        year, previous = earlier
        same = previous["fingerprint"] == record["fingerprint"]
        record["previous"] = {"year": year, "fingerprint": previous["fingerprint"],
                              "demo": bool(previous.get("demo")), "same": same}  # fmt: skip
        if not same:
            record["warning"] = f"andere sleutel dan in {year}: pseudoniemen niet koppelbaar"
            if previous.get("demo") != record["demo"]:
                which = year if previous.get("demo") else "nu"
                record["warning"] += f" ({which} de openbare demosleutel)"
    return record


def _earlier_key(reports_root: Path, year: object) -> tuple[int, dict] | None:
    """The key record of the most recent year before `year` whose manifest has one."""
    if not str(year).isdigit() or not reports_root.is_dir():
        return None
    names = [p.name for p in reports_root.iterdir() if p.name.isdigit()]
    for earlier in sorted((int(n) for n in names if int(n) < int(year)), reverse=True):
        path = reports_root / str(earlier) / "manifest.json"
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            key = manifest.get("key") or manifest.get("data", {}).get("key") or {}
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(key, dict) and key.get("fingerprint"):
            return earlier, key
    return None


def key_warning(out_root: Path) -> str | None:
    """The manifest's warning about a key other than the earlier year's, if any."""
    try:
        manifest = json.loads((Path(out_root) / "manifest.json").read_text(encoding="utf-8"))
        return (manifest.get("key") or {}).get("warning")
    except (OSError, ValueError, AttributeError):
        return None


def write_index(out_root: Path) -> Path:
    """`index.html`: every report of the year with links to its HTML, PDF and Excel file."""
    out_root = Path(out_root)
    manifest = json.loads((out_root / "manifest.json").read_text(encoding="utf-8"))
    rows = _index_rows(out_root, manifest["reports"])
    year = next((e["parameters"].get("year") for e in manifest["reports"].values()), "")
    page = (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>Rapporten {year}</title>"
        "<style>body{font-family:Segoe UI,Helvetica Neue,Arial,sans-serif;max-width:56rem;"
        "margin:2rem auto;"
        "padding:0 1rem;line-height:1.5}table{border-collapse:collapse;width:100%}"
        "th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #ddd}"
        ".ontbreekt{background:#fff3cd;border-left:4px solid #8a6d00;padding:.25rem 1rem}"
        "</style></head>"
        f"<body><h1>Rapporten digitale inclusie {year}</h1>{_index_notice(out_root, manifest)}"
        f"<p>Gemaakt op {html.escape(manifest['generated_at'])} met inclusie-analysis "
        f"{html.escape(manifest['versions'].get('inclusie-analysis', ''))}. Wat er liep, staat in "
        '<a href="run.log">run.log</a>; bronnen en versies in '
        '<a href="manifest.json">manifest.json</a>.</p>'
        f"{_chooser_link(out_root)}{''.join(_index_sections(rows))}</body></html>"
    )
    path = out_root / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _chooser_link(out_root: Path) -> str:
    """The index's link to the planners' theme chooser, when it was written."""
    from inclusie_analysis.publish.theme_chooser import FILE

    if not (out_root / FILE).exists():
        return ""
    return (
        f'<h2>Themakiezer</h2><p><a href="{FILE}">Themakiezer</a>: rangschik de thema\'s '
        "voor volgend jaar zelf, met uw eigen gewichten, per gebied en type organisatie "
        "(één bestand dat zonder internet werkt en doorgestuurd mag worden).</p>"
    )


def _index_rows(out_root: Path, reports: dict[str, dict]) -> dict[str, list[str]]:
    """The index's table rows by group ("activiteit", "jaarrapport:<level>"): per report its
    title, links to the files it has, its folder and whether its last run failed."""
    rows: dict[str, list[str]] = {}
    for report_id, entry in reports.items():
        folder = out_root / report_id
        links = []
        for name, label in (
            ("report.html", "HTML"),
            ("report.pdf", "PDF"),
            ("tabellen.xlsx", "Excel"),
        ):
            if (folder / name).exists():
                links.append(f'<a href="{report_id}/{name}">{label}</a>')
        status = "" if entry["status"] == "ok" else "laatste run mislukt, zie run.log"
        if not links and not status:
            continue
        folder_name = html.escape(entry.get("folder", report_id))
        group = entry["kind"]
        if group == "jaarrapport":
            group = f"jaarrapport:{(entry.get('parameters') or {}).get('level', 'provincie')}"
        rows.setdefault(group, []).append(
            f'<tr><th scope="row">{html.escape(entry["title"])}</th>'
            f"<td>{' · '.join(links) or '–'}</td>"
            f"<td><code>{folder_name}</code></td>"
            f"<td>{html.escape(status)}</td></tr>"
        )
    return rows


def _index_sections(rows: dict[str, list[str]]) -> list[str]:
    """One headed table per group that has rows: Flanders, provinces, referentieregio's, a
    user's levels, then the events."""
    sections = []
    levels = [k.split(":", 1)[1] for k in rows if k.startswith("jaarrapport:")]
    for kind, heading in (
        ("jaarrapport:vlaanderen", "Jaarrapport voor heel Vlaanderen en Brussel"),
        ("jaarrapport:provincie", "Jaarrapporten per provincie (en Brussel)"),
        ("jaarrapport:referentieregio", "Jaarrapporten per referentieregio"),
        *(
            (f"jaarrapport:{level}", f"Jaarrapporten per {level}")
            for level in levels
            if level not in ("vlaanderen", "provincie", "referentieregio")
        ),
        ("activiteit", "Feedback per activiteit"),
    ):
        if rows.get(kind):
            sections.append(
                f'<h2>{heading}</h2><table><thead><tr><th scope="col">Rapport</th>'
                f'<th scope="col">Bestanden</th><th scope="col">Map</th>'
                f'<th scope="col">Status</th></tr></thead>'
                f"<tbody>{''.join(rows[kind])}</tbody></table>"
            )
    return sections


def _index_notice(out_root: Path, manifest: dict) -> str:
    """What the index says first: synthetic data, a changed key, missing inputs, the audit."""
    notice = ("<p><strong>Let op: gemaakt met synthetische demodata, niet met echte antwoorden."
              "</strong></p>") if _synthetic(manifest) else ""  # fmt: skip
    if warning := (manifest.get("key") or {}).get("warning"):
        notice += (
            f'<div class="ontbreekt" role="alert"><p><strong>Let op: {html.escape(warning)}.'
            "</strong> Wie in beide jaren antwoordde of deelnam, is niet als dezelfde persoon "
            "te herkennen. Was dat niet de bedoeling, gebruik dan de sleutel van toen "
            "('inclusie key' toont de vingerafdruk; zie manifest.json).</p></div>"
        )
    notice += _missing_notice(manifest.get("data", {}).get("sources", []))
    notice += _audit_notice(out_root / AUDIT_FILE)
    return notice


def _synthetic(manifest: dict) -> bool:
    """Whether the index says "synthetische demodata": the demo key was used (only possible on
    the unchanged demo folder), or every input file in a year folder is named SYNTHETISCH."""
    data = manifest.get("data") or {}
    if (manifest.get("key") or {}).get("demo"):
        return True
    names = [i.get("file", "") for i in data.get("inputs", []) if "/" in i.get("file", "")]
    return bool(names) and all("SYNTHETISCH" in name.upper() for name in names)


def _audit_notice(path: Path) -> str:
    """The index's line on the disclosure audit (empty when it did not run)."""
    if not path.exists():
        return ""
    audit = json.loads(path.read_text(encoding="utf-8"))
    if audit["ok"]:
        return f'<p class="controle">{html.escape(audit["summary"])}</p>'
    return (
        '<div class="ontbreekt" role="alert"><h2>Controle op onthulling mislukt</h2>'
        f"<p>{html.escape(audit['summary'])} Deze cellen zijn niet veilig; publiceer de "
        'rapporten niet zo. Details in <a href="onthulling.xlsx">onthulling.xlsx</a> en '
        '<a href="run.log">run.log</a>.</p></div>'
    )


def _missing_notice(sources: list[dict]) -> str:
    """The index's box with every input of the year that is missing (empty when none is)."""
    from inclusie_analysis.clean.sources import missing_sentences

    missing = missing_sentences(sources)
    if not missing:
        return ""
    items = "".join(f"<li>{html.escape(text)}</li>" for text in missing)
    return (
        '<div class="ontbreekt" role="note"><h2>Ontbrekende gegevens</h2>'
        f"<ul>{items}</ul><p>De rapporten zeggen dat deze gegevens ontbreken; ze tonen er geen "
        'nullen voor. Meer in <a href="datakwaliteit.html">datakwaliteit.html</a>.</p></div>'
    )
