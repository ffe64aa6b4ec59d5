"""The learnt coder's figures on the bundled coded answers (issue 18's acceptance as floors).

Kept out of tests/read (and so out of `make test-fast`): together about two and a half
minutes, since they train the coder on the whole sample as `inclusie themes learn` does.
"""

from __future__ import annotations

from inclusie_analysis.analyse.theme_training import cross_validate, fit, label_matrix, read_coded
from inclusie_analysis.read.theme_model import SAMPLE_FILE
from inclusie_analysis.read.themes import groups


def test_cross_validated_figures_do_not_fall():
    """Grouped 5-fold cross-validation on the bundled coded answers (floors: see
    RECALL_FLOORS); the keyword coder is measured on the same answers (pytest -s prints both).
    About a minute and a half: the whole procedure, inner folds for the threshold included."""
    table = cross_validate(read_coded([SAMPLE_FILE]).frame).set_index("group")
    print()
    print(table[["n", "precision", "recall", "kw_precision", "kw_recall"]].round(3))
    micro = table.loc["alle groepen"]
    assert micro["n"] == 4745
    assert micro["precision"] >= MICRO_FLOOR[0] and micro["recall"] >= MICRO_FLOOR[1]
    for group, floor in RECALL_FLOORS.items():
        assert table.loc[group, "recall"] >= floor, group
    assert (table["precision_low"] <= table["precision"]).all()
    assert (table["recall"] <= table["recall_high"]).all()


def test_a_batch_written_later_is_coded_as_well():
    """A held-out check beside the cross-validation, whose settings (C, keyword weight, the
    precision aimed at) were chosen on the same folds: the last batch of 400 answers (ids from
    10001, paraphrase groups "w9…"), written after those choices in voices the other batches
    lack (youth work, libraries, care homes, integration, local politicians) and coded twice,
    is left out; the coder trained on the rest codes it. Measured 2026-11-30: micro precision
    0.89, recall 0.73 (keywords 0.73, 0.40); floors 0.85 and 0.70."""
    frame = read_coded([SAMPLE_FILE]).frame
    later = frame["paraphrase_group"].str.startswith("w9")
    assert later.sum() == 400
    fitted = fit(frame.loc[~later].reset_index(drop=True))
    test = frame.loc[later]
    predicted = fitted.decision(test["text"].tolist()) >= fitted.thresholds
    truth = label_matrix(test["themes"], groups()).astype(bool)
    tp = (predicted & truth).sum()
    precision, recall = tp / predicted.sum(), tp / truth.sum()
    print(f"\nlater batch: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.85 and recall >= 0.70


# Measured 2026-11-30 on the 3,942 answers coded twice (scikit-learn 1.9.1; C=100, keyword
# weight 0.3, one threshold for a pooled precision of 0.85 in inner folds): micro precision
# 0.857, recall 0.761 (keywords: 0.67, 0.43); every group's recall 0.68 or more. The micro
# floor is issue 18's acceptance (0.85, 0.75); per group the recall minus 0.05 (one answer of
# a group is ~0.003). On 494 answers the same coder reached 0.77 and 0.51 (closing note).
MICRO_FLOOR = (0.85, 0.75)
RECALL_FLOORS = {
    "beleidskader": 0.77, "cyberveiligheid": 0.74, "dienstverlening": 0.69, "doelgroepen": 0.69,
    "middelen": 0.70, "outreach": 0.65, "participatie": 0.73, "partners": 0.73,
    "professionalisering": 0.68, "regierol": 0.74, "toegang": 0.75, "toegankelijkheid": 0.73,
    "uitwisseling": 0.70, "vaardigheden": 0.63,
}  # fmt: skip
