"""Personal data: keyed pseudonyms, scrubbing of open answers, and inert spreadsheet cells.

Personal data never leaves the cleaning step. Free text goes through `scrub` (see
deidentify.py); a respondent or participant is known by a pseudonym: an HMAC of their
normalised e-mail address (or of the response's own id when there is none) under a secret
key that lives outside git. The same key gives the same pseudonyms next year, so waves and
events can be linked without anyone's address in the data.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from inclusie_analysis.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

ENV_KEY = "INCLUSIE_PSEUDONYM_KEY"
# Used only for the synthetic demo, so its outputs are reproducible; never for real data.
DEMO_KEY = b"inclusie-analysis demo key - not secret - synthetic data only"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Characters that make a spreadsheet run a cell as a formula (OWASP "CSV injection").
_FORMULA_START = re.compile(r"^[=+@\t\r]|^-[\d=+(]")


def load_key(key_file: Path | None, demo: bool = False) -> bytes:
    """The pseudonym key: $INCLUSIE_PSEUDONYM_KEY, else the key file from the settings.

    The demo uses a fixed, public key. For real data a missing key is an error that says
    how to make one, because pseudonyms made with a lost key cannot be linked again.
    """
    if demo:
        return DEMO_KEY
    if os.environ.get(ENV_KEY):
        return os.environ[ENV_KEY].strip().encode()
    if key_file is not None and Path(key_file).is_file():
        key = Path(key_file).read_text(encoding="utf-8").strip()
        if len(key) < 32:
            raise InputError(
                "de pseudoniemsleutel is te kort (minstens 32 tekens).",
                file=str(key_file),
                hint="Maak een nieuwe met 'inclusie key --create' (alleen bij de eerste ronde!).",
            )
        return key.encode()
    raise InputError(
        "er is geen sleutel voor pseudoniemen.",
        file=str(key_file) if key_file else None,
        hint=(
            "Maak er één met 'inclusie key --create' (die komt in het pad uit paths.pseudonym_key "
            f"van inclusie.toml) of zet de omgevingsvariabele {ENV_KEY}. Bewaar de sleutel "
            "buiten git en gebruik elk jaar dezelfde, anders worden rondes niet gekoppeld."
        ),
    )


def create_key(key_file: Path) -> Path:
    """Write a new random key; refuses to overwrite an existing one (that would break links)."""
    key_file = Path(key_file)
    if key_file.exists():
        raise InputError(
            "er bestaat al een pseudoniemsleutel; die wordt nooit overschreven.",
            file=str(key_file),
            hint="Verwijder hem alleen als u zeker bent dat u oude pseudoniemen niet meer koppelt.",
        )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    return key_file


def normalise_email(value: object) -> str | None:
    """A comparable e-mail address (lower case, trimmed), or None if it is not one."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in ("", "anonymous", "anoniem", "nan", "<na>"):
        return None
    match = EMAIL.fullmatch(text)
    return match.group(0) if match else None


def pseudonym(key: bytes, value: str, prefix: str = "r") -> str:
    """A stable pseudonym for `value` under `key` (16 hex digits of an HMAC-SHA256)."""
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}_{digest[:16]}"


def scrub(text: str) -> tuple[str, list[str]]:
    """Replace personal data in free text by Dutch labels; say which kinds were replaced.

    Names, addresses, e-mail addresses (also obfuscated), phone numbers, national register
    numbers, account numbers, number plates and links with a path: see
    `inclusie_analysis.clean.deidentify`. The kinds are "name", "address", "email", "phone",
    "national_number", "iban", "plate", "url" and "number" (a long number whose check digits
    fail).
    """
    from inclusie_analysis.clean.deidentify import deidentify

    return deidentify(text)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would run this text as a formula."""
    return bool(_FORMULA_START.match(text))


def inert(text: str) -> str:
    """Make a formula-like text inert by a leading apostrophe: how text is kept at rest
    (parquet), so that a file opened or converted by a spreadsheet never runs it. Idempotent:
    an inert text stays as it is. `as_typed` undoes it for reading and showing."""
    return "'" + text if is_formula_like(text) else text


def as_typed(text: str) -> str:
    """The text as the respondent typed it: `inert`'s apostrophe removed (only before a
    formula-like text, so "'t was goed" keeps its apostrophe). HTML and PDF show this; Excel
    gets it with the cell's quote-prefix style, which keeps it text without a visible mark."""
    return text[1:] if text.startswith("'") and is_formula_like(text[1:]) else text


def scrub_column(values: pd.Series) -> pd.Series:
    """`scrub` applied to a column of free text: each distinct non-empty value is scrubbed
    once (exports repeat titles and answers), NA stays NA, index, name and a string dtype
    are kept.

    Every free text that can reach an output (answers, register titles and organisers,
    values quoted in the data-quality report) goes through here or through `scrub`."""
    import pandas as pd

    present = values.notna()
    if not present.any():
        return values
    texts = values[present].map(str)
    cleaned = {text: scrub(text)[0] for text in texts.unique()}
    out = values.astype("object").copy()
    out[present] = texts.map(cleaned)
    return out.astype("string") if pd.api.types.is_string_dtype(values.dtype) else out
