"""Retrain the bundled learnt coder: reference/coded_answers.csv → reference/theme_model.json
(and the keyword suggestions beside it). Deterministic (fixed folds and seeds); run it after
every change to coded_answers.csv or to the groups of reference/themes.yaml, and commit both
files (a test checks that the model's training sample is the current coded_answers.csv).

    PYTHONPATH=. python scripts/train_theme_model.py
"""

from __future__ import annotations

import sys

from inclusie_analysis.analyse.agreement import sample_agreement
from inclusie_analysis.analyse.theme_training import cv_text, learn
from inclusie_analysis.read.theme_model import MODEL_FILE, SAMPLE_FILE
from inclusie_analysis.read.themes import THEMES_FILE

TRAINING_FILE = SAMPLE_FILE  # the one line to change for another coded sample


def main() -> int:
    # the two coders' independent codes are kept beside the settled ones: their kappa over all
    # groups goes into the model (and the method section)
    agreement = sample_agreement(TRAINING_FILE, taxonomy=THEMES_FILE)
    print(agreement.to_string(index=False))
    kappa = float(agreement["kappa"].iloc[-1])
    learnt = learn([TRAINING_FILE], MODEL_FILE, taxonomy=THEMES_FILE, kappa=kappa)
    print(cv_text(learnt.cv))
    print(f"{learnt.model} and {learnt.suggestions} written.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
