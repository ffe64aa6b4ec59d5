"""Repeated submissions of the learning-needs survey: which responses are the same
organisation answering twice, and which of them is kept.

Apart from `needs` (one export at a time) because it looks across all exports of a wave at
once, on the respondents and the answer signatures `needs.clean_needs_export` returns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SIMILAR = 0.9  # share of commonly answered questions with the same answer
MIN_COMMON = 5
_BLOCK = 500  # rows compared at once with the whole group, to bound memory


def find_duplicates(respondents: pd.DataFrame, signature: pd.DataFrame) -> dict[int, int]:
    """Repeated submissions: dropped index → kept index.

    The same organisation answering twice: the same pseudonym (from an e-mail address), or
    the same wave, organisation type and municipality with near-identical answers (at least
    90% of at least five commonly answered questions). The latest complete one is kept.
    """
    order = _keep_first_order(respondents)
    dropped = _same_pseudonym(order)
    keys = _group_keys(order, respondents, signature)
    codes = _answer_codes(signature)
    position = {idx: n for n, idx in enumerate(signature.index)}
    answers = signature.drop(columns="municipality", errors="ignore").astype("string").fillna("")
    whole = pd.util.hash_pandas_object(answers, index=False) if len(answers.columns) else None
    answered_count = (answers != "").sum(axis=1)
    for (_, _, place), group in keys.groupby(["wave", "org", "place"], sort=False):
        if len(group) < 2:
            continue
        index = [i for i in group.index if i not in dropped]
        if not place and whole is not None:
            # Without a municipality only identical answers count as the same organisation,
            # and only when enough was answered to make a coincidence unlikely.
            index = [i for i in index if answered_count[i] >= MIN_COMMON]
            _drop_identical(index, whole, dropped)
            continue
        _drop_near_identical(index, codes[[position[i] for i in index]], dropped)
    return dropped


def _keep_first_order(respondents: pd.DataFrame) -> pd.DataFrame:
    """The respondents in keep-first order: complete before incomplete, latest first."""
    return respondents.assign(
        _complete=respondents["complete"].astype(bool),
        _when=respondents["submitted_at"].fillna(pd.Timestamp("1900-01-01").as_unit("us")),
        _row=respondents["source_row"],
    ).sort_values(["_complete", "_when", "_row"], ascending=False)


def _same_pseudonym(order: pd.DataFrame) -> dict[int, int]:
    """Responses with the pseudonym of an earlier one in `order`: dropped → kept."""
    first = (
        pd.Series(order.index, index=order.index).groupby(order["respondent_id"]).transform("first")
    )
    return dict(first[first.index != first].items())


def _group_keys(
    order: pd.DataFrame, respondents: pd.DataFrame, signature: pd.DataFrame
) -> pd.DataFrame:
    """Wave, organisation type and municipality (or typed place) of each response, in order."""
    place = signature.get("municipality", pd.Series("", index=signature.index)).fillna("")
    return order[["wave"]].assign(
        org=respondents.get("org_type", pd.Series("", index=respondents.index))
        .astype("string")
        .fillna(""),
        place=place.reindex(order.index).astype("string"),
    )


def _answer_codes(signature: pd.DataFrame) -> np.ndarray:
    """The answers (municipality aside) as integer codes per column; -1 for no answer."""
    return np.column_stack(
        [
            pd.factorize(signature[c].astype("string"), use_na_sentinel=True)[0]
            for c in signature.columns
            if c != "municipality"
        ]
        or [np.zeros(len(signature), dtype=int)]
    )


def _drop_identical(index: list, whole: pd.Series, dropped: dict[int, int]) -> None:
    """Among `index` (keep-first order), drop each response identical to an earlier one."""
    same = whole.reindex(index)
    firsts = pd.Series(index, index=index).groupby(same.to_numpy()).transform("first")
    for i, keep in firsts[firsts.index != firsts].items():
        dropped[i] = keep


def _drop_near_identical(index: list, matrix: np.ndarray, dropped: dict[int, int]) -> None:
    """Among `index` (keep-first order, `matrix` their answer codes), drop the later one of
    each pair with at least MIN_COMMON common answers of which SIMILAR are the same."""
    rank = {i: n for n, i in enumerate(index)}
    for start in range(0, len(index), _BLOCK):
        block = matrix[start : start + _BLOCK]
        answered = (block[:, None, :] >= 0) & (matrix[None, :, :] >= 0)
        same = (block[:, None, :] == matrix[None, :, :]) & answered
        common = answered.sum(-1)
        share = np.divide(same.sum(-1), common, out=np.zeros(common.shape), where=common > 0)
        for a, b in zip(*np.nonzero((share >= SIMILAR) & (common >= MIN_COMMON)), strict=True):
            first, second = index[start + a], index[b]
            if first == second or second in dropped or first in dropped:
                continue
            # `index` is in keep-first order: the earlier one in it is kept.
            keep, drop = (first, second) if rank[first] < rank[second] else (second, first)
            dropped[drop] = keep
