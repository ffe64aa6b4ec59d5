"""Comparing survey waves honestly: which items both waves asked (and how they changed), the
change in large need per item and per theme with Holm's correction, the report's change table
with its notes, the method's list of changed wordings, and why a report has no comparison.

Split from `yearly` so the comparison between waves reads as one piece.
"""

from __future__ import annotations

import pandas as pd

from inclusie_analysis.analyse.needs_numbers import large_need_by_item
from inclusie_analysis.analyse.stats import holm, holm_levels, newcombe_difference, newcombe_pvalue
from inclusie_analysis.clean.sources import section_note
from inclusie_analysis.formats import format_number, format_percent

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
    from inclusie_analysis.read.themes import load_themes

    return {theme_id: theme.group for theme_id, theme in load_themes().items()}


def _theme_label(theme_id: str) -> str:
    from inclusie_analysis.read.themes import theme_label

    return theme_label(theme_id)


def _labels(items: pd.DataFrame, wave: int) -> dict[str, str]:
    """Item → label of one wave's codebook."""
    part = items.loc[items["wave"] == wave]
    return dict(zip(part["item"], part["label"], strict=True))


def _join(parts: list[str], word: str) -> str:
    """'a', 'a en b', 'a, b en c'."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {word} {parts[-1]}"


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
