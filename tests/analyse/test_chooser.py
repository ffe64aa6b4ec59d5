"""The theme chooser's data (analyse/chooser.py) on a constructed case worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from inclusie_analysis.analyse.chooser import ALL_TYPES, GROUP_COLUMNS, chooser_data, hidden_groups

LEVELS = ["Geen nood", "Kleine nood", "Matige nood", "Grote nood", "Zeer grote nood"]
LOCAL = "Lokaal bestuur (gemeente/OCMW)"
WELFARE = "Welzijnsvereniging"


def frames():
    """10 respondents of 2025: 0-4 in Limburg, 5-9 in Antwerpen; 0-7 local governments,
    8-9 welfare organisations (2: below the threshold of 5). Large need: cyberveiligheid
    for 0-7, toegang for 0-2, regierol for 0-4. One event on regierol (40 × 3 h), rated 4
    and 5; two open answers ask for toegang, one for regierol."""
    ids = [f"r_{i:016x}" for i in range(10)]
    rows = []
    for i, rid in enumerate(ids):
        rows.append((rid, "cyberveiligheid", "Grote nood" if i < 8 else "Geen nood"))
        rows.append((rid, "toegang", "Zeer grote nood" if i < 3 else "Kleine nood"))
        rows.append((rid, "regierol", "Grote nood" if i < 5 else "Matige nood"))
    needs = pd.DataFrame(rows, columns=["respondent_id", "theme", "level"]).assign(wave=2025)
    needs["level"] = pd.Categorical(needs["level"], categories=LEVELS, ordered=True)
    respondents = pd.DataFrame(
        {"respondent_id": ids, "wave": 2025, "region": "Vlaanderen",
         "province": ["Limburg"] * 5 + ["Antwerpen"] * 5,
         "org_type": [LOCAL] * 8 + [WELFARE] * 2}
    )  # fmt: skip
    events = pd.DataFrame(
        {"event_id": ["E1"], "themes": ["regierol"], "attended": [40], "hours": [3.0]}
    )
    feedback = pd.DataFrame({"event_id": ["E1", "E1"], "satisfaction": [4, 5]})
    texts = pd.DataFrame({"respondent_id": ids[:2], "themes": ["toegang", "toegang;regierol"]})
    return needs, respondents, events, feedback, texts


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return chooser_data(*frames(), areas=["Vlaanderen en Brussel", "Limburg", "Antwerpen"])


def group(data: pd.DataFrame, area: str, org_type: str) -> pd.DataFrame:
    rows = data[(data["area"] == area) & (data["org_type"] == org_type)]
    return rows.set_index("theme") if not rows["suppressed"].all() else rows


def test_every_area_times_every_org_type_is_there(data):
    pairs = list(dict.fromkeys(zip(data["area"], data["org_type"], strict=True)))
    assert pairs == [
        (area, org_type)
        for area in ["Vlaanderen en Brussel", "Limburg", "Antwerpen"]
        for org_type in [ALL_TYPES, LOCAL, WELFARE]
    ]


def test_signals_of_the_whole_group_by_hand(data):
    everyone = group(data, "Vlaanderen en Brussel", ALL_TYPES)
    assert everyone["n"].unique().tolist() == [10]
    assert everyone.loc["cyberveiligheid", "need_share"] == 0.8
    assert everyone.loc["toegang", "need_share"] == 0.3
    assert everyone.loc["regierol", "need_share"] == 0.5
    assert everyone.loc["regierol", ["hours", "events", "rating"]].tolist() == [120.0, 1, 4.5]
    assert everyone.loc["toegang", "requests"] == 2 and everyone.loc["regierol", "requests"] == 1
    assert everyone.loc["cyberveiligheid", "label"] == "Cyberveiligheid"
    assert everyone.loc["cyberveiligheid", "reason"].startswith(
        "80 % ziet een grote of zeer grote nood"
    )
    assert (everyone["resamples"] == 500).all() and (everyone["unavailable"] == "").all()
    assert everyone["order"].tolist() == [0, 1, 2]  # the signals' order: the last tie-break


def test_a_province_has_its_own_need_and_the_years_events(data):
    # Limburg: respondents 0-4: cyberveiligheid 5 of 5, toegang 3 of 5, regierol 5 of 5
    limburg = group(data, "Limburg", ALL_TYPES)
    assert limburg["n"].unique().tolist() == [5]
    assert limburg["need_share"].to_dict() == {
        "cyberveiligheid": 1.0, "regierol": 1.0, "toegang": 0.6,
    }  # fmt: skip
    # events are not split by area: the same hours as everyone's
    assert limburg.loc["regierol", "hours"] == 120.0
    # Limburg × local governments: the same five; 200 resamples for a subgroup
    local = group(data, "Limburg", LOCAL)
    assert local["n"].unique().tolist() == [5] and (local["resamples"] == 200).all()
    # everyone × local governments (8): shown, it would give the 2 welfare organisations
    # away as everyone minus it, so it is hidden too
    assert group(data, "Vlaanderen en Brussel", LOCAL)["suppressed"].all()


def test_a_group_below_the_threshold_keeps_its_name_and_no_number(data):
    for area, org_type in [("Vlaanderen en Brussel", WELFARE), ("Antwerpen", LOCAL),
                           ("Vlaanderen en Brussel", LOCAL),
                           ("Antwerpen", WELFARE), ("Limburg", WELFARE)]:  # fmt: skip
        rows = group(data, area, org_type)
        assert len(rows) == 1 and rows["suppressed"].all(), (area, org_type)
        numbers = rows.drop(columns=GROUP_COLUMNS)
        assert numbers.isna().all(axis=None), (area, org_type)


def test_no_hidden_group_can_be_worked_out_by_subtraction():
    everyone, a, b = "Vlaanderen en Brussel", "Antwerpen", "Limburg"
    x, y = "x", "y"
    counts = {
        (everyone, "*"): 40, (everyone, x): 30, (everyone, y): 9,  # 1 without a type
        (a, "*"): 22, (a, x): 20, (a, y): 2,
        (b, "*"): 15, (b, x): 8, (b, y): 7,  # 3 without a province: 40 - 22 - 15
    }  # fmt: skip
    hidden = hidden_groups(counts, [everyone, a, b], [x, y], 5)
    # a × y (2) is small. Everyone's 1 without a type would be everyone − x − y: y (9) is
    # hidden; a × * − a × x would give a × y: a × x (20) is hidden; the 3 without a province
    # would be everyone − a − b: b × * (15), the smaller, is hidden. Then every sum holds.
    assert hidden == {(a, y), (everyone, y), (a, x), (b, "*")}
    hidden_groups_hold(counts, hidden, [everyone, a, b], [x, y])
    # without small groups and rests nothing is hidden
    whole = {**counts, (a, y): 5, (a, "*"): 25, (everyone, y): 12,
             (everyone, "*"): 42, (b, "*"): 17, (b, x): 10}  # fmt: skip
    assert hidden_groups(whole, [everyone, a, b], [x, y], 5) == set()


def hidden_groups_hold(counts, hidden, areas, types) -> None:
    sums = [((area, "*"), [(area, t) for t in types]) for area in areas]
    sums += [((areas[0], t), [(a, t) for a in areas[1:]]) for t in ["*", *types]]
    for whole, parts in sums:
        if whole in hidden:
            continue
        rest = counts[whole] - sum(counts[p] for p in parts)
        held = rest + sum(counts[p] for p in parts if p in hidden)
        assert held == 0 or held >= 5, (whole, held)


def test_the_threshold_is_a_parameter():
    data = chooser_data(*frames(), areas=["Vlaanderen en Brussel"], threshold=2)
    welfare = group(data, "Vlaanderen en Brussel", WELFARE)
    assert not welfare["suppressed"].any() and welfare["n"].unique().tolist() == [2]
    assert welfare.loc["cyberveiligheid", "need_share"] == 0.0


def test_reasons_in_english():
    data = chooser_data(*frames(), areas=["Vlaanderen en Brussel"], language="en")
    everyone = group(data, "Vlaanderen en Brussel", ALL_TYPES)
    reason = everyone.loc["regierol", "reason"]
    assert reason.startswith("50 % see a large or very large need (mean over 1 question")
    assert "last year 1 activity(ies), 120 participant-hours, rated 4.5/5" in reason
    assert "; 1 open answers ask for it." in reason
    assert "no activity on this theme last year" in everyone.loc["toegang", "reason"]


def test_without_a_register_what_was_done_is_unknown():
    needs, respondents, _, feedback, texts = frames()
    data = chooser_data(needs, respondents, None, feedback, texts, areas=["Limburg"])
    limburg = group(data, "Limburg", ALL_TYPES)
    assert limburg["hours"].isna().all()
    assert set(limburg["unavailable"]) == {"gap;rating"}
    assert "niet bekend" in limburg.loc["regierol", "reason"]
