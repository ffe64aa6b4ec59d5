"""The numbers of the yearly report, per area: response, reach, needs, change, findings.

Each function takes the cleaned frames and returns a tidy frame or plain values; the report
notebook only formats and shows them. Areas are "Vlaanderen en Brussel" (everyone, also
organisations without a municipality), one province, or "Brussel".
"""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.analyse.sources import is_missing, section_note
from inclusie_analysis.analyse.stats import (
    holm,
    holm_levels,
    likert_summary,
    newcombe_difference,
    newcombe_pvalue,
    wilson_interval,
)
from inclusie_analysis.clean.geo import FLANDERS_AND_BRUSSELS, province_order, select_area
from inclusie_analysis.publish.text import format_number, format_percent

ORG_TYPES = {
    "nl": {
        "lokaal_bestuur": "Lokaal bestuur",
        "intergemeentelijk": "Intergemeentelijk samenwerkingsverband",
        "welzijnsvereniging": "Welzijnsvereniging",
        "overheid": "Vlaamse, provinciale of federale overheid",
        "onderwijs_onderzoek": "Onderwijs of onderzoek",
        "andere": "Andere",
    },
    "en": {
        "lokaal_bestuur": "Local government",
        "intergemeentelijk": "Intermunicipal partnership",
        "welzijnsvereniging": "Welfare association",
        "overheid": "Flemish, provincial or federal government",
        "onderwijs_onderzoek": "Education or research",
        "andere": "Other",
    },
}
UNKNOWN = {"nl": "Onbekend", "en": "Unknown"}


def areas() -> list[str]:
    """Every area a yearly report is made for: all of it first, then west to east."""
    return [FLANDERS_AND_BRUSSELS, *province_order()]


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
    threshold − 1, `disclosure.share_shown`; a municipality's weighted k rounded)."""
    from inclusie_analysis.publish.disclosure import share_shown

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


# --- comparing waves ---------------------------------------------------------------------------

CHANGED = "changed"
MARKS = {"changed": "¹", "comparable": "²"}
COMPARE_WORDS = {
    "nl": {
        "same": "zelfde vraag", "changed": "vraag gewijzigd",
        "comparable": "vraag gewijzigd (vergelijkbaar)",
        "yes": "statistisch significant", "no": "geen significant verschil aangetoond",
        "not_judged": "niet beoordeeld",
        "theme": "Thema", "question": "Vraag", "difference": "Verschil (procentpunten)",
        "clear": "Oordeel (Holm)", "level": "Betrouwbaarheid interval", "to": "tot",
        "note_holm": "Oordeel na Holm-correctie over de {m} beoordeelde vragen van deze tabel "
        "(samen hoogstens 5 % kans op een vals significant verschil). Het interval staat op "
        "het niveau dat bij dat oordeel hoort (kolom 'Betrouwbaarheid interval'): het sluit 0 "
        "uit precies wanneer het verschil statistisch significant is. 'Geen significant "
        "verschil aangetoond' zegt niet dat er geen verschil is: het interval toont hoe groot "
        "het kan zijn.",
        "reworded": "anders geformuleerd", "split": "opgesplitst", "merged": "samengevoegd",
        "new": "als nieuw aangeduid",
        "note_changed": "¹ Vraag gewijzigd sinds {a} ({kinds}): het verschil kan ook door de "
        "nieuwe vraag komen en wordt daarom niet beoordeeld (interval op 95 %). Oude en "
        "nieuwe formulering staan in de methode.",
        "note_comparable": "² Vraag anders geformuleerd sinds {a}, maar in het codeboek als "
        "vergelijkbaar aangeduid; het verschil wordt beoordeeld zoals bij de andere vragen.",
        "dropped": "Niet meer gevraagd in {b}: {items}.",
        "added": "Nieuw in {b}: {items}.",
        "split_into": "opgesplitst in {items}",
        "merged_into": "samengevoegd in {items}",
        "split_from": "uit de opsplitsing van {items}",
        "merged_from": "samenvoeging van {items}",
        "and": "en",
    },
    "en": {
        "same": "same question", "changed": "question changed",
        "comparable": "question changed (comparable)",
        "yes": "statistically significant", "no": "no significant difference shown",
        "not_judged": "not judged",
        "theme": "Theme", "question": "Question", "difference": "Difference (points)",
        "clear": "Verdict (Holm)", "level": "Interval level", "to": "to",
        "note_holm": "Verdict after Holm's correction over the {m} judged questions of this "
        "table (together at most a 5 % chance of a false significant difference). The "
        "interval is at the level that goes with that verdict (column 'Interval level'): it "
        "excludes 0 exactly when the difference is statistically significant. 'No significant "
        "difference shown' does not say there is no difference: the interval shows how large "
        "it may be.",
        "reworded": "reworded", "split": "split", "merged": "merged", "new": "marked as new",
        "note_changed": "¹ Question changed since {a} ({kinds}): the difference may come from "
        "the new question and is therefore not judged (interval at 95 %). The old and new "
        "wording are in the method section.",
        "note_comparable": "² Question reworded since {a}, but marked as comparable in the "
        "codebook; its difference is judged like the others.",
        "dropped": "No longer asked in {b}: {items}.",
        "added": "New in {b}: {items}.",
        "split_into": "split into {items}",
        "merged_into": "merged into {items}",
        "split_from": "split from {items}",
        "merged_from": "merging {items}",
        "and": "and",
    },
}  # fmt: skip


def compare_items(items: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """How the need items of wave `last` relate to those of wave `first`, from the codebooks
    (`items` as `load_needs(...).items` gives it). One row per item of either wave:

    - `item` (its name in `last`, or in `first` when dropped), `previous_item` (its name in
      `first`: the same name, or the old name of a reworded question that was renamed),
    - `status`: "same" (asked the same way), "changed" (reworded, split or merged but asked
      under a name `first` had), "new" (not asked in `first`: `kind: new`, split or merged
      into a new name, or simply absent) or "dropped" (asked in `first`, not in `last`),
    - `change` (the codebook's kind), `comparable` (same, or reworded with `comparable:
      true`), `label` and `previous_label` (the old wording: `previous` from the codebook,
      else the old label), `theme`, `related` (the old items a new one came from, or the new
      items a dropped one went into; ";"-joined).
    """
    old = items.loc[items["wave"] == first].set_index("item")
    new = items.loc[items["wave"] == last].set_index("item")
    rows = []
    for item, row in new.iterrows():
        sources = _names(row["from_items"])
        change = None if pd.isna(row["change"]) else str(row["change"])
        previous = item if item in old.index else None
        if previous is None and change == "reworded" and len(sources) == 1:
            previous = sources[0] if sources[0] in old.index else None
        status = "new" if previous is None else "same" if change is None else CHANGED
        old_label = old.at[previous, "label"] if previous is not None else None
        wording = row["previous"] if pd.notna(row["previous"]) else old_label
        rows.append({"item": item, "previous_item": previous, "status": status,
                     "change": change, "comparable": status != "new" and change != "new"
                     and bool(row["comparable"]),
                     "label": row["label"], "previous_label": wording, "theme": row["theme"],
                     "related": ";".join(sources) or None})  # fmt: skip
    kept = {r["previous_item"] for r in rows}
    for item, row in old.iterrows():
        if item in kept:
            continue
        into = [r["item"] for r in rows if item in _names(r["related"])]
        rows.append({"item": item, "previous_item": item, "status": "dropped",
                     "change": None, "comparable": False, "label": row["label"],
                     "previous_label": row["label"], "theme": row["theme"],
                     "related": ";".join(into) or None})  # fmt: skip
    columns = ["item", "previous_item", "status", "change", "comparable", "label",
               "previous_label", "theme", "related"]  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({c: "string" for c in columns if c != "comparable"} | {"comparable": bool})


def _names(value: object) -> list[str]:
    """The item names of a ";"-joined cell (none for NA)."""
    return [] if value is None or pd.isna(value) else [n for n in str(value).split(";") if n]


def wave_change(
    needs: pd.DataFrame,
    respondents: pd.DataFrame,
    top: int = 2,
    items: pd.DataFrame | None = None,
    threshold: int = 1,
) -> tuple[pd.DataFrame, tuple[int, int] | None]:
    """Change in the share with a large need between the last two waves, for the items both
    waves asked, with a Newcombe 95 % interval for the difference, its p-value and Holm's
    adjustment across the table (`adjust_for_multiplicity`; the family is the comparable rows
    with at least `threshold` answers in both waves: the ones the report judges). Returns the
    table and the two waves (None when there is only one wave).

    With `items` (the codebooks' facts, `load_needs(...).items`) a question that changed since
    the previous wave keeps its row with `status` "changed" and `comparable` False (unless the
    codebook marks a rewording comparable), and a renamed rewording is paired with its old
    name. `significant` is Holm's verdict within the judged rows; `clear` is that and
    comparable: only a clear change may be reported as a change in need. Without `items`
    every item of the same name counts as asked the same way.
    """
    waves = sorted(int(w) for w in needs["wave"].unique())
    if len(waves) < 2:
        return pd.DataFrame(), None
    a, b = waves[-2], waves[-1]
    first = large_need_by_item(needs, respondents, a, top).set_index("item")
    last = large_need_by_item(needs, respondents, b, top).set_index("item")
    if items is not None:
        pairs = compare_items(items, a, b)
        pairs = pairs.loc[pairs["status"].isin(["same", CHANGED])].set_index("item")
    else:
        shared = pd.Index([i for i in last.index if i in first.index], name="item")
        pairs = pd.DataFrame({"previous_item": shared, "status": "same", "change": pd.NA,
                              "comparable": True}, index=shared)  # fmt: skip
    rows = []
    for item, pair in pairs.iterrows():
        old = pair["previous_item"]
        if item not in last.index or old not in first.index:
            continue
        x1, n1 = int(first.at[old, "k"]), int(first.at[old, "n"])
        x2, n2 = int(last.at[item, "k"]), int(last.at[item, "n"])
        diff, low, high = newcombe_difference(x1, n1, x2, n2) if n1 and n2 else (float("nan"),) * 3
        significant = bool(low == low and (low > 0 or high < 0))
        rows.append({"item": item, "previous_item": old, "label": last.at[item, "label"],
                     "status": pair["status"], "change": pair["change"],
                     "comparable": bool(pair["comparable"]), "n_a": n1, "k_a": x1, "k_b": x2,
                     "share_a": x1 / n1 if n1 else float("nan"), "n_b": n2,
                     "share_b": x2 / n2 if n2 else float("nan"), "difference": diff,
                     "low": low, "high": high, "significant": significant,
                     "clear": significant and bool(pair["comparable"])})  # fmt: skip
    table = pd.DataFrame(rows)
    if len(table):
        table = table.sort_values("difference", ascending=False, ignore_index=True)
        table = adjust_for_multiplicity(table, threshold)
    return table, (a, b)


def adjust_for_multiplicity(
    change: pd.DataFrame, threshold: int = 1, alpha: float = 0.05
) -> pd.DataFrame:
    """Holm's correction across one change table. The family: comparable rows with at least
    `threshold` answers in both waves. Needs the counts `k_a`, `n_a`, `k_b`, `n_b`. Adds
    `p` (Newcombe's, `stats.newcombe_pvalue`), `p_holm`, `level` (the confidence level that
    agrees with Holm's verdict, `stats.holm_levels`; 95 % outside the family) with
    `low_holm`/`high_holm` (Newcombe's interval at that level), and sets `significant`
    (p_holm < alpha; False outside the family) and `clear` (significant and comparable: only
    these may be called a change)."""
    counts = list(zip(change["k_a"], change["n_a"], change["k_b"], change["n_b"], strict=True))
    p = [newcombe_pvalue(*c) if c[1] and c[3] else float("nan") for c in counts]
    family = change["comparable"] & (change[["n_a", "n_b"]].min(axis=1) >= threshold)
    p = pd.Series(p, index=change.index, dtype=float)
    adjusted = holm(p.where(family))
    level = holm_levels(p.where(family), alpha).fillna(1 - alpha).where(p.notna())
    bounds = [
        newcombe_difference(*c, lv)[1:] if lv == lv else (float("nan"),) * 2
        for c, lv in zip(counts, level, strict=True)
    ]
    significant = (adjusted < alpha).fillna(False).astype(bool)
    return change.assign(
        p=p,
        p_holm=adjusted,
        level=level,
        low_holm=[b[0] for b in bounds],
        high_holm=[b[1] for b in bounds],
        significant=significant,
        clear=significant & change["comparable"].astype(bool),
    )


def change_table(
    change: pd.DataFrame,
    waves: tuple[int, int],
    items: pd.DataFrame | None = None,
    threshold: int = 5,
    language: str = "nl",
) -> tuple[pd.DataFrame, list[str]]:
    """The report's change table and the notes under it.

    Rows with fewer than `threshold` answers in either wave are left out. A changed question
    carries a mark on its label (¹, or ² when marked comparable) and says so in the column
    "Vraag"; a changed question that is not comparable gets no verdict ("niet beoordeeld").
    The notes explain the marks and list the questions no longer asked and the new ones.
    The verdict is Holm's (`adjust_for_multiplicity`), the interval the one at the level
    that agrees with it (`low_holm`, `high_holm`, `level`), and a note says so.
    """
    w = COMPARE_WORDS[language]
    a, b = waves
    usable = change.loc[change[["n_a", "n_b"]].min(axis=1) >= threshold] if len(change) else change
    pp = lambda v: format_number(100 * v, language, 1)  # noqa: E731
    labels, questions, verdicts = [], [], []
    for row in usable.itertuples():
        if row.status == CHANGED:
            mark = MARKS["comparable"] if row.comparable else MARKS["changed"]
            labels.append(f"{row.label}{mark}")
            questions.append(w["comparable"] if row.comparable else w["changed"])
        else:
            labels.append(row.label)
            questions.append(w["same"])
        verdicts.append((w["yes"] if row.clear else w["no"]) if row.comparable else w["not_judged"])
    table = pd.DataFrame({
        w["theme"]: labels,
        w["question"]: questions,
        f"n {a}": list(usable["n_a"]) if len(usable) else [],
        f"{a}": [format_percent(v, language) for v in usable.get("share_a", [])],
        f"n {b}": list(usable["n_b"]) if len(usable) else [],
        f"{b}": [format_percent(v, language) for v in usable.get("share_b", [])],
        w["difference"]: [f"{pp(d)} ({pp(lo)} {w['to']} {pp(hi)})" for d, lo, hi in
                          zip(usable.get("difference", []), usable.get("low_holm", []),
                              usable.get("high_holm", []), strict=True)],
        w["level"]: [format_percent(v, language, 1) for v in usable.get("level", [])],
        w["clear"]: verdicts,
    })  # fmt: skip
    notes = []
    judged = int(usable["comparable"].sum()) if len(usable) else 0
    if judged:
        notes.append(w["note_holm"].format(m=judged))
    shown = usable.loc[usable["status"] == CHANGED] if len(usable) else usable
    if len(shown) and (~shown["comparable"]).any():
        changed = shown.loc[~shown["comparable"], "change"]
        named = [w[k] for k in ("reworded", "split", "merged", "new") if k in set(changed)]
        notes.append(w["note_changed"].format(a=a, kinds=", ".join(named)))
    if len(shown) and shown["comparable"].any():
        notes.append(w["note_comparable"].format(a=a))
    if items is not None:
        notes += _asked_notes(compare_items(items, a, b), items, a, b, language)
    return table, notes


def _asked_notes(
    comparison: pd.DataFrame, items: pd.DataFrame, a: int, b: int, language: str
) -> list[str]:
    """'Niet meer gevraagd in 2025: ...' and 'Nieuw in 2025: ...', with where each went."""
    w = COMPARE_WORDS[language]
    old_label, new_label = _labels(items, a), _labels(items, b)

    def quote(names: list[str], labels: dict) -> str:
        return _join([f"'{labels.get(n, n)}'" for n in names], w["and"])

    notes = []
    dropped = comparison.loc[comparison["status"] == "dropped"]
    if len(dropped):
        parts = []
        for row in dropped.itertuples():
            into = _names(row.related)
            kinds = set(comparison.loc[comparison["item"].isin(into), "change"].dropna())
            where = {frozenset({"split"}): "split_into", frozenset({"merged"}): "merged_into"}
            key = where.get(frozenset(kinds))
            extra = f" ({w[key].format(items=quote(into, new_label))})" if key else ""
            parts.append(f"'{row.label}'{extra}")
        notes.append(w["dropped"].format(b=b, items="; ".join(parts)))
    added = comparison.loc[comparison["status"] == "new"]
    if len(added):
        # items split from (or merged out of) the same old items are named together
        groups: dict[tuple, list[str]] = {}
        for row in added.itertuples():
            sources = tuple(_names(row.related)) if row.change in ("split", "merged") else ()
            groups.setdefault((row.change if sources else None, sources), []).append(row.item)
        parts = []
        for (kind, sources), names in groups.items():
            origin = w[f"{kind}_from"].format(items=quote(list(sources), old_label)) if kind else ""
            parts.append(quote(names, new_label) + (f" ({origin})" if origin else ""))
        notes.append(w["added"].format(b=b, items="; ".join(parts)))
    return notes


METHOD_WORDS = {
    "nl": {
        "title": "**Gewijzigde vragen sinds {a}.** Een vraag die anders gesteld wordt, kan anders "
        "beantwoord worden, ook als de nood niet veranderde. Het verschil van zo'n vraag staat "
        "in de tabel met ¹ en krijgt geen oordeel; alleen een vraag die het codeboek als "
        "vergelijkbaar aanduidt (²), wordt beoordeeld. De kernbevindingen en de trend per "
        "thema tellen alleen vragen die op dezelfde manier gesteld werden (of vergelijkbaar "
        "zijn).",
        "reworded": "{a}: {old} → {b}: {new}",
        "comparable": " (als vergelijkbaar aangeduid)",
        "split": "{a}: {old} → {b} opgesplitst in {new}",
        "merged": "{a}: {old} → {b} samengevoegd tot {new}",
        "and": "en",
    },
    "en": {
        "title": "**Questions changed since {a}.** A question asked differently may be answered "
        "differently even when the need did not change. Such a question's difference is marked "
        "¹ in the table and not judged; only one the codebook marks as comparable (²) is judged. "
        "The key findings and the trend per theme count only questions asked the same way (or "
        "marked comparable).",
        "reworded": "{a}: {old} → {b}: {new}",
        "comparable": " (marked comparable)",
        "split": "{a}: {old} → {b} split into {new}",
        "merged": "{a}: {old} → {b} merged into {new}",
        "and": "and",
    },
}


def wording_changes(items: pd.DataFrame, waves: tuple[int, int], language: str = "nl") -> str:
    """The method section's list of questions changed between two waves: old and new
    wording of every reworded question, and what split or merged questions became. Empty
    when nothing changed."""
    w = METHOD_WORDS[language]
    a, b = waves
    comparison = compare_items(items, a, b)
    old = _labels(items, a)
    lines = []
    for row in comparison.loc[comparison["status"] == CHANGED].itertuples():
        if row.change == "reworded":
            line = w["reworded"].format(
                a=a, old=f"'{row.previous_label}'", b=b, new=f"'{row.label}'"
            )
            lines.append(line + (w["comparable"] if row.comparable else ""))
    new = comparison.loc[comparison["status"].isin(["new", CHANGED])]
    for kind in ("split", "merged"):
        part = new.loc[(new["change"] == kind) & new["related"].notna()]
        groups: dict[tuple[str, ...], list[str]] = {}
        for row in part.itertuples():
            groups.setdefault(tuple(_names(row.related)), []).append(f"'{row.label}'")
        for sources, labels in groups.items():
            before = _join([f"'{old.get(n, n)}'" for n in sources], w["and"])
            lines.append(w[kind].format(a=a, old=before, b=b, new=_join(labels, w["and"])))
    if not lines:
        return ""
    return w["title"].format(a=a) + "\n\n" + "\n".join(f"- {line}" for line in lines)


THEME_WORDS = {
    "nl": {"changed": "vraag gewijzigd", "new": "nieuw in {b}",
           "dropped": "niet meer gevraagd in {b}"},
    "en": {"changed": "question changed", "new": "new in {b}", "dropped": "no longer asked in {b}"},
}  # fmt: skip


def theme_change(
    needs: pd.DataFrame,
    respondents: pd.DataFrame,
    items: pd.DataFrame,
    top: int = 2,
    groups: dict[str, str] | None = None,
    language: str = "nl",
) -> tuple[pd.DataFrame, tuple[int, int] | None]:
    """Change per theme between the last two waves, with a Newcombe 95 % interval: the share
    of respondents with a large need (top `top` levels) on at least one of the theme's items.

    Only items asked the same way in both waves count (or reworded ones the codebook marks
    `comparable: true`), so both waves are measured with the same questions; `left_out`
    names the theme's other items and why. Themes are grouped by `groups` (theme → group;
    default: the taxonomy's coding groups, so e.g. hr_beleid counts under professionalisering).
    A theme without any comparable item has n 0 and no difference.
    """
    waves = sorted(int(w) for w in needs["wave"].unique())
    if len(waves) < 2:
        return pd.DataFrame(), None
    a, b = waves[-2], waves[-1]
    words = THEME_WORDS[language]
    mapping = _theme_groups() if groups is None else groups
    comparison = compare_items(items, a, b)
    comparison["group"] = comparison["theme"].map(lambda t: mapping.get(t, t))
    counted = comparison["comparable"] & comparison["status"].isin(["same", CHANGED])
    levels = list(needs["level"].cat.categories)[-top:]
    rated = needs.loc[
        needs["level"].notna() & needs["respondent_id"].isin(respondents["respondent_id"])
    ]
    rated = rated.assign(large=rated["level"].isin(levels))
    rows = []
    for group, part in comparison.groupby("group", sort=True):
        used = part.loc[counted.loc[part.index]]
        others = part.loc[~counted.loc[part.index]]
        reasons = [f"{r.item} ({words[r.status].format(b=b)})" for r in others.itertuples()]
        counts = []
        for wave, names in ((a, used["previous_item"]), (b, used["item"])):
            chosen = rated.loc[(rated["wave"] == wave) & rated["item"].isin(list(names))]
            per_person = chosen.groupby("respondent_id")["large"].max()
            counts.append((int(per_person.sum()), len(per_person)))
        (x1, n1), (x2, n2) = counts
        diff, low, high = newcombe_difference(x1, n1, x2, n2) if n1 and n2 else (float("nan"),) * 3
        rows.append({"theme": group, "label": _theme_label(group),
                     "items": ";".join(used["item"]) or None,
                     "left_out": "; ".join(reasons) or None, "n_a": n1,
                     "share_a": x1 / n1 if n1 else float("nan"), "n_b": n2,
                     "share_b": x2 / n2 if n2 else float("nan"), "difference": diff,
                     "low": low, "high": high,
                     "significant": bool(low == low and (low > 0 or high < 0))})  # fmt: skip
    table = pd.DataFrame(rows)
    if len(table):
        table = table.sort_values("difference", ascending=False, na_position="last",
                                  ignore_index=True)  # fmt: skip
    return table, (a, b)


def _theme_groups() -> dict[str, str]:
    from inclusie_analysis.analyse.themes import load_themes

    return {theme_id: theme.group for theme_id, theme in load_themes().items()}


def _theme_label(theme_id: str) -> str:
    from inclusie_analysis.analyse.themes import theme_label

    return theme_label(theme_id)


def _labels(items: pd.DataFrame, wave: int) -> dict[str, str]:
    """Item → label of one wave's codebook."""
    part = items.loc[items["wave"] == wave]
    return dict(zip(part["item"], part["label"], strict=True))


def _join(parts: list[str], word: str) -> str:
    """'a', 'a en b', 'a, b en c'."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def reach(attendance: pd.DataFrame, events: pd.DataFrame, area: str) -> dict:
    """Who the year's activities reached in an area: participants present (each person once),
    the municipalities and local governments they came from, per organisation type and per
    province. `events` are the year's events."""
    present = attendance.loc[
        attendance["present"] & attendance["event_id"].isin(events["event_id"])
    ]
    present = select_area(present, area)
    people = present.drop_duplicates("participant_id")
    local = present.loc[present["org_type"] == "lokaal_bestuur"]
    municipalities = _municipalities(area)
    by_province = people.groupby("province")["participant_id"].nunique()
    return {
        "participants": int(people["participant_id"].nunique()),
        "attendances": len(present),
        "events": int(present["event_id"].nunique()),
        "municipalities": int(present["nis_code"].nunique()),
        "local_governments": int(local["nis_code"].nunique()),
        "municipalities_in_area": municipalities,
        "by_type": people["org_type"].fillna("onbekend").value_counts(),
        "by_province": by_province.reindex(province_order(), fill_value=0),
        **list_coverage(attendance, events),
    }


def list_coverage(attendance: pd.DataFrame, events: pd.DataFrame) -> dict:
    """How much of the year the attendance lists cover (network-wide): the activities, those
    with a list, and their attendances in the register (`attended`; None when unknown)."""
    listed = events["event_id"].isin(attendance["event_id"])
    attended = pd.to_numeric(events.get("attended", pd.Series(index=events.index)), "coerce")
    known = attended.notna().any()
    return {
        "events_total": len(events),
        "events_with_lists": int(listed.sum()),
        "attended_total": int(attended.sum()) if known else None,
        "attended_listed": int(attended[listed].sum()) if known else None,
    }


def partial_lists(reached: dict) -> bool:
    """Whether only some of the year's activities have attendance lists (reach a lower bound)."""
    return reached.get("events_with_lists", 0) < reached.get("events_total", 0)


def _municipalities(area: str) -> int:
    from inclusie_analysis.clean.geo import area_size

    return area_size(area)


def org_type_counts(respondents: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """Respondents per organisation type (rows) and wave (columns), for suppression."""
    org = respondents["org_type"].astype("object").fillna(UNKNOWN[language])
    table = pd.crosstab(org, respondents["wave"])
    table.columns = [str(c) for c in table.columns]
    return table


def key_findings(
    *,
    area: str,
    year: int,
    respondents: pd.DataFrame,
    needs_items: pd.DataFrame,
    change: pd.DataFrame,
    waves: tuple[int, int] | None,
    indicators: pd.DataFrame,
    reached: dict,
    ranking: pd.DataFrame,
    threshold: int = 5,
    language: str = "nl",
    sources: list[dict] | None = None,
) -> list[str]:
    """Five findings in plain words, each computed from the tables of the report. With
    `sources` (which inputs were found), a missing input gives "not known", never a zero."""
    nl = language == "nl"
    no_register = is_missing(sources, "register")
    num = lambda v: format_number(v, language)  # noqa: E731
    pct = lambda v: format_percent(v, language)  # noqa: E731
    latest_wave = int(respondents["wave"].max()) if len(respondents) else None
    latest = respondents.loc[respondents["wave"] == latest_wave]
    findings = []
    # 1. response
    if len(latest) >= threshold:
        findings.append(_response_finding(latest, area, latest_wave, threshold, language))
    else:
        findings.append(
            f"Uit {area} kwamen minder dan {threshold} antwoorden op de laatste bevraging; "
            "cijfers over leernoden worden daarom niet getoond."
            if nl
            else f"Fewer than {threshold} responses from {area} to the latest survey; "
            "needs figures are therefore not shown."
        )
    # 2. largest need
    shown = needs_items.loc[needs_items["n"] >= threshold] if len(needs_items) else needs_items
    if len(shown):
        top = shown.iloc[0]
        findings.append(
            f"De grootste leernood: {top['label']}. {pct(top['share'])} ziet hier een grote of "
            f"zeer grote nood (95%-betrouwbaarheidsinterval {pct(top['low'])} tot "
            f"{pct(top['high'])}, n = {num(top['n'])})."
            if nl
            else f"The largest learning need: {top['label']}. {pct(top['share'])} see a large or "
            f"very large need (95% CI {pct(top['low'])} to {pct(top['high'])}, "
            f"n = {num(top['n'])})."
        )
    # 3. change since the previous wave
    if waves and len(change):
        # only a question asked the same way (or marked comparable) can show a change in need
        large = change[["n_a", "n_b"]].min(axis=1) >= threshold
        comparable = change.get("comparable", True)
        moved = change.loc[change["significant"] & comparable & large]
        if len(moved):
            row = moved.loc[moved["difference"].abs().idxmax()]
            points = format_number(100 * row["difference"], language)
            sign = "+" if row["difference"] > 0 else ""
            low, high = row.get("low_holm", row["low"]), row.get("high_holm", row["high"])
            span = (
                f"{format_number(100 * low, language)} {'tot' if nl else 'to'} "
                f"{format_number(100 * high, language)}"
            )
            findings.append(
                f"Sinds {waves[0]} veranderde de nood het meest bij '{row['label']}': "
                f"{sign}{points} procentpunten (interval {span}; {pct(row['share_a'])} → "
                f"{pct(row['share_b'])}), statistisch significant na Holm-correctie."
                if nl
                else f"Since {waves[0]} the need changed most for '{row['label']}': "
                f"{sign}{points} percentage points (interval {span}; {pct(row['share_a'])} → "
                f"{pct(row['share_b'])}), statistically significant after Holm's correction."
            )
        elif not (comparable & large).any():
            findings.append(
                f"Geen leernood werd in {waves[0]} en {waves[1]} op dezelfde manier bevraagd; of "
                "de nood veranderde, valt daarom niet te zeggen."
                if nl
                else f"No learning need was asked the same way in {waves[0]} and {waves[1]}; "
                "whether needs changed can therefore not be said."
            )
        else:
            findings.append(
                f"Bij geen enkele leernood die in {waves[0]} en {waves[1]} op dezelfde manier "
                "bevraagd werd, is een statistisch significant verschil aangetoond (na "
                "Holm-correctie); dat zegt niet dat de nood gelijk bleef."
                if nl
                else f"For no learning need asked the same way in {waves[0]} and {waves[1]} was "
                "a statistically significant difference shown (after Holm's correction); that "
                "does not say the need stayed the same."
            )
    # 4. indicators (network-wide targets: only in the report for everyone)
    if area == FLANDERS_AND_BRUSSELS and (no_register or is_missing(sources, "targets")):
        findings.append(
            f"Of de indicatoren van het actieplan {year} gehaald zijn, is niet bekend: "
            + ("er is geen activiteitenregister." if no_register else "er zijn geen doelen.")
            if nl
            else f"Whether the {year} action-plan indicators are met is not known: "
            + ("there is no activity register." if no_register else "there are no targets.")
        )
    elif len(indicators) and area == FLANDERS_AND_BRUSSELS:
        met = int((indicators["status"] == "gehaald").sum())
        on_track = int((indicators["status"] == "op koers").sum())
        text = (
            f"{met} van de {len(indicators)} indicatoren van het actieplan {year} zijn gehaald"
            if nl
            else f"{met} of the {len(indicators)} action-plan indicators for {year} are met"
        )
        if on_track:
            text += f", {on_track} op koers" if nl else f", {on_track} on track"
        findings.append(text + ".")
    # 5. reach
    if no_register or is_missing(sources, "attendance"):
        findings.append(
            f"Het bereik van de activiteiten van {year} is niet bekend: er "
            + (
                "is geen activiteitenregister."
                if no_register
                else "zijn geen aanwezigheidslijsten."
            )
            if nl
            else f"The reach of the {year} activities is not known: there "
            + ("is no activity register." if no_register else "are no attendance lists.")
        )
    elif reached["participants"] >= threshold:
        findings.append(
            f"De activiteiten van {year} bereikten {'minstens ' * partial_lists(reached)}"
            f"{num(reached['participants'])} deelnemers uit "
            f"{num(reached['municipalities'])} gemeenten, waaronder "
            f"{num(reached['local_governments'])}"
            f" lokale besturen (van de {num(reached['municipalities_in_area'])} gemeenten in "
            f"{area})."
            if nl
            else f"The {year} activities reached {'at least ' * partial_lists(reached)}"
            f"{num(reached['participants'])} participants from "
            f"{num(reached['municipalities'])} municipalities, including "
            f"{num(reached['local_governments'])} local governments (of the "
            f"{num(reached['municipalities_in_area'])} municipalities in {area})."
        )
    else:
        findings.append(
            f"Uit {area} namen minder dan {threshold} mensen deel aan de activiteiten van {year}."
            if nl
            else f"Fewer than {threshold} people from {area} took part in the {year} activities."
        )
    # 6. recommendation (when fewer than five findings so far)
    if len(ranking):
        top3 = ", ".join(ranking["label"].head(3))
        findings.append(
            f"Aanbevolen thema's voor {year + 1}: {top3}."
            if nl
            else f"Recommended themes for {year + 1}: {top3}."
        )
    return findings[:5]


def share_shown(k: int, n: int, threshold: int) -> bool:
    """Whether k of n may be given when n is public (`disclosure.share_shown`)."""
    from inclusie_analysis.publish.disclosure import share_shown as shown

    return shown(k, n, threshold)


def _response_finding(
    latest: pd.DataFrame, area: str, wave: int, threshold: int, language: str
) -> str:
    """'320 antwoorden uit … op de bevraging van 2025, waarvan 226 van lokale besturen uit
    158 gemeenten.': answers are counted, not organisations (one organisation can answer more
    than once, several people of one municipality do); the municipalities only from
    `threshold` on."""
    counts = unit_counts(latest, wave)
    num = lambda v: format_number(v, language)  # noqa: E731
    nl = language == "nl"
    text = (
        f"{num(len(latest))} antwoorden uit {area} op de bevraging van {wave}"
        if nl
        else f"{num(len(latest))} responses from {area} to the {wave} survey"
    )
    # the local-government count only when neither it nor the rest is a small count: the
    # total is given, so one would give the other away
    if counts["municipalities"] >= threshold and share_shown(
        counts["local_answers"], len(latest), threshold
    ):
        local, towns = num(counts["local_answers"]), num(counts["municipalities"])
        text += (
            f", waarvan {local} van lokale besturen uit {towns} gemeenten"
            if nl
            else f", {local} of them from local governments in {towns} municipalities"
        )
    return text + "."


def share_with_interval(k: int, n: int, language: str = "nl") -> str:
    """'42 % (35–49 %)' for k of n; '–' when n is 0."""
    if not n:
        return "–"
    low, high = wilson_interval(k, n)
    share, low, high = (format_percent(v, language) for v in (k / n, low, high))
    return f"{share} ({low}–{high})"


def reach_sentence(events: pd.DataFrame, reached: dict, area: str, year: int,
                   language: str = "nl", sources: list[dict] | None = None) -> str:  # fmt: skip
    """The reach section's opening sentence: the year's activities, the participants and
    municipalities they reached. Without a register or attendance lists: what is missing."""
    note = section_note(sources or [], "reach", language)
    if note:
        return note
    num = lambda v: format_number(v, language)  # noqa: E731
    if partial_lists(reached):
        return _partial_reach_sentence(reached, area, year, language)
    return (
        f"De {num(len(events))} activiteiten van {year} bereikten {num(reached['participants'])} "
        f"verschillende deelnemers uit {area} ({num(reached['attendances'])} aanwezigheden), uit "
        f"{num(reached['municipalities'])} van de {num(reached['municipalities_in_area'])} "
        "gemeenten."
        if language == "nl"
        else f"The {num(len(events))} activities of {year} reached "
        f"{num(reached['participants'])} different participants from {area} "
        f"({num(reached['attendances'])} attendances), from {num(reached['municipalities'])} of "
        f"the {num(reached['municipalities_in_area'])} municipalities."
    )


def _partial_reach_sentence(reached: dict, area: str, year: int, language: str = "nl") -> str:
    """Reach when only some activities have attendance lists: how many, their share of the
    register's attendances, and that the number of participants is a lower bound."""
    num = lambda v: format_number(v, language)  # noqa: E731
    total, listed = reached["events_total"], reached["events_with_lists"]
    nl = language == "nl"
    share = (
        (f" ({num(reached['attended_listed'])} van de {num(reached['attended_total'])} "
         "aanwezigheden in het register)" if nl else
         f" ({num(reached['attended_listed'])} of the {num(reached['attended_total'])} "
         "attendances in the register)")
        if reached.get("attended_total") is not None else ""
    )  # fmt: skip
    if nl:
        return (
            f"Van de {num(total)} activiteiten van {year} hebben er {num(listed)} een "
            f"aanwezigheidslijst{share}. Die bereikten {num(reached['participants'])} "
            f"verschillende deelnemers uit {area} ({num(reached['attendances'])} aanwezigheden), "
            f"uit {num(reached['municipalities'])} van de "
            f"{num(reached['municipalities_in_area'])} gemeenten. Dat is een ondergrens: wie "
            f"alleen aan de andere {num(total - listed)} activiteiten deelnam, is niet geteld."
        )
    return (
        f"Of the {num(total)} activities of {year}, {num(listed)} have an attendance "
        f"list{share}. They reached {num(reached['participants'])} different participants from "
        f"{area} ({num(reached['attendances'])} attendances), from "
        f"{num(reached['municipalities'])} of the {num(reached['municipalities_in_area'])} "
        f"municipalities. This is a lower bound: people who only came to the other "
        f"{num(total - listed)} activities are not counted."
    )


def comparison_note(
    sources: list[dict] | None, area: str, waves: tuple[int, int] | None, language: str = "nl"
) -> str | None:
    """Why the report has no comparison with an earlier survey (None when it has one): no
    earlier wave in the input (and where its exports must go), or none in this area."""
    if waves:
        return None
    note = section_note(sources or [], "comparison", language)
    if note:
        return note
    return (
        f"Uit {area} antwoordden organisaties op maar één bevraging; een vergelijking met een "
        "vorige bevraging is daarom niet mogelijk."
        if language == "nl"
        else f"Organisations from {area} answered only one survey, so no comparison with an "
        "earlier survey is possible."
    )
