"""Next year's rerun (issue 13), as a new staff member does it: the 2026 wave on another
platform, a codebook drafted by the tool and used as written, a user themes file and a
2026 targets file, and `inclusie report --year 2026` to the end.

The scenarios are built from the demo by `next_year.build_next_year`: three reworded
questions (need_toegang, need_partners, formats), one new need item (AI), one dropped
(need_cyberveiligheid), a new option in the theme wishes, an option that contains ", ",
an option ticked twice in one cell and a typed "other" answer.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import time
from pathlib import Path

import pandas as pd
import pytest
from next_year import DROPPED, REWORDED, YEAR, build_next_year

from inclusie_analysis.clean.privacy import ENV_KEY
from inclusie_analysis.cli import main
from inclusie_analysis.read.codebook import load_codebook

pytestmark = pytest.mark.slow
TIMINGS: dict[str, float] = {}


def _run_cli(*args: str, label: str = "") -> tuple[int, str]:
    """Run `inclusie` as a user does; return the exit code and everything it printed."""
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(args))
    step = " ".join(a for a in args[2:] if "/" not in a)
    TIMINGS[f"{label}: inclusie {step}"] = round(time.perf_counter() - start, 1)
    return code, out.getvalue()


def rerun(scenario, label: str, *, report: bool = True) -> dict:
    """The README's next-year steps, every file used as the tool wrote it; the key is the one
    `inclusie key --create` writes (the session's key in the environment is put aside)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_KEY, raising=False)
        return _rerun(scenario, label, report=report)


def _rerun(scenario, label: str, *, report: bool = True) -> dict:
    settings = str(scenario.settings)
    run_cli = functools.partial(_run_cli, label=label)
    codebook = scenario.codebooks / f"leernoden-{YEAR}.yaml"
    steps = {
        "key": run_cli("--settings", settings, "key", "--create"),
        "targets": run_cli("--settings", settings, "targets", "draft", "--year", str(YEAR)),
        "draft": run_cli(
            "--settings",
            settings,
            "codebook",
            "draft",
            str(scenario.export),
            "--from",
            str(scenario.codebooks / "leernoden-2025.yaml"),
            "--out",
            str(codebook),
        ),
    }
    if not report:
        steps["clean"] = run_cli("--settings", settings, "clean", "--year", str(YEAR))
    else:
        steps["report"] = run_cli(
            "--settings", settings, "report", "--year", str(YEAR), "--no-progress",
            "--only", "Vlaanderen en Brussel", "--formats", "html,xlsx",
        )  # fmt: skip
    data = scenario.folder / "reports" / str(YEAR) / "data"
    return {"scenario": scenario, "codebook": codebook, "steps": steps, "data": data}


@pytest.fixture(scope="module", autouse=True)
def timings():
    """After the module: each step's seconds, for the closing note (`pytest -s`)."""
    yield TIMINGS
    for step, seconds in TIMINGS.items():
        print(f"{seconds:7.1f} s  {step}")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    from inclusie_analysis.demo import write_demo

    return write_demo(tmp_path_factory.mktemp("next-year-demo") / "demo", seed=1).out


@pytest.fixture(scope="module")
def google(demo_dir, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("google")
    return rerun(build_next_year(demo_dir, folder, "googleforms"), "(a) Google Forms")


@pytest.fixture(scope="module")
def qualtrics(demo_dir, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("qualtrics")
    return rerun(build_next_year(demo_dir, folder, "qualtrics"), "(b) Qualtrics")


@pytest.fixture(scope="module", params=["google", "qualtrics"])
def run(request) -> dict:
    return request.getfixturevalue(request.param)


UNCHANGED = {
    "org_type", "municipality", "role", "stage_toegang", "stage_vaardigheden",
    "stage_dienstverlening", "stage_regierol", "need_outreach", "need_regierol", "need_middelen",
    "need_aanbod_vaardigheden", "need_aanbod_dienstverlening", "need_beleidskader",
    "need_professionalisering", "need_bewoners_bevragen", "need_toegankelijke_websites",
    "need_hr_beleid", "need_digitaal_kwetsbaren", "theme_wishes", "remarks", "contact_email",
}  # fmt: skip


def test_every_step_succeeds_and_no_message_blames_the_tool(run):
    for step, (code, printed) in run["steps"].items():
        assert code == 0, f"{step}: {printed}"
        assert "fout in inclusie-analysis" not in printed.lower()
        assert "Traceback" not in printed


def test_draft_used_as_written_validates_and_links_every_unchanged_variable(run):
    codebook = load_codebook(run["codebook"])
    names = {v.name for v in codebook.variables}
    assert names >= UNCHANGED | set(REWORDED)
    assert not names & set(DROPPED)
    for name in UNCHANGED:
        assert codebook.variable(name).changed is None, name


def test_draft_flags_exactly_the_reworded_items_with_old_and_new_text(run):
    codebook = load_codebook(run["codebook"])
    reworded = {v.name for v in codebook.variables if v.changed and v.changed.kind == "reworded"}
    assert reworded == set(REWORDED)
    text = run["codebook"].read_text(encoding="utf-8")
    for old, new in REWORDED.values():
        line = next(x for x in text.splitlines() if "CONTROLEER: andere tekst" in x and new in x)
        assert old in line


def test_new_item_gets_a_theme_from_the_user_taxonomy_marked_for_checking(run):
    codebook = load_codebook(run["codebook"])
    new = [v for v in codebook.variables if v.changed and v.changed.kind == "new"]
    assert [v.name for v in new] == ["need_artificiele_intelligentie_ai"]
    assert new[0].theme == "ai"
    assert new[0].label.startswith("Artificiële intelligentie (AI)")  # the item, not the header
    line = next(x for x in run["codebook"].read_text("utf-8").splitlines() if "theme:" in x
                and '"ai"' in x)  # fmt: skip
    assert "CONTROLEER" in line


def test_console_summary_lists_each_kind(run):
    printed = run["steps"]["draft"][1]
    assert "Herschreven (controleer): 3 (" in printed
    for name in REWORDED:
        assert name in printed.split("Herschreven (controleer):")[1].splitlines()[0]
    assert "Nieuw: 1 (need_artificiele_intelligentie_ai [thema ai?])" in printed
    assert "Niet meer gevraagd (uit 2025): 1 (need_cyberveiligheid)" in printed
    assert "Niet geplaatst: 0" in printed
    assert "Type geraden: 1 (need_artificiele_intelligentie_ai (scale))" in printed


def test_the_same_answers_from_two_platforms_clean_to_the_same_counts(google, qualtrics):
    def counts(run, name, by):
        frame = pd.read_parquet(run["data"] / f"{name}.parquet")
        frame = frame.loc[frame["wave"] == YEAR]
        return frame.groupby(by, observed=True).size().sort_index()

    for name, by in (("choices", ["question", "choice"]), ("needs", ["item", "level"])):
        pd.testing.assert_series_equal(counts(google, name, by), counts(qualtrics, name, by))


def test_option_with_comma_is_one_choice_and_a_repeat_counts_once(google):
    scenario = google["scenario"]
    raw = pd.read_csv(scenario.export, dtype=str, keep_default_na=False)
    column = "Over welke thema's wilt u graag een sessie of opleiding volgen?"
    ledger = pd.read_parquet(google["data"] / "ledger.parquet")
    kept = ledger.loc[(ledger["file"] == scenario.export.name) & (ledger["status"] == "kept")]
    raw = raw.loc[raw.index.isin(kept["row"] - 2)]  # spreadsheet row = index + header + 1
    access = raw[column].str.contains("Toegang (toestellen, internet, computerruimtes)",
                                      regex=False)  # fmt: skip
    choices = pd.read_parquet(google["data"] / "choices.parquet")
    wishes = choices.loc[(choices["wave"] == YEAR) & (choices["question"] == "theme_wishes")]
    assert (wishes["choice"] == "toegang").sum() == access.sum()  # hand count from the file
    assert not wishes.duplicated(["respondent_id", "choice"]).any()
    fixes = pd.read_parquet(google["data"] / "fixes.parquet")
    repeated = fixes.loc[fixes["action"] == "choice_repeated"]
    assert scenario.repeated_row in set(repeated["row"])
    assert set(repeated["file"]) == {scenario.export.name}
    texts = pd.read_parquet(google["data"] / "answers_text.parquet")
    other = texts.loc[(texts["wave"] == YEAR) & (texts["question"] == "theme_wishes_other")]
    assert other["text"].str.contains("chatbots in het sociaal huis").any()


def test_new_theme_flows_into_the_cleaned_needs(google):
    needs = pd.read_parquet(google["data"] / "needs.parquet")
    ai = needs.loc[(needs["wave"] == YEAR) & (needs["item"] == "need_artificiele_intelligentie_ai")]
    assert len(ai) > 0 and set(ai["theme"]) == {"ai"}


def test_report_compares_2026_with_2025_and_marks_the_reworded_items(run):
    report = run["scenario"].folder / "reports" / str(YEAR)
    html = (report / "jaarrapport-vlaanderen-en-brussel" / "report.html").read_text("utf-8")
    assert "2025" in html and "2026" in html
    for name, (old, _) in REWORDED.items():
        if name.startswith("need_"):  # the need items' change table and method section
            assert old[:40] in html
    text = html_text(html)
    for name, (_, new) in REWORDED.items():
        if name.startswith("need_"):  # marked in the change table, not judged
            assert f"{new}¹ vraag gewijzigd" in text
    assert "Niet meer gevraagd in 2026: 'Cyberveiligheid voor digitale starters'" in text
    assert "Nieuw in 2026: 'Artificiële intelligentie (AI) verantwoord inzetten" in text


def html_text(html: str) -> str:
    import html as markup
    import re

    return " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="module")
def no_register(demo_dir, tmp_path_factory) -> dict:
    """(c) The same Google Forms year, but the 2026 register has not come in."""
    folder = tmp_path_factory.mktemp("no-register")
    scenario = build_next_year(demo_dir, folder, "googleforms", register=False)
    return rerun(scenario, "(c) zonder register")


def test_a_missing_register_is_said_everywhere_and_never_counted_as_zero(no_register):
    code, printed = no_register["steps"]["report"]
    # exit 1: the attendance lists could not be used; the report itself was made
    assert code == 1 and "1 van 1 rapporten klaar" in printed, printed
    assert printed.count("aanwezigheidslijst") == 2  # one summary line, one missing-data line
    assert "fout in inclusie-analysis" not in printed.lower()
    said = "Voor 2026 is geen activiteitenregister gevonden"
    assert said in printed  # the console
    report = no_register["data"].parent
    assert said in (report / "run.log").read_text(encoding="utf-8")
    assert said in html_text((report / "index.html").read_text(encoding="utf-8"))
    assert said in html_text((report / "datakwaliteit.html").read_text(encoding="utf-8"))
    page = (report / "jaarrapport-vlaanderen-en-brussel" / "report.html").read_text("utf-8")
    text = html_text(page)
    assert said in text
    assert "0 activiteiten" not in text and "0 deelnemers" not in text
    assert "vorig jaar geen activiteit" not in text


def test_the_users_theme_and_targets_files_are_the_ones_used(run):
    from inclusie_analysis.analyse.planning import rank_themes, theme_signals
    from inclusie_analysis.clean.datasets import load_events, load_needs

    scenario = run["scenario"]
    meta = json.loads((run["data"] / "meta.json").read_text(encoding="utf-8"))
    # meta.json's paths are relative to the settings folder (issue 15)
    assert meta["paths_relative_to"] == "settings"
    root = scenario.settings.parent
    assert (root / meta["references"]["themes"]["file"]).resolve() == scenario.themes.resolve()
    targets = root / meta["references"]["targets"]["file"]
    assert targets.resolve() == (scenario.targets / f"{YEAR}.yaml").resolve()
    events = load_events(run["data"])
    assert len(events.indicators) == 17  # the drafted 2026 targets, measured on 2026
    needs = load_needs(run["data"])
    signals = theme_signals(needs.needs, needs.respondents, events.events, events.feedback,
                            needs.answers_text, taxonomy=scenario.themes)  # fmt: skip
    ranking = rank_themes(signals, taxonomy=scenario.themes)
    assert ranking.loc["ai", "label"] == "Artificiële intelligentie"  # ranked, with its label
