"""Real renderers for the report checks: headless Chromium (through playwright, using the
system's Debian `chromium`, never a downloaded browser) and poppler's pdftotext/pdftoppm.

Each helper skips the calling test with a printed reason when its renderer is missing;
`.ci/run` installs both, so in CI they run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


def need_chromium() -> str:
    """The Chromium executable, or skip the test saying what to install."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (Debian package chromium): no HTML renderer check")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright): no HTML renderer check")
    return path


def need_poppler() -> None:
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils is not installed (pdftotext, pdftoppm): no PDF renderer check")


def check_html(path: Path, screenshot: Path | None = None) -> list[str]:
    """Open a report from disk in headless Chromium and list what a reader would trip over:
    console errors, page errors, requests to the network (a report must open offline),
    failed requests, images that did not load or have no alt text, error text, no `lang`,
    tables without header cells, and table-of-contents links to nowhere."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def route(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "about:")):
                route.continue_()
            else:
                problems.append(f"network request: {url}")
                route.abort()

        page.route("**/*", route)
        page.on(
            "console",
            lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on(
            "requestfailed",
            lambda r: (
                problems.append(f"request failed: {r.url[:80]}")
                if not r.url.startswith(("http:", "https:"))
                else None
            ),
        )
        page.goto(path.resolve().as_uri(), wait_until="load")
        found = page.evaluate(
            """() => ({
                lang: document.documentElement.getAttribute("lang"),
                broken: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))
                    .map(i => i.src.slice(0, 60)),
                noAlt: [...document.images].filter(i => !(i.getAttribute("alt") || "").trim())
                    .map(i => i.src.slice(0, 60)),
                images: document.images.length,
                tablesWithoutTh: [...document.querySelectorAll("table")]
                    .filter(t => !t.querySelector("th")).length,
                deadLinks: [...document.querySelectorAll('a[href^="#"]')]
                    .map(a => a.getAttribute("href").slice(1))
                    .filter(id => !document.getElementById(decodeURIComponent(id))),
                text: document.body.innerText,
            })"""
        )
        if screenshot is not None:
            page.screenshot(path=str(screenshot))
        browser.close()
    if not found["lang"]:
        problems.append("<html> has no lang attribute")
    problems += [f"image did not load: {src}" for src in found["broken"]]
    problems += [f"image without alt text: {src}" for src in found["noAlt"]]
    if found["tablesWithoutTh"]:
        problems.append(f"{found['tablesWithoutTh']} table(s) without header cells")
    problems += [f"link to a missing section: #{anchor}" for anchor in found["deadLinks"]]
    import re

    if "Traceback" in found["text"] or re.search(r"\bError\b", found["text"]):
        problems.append("error text on the page")
    return problems


def pdf_text(path: Path) -> str:
    """The PDF's text, laid out as on the page (pdftotext -layout)."""
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def pdf_pages_png(path: Path, prefix: Path, first: int = 1, last: int = 2) -> list[Path]:
    """Pages `first` to `last` as PNG images (60 dpi), for looking at."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(last), str(path), str(prefix)],
        check=True,
    )
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))
