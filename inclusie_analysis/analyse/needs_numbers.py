"""The needs figures of the yearly report: large need per item, per unit (municipalities for
local governments, answers for the other organisations) and who answered, per unit.

Split from `yearly` so a reader finds the needs numbers in one place; the report notebook only
formats and shows them.
"""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.analyse.stats import likert_summary, wilson_interval
from inclusie_analysis.formats import format_number, format_percent


def large_need_by_item(
    needs: pd.DataFrame, respondents: pd.DataFrame, wave: int, top: int = 2
) -> pd.DataFrame:
    """Per item of one wave: respondents rating it, how many see a large need (the top
    `top` levels), the share with its Wilson 95 % interval. Only `respondents` count."""
    part = needs.loc[
        (needs["wave"] == wave) & needs["respondent_id"].isin(respondents["respondent_id"])
    ]
    if not len(part):
        return pd.DataFrame(columns=["item", "label", "theme", "n", "k", "share", "low", "high"])
    summary = likert_summary(part, top=top)
    labels = part.drop_duplicates("item").set_index("item")
    summary["label"] = summary["item"].map(labels["item_label"])
    summary["theme"] = summary["item"].map(labels["theme"])
    summary["k"] = (summary["top_box"] * summary["n"]).round().astype("int64")
    out = summary.rename(columns={"top_box": "share", "top_box_low": "low", "top_box_high": "high"})
    out = out[["item", "label", "theme", "n", "k", "share", "low", "high"]]
    return out.sort_values(["share", "n"], ascending=False, ignore_index=True)


UNIT_WORDS = {
    "nl": {"municipalities": "gemeenten", "answers": "antwoorden"},
    "en": {"municipalities": "municipalities", "answers": "responses"},
}
UNIT_COLUMNS = ["unit", "item", "label", "theme", "n", "answers", "k", "share", "se", "low",
                "high", "method"]  # fmt: skip


def need_by_unit(
    needs: pd.DataFrame, respondents: pd.DataFrame, wave: int, area: str, top: int = 2
) -> pd.DataFrame:
    """Per item of one wave, the share seeing a large need (the top `top` levels), in two parts
    that count different units (`unit`):

    - "municipalities": local governments, one municipality one unit. A municipality's value
      is the share of its answers rating the item that see a large need (each answer weighs
      1/answers of its municipality, so a municipality weighs 1); `n` is the municipalities,
      `answers` their answers, `k` the municipalities' summed values (not a whole number when
      a municipality is split), and the interval is `survey.cluster_proportion`'s (logit, with
      the finite population correction for the municipalities of `area`), as R's `survey`
      gives it. Local governments without a known municipality cannot be placed and are
      left out here.
    - "answers": every other organisation type, one answer one unit (`n` = `answers`),
      the Wilson interval, as `large_need_by_item`.

    "Weet niet" and unanswered items are left out of both, as everywhere.
    """
    from inclusie_analysis.analyse.survey import (
        cluster_proportion,
        is_local_government,
        municipalities_in_area,
    )

    people = respondents.loc[respondents["wave"] == wave]
    local = is_local_government(people)
    rows = []
    part = needs.loc[(needs["wave"] == wave) & needs["level"].notna()]
    part = part.merge(people[["respondent_id", "nis_code"]].assign(local=local.to_numpy()),
                      on="respondent_id")  # fmt: skip
    if not len(part):
        return pd.DataFrame(columns=UNIT_COLUMNS)
    part = part.assign(y=part["level"].isin(part["level"].cat.categories[-top:]).astype(int))
    population = municipalities_in_area(area)
    for item, rated in part.groupby("item", sort=True):
        first = rated.iloc[0]
        named = {"item": item, "label": first["item_label"], "theme": first["theme"]}
        placed = rated.loc[rated["local"] & rated["nis_code"].notna()]
        if len(placed):
            est = cluster_proportion(placed["y"], placed["nis_code"], population)
            rows.append({"unit": "municipalities", **named, "n": est.clusters,
                         "answers": est.answers, "k": est.estimate * est.clusters,
                         "share": est.estimate, "se": est.se, "low": est.low,
                         "high": est.high, "method": est.method})  # fmt: skip
        other = rated.loc[~rated["local"]]
        if len(other):
            k, n = int(other["y"].sum()), len(other)
            low, high = wilson_interval(k, n)
            se = (k / n * (1 - k / n) / n) ** 0.5
            rows.append({"unit": "answers", **named, "n": n, "answers": n, "k": float(k),
                         "share": k / n, "se": se, "low": low, "high": high,
                         "method": "wilson"})  # fmt: skip
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def need_unit_table(
    units: pd.DataFrame, order: list[str], threshold: int = 5, language: str = "nl"
) -> pd.DataFrame:
    """The needs table with one column pair per unit: municipalities (local governments) and
    answers (other organisations). Rows follow `order` (items); a share over fewer than
    `threshold` units shows "–" (its n column is hidden by the report book)."""
    words = UNIT_WORDS[language]
    nl = language == "nl"
    table = pd.DataFrame({"item": order})
    for unit, who in (("municipalities", "lokale besturen"), ("answers", "andere organisaties")):
        if not nl:
            who = {"lokale besturen": "local governments"}.get(who, "other organisations")
        rows = units.loc[units["unit"] == unit].set_index("item").reindex(order)
        count = f"{words[unit].capitalize()} ({who})"
        share = f"Grote nood, {who}" if nl else f"Large need, {who}"
        table[count] = rows["n"].astype("Int64").to_numpy()
        table[share] = [_share_text(row, threshold, language) for _, row in rows.iterrows()]
    return table.drop(columns="item")


def without_hidden_units(table: pd.DataFrame) -> pd.DataFrame:
    """`need_unit_table` without the column pairs (count, share) of a unit whose shares are
    all hidden: a column of nothing but hidden counts tells a reader only how small the group
    is, and the disclosure audit can bound such counts from the area's other tables."""
    keep = []
    for count, share in zip(table.columns[::2], table.columns[1::2], strict=True):
        if (~table[share].isin(["–", "x"])).any():
            keep += [count, share]
    return table[keep]


def _share_text(row: pd.Series, threshold: int, language: str) -> str:
    """'42 % (35–49 %)' for a row of `need_by_unit`; '–' for none or fewer than `threshold`
    units, and 'x' where the share would give away a small count (k or n − k from 1 to
    threshold − 1, `stats.share_shown`; a municipality's weighted k rounded)."""
    from inclusie_analysis.analyse.stats import share_shown

    if pd.isna(row["n"]) or row["n"] < threshold or pd.isna(row["low"]):
        return "–"
    if not share_shown(round(float(row["k"])), int(row["n"]), threshold):
        return "x"
    share, low, high = (format_percent(row[c], language) for c in ("share", "low", "high"))
    return f"{share} ({low}–{high})"


def unit_counts(respondents: pd.DataFrame, wave: int) -> dict[str, int]:
    """Who answered `wave`, per unit: `municipalities` (with at least one local-government
    answer), `local_answers` (those answers), `other_answers` (every other organisation type
    and local governments without a known municipality), `answers` (all)."""
    from inclusie_analysis.analyse.survey import is_local_government

    people = respondents.loc[respondents["wave"] == wave]
    if not {"org_type", "nis_code"} <= set(people.columns):
        placed = people.iloc[:0].assign(nis_code=pd.Series(dtype="string"))
    else:
        placed = people.loc[is_local_government(people) & people["nis_code"].notna()]
    return {
        "municipalities": int(placed["nis_code"].nunique()),
        "local_answers": len(placed),
        "other_answers": len(people) - len(placed),
        "answers": len(people),
    }


def unit_counts_text(counts: dict[str, int], threshold: int = 5, language: str = "nl") -> str:
    """'158 gemeenten (226 antwoorden van lokale besturen) en 94 antwoorden van andere
    organisaties'; a count from 1 to threshold − 1 reads "minder dan {threshold}"."""
    nl = language == "nl"

    def num(value: int) -> str:
        if 0 < value < threshold:
            return f"minder dan {threshold}" if nl else f"fewer than {threshold}"
        return format_number(value, language)

    m, la, oa = counts["municipalities"], counts["local_answers"], counts["other_answers"]
    if 0 < oa < threshold or 0 < la < threshold:  # the total is public: one gives the other
        hidden = "een deel van de" if nl else "part of the"
        la_text = hidden if 0 < oa < threshold else num(la)
        oa_text = ("de andere" if nl else "the other") if 0 < la < threshold else num(oa)
        if nl:
            return (f"{num(m)} gemeenten ({la_text} antwoorden, van lokale besturen) en "
                    f"{oa_text} antwoorden van andere organisaties")  # fmt: skip
        return (f"{num(m)} municipalities ({la_text} responses, of local governments) and "
                f"{oa_text} responses of other organisations")  # fmt: skip
    if nl:
        return (f"{num(m)} gemeenten ({num(la)} antwoorden van lokale besturen) en "
                f"{num(oa)} antwoorden van andere organisaties")  # fmt: skip
    return (f"{num(m)} municipalities ({num(la)} responses of local governments) and "
            f"{num(oa)} responses of other organisations")  # fmt: skip


def share_with_interval(k: int, n: int, language: str = "nl") -> str:
    """'42 % (35–49 %)' for k of n; '–' when n is 0."""
    if not n:
        return "–"
    low, high = wilson_interval(k, n)
    share, low, high = (format_percent(v, language) for v in (k / n, low, high))
    return f"{share} ({low}–{high})"
