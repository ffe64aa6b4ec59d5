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

from inclusie_analysis.clean.deidentify import PLAIN_EMAIL as EMAIL
from inclusie_analysis.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

ENV_KEY = "INCLUSIE_PSEUDONYM_KEY"
# Used only for the synthetic demo, so its outputs are reproducible; never for real data.
DEMO_KEY = b"inclusie-analysis demo key - not secret - synthetic data only"

# Characters that make a spreadsheet run a cell as a formula (OWASP "CSV injection").
_FORMULA_START = re.compile(r"^[=+@\t\r]|^-[\d=+(]")


MIN_KEY_LENGTH = 32
# A generated key (64 hex digits) uses all 16 digits; a passphrase of a few words uses well
# over 8 letters. A key of 32+ characters with fewer than 8 different ones was typed as a
# pattern ("aaaa...", "abab...", "1234 1234 ...") and is guessed by trying patterns, whatever
# its length.
MIN_DISTINCT_CHARACTERS = 8
FINGERPRINT_LABEL = b"inclusie-analysis key fingerprint"
_KEY_HINT = (
    "Maak een goede sleutel met 'inclusie key --create' (alleen bij de eerste ronde: met een "
    "nieuwe sleutel zijn pseudoniemen niet meer te koppelen aan die van vorige jaren)."
)


def check_key(text: str, where: str, file: str | None = None) -> bytes:
    """The key as bytes, after the same rules for a key file and the environment variable:
    not empty, at least 32 characters (surrounding blanks do not count), at least 8
    different characters, not one short piece repeated, not the public demo key. `where`
    names the source in the error ("de omgevingsvariabele ..." or "het sleutelbestand")."""
    key = text.strip()
    problem = None
    if not key:
        problem = "is leeg"
    elif len(key) < MIN_KEY_LENGTH:
        problem = f"is te kort: {len(key)} tekens, minstens {MIN_KEY_LENGTH}"
    elif len(set(key)) < MIN_DISTINCT_CHARACTERS:
        problem = (
            f"heeft maar {len(set(key))} verschillende tekens (minstens "
            f"{MIN_DISTINCT_CHARACTERS}): zo'n patroon is te raden, hoe lang ook"
        )
    elif _period(key) <= len(key) // 2:
        problem = "is één kort stuk dat herhaald wordt: zo'n patroon is te raden"
    elif key.encode("utf-8") == DEMO_KEY:
        problem = "is de openbare demosleutel, die iedereen kent"
    if problem:
        raise InputError(f"de pseudoniemsleutel in {where} {problem}.", file=file, hint=_KEY_HINT)
    return key.encode("utf-8")


def _period(text: str) -> int:
    """The length of the shortest piece that, repeated, makes `text` (len(text) if none)."""
    for size in range(1, len(text) // 2 + 1):
        if all(text[i] == text[i - size] for i in range(size, len(text))):
            return size
    return len(text)


def load_key(key_file: Path | None) -> bytes:
    """The user's pseudonym key: $INCLUSIE_PSEUDONYM_KEY when set, else the key file from
    the settings. Never the demo key (see `demo_key`).

    A missing, unreadable or weak key is an error that says how to make one, because
    pseudonyms made with a lost key cannot be linked again. A set but empty variable is an
    error too, not a silent fall-back to the file.
    """
    if ENV_KEY in os.environ:
        return check_key(os.environ[ENV_KEY], f"de omgevingsvariabele {ENV_KEY}")
    if key_file is not None and Path(key_file).exists():
        return check_key(_read_key_file(Path(key_file)), "het sleutelbestand", str(key_file))
    raise InputError(
        "er is geen sleutel voor pseudoniemen.",
        file=str(key_file) if key_file else None,
        hint=(
            "Maak er één met 'inclusie key --create' (die komt in het pad uit paths.pseudonym_key "
            f"van inclusie.toml) of zet de omgevingsvariabele {ENV_KEY}. Bewaar de sleutel "
            "buiten git en gebruik elk jaar dezelfde, anders worden rondes niet gekoppeld. "
            "De openbare demosleutel geldt alleen voor 'inclusie run --demo'."
        ),
    )


def _read_key_file(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            "het sleutelbestand is geen tekst (geen UTF-8); is dit wel de sleutel?",
            file=str(path),
            hint="Zet het juiste bestand terug of " + _KEY_HINT[0].lower() + _KEY_HINT[1:],
        ) from None
    except OSError as exc:
        raise InputError(
            f"het sleutelbestand is niet te lezen ({exc.strerror or exc}).",
            file=str(path),
            hint="Controleer of het een bestand is en of u het mag lezen (chmod 600, eigenaar).",
        ) from None


def demo_key(input_root: Path) -> bytes:
    """The public demo key, only for the folder `inclusie demo` wrote, unchanged
    (`demo.check_demo_folder` refuses anything else with an InputError)."""
    from inclusie_analysis.demo import check_demo_folder

    check_demo_folder(input_root)
    return DEMO_KEY


def key_fingerprint(key: bytes) -> str:
    """16 hex digits that tell keys apart without revealing them, for the manifest.

    An HMAC with a fixed label rather than a plain sha256 of the key: the fingerprint is then
    the key's "pseudonym" of a label no person or response has, from the same construction
    as every pseudonym, and it matches no other tool's hash of the same secret.
    """
    return hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


def create_key(key_file: Path) -> Path:
    """Write a new random key; refuses to overwrite an existing one (that would break links).

    The file is created with mode 0600 in one step (never readable by others, not even for a
    moment under a loose umask). Its folder is created 0700; an existing folder named
    `.secrets` (this tool's convention, nothing else belongs there) is tightened to 0700,
    any other existing folder (e.g. a home folder) is left as it is.
    """
    key_file = Path(key_file)
    if key_file.exists() or key_file.is_symlink():
        raise InputError(
            "er bestaat al een pseudoniemsleutel; die wordt nooit overschreven.",
            file=str(key_file),
            hint="Verwijder hem alleen als u zeker bent dat u oude pseudoniemen niet meer koppelt.",
        )
    parent = key_file.parent
    if not parent.exists():
        parent.mkdir(parents=True, mode=0o700)
        parent.chmod(0o700)  # mkdir's mode passes through the umask
    elif parent.name == ".secrets" and parent.stat().st_mode & 0o077:
        parent.chmod(0o700)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError(
            "er bestaat al een pseudoniemsleutel; die wordt nooit overschreven.", file=str(key_file)
        ) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
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
