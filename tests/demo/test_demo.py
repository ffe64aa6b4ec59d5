"""The synthetic demo: deterministic, labelled synthetic, realistic in size, faults at their rates,
and the ground truth agrees with what is in the files."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from rapidfuzz import fuzz

from inclusie_analysis.clean.geo import load_reference
from inclusie_analysis.demo import SURVEY_SIZES, write_demo
from inclusie_analysis.errors import InputError

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+32 ?|0)4\d{2}[ /]?\d{2} ?\d{2} ?\d{2}")


def read_table(path, sheet=None) -> list[list]:
    """All rows of a CSV or xlsx file as the user would see them (header included)."""
    if path.suffix == ".xlsx":
        book = CalamineWorkbook.from_path(str(path))
        return book.get_sheet_by_name(sheet or book.sheet_names[0]).to_python(skip_empty_area=False)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    return list(csv.reader(text.splitlines(), delimiter=delimiter))


def cell(rows: list[list], row: int, header: str) -> object:
    """The value at spreadsheet row `row` (1 = header) in the column named `header`."""
    return rows[row - 1][rows[0].index(header)]


def demo_file(demo, name: str):
    """The one demo file whose name is `name`."""
    [path] = [demo.out / f for f in demo.files if f.rsplit("/", 1)[-1] == name]
    return path


def is_blank(values) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)


# --- determinism and labelling ------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(tmp_path, demo):
    again = write_demo(tmp_path / "demo", seed=1)
    assert again.files == demo.files
    for name in demo.files:
        if name == "LEESMIJ_SYNTHETISCH.txt":  # names the truth folder, which differs here
            continue
        assert (again.out / name).read_bytes() == (demo.out / name).read_bytes(), name
    for path in demo.truth.iterdir():
        assert (again.truth / path.name).read_bytes() == path.read_bytes(), path.name


def test_another_seed_gives_other_answers(tmp_path, demo):
    other = write_demo(tmp_path / "demo", seed=2)
    name = "2025/leernoden-2025_msforms_SYNTHETISCH.xlsx"
    assert (other.out / name).read_bytes() != (demo.out / name).read_bytes()


def test_xlsx_metadata_is_pinned_and_says_synthetic(demo):
    for name in demo.files:
        if name.endswith(".xlsx"):
            props = load_workbook(demo.out / name, read_only=True).properties
            assert "SYNTHETISCH" in props.description
            assert props.modified == datetime(2025, 1, 1) and props.created == datetime(2025, 1, 1)


def test_every_file_says_synthetic_and_truth_is_outside_the_input(demo):
    assert all("SYNTHETISCH" in name for name in demo.files)
    assert demo.truth.parent == demo.out.parent and demo.truth != demo.out
    assert not any("truth" in name for name in demo.files)


def test_only_reserved_example_domains(demo):
    domains = set()
    for name in demo.files:
        for row in read_table(demo.out / name):
            for value in row:
                domains |= {m.split("@")[1].lower() for m in EMAIL.findall(str(value))}
    assert domains and domains <= {"example.org", "example.com", "example.net"}


def test_refuses_to_replace_a_folder_that_is_not_a_demo(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "echte-export.xlsx").write_bytes(b"x")
    with pytest.raises(InputError, match="niet leeg"):
        write_demo(tmp_path / "demo")
    assert (tmp_path / "demo" / "echte-export.xlsx").read_bytes() == b"x"


def test_scale_multiplies_rows(tmp_path, truth):
    big = write_demo(tmp_path / "demo", seed=1, scale=3)
    rows = pd.read_csv(big.truth / "survey_rows.csv", dtype=str)
    first = rows[(rows["kind"] != "duplicate") & (rows["kind"] != "blank")]
    assert first.groupby("wave").size().to_dict() == {
        "2020": 3 * SURVEY_SIZES[2020],
        "2025": 3 * SURVEY_SIZES[2025],
    }
    events = pd.read_csv(big.truth / "events.csv", dtype=str)
    assert (events["kind"] == "event").sum() >= 2.5 * (truth["events"]["kind"] == "event").sum()


# --- sizes like the real network ---------------------------------------------------------------


def test_sizes_are_like_the_real_network(truth):
    survey = truth["survey_rows"]
    per_wave = survey[survey["kind"] != "blank"].groupby("wave").size()
    assert per_wave.between(200, 400).all(), per_wave
    events = truth["events"][truth["events"]["kind"] == "event"]
    per_year = events.groupby(events["event_id"].str[:4]).size()
    assert set(per_year.index) == {"2024", "2025"} and per_year.between(40, 60).all(), per_year
    lists = truth["attendance_rows"]
    sizes = lists[lists["kind"] == "participant"].groupby("event_id").size()
    assert sizes.between(6, 80).all() and sizes.max() >= 40


# --- ground truth agrees with the files --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("leernoden-2020_limesurvey_SYNTHETISCH.csv", "Q2"),
        (
            "leernoden-2025_msforms_SYNTHETISCH.xlsx",
            "Voor welke gemeente of stad werkt u (of waar is uw organisatie gevestigd)?",
        ),
    ],
)
def test_survey_truth_matches_file(demo, truth, name, column):
    rows = read_table(demo_file(demo, name))
    survey = truth["survey_rows"][truth["survey_rows"]["file"] == name]
    assert len(survey) == len(rows) - 1, "one truth record per data row"
    for record in survey.itertuples():
        values = rows[int(record.row) - 1]
        if record.kind == "blank":
            assert is_blank(values)
            continue
        written = cell(rows, int(record.row), column)
        assert (written or "") == record.municipality_written
        if record.kind == "duplicate":
            original = rows[int(record.duplicate_of_row) - 1]
            assert (
                values[7:] == original[7:] if name.endswith(".csv") else values[5:] == original[5:]
            )


def test_limesurvey_partial_responses_are_unsubmitted(demo, truth):
    name = "leernoden-2020_limesurvey_SYNTHETISCH.csv"
    rows = read_table(demo_file(demo, name))
    survey = truth["survey_rows"][truth["survey_rows"]["file"] == name]
    for record in survey.itertuples():
        submitted = cell(rows, int(record.row), "submitdate")
        lastpage = cell(rows, int(record.row), "lastpage")
        if record.kind == "partial":
            assert submitted == "" and lastpage in ("", "1", "2")
        else:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", submitted) and lastpage == "3"


def test_municipality_faults_are_what_they_claim(truth):
    ref = load_reference()
    names = dict(zip(ref.municipalities["nis_code"], ref.municipalities["name_nl"], strict=True))
    official = set(names.values())
    postcodes = {
        code: set(group) for code, group in ref.postal_codes.groupby("postcode")["nis_code"]
    }
    mergers = ref.mergers
    survey = truth["survey_rows"]
    faulty = survey[~survey["municipality_fault"].isin(["none", ""])]
    assert set(faulty["municipality_fault"]) >= {
        "abbreviated",
        "postcode",
        "misspelt",
        "prefix",
        "case_spacing",
    }
    for record in faulty.itertuples():
        text, nis, kind = record.municipality_written, record.nis_code, record.municipality_fault
        assert text not in official or kind == "pre_merger", (text, kind)
        # a 2020 answer names the municipality as it was then (e.g. Gooik, now Pajottegem)
        known = {names[nis], *mergers.loc[mergers["new_nis"] == nis, "old_name"]}
        if kind == "postcode":
            code = re.match(r"\d{4}", text).group()
            assert postcodes[code] == {nis}
        elif kind == "pre_merger":
            assert text in set(mergers.loc[mergers["new_nis"] == nis, "old_name"])
        elif kind == "abbreviated":
            assert re.match(r"St\.?[- ]|Sint ", text)
            assert any(
                n.startswith("Sint-") and n[5:] == re.sub(r"^(?:St\.?[- ]?|Sint )", "", text)
                for n in known
            )
        elif kind == "misspelt":
            assert max(fuzz.ratio(text, n) for n in known) >= 80
        elif kind == "prefix":
            assert text.split(" ", 1)[0].lower() in {"gemeente", "stad", "ocmw", "lokaal"}
            assert any(text.endswith(" " + n) for n in known)
        elif kind == "case_spacing":
            key = text.strip().lower().replace(" ", "-")
            assert key in {n.lower().replace(" ", "-") for n in known}, text


def test_open_answers_hold_the_personal_data_the_truth_says(demo, truth):
    name = "leernoden-2025_msforms_SYNTHETISCH.xlsx"
    rows = read_table(demo_file(demo, name))
    header = "Heeft u nog suggesties of vragen voor het netwerk digitale inclusie?"
    survey = truth["survey_rows"][
        (truth["survey_rows"]["file"] == name) & (truth["survey_rows"]["kind"] != "blank")
    ]
    for record in survey.itertuples():
        text = str(cell(rows, int(record.row), header) or "")
        assert bool(EMAIL.search(text)) == (record.open_pii == "email"), text
        assert bool(PHONE.search(text)) == (record.open_pii == "phone"), text
        assert text.startswith("=") == (record.formula == "True"), text


def test_register_truth_matches_file(demo, truth):
    events = truth["events"]
    for year, date_header, duration_header, present_header in (
        (2024, "Datum activiteit", "Duur (u)", "# aanwezig"),
        (2025, "Datum", "Duur", "Aanwezig"),
    ):
        name = f"activiteiten-{year}_SYNTHETISCH.xlsx"
        rows = read_table(demo_file(demo, name), "Activiteiten")
        mine = events[events["file"] == name]
        assert len(mine) == len(rows) - 1
        for record in mine.itertuples():
            values = rows[int(record.row) - 1]
            if record.kind == "blank":
                assert is_blank(values)
            elif record.kind == "total":
                assert "Totaal" in values
            else:
                written = cell(rows, int(record.row), date_header)
                expected = date.fromisoformat(record.date)
                if record.date_kind == "date":
                    assert written == expected
                elif record.date_kind == "date_serial":
                    assert date(1899, 12, 30).toordinal() + int(written) == expected.toordinal()
                elif record.date_kind == "date_text_nl":
                    assert re.fullmatch(rf"{expected.day} [a-z]+ {year}", written)
                else:
                    assert written == expected.strftime("%d/%m/%Y")
                duration = cell(rows, int(record.row), duration_header)
                assert str(duration).rstrip("0").rstrip(".") == record.duration_written.rstrip(
                    "0"
                ).rstrip(".")
                assert int(cell(rows, int(record.row), present_header)) == int(
                    record.attended_register
                )
    assert (events["kind"] == "total").sum() == 1, "the 2024 register has one totals row"


def test_attendance_lists_match_truth(demo, truth):
    events = truth["events"].set_index("event_id")
    attendance = truth["attendance_rows"]
    for file, rows_truth in attendance.groupby("file"):
        rows = read_table(demo.out / rows_truth["event_id"].iloc[0][:4] / "aanwezigheden" / file)
        assert len(rows) - 1 == len(rows_truth)
        present = 0
        for record in rows_truth.itertuples():
            values = rows[int(record.row) - 1]
            if record.kind == "blank":
                assert is_blank(values)
                continue
            flag = values[5]
            assert flag in ("ja", "nee", "Yes", "No")
            assert (flag in ("ja", "Yes")) == (record.present == "True")
            present += flag in ("ja", "Yes")
        assert present == int(events.loc[rows_truth["event_id"].iloc[0], "attended_list"])


def test_feedback_links_to_event_titles(demo, truth):
    events = truth["events"]
    events = events[events["kind"] == "event"].set_index("event_id")
    for year in (2024, 2025):
        name = f"feedback-{year}_msforms_SYNTHETISCH.xlsx"
        rows = read_table(demo_file(demo, name))
        feedback = truth["feedback_rows"][truth["feedback_rows"]["file"] == name]
        assert len(feedback) == len(rows) - 1 > 50
        for record in feedback.itertuples():
            label = cell(rows, int(record.row), "Welke activiteit heeft u gevolgd?")
            event = events.loc[record.event_id]
            expected = f"{event['title']} ({date.fromisoformat(event['date']):%d/%m/%Y})"
            assert (label == expected) == (record.linkable == "True"), (label, expected)
            nps = cell(
                rows,
                int(record.row),
                "Hoe waarschijnlijk is het dat u deze activiteit aanbeveelt aan een collega?",
            )
            assert 0 <= nps <= 10 and int(nps) == int(record.nps)


# --- faults at their rates -----------------------------------------------------------------------


def test_survey_faults_at_their_rates(truth):
    rates = truth["rates"]["survey"]
    survey = truth["survey_rows"]
    for wave, name in ((2020, "leernoden-2020"), (2025, "leernoden-2025")):
        rows = survey[survey["file"].str.startswith(name)]
        people = rows[rows["kind"].isin(["response", "partial"])]
        assert (rows["kind"] == "duplicate").sum() == round(rates["duplicate"] * len(people))
        if wave == 2020:
            assert (rows["kind"] == "partial").sum() == round(rates["partial"] * len(people))
        else:
            assert (rows["kind"] == "blank").sum() == round(
                rates["blank_rows"] * (len(rows) - (rows["kind"] == "blank").sum())
            )
            assert (rows["contact_email"] == "True").sum() == round(
                rates["contact_email"] * len(people)
            ) + ((rows["kind"] == "duplicate") & (rows["contact_email"] == "True")).sum()
            assert (people["formula"] == "True").sum() >= 1
    for wave, rows in survey[survey["kind"].isin(["response", "partial"])].groupby("wave"):
        # Municipality faults are decided per respondent, before partial pages are blanked.
        named = rows[rows["municipality_written"] != ""] if wave == "2025" else None
        if named is None:
            continue
        with_place = named[named["nis_code"] != ""]
        counts = with_place["municipality_fault"].value_counts()
        for kind in ("prefix", "case_spacing"):
            rate = rates["municipality"][kind]
            assert counts.get(kind, 0) == round(rate * len(with_place)), (wave, kind)


def test_event_faults_at_their_rates(truth):
    rates = truth["rates"]["events"]
    events = truth["events"][truth["events"]["kind"] == "event"]
    for year, mine in events.groupby(events["event_id"].str[:4]):
        n = len(mine)
        assert (mine["date_kind"] == "date_serial").sum() == round(rates["date_serial"] * n)
        patterns = {
            "number": r"\d+(\.\d+)?",
            "duration_comma": r"\d+,\d",
            "duration_uur": r"\d+u(\d\d)?",
            "duration_min": r"\d+ min",
            "duration_range": r"\d\d:\d\d-\d\d:\d\d",
        }
        for kind, written in zip(mine["duration_kind"], mine["duration_written"], strict=True):
            assert re.fullmatch(patterns[kind], written), (kind, written)
        counts = mine["duration_kind"].value_counts()
        for kind in ("duration_comma", "duration_uur", "duration_min", "duration_range"):
            assert counts.get(kind, 0) == round(rates[kind] * n), (kind, counts.get(kind, 0))
        dates = mine["date_kind"].value_counts()
        for kind in ("date_serial", "date_text_nl", "date_text_slash"):
            assert dates.get(kind, 0) == round(rates[kind] * n), (kind, dates.get(kind, 0))
        listed = mine[mine["has_list"] == "True"]
        mismatched = (listed["attended_register"] != listed["attended_list"]).sum()
        assert mismatched == round(rates["count_mismatch"] * len(listed)), year
        assert mine["duration_written"].str.contains(r"\du\d\d|\du$").any()
        assert mine["duration_written"].str.contains(" min").any()
        assert mine["duration_written"].str.contains(r"^\d\d:\d\d-\d\d:\d\d$").any()
