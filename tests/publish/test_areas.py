"""Report areas of every level and their protection together (issue: reports per
referentieregio). The small region below is worked out by hand: two user regions, "Noord" and
"Zuid", that together are West-Vlaanderen."""

from __future__ import annotations

import pandas as pd
import pytest

from inclusie_analysis.analyse.regions import (
    municipality_status,
    not_reached_sentence,
    reached_by,
    status_counts,
)
from inclusie_analysis.clean import areas, geo
from inclusie_analysis.errors import InputError
from inclusie_analysis.publish.disclosure import audit_tables
from inclusie_analysis.publish.protection import CountTable, protect_linked
from inclusie_analysis.publish.published import PublishedTable

TITLE = "Antwoorden per soort organisatie"


@pytest.fixture
def north_south():
    """West-Vlaanderen split in two user regions: its first 20 municipalities (by NIS code)
    are "Noord", the others "Zuid"."""
    west = sorted(areas.level_regions("provincie")["West-Vlaanderen"])
    mapping = pd.DataFrame(
        {"nis_code": west, "zone": ["Noord"] * 20 + ["Zuid"] * (len(west) - 20)}
    ).astype("string")
    areas.use_regions(mapping, "zone")
    yield west
    areas.use_regions(None)


def _table(area: str, a: float | None, b: float | None, total: float) -> PublishedTable:
    frame = pd.DataFrame({"Rij": ["A", "B", "Totaal"], "2025": [a, b, total]})
    frame["2025"] = frame["2025"].astype("Float64")
    return PublishedTable(area, TITLE, frame, ("2025",), area=area)


def test_user_regions_are_areas_and_select_by_municipality(north_south):
    assert areas.area_size("Noord") == 20
    assert areas.area_size("Noord") + areas.area_size("Zuid") == areas.area_size("West-Vlaanderen")
    frame = pd.DataFrame({"nis_code": [north_south[0], north_south[-1], None], "x": [1, 2, 3]})
    assert areas.select_area(frame, "Noord")["x"].tolist() == [1]
    assert areas.select_area(frame, "Zuid")["x"].tolist() == [2]
    assert "zone" in areas.area_levels()


def test_a_small_region_is_protected_by_hand(north_south):
    """Published: West-Vlaanderen A 20, B 8 (total 28); Noord A x, B x (10); Zuid A x, B x
    (18). With a = A in Noord: B Noord = 10 − a, A Zuid = 20 − a, B Zuid = a − 2; every hidden
    count is at least 1, so 3 ≤ a ≤ 9. By hand: A Noord [3, 9], B Noord [1, 7], A Zuid
    [11, 17], B Zuid [1, 7]: nothing can be worked out."""
    tables = [
        _table("West-Vlaanderen", 20, 8, 28),
        _table("Noord", None, None, 10),
        _table("Zuid", None, None, 18),
    ]
    result = audit_tables(tables, threshold=5, protection_width=3)
    got = {
        (r.Rapport, r.Rij): (r.Ondergrens, r.Bovengrens)
        for r in result.intervals.itertuples(index=False)
    }
    assert got == {
        ("Noord", "A"): (3, 9),
        ("Noord", "B"): (1, 7),
        ("Zuid", "A"): (11, 17),
        ("Zuid", "B"): (1, 7),
    }
    assert result.ok


def test_differencing_a_region_with_its_province_is_caught(north_south):
    """Noord shows A = 7: then a = 7 and Zuid's hidden cells follow from the province
    (A 20 − 7 = 13, B 8 − 3 = 5), and Noord's B from its own total (3)."""
    tables = [
        _table("West-Vlaanderen", 20, 8, 28),
        _table("Noord", 7, None, 10),
        _table("Zuid", None, None, 18),
    ]
    result = audit_tables(tables, threshold=5, protection_width=3)
    exact = {(r.Rapport, r.Rij): r.Ondergrens for r in result.findings.itertuples(index=False)}
    assert exact == {("Noord", "B"): 3, ("Zuid", "A"): 13, ("Zuid", "B"): 5}


def test_protect_linked_hides_what_the_province_would_give_away(north_south):
    """True counts: Noord A 7, B 3; Zuid A 13, B 5; West-Vlaanderen A 20, B 8. Hiding only
    Noord's 3 and its complement 7 is not enough (Zuid would give them away through the
    province); the protection must hide in Zuid too, and the audit of the result passes."""
    counts = {
        "West-Vlaanderen": (20, 8),
        "Noord": (7, 3),
        "Zuid": (13, 5),
    }
    tables = [
        CountTable(
            TITLE, area, pd.DataFrame({"2025": list(v)}, index=["A", "B"]), column_total=False
        )
        for area, v in counts.items()
    ]
    out = dict(zip(counts, protect_linked(tables, threshold=5, protection_width=3), strict=True))
    assert out["Noord"].loc["B", "2025"] is pd.NA  # the small count
    assert out["Zuid"].isna().sum().sum() >= 2  # Zuid hides too
    published = [
        PublishedTable(a, TITLE, f.rename_axis("Rij").reset_index(), ("2025",), area=a)
        for a, f in out.items()
    ]
    assert audit_tables(published, threshold=5, protection_width=3).ok
    assert [float(f.loc["Totaal", "2025"]) for f in out.values()] == [28, 10, 18]


def test_a_table_that_cannot_be_protected_is_withheld(north_south):
    """Noord has 3 answers in all: every count of its table is small, whatever is hidden."""
    tables = [
        CountTable(TITLE, "West-Vlaanderen", pd.DataFrame({"2025": [20, 8]}, index=["A", "B"]),
                   column_total=False),
        CountTable(TITLE, "Noord", pd.DataFrame({"2025": [2, 1]}, index=["A", "B"]),
                   column_total=False),
        CountTable(TITLE, "Zuid", pd.DataFrame({"2025": [18, 7]}, index=["A", "B"]),
                   column_total=False),
    ]  # fmt: skip
    out = protect_linked(tables, threshold=5, protection_width=3)
    assert out[1] is None
    shown = [
        PublishedTable(t.area, TITLE, f.rename_axis("Rij").reset_index(), ("2025",), area=t.area)
        for t, f in zip(tables, out, strict=True)
        if f is not None
    ]
    assert audit_tables(shown, threshold=5, protection_width=3).ok


def test_the_referentieregios_nest_in_the_provinces():
    provinces = areas.level_regions("provincie")
    for name, codes in areas.level_regions("referentieregio").items():
        assert sum(codes <= p for p in provinces.values()) == 1, name
    assert areas.area_codes("Limburg") == provinces["Limburg"]  # province and region alike


def test_an_unknown_area_lists_the_choices():
    with pytest.raises(InputError) as caught:
        areas.area_codes("Regio Gend")
    assert "Regio Gent" in caught.value.hint


def test_a_user_region_named_like_another_area_is_an_error():
    codes = sorted(areas.level_regions("referentieregio")["Regio Gent"])[:3]
    mapping = pd.DataFrame({"nis_code": codes, "zone": "Limburg"}).astype("string")
    with pytest.raises(InputError, match="dezelfde naam"):
        areas.use_regions(mapping, "zone")
    areas.use_regions(None)


def test_a_mapping_with_an_unknown_nis_code_names_the_row(tmp_path):
    path = tmp_path / "zones.csv"
    path.write_text("nis_code,zone\n44021,Gent-Noord\n99999,Nergens\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        areas.load_region_mapping(path, "zone")
    assert caught.value.row == 3 and caught.value.column == "nis_code"
    assert caught.value.file == str(path)


def test_a_municipality_in_two_regions_is_an_error(tmp_path):
    path = tmp_path / "zones.csv"
    path.write_text("nis_code,zone\n44021,Noord\n44021,Zuid\n", encoding="utf-8")
    with pytest.raises(InputError, match="twee regio's") as caught:
        areas.load_region_mapping(path, "zone")
    assert caught.value.row == 3


def test_municipality_status_by_hand():
    """Middenkust: one municipality answered and attended, one only attended (a cancelled
    activity of another year does not count), the rest not reached."""
    codes = sorted(areas.level_regions("referentieregio")["Middenkust"])
    names = geo.load_reference().municipalities.set_index("nis_code")["name_nl"]
    respondents = pd.DataFrame({"nis_code": [codes[0], codes[0]], "wave": [2025, 2020]})
    attendance = pd.DataFrame({
        "event_id": ["a", "a", "b"], "present": [True, True, True],
        "nis_code": [codes[0], codes[1], codes[2]],
    })  # fmt: skip
    events = pd.DataFrame({"event_id": ["a"]})
    status = municipality_status(respondents, attendance, events, "Middenkust", 2025, 2025)
    by_code = status.set_index("nis_code")
    assert by_code.loc[codes[0], "status"] == "Bevraging en activiteiten"
    assert by_code.loc[codes[1], "status"] == "Alleen activiteiten"
    assert by_code.loc[codes[2], "status"] == "Nog niet bereikt"
    assert len(status) == len(codes)
    assert status_counts(status).tolist() == [1, 0, 1, len(codes) - 2]
    assert status["status"].iloc[0] == "Nog niet bereikt"  # what to act on comes first
    sentence = not_reached_sentence(status, "Middenkust", 2025)
    assert sentence.startswith(f"{len(codes) - 2} van de {len(codes)} gemeenten")
    assert names[codes[2]] in sentence and names[codes[0]] not in sentence
    reached = reached_by(status)  # what a region map colours: 2, 1, and 0 for the rest
    assert reached[codes[0]] == 2 and reached[codes[1]] == 1 and reached[codes[2]] == 0
    assert reached.sum() == 3
