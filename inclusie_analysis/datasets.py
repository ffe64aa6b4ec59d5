"""The one place that knows paths: where exports are found and where cleaned data is written.

Analysis functions and notebooks receive frames from here, never paths to raw files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inclusie_analysis.clean.geo import MunicipalityMatcher, load_aliases
from inclusie_analysis.clean.needs import extract_respondents
from inclusie_analysis.codebook import load_codebooks
from inclusie_analysis.errors import InputError
from inclusie_analysis.readers import read_export

DATA_FILES = {"respondents": "respondents.parquet"}


def find_survey_exports(input_root: Path, codebooks_dir: Path) -> list[tuple[Path, object]]:
    """Pair every export under `input_root/<wave>/` with the codebook of its instrument and wave."""
    pairs = []
    for codebook in load_codebooks(codebooks_dir):
        folder = Path(input_root) / str(codebook.wave)
        if folder.is_dir():
            pairs += [
                (p, codebook)
                for p in sorted(folder.iterdir())
                if p.is_file() and codebook.matches_file(p)
            ]
    return pairs


def clean_surveys(
    input_root: Path, codebooks_dir: Path, up_to_year: int, aliases: Path | None = None
) -> pd.DataFrame:
    """Read every survey wave up to `up_to_year` and return the tidy respondents frame.

    `aliases` is the user's file of extra municipality spellings (settings: paths.aliases).
    """
    pairs = [
        (p, cb) for p, cb in find_survey_exports(input_root, codebooks_dir) if cb.wave <= up_to_year
    ]
    if not pairs:
        raise InputError(
            f"geen enkele bevragingsexport gevonden onder {input_root}/<jaar>/ "
            "die bij een codeboek "
            f"in {codebooks_dir} hoort.",
            hint="Zet de exports in een map per jaar (bv. surveys/raw/2025/) of maak eerst de demo "
            "met 'inclusie demo'.",
        )
    matcher = MunicipalityMatcher(aliases=load_aliases(aliases))
    frames = [extract_respondents(read_export(path), cb, matcher) for path, cb in pairs]
    return pd.concat(frames, ignore_index=True)


def write_clean_data(frames: dict[str, pd.DataFrame], data_dir: Path) -> None:
    """Write cleaned frames as parquet into `reports/<year>/data/`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_parquet(data_dir / DATA_FILES[name], index=False)


def load_respondents(data_dir: Path | str) -> pd.DataFrame:
    """The cleaned survey respondents of a run (one row per response)."""
    path = Path(data_dir) / DATA_FILES["respondents"]
    if not path.exists():
        raise InputError(
            "de opgeschoonde gegevens ontbreken.",
            file=str(path),
            hint="Voer eerst 'inclusie report' (of 'make report') uit.",
        )
    return pd.read_parquet(path)
