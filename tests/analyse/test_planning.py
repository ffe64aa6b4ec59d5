"""Theme priorities on a constructed case worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from inclusie_analysis.analyse.planning import (
    effective_weights,
    rank_themes,
    sensitivity,
    theme_signals,
    weights_sentence,
)

LEVELS = ["Geen nood", "Kleine nood", "Matige nood", "Grote nood", "Zeer grote nood"]


def frames():
    # 10 respondents: 8 see a large need on cyberveiligheid, 3 on toegang, 5 on regierol
    ids = [f"r_{i:016x}" for i in range(10)]
    rows = []
    for i, rid in enumerate(ids):
        rows.append((rid, "cyberveiligheid", "Grote nood" if i < 8 else "Geen nood"))
        rows.append((rid, "toegang", "Zeer grote nood" if i < 3 else "Kleine nood"))
        rows.append((rid, "regierol", "Grote nood" if i < 5 else "Matige nood"))
    needs = pd.DataFrame(rows, columns=["respondent_id", "theme", "level"]).assign(wave=2025)
    needs["level"] = pd.Categorical(needs["level"], categories=LEVELS, ordered=True)
    respondents = pd.DataFrame(
        {"respondent_id": ids, "province": ["Limburg"] * 5 + ["Antwerpen"] * 5,
         "org_type": ["Lokaal bestuur (gemeente/OCMW)"] * 10}
    )  # fmt: skip
    events = pd.DataFrame(
        {"event_id": ["E1"], "themes": ["regierol"], "attended": [40], "hours": [3.0]}
    )
    feedback = pd.DataFrame({"event_id": ["E1", "E1"], "satisfaction": [4, 5]})
    texts = pd.DataFrame({"respondent_id": ids[:2], "themes": ["toegang", "toegang;regierol"]})
    return needs, respondents, events, feedback, texts


def test_signals_by_hand():
    signals = theme_signals(*frames())
    assert signals.loc["cyberveiligheid", "need_share"] == 0.8
    assert signals.loc["toegang", "need_share"] == 0.3
    assert signals.loc["regierol", "hours"] == 120.0 and signals.loc["regierol", "events"] == 1
    assert signals.loc["regierol", "rating"] == 4.5
    assert signals.loc["toegang", "requests"] == 2 and signals.loc["regierol", "requests"] == 1


def test_ranking_and_reasons():
    ranked = rank_themes(theme_signals(*frames()))
    # cyberveiligheid: highest need, nothing done last year → first
    assert ranked.index[0] == "cyberveiligheid" and ranked["rank"].tolist() == [1, 2, 3]
    reason = ranked.loc["cyberveiligheid", "reason"]
    assert (
        reason.startswith("80 % ziet een grote of zeer grote nood") and "geen activiteit" in reason
    )
    assert "120 deelnemersuren" in ranked.loc["regierol", "reason"]
    # with all weight on open-answer requests, toegang (asked twice) comes first
    only_requests = {"need": 0, "breadth": 0, "gap": 0, "rating": 0, "requests": 1}
    assert rank_themes(theme_signals(*frames()), only_requests).index[0] == "toegang"


def test_sensitivity_reports_each_weight_both_ways():
    table = sensitivity(theme_signals(*frames()), top=1)
    assert len(table) == 10 and table["same_top"].all()


def test_a_new_theme_of_the_users_file_is_ranked(tmp_path):
    """A theme `ai` from the user's themes file gets its signals and a place in the ranking
    with its label; with the bundled themes it is unknown and cannot be ranked."""
    import yaml

    from inclusie_analysis.read.themes import THEMES_FILE

    data = yaml.safe_load(THEMES_FILE.read_text(encoding="utf-8"))
    data["themes"]["ai"] = {"label": "Artificiële intelligentie", "kinds": ["opleidingsthema"],
                            "keywords": ["chatgpt", "algoritme"]}  # fmt: skip
    themes = tmp_path / "themes.yaml"
    themes.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    needs, respondents, events, feedback, texts = frames()
    # 6 of 10 see a large need on the AI item; 3 open answers ask for it
    ai = needs[needs["theme"] == "toegang"].assign(theme="ai")
    ai["level"] = pd.Categorical(
        ["Grote nood"] * 6 + ["Geen nood"] * 4, categories=LEVELS, ordered=True
    )
    needs = pd.concat([needs, ai], ignore_index=True)
    texts = pd.concat(
        [texts, pd.DataFrame({"respondent_id": needs["respondent_id"].unique()[3:6],
                              "themes": ["ai", "ai;toegang", "ai"]})]
    )  # fmt: skip
    signals = theme_signals(needs, respondents, events, feedback, texts, taxonomy=themes)
    assert signals.loc["ai", "need_share"] == 0.6 and signals.loc["ai", "n"] == 10
    assert signals.loc["ai", "requests"] == 3 and signals.loc["toegang", "requests"] == 3
    ranked = rank_themes(signals, taxonomy=themes)
    assert ranked.loc["ai", "label"] == "Artificiële intelligentie"
    assert ranked["rank"].tolist() == [1, 2, 3, 4]
    assert ranked.index[0] == "cyberveiligheid"  # 80 % large need, nothing done: still first
    assert "ai" not in theme_signals(needs, respondents, events, feedback, texts).index


def test_unavailable_signals_get_no_weight_and_the_rest_is_rescaled():
    signals = theme_signals(*frames())
    zeroed = rank_themes(signals, {"gap": 0, "rating": 0})
    ranked = rank_themes(signals, unavailable=["gap", "rating"])
    # need 0.4, breadth 0.2 and requests 0.1 are scaled up to sum to 1: each ÷ 0.7
    assert effective_weights(None, ["gap", "rating"]) == pytest.approx(
        {"need": 0.4 / 0.7, "breadth": 0.2 / 0.7, "gap": 0, "rating": 0, "requests": 0.1 / 0.7}
    )
    assert list(ranked.index) == list(zeroed.index)
    assert ranked["score"].tolist() == pytest.approx((zeroed["score"] / 0.7).tolist())
    assert ranked["part_gap"].isna().all() and ranked["part_rating"].isna().all()
    # the worked case: cyberveiligheid has the top need part (1) and no requests (0)
    cyber = ranked.loc["cyberveiligheid"]
    expected = (0.4 * 1 + 0.2 * cyber["part_breadth"] + 0.1 * 0) / 0.7
    assert cyber["score"] == pytest.approx(expected)


def test_without_a_register_the_reasons_do_not_say_no_activity():
    needs, respondents, _, feedback, texts = frames()
    signals = theme_signals(needs, respondents, None, feedback, texts)
    assert signals["hours"].isna().all() and signals["events"].isna().all()
    ranked = rank_themes(signals)  # hours unknown everywhere: the gap signal is left out
    assert ranked["part_gap"].isna().all()
    for reason in ranked["reason"]:
        assert "geen activiteit" not in reason and "0 deelnemersuren" not in reason
        assert "wat er vorig jaar rond dit thema gebeurde, is niet bekend" in reason
    with_register = rank_themes(theme_signals(*frames()), unavailable=["rating"])
    assert "beoordeeld met" not in with_register.loc["regierol", "reason"]
    assert "120 deelnemersuren" in with_register.loc["regierol", "reason"]


def test_sensitivity_leaves_out_unavailable_weights():
    table = sensitivity(theme_signals(*frames()), top=1, unavailable=["gap", "rating"])
    assert len(table) == 6 and set(table["weight"]) == {"need", "breadth", "requests"}


def test_weights_sentence_names_what_is_left_out():
    assert weights_sentence() == (
        "De rangschikking weegt het gemiddelde aandeel met grote nood over de vragen van het "
        "thema (40 %), in hoeveel provincies en Brussel de nood minstens even hoog is als in het "
        "geheel (20 %), hoe weinig er al rond gewerkt werd (20 %), de beoordeling van vorige "
        "activiteiten (10 %) en vragen in open antwoorden (10 %)."
    )
    assert weights_sentence(unavailable=["gap", "rating"]) == (
        "De rangschikking weegt het gemiddelde aandeel met grote nood over de vragen van het "
        "thema (57,1 %), in hoeveel provincies en Brussel de nood minstens even hoog is als in "
        "het geheel (28,6 %) en vragen in open antwoorden (14,3 %). Niet "
        "meegeteld, omdat de gegevens ontbreken: hoe weinig er al rond gewerkt werd en de "
        "beoordeling van vorige activiteiten; de andere gewichten zijn naar verhouding verhoogd."
    )
    assert weights_sentence(unavailable=["rating"], language="en").endswith(
        "Left out because the data is missing: ratings of earlier activities; the other weights "
        "are scaled up in proportion."
    )


# --- need as the mean of items, and the bootstrap rank frequency (issue 14) ------------------


def two_themes(large: dict[str, list[bool]], provinces: list[str]) -> tuple:
    """Needs of len(provinces) respondents on items `large` ({"theme/item": answers}); None
    in an answer list is "weet niet" (no level)."""
    ids = [f"r_{i:016x}" for i in range(len(provinces))]
    rows = []
    for key, answers in large.items():
        theme, item = key.split("/")
        for rid, answer in zip(ids, answers, strict=True):
            level = None if answer is None else ("Grote nood" if answer else "Kleine nood")
            rows.append((rid, theme, item, level))
    needs = pd.DataFrame(rows, columns=["respondent_id", "theme", "item", "level"])
    needs = needs.assign(wave=2025)
    needs["level"] = pd.Categorical(needs["level"], categories=LEVELS, ordered=True)
    respondents = pd.DataFrame({"respondent_id": ids, "province": provinces})
    return needs, respondents


def test_need_is_the_mean_of_the_items_shares_by_hand():
    # 4 respondents. cyberveiligheid: item a 3 of 4 large (75 %), item b 1 of 2 who rated it
    # (50 %; two said "weet niet") → mean 62.5 %, not the union (3 of 4 = 75 %).
    # toegang: one item, 1 of 4 (25 %).
    needs, respondents = two_themes(
        {"cyberveiligheid/a": [True, True, True, False],
         "cyberveiligheid/b": [True, None, None, False],
         "toegang/c": [False, False, True, False]},
        ["Limburg", "Limburg", "Antwerpen", "Antwerpen"],
    )  # fmt: skip
    signals = theme_signals(needs, respondents, resamples=200)
    assert signals.loc["cyberveiligheid", "need_share"] == pytest.approx(0.625)
    assert signals.loc["cyberveiligheid", "items"] == 2
    assert signals.loc["toegang", "need_share"] == pytest.approx(0.25)
    low, high = signals.loc["cyberveiligheid", ["need_low", "need_high"]]
    assert 0 <= low < 0.625 < high <= 1
    # breadth: Limburg cyber (2/2 + 1/1)/2 = 100 % ≥ 62.5 %, Antwerpen (1/2 + 0/1)/2 = 25 %;
    # toegang: Limburg 0 %, Antwerpen 50 % ≥ 25 % → each theme above in 1 of 2 provinces
    assert signals.loc["cyberveiligheid", ["provinces_above", "provinces"]].tolist() == [1, 2]
    assert signals.loc["toegang", "breadth"] == 0.5
    reason = rank_themes(signals).loc["cyberveiligheid", "reason"]
    assert reason.startswith(
        "62 % ziet een grote of zeer grote nood (gemiddelde over 2 vragen, 95 %-interval "
    )
    assert "minstens" not in reason.split(",")[0]
    assert "in 1 van de 2 provincies minstens even hoog als in het geheel" in reason


def test_rank_frequency_is_certain_when_every_resample_agrees():
    # everyone sees a large need on cyberveiligheid and nobody on toegang: in every
    # resample cyberveiligheid has the higher need, so it is first 100 % of the time
    needs, respondents = two_themes(
        {"cyberveiligheid/a": [True] * 6, "toegang/c": [False] * 6}, ["Limburg"] * 6
    )
    only_need = {"need": 1, "breadth": 0, "gap": 0, "rating": 0, "requests": 0}
    ranked = rank_themes(theme_signals(needs, respondents, resamples=100), only_need, top=1)
    assert ranked["top_share"].to_dict() == {"cyberveiligheid": 1.0, "toegang": 0.0}
    # with the default top 5 both of the two themes are always in it
    assert rank_themes(theme_signals(needs, respondents, resamples=100))["top_share"].eq(1).all()


def test_rank_frequency_is_near_half_for_a_symmetric_case():
    # 10 respondents see a large need only on cyberveiligheid, 10 only on toegang: the two
    # are exchangeable, each first in about half of the resamples (ties broken at random);
    # with 500 resamples the standard error is 2.2 points, the tolerance 8 points
    needs, respondents = two_themes(
        {"cyberveiligheid/a": [True] * 10 + [False] * 10,
         "toegang/c": [False] * 10 + [True] * 10},
        ["Limburg"] * 20,
    )  # fmt: skip
    only_need = {"need": 1, "breadth": 0, "gap": 0, "rating": 0, "requests": 0}
    ranked = rank_themes(theme_signals(needs, respondents), only_need, top=1)
    assert ranked["top_share"].sum() == pytest.approx(1.0)
    assert ranked.loc["cyberveiligheid", "top_share"] == pytest.approx(0.5, abs=0.08)


def test_breadth_uses_the_latest_waves_province_of_a_respondent():
    # the same pseudonym answered in 2020 from Antwerpen and in 2025 from Limburg: 2025 counts
    needs, respondents = two_themes(
        {"cyberveiligheid/a": [True, False], "toegang/c": [False, True]}, ["Limburg", "Limburg"]
    )
    older = respondents.iloc[:1].assign(province="Antwerpen", wave=2020)
    both = pd.concat([older, respondents.assign(wave=2025)], ignore_index=True)
    signals = theme_signals(needs, both, resamples=50)
    assert signals["provinces"].tolist() == [1, 1]
