"""The theme chooser page on the cleaned demo, opened in Debian's Chromium (playwright): no
network request, no console error, and the order it shows after moving its controls is
`planning.rank_themes` with the same weights on the same group's signals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from renderers import CHROMIUM_ARGS, chromium_path, need_chromium  # tests/demo is on sys.path

from inclusie_analysis.analyse.planning import WEIGHTS, rank_themes, theme_signals, unavailable_in
from inclusie_analysis.clean.areas import select_area

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2025
LOCAL = "Lokaal bestuur (gemeente/OCMW)"


@pytest.fixture(scope="module")
def data_dir(demo, tmp_path_factory) -> Path:
    """The demo cleaned once (2025), in the layout `inclusie clean` writes."""
    from inclusie_analysis.clean.datasets import clean_year, write_frames
    from inclusie_analysis.clean.privacy import DEMO_KEY

    needs, events = clean_year(demo.out, YEAR, codebooks_dir=ROOT / "surveys" / "codebooks",
                               key=DEMO_KEY)  # fmt: skip
    out = tmp_path_factory.mktemp("chooser") / "data"
    write_frames({**needs.frames(), **events.frames()}, out)
    return out


@pytest.fixture(scope="module")
def page_path(data_dir) -> Path:
    from inclusie_analysis.publish.theme_chooser import write_theme_chooser

    return write_theme_chooser(data_dir, data_dir.parent, YEAR)


@pytest.fixture(scope="module")
def frames(data_dir):
    import inclusie_analysis as ia

    return ia.load_needs(data_dir), ia.load_events(data_dir)


def expected_order(frames, area: str, org_type: str, weights: dict[str, float]) -> list[str]:
    """The package's ranking of one group, computed here from the cleaned frames."""
    from inclusie_analysis.clean.sources import unavailable_signals

    needs, events = frames
    respondents = select_area(needs.respondents, area)
    if org_type != "*":
        respondents = respondents[(respondents["org_type"] == org_type).fillna(False)]
    group_needs = needs.needs[needs.needs["respondent_id"].isin(respondents["respondent_id"])]
    signals = theme_signals(
        group_needs, respondents, events.events[events.events["year"] == YEAR], events.feedback,
        needs.answers_text, resamples=20,
    )  # fmt: skip
    missing = unavailable_in(signals, unavailable_signals(events.sources))
    return list(rank_themes(signals, weights, missing).index)


class Page:
    """The chooser opened in Chromium: every request and console error recorded."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 1400})

        def route(route):
            self.requests.append(route.request.url)
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                route.abort()

        self.page.route("**/*", route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else 0)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("body[data-rendered]")

    def rendered(self) -> int:
        return int(self.page.get_attribute("body", "data-rendered"))

    def changed(self, before: int) -> None:
        self.page.wait_for_function(f"Number(document.body.dataset.rendered) > {before}")

    def slider(self, key: str, value: float) -> None:
        """Set a weight as a mouse user does: the input's value, then its input event."""
        before = self.rendered()
        same = self.page.eval_on_selector(
            f"input[name=w_{key}]",
            """(el, v) => {
                const same = Number(el.value) === Number(v);
                el.value = v;
                el.dispatchEvent(new Event("input", {bubbles: true}));
                return same;
            }""",
            str(value),
        )
        if not same:  # an unchanged weight changes nothing
            self.changed(before)

    def keys(self, key: str, *presses: str) -> None:
        """Move a weight with the keyboard (focus, then the keys)."""
        self.page.focus(f"input[name=w_{key}]")
        for press in presses:
            before = self.rendered()
            self.page.keyboard.press(press)
            self.changed(before)

    def choose(self, name: str, value: str) -> None:
        before = self.rendered()
        self.page.select_option(f"select[name={name}]", value)
        self.changed(before)

    def state(self) -> tuple[str, str, dict[str, float]]:
        """The area, organisation type and weights the page's view uses now."""
        found = self.page.evaluate(
            "names => names.map(n => window.chooserView.signal(n))",
            ["area", "org_type", *(f"w_{k}" for k in WEIGHTS)],
        )
        return found[0], found[1], dict(zip(WEIGHTS, found[2:], strict=True))

    def order(self) -> list[str]:
        """The themes in the order the table view shows them."""
        return self.page.eval_on_selector_all(
            "#ranking tbody tr[data-theme]", "rows => rows.map(r => r.dataset.theme)"
        )


@pytest.fixture(scope="module")
def browser():
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_the_order_shown_is_rank_themes_through_the_controls(browser, page_path, frames):
    page = Page(browser, page_path)

    def check(area: str, org_type: str, weights: dict[str, float] | None = None) -> list[str]:
        state = page.state()
        assert state[:2] == (area, org_type)
        if weights is not None:
            assert state[2] == pytest.approx(weights)
        shown = page.order()
        assert shown[:10] == expected_order(frames, area, org_type, state[2])[:10], state
        return shown

    default = check("Vlaanderen en Brussel", "*", WEIGHTS)
    assert len(default) == 12
    page.keys("need", "Home")  # need 0 (the keyboard)
    no_need = check("Vlaanderen en Brussel", "*", {**WEIGHTS, "need": 0})
    assert no_need != default  # a weight the ranking leans on
    page.keys("requests", "End", "ArrowLeft")  # requests 0.95
    check("Vlaanderen en Brussel", "*", {**WEIGHTS, "need": 0, "requests": 0.95})
    page.choose("area", "Antwerpen")
    check("Antwerpen", "*")
    page.choose("org_type", LOCAL)
    check("Antwerpen", LOCAL)
    for key, value in {"need": 0.7, "breadth": 0, "gap": 1, "rating": 0.35}.items():
        page.slider(key, value)
    check("Antwerpen", LOCAL, {"need": 0.7, "breadth": 0, "gap": 1, "rating": 0.35,
                             "requests": 0.95})  # fmt: skip
    page.choose("area", "West-Vlaanderen")
    check("West-Vlaanderen", LOCAL)
    page.choose("org_type", "*")
    page.choose("area", "Brussel")
    check("Brussel", "*")
    for key in WEIGHTS:
        page.slider(key, 0)  # every weight 0: the need alone orders (rank_themes' tie-break)
    check("Brussel", "*", dict.fromkeys(WEIGHTS, 0))
    assert page.requests == [page_path.resolve().as_uri()]
    assert page.errors == []


def test_reset_brings_the_defaults_back(browser, page_path):
    page = Page(browser, page_path)
    default = page.order()
    page.keys("need", "Home")
    page.keys("gap", "End")
    page.choose("area", "Antwerpen")
    assert page.order() != default
    before = page.rendered()
    page.page.click("#reset")
    page.changed(before)
    page.page.wait_for_function("window.chooserView.signal('area') === 'Vlaanderen en Brussel'")
    assert page.state() == ("Vlaanderen en Brussel", "*", WEIGHTS)
    assert page.order() == default
    values = page.page.eval_on_selector_all(
        "#controls input[type=range]", "els => els.map(e => Number(e.value))"
    )
    assert values == list(WEIGHTS.values())  # the sliders show the defaults too
    assert page.page.eval_on_selector("select[name=area]", "e => e.value") == (
        "Vlaanderen en Brussel"
    )
    assert page.errors == []


def test_a_suppressed_group_is_grey_and_shows_no_number(browser, page_path):
    page = Page(browser, page_path)
    page.choose("area", "Brussel")
    page.choose("org_type", LOCAL)  # fewer than 5 local governments of Brussel in the demo
    assert page.order() == []
    source = page_path.read_text(encoding="utf-8")
    config = json.loads(re.search(r'id="chooser-config">(.*?)</script>', source, re.S).group(1))
    # the table: one grey row with the sentence (its only number is the threshold)
    assert page.page.inner_text("#ranking tbody").strip() == config["texts"]["suppressed"]
    assert page.page.get_attribute("#ranking tbody tr", "class") == "grijs"
    assert page.page.inner_text("#ranking caption") == (
        f"Rangschikking voor Brussel, {LOCAL}"  # no n
    )
    # the chart: no bar, the grey sentence
    assert page.page.eval_on_selector_all("#chart .mark-rect path", "ps => ps.length") == 0
    assert "Te weinig antwoorden in deze groep" in page.page.inner_html("#chart")
    # and the page's source holds nothing of the group but its name
    spec = json.loads(
        re.search(r'id="chooser-spec">(.*?)</script>', source, re.S).group(1).replace("<\\/", "</")
    )
    rows = next(d for d in spec["data"] if d["name"] == "signals")["values"]
    hidden = [r for r in rows if r["area"] == "Brussel" and r["org_type"] == LOCAL]
    assert hidden == [{"area": "Brussel", "org_type": LOCAL, "suppressed": True}]
    assert all(set(r) == {"area", "org_type", "suppressed"} for r in rows if r["suppressed"])
    assert page.errors == []


def test_every_control_has_a_label_and_the_table_has_headers(browser, page_path):
    page = Page(browser, page_path)
    unlabelled = page.page.evaluate(
        """() => [...document.querySelectorAll("input, select, button")]
            .filter(e => !(e.labels && e.labels.length && e.labels[0].innerText.trim())
                         && !e.innerText.trim())
            .map(e => e.name || e.id)"""
    )
    assert unlabelled == []
    assert page.page.get_attribute("html", "lang") == "nl"
    headers = page.page.eval_on_selector_all("#ranking thead th", "hs => hs.map(h => h.innerText)")
    assert headers[:3] == ["Rang", "Thema", "Score"]
    assert page.page.inner_text("#ranking caption").startswith(
        "Rangschikking voor Vlaanderen en Brussel, Alle types organisaties (n = "
    )


def test_the_cli_step_writes_english_and_says_a_failure(data_dir, tmp_path, capsys):
    from types import SimpleNamespace

    from inclusie_analysis.cli import _theme_chooser

    settings = SimpleNamespace(suppression_threshold=5, bootstrap_resamples=50)
    out = tmp_path / "2025"
    (out / "data").parent.mkdir(parents=True)
    (out / "data").symlink_to(data_dir, target_is_directory=True)
    _theme_chooser(settings, out, YEAR, "en")
    page = (out / "themakiezer.html").read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html><html lang="en">')
    assert "Theme chooser: themes for 2026" in page and "50 resamples for a whole area" in page
    assert "Themakiezer: themakiezer.html" in capsys.readouterr().out
    # without cleaned data: said and logged, no traceback, the reports can still run
    empty = tmp_path / "2024"
    empty.mkdir()
    _theme_chooser(settings, empty, 2024, "nl")
    said = capsys.readouterr().err
    assert said.startswith("Themakiezer niet gemaakt: ") and "Traceback" not in said
    assert "Themakiezer niet gemaakt" in (empty / "run.log").read_text(encoding="utf-8")
    assert not (empty / "themakiezer.html").exists()


def test_no_small_group_of_the_demo_can_be_worked_out_by_subtraction(page_path, frames):
    """For every sum (an area over its organisation types, everyone over the areas) whose
    whole the page shows: the groups it hides there, with the rest (no type or no province),
    hold no respondent or at least 5, counted on the cleaned frames."""
    from inclusie_analysis.analyse.chooser import chooser_areas

    needs, _ = frames
    latest = needs.respondents[needs.respondents["wave"] == needs.respondents["wave"].max()]
    source = page_path.read_text(encoding="utf-8")
    spec = json.loads(re.search(r'id="chooser-spec">(.*?)</script>', source, re.S).group(1))
    rows = next(d for d in spec["data"] if d["name"] == "signals")["values"]
    hidden = {(r["area"], r["org_type"]) for r in rows if r["suppressed"]}
    areas = chooser_areas()
    types = sorted(latest["org_type"].dropna().unique())

    def n(area: str, org_type: str) -> int:
        chosen = select_area(latest, area)
        return len(chosen if org_type == "*" else chosen[chosen["org_type"] == org_type])

    sums = [((a, "*"), [(a, t) for t in types]) for a in areas]
    sums += [((areas[0], t), [(a, t) for a in areas[1:]]) for t in ["*", *types]]
    checked = 0
    for whole, parts in sums:
        if whole in hidden:
            continue
        held = n(*whole) - sum(n(*p) for p in parts if p not in hidden)
        assert held == 0 or held >= 5, (whole, held)
        checked += 1
    assert checked >= 10 and len(hidden) > sum(n(*g) < 5 for g in hidden)  # some hidden ≥ 5
