"""De-identification of free text, measured on a labelled synthetic set.

tests/data/pii_sentences.yaml holds Dutch (Flemish) sentences with planted personal data of
every category and clean sentences that must stay intact. Recall per category and the share
of clean words lost are defined in inclusie_analysis.clean.deidentify_eval; `pytest -s`
prints the table.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inclusie_analysis.clean.deidentify import (
    deidentify,
    deidentify_many,
    iban_valid,
    national_number_valid,
)
from inclusie_analysis.clean.deidentify_eval import CATEGORIES, evaluate, load_cases
from inclusie_analysis.clean.privacy import scrub

DATA = Path(__file__).parents[1] / "data" / "pii_sentences.yaml"
# Written after the implementation was tuned on DATA, measured once: unseen text.
HOLDOUT = Path(__file__).parents[1] / "data" / "pii_sentences_holdout.yaml"
GOALS = {
    "e-mail": 0.99,
    "telefoon": 0.99,
    "rijksregisternummer": 0.99,
    "rekeningnummer": 0.99,
    "nummerplaat": 0.99,
    "link": 0.99,
    "naam": 0.90,
    "adres": 0.90,
}


@pytest.fixture(scope="module")
def evaluation():
    pii, clean = load_cases(DATA)
    ev = evaluate(pii, clean, scrub)
    print("\n" + ev.table())
    for category, misses in ev.missed.items():
        for value, out in misses:
            print(f"gemist ({category}): {value!r} -> {out!r}")
    for text, out in ev.lost_examples:
        print(f"schone woorden weg: {text!r} -> {out!r}")
    return ev


def test_the_set_is_big_and_varied_enough():
    pii, clean = load_cases(DATA)
    assert len(pii) + len(clean) >= 200 and len(clean) >= 60
    counts = {c: 0 for c in CATEGORIES}
    for case in pii:
        assert set(case["pii"]) <= set(CATEGORIES), case
        for category, values in case["pii"].items():
            for value in values:
                assert value in case["text"], (value, case["text"])
                counts[category] += 1
    assert counts["naam"] >= 40 and counts["adres"] >= 40
    assert min(counts.values()) >= 20, counts


def test_planted_numbers_have_valid_check_digits():
    pii, _ = load_cases(DATA)
    for case in pii:
        for value in case["pii"].get("rekeningnummer", []):
            assert iban_valid(value), value
        for value in case["pii"].get("rijksregisternummer", []):
            digits = "".join(c for c in value if c.isdigit())
            # the issue's own example has wrong check digits on purpose (see the yaml)
            assert national_number_valid(digits) or value == "85.07.30-033.61", value


@pytest.mark.parametrize("category", CATEGORIES)
def test_recall_per_category(evaluation, category):
    assert evaluation.planted[category] >= 20
    assert evaluation.recall(category) >= GOALS[category], evaluation.missed.get(category)


def test_held_out_sentences(capsys):
    pii, clean = load_cases(HOLDOUT)
    ev = evaluate(pii, clean, scrub)
    with capsys.disabled():
        print("\nniet eerder geziene zinnen:\n" + ev.table())
    assert ev.planted["naam"] >= 15 and ev.planted["adres"] >= 10
    assert ev.recall("naam") >= GOALS["naam"] and ev.recall("adres") >= GOALS["adres"]
    patterned = [c for c in CATEGORIES if c not in ("naam", "adres")]
    assert all(ev.recall(c) == 1.0 for c in patterned), ev.missed
    assert ev.lost_share <= 0.02, ev.lost_examples


def test_clean_words_are_kept(evaluation):
    assert evaluation.clean_words > 1000
    assert evaluation.lost_share <= 0.02, evaluation.lost_examples


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("85073003328", True),  # born 1985: 97 - (850730033 mod 97) = 28
        ("85073003361", False),  # the example: check digits do not match
        ("02071407216", True),  # born 2002: check over 2 020 714 072 (leading 2)
        ("02071407263", False),  # neither rule: 2002 needs 16, 1902 would need 84
        ("12345678901", False),  # an order number
        ("8507300332", False),  # 10 digits
    ],
)
def test_national_number_check_digits(digits, valid):
    assert national_number_valid(digits) is valid


def test_both_century_rules():
    first9 = 20714072
    old = 97 - first9 % 97
    new = 97 - (2_000_000_000 + first9) % 97
    assert old != new
    assert national_number_valid(f"{first9:09d}{new:02d}")
    assert national_number_valid(f"{first9:09d}{old:02d}")  # read as born in 1902


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("BE68 5390 0754 7034", True),
        ("be68539007547034", True),
        ("BE68 5390 0754 7035", False),
        ("BE69 5390 0754 7034", False),
        ("NL91 ABNA 0417 1643 00", True),
        ("BE68 5390 0754 703", False),
    ],
)
def test_iban_mod97(iban, valid):
    assert iban_valid(iban) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rrn 85.07.30-033.61", "rrn [rijksregisternummer]"),  # not "85.[telefoon]"
        ("rrn 85073003328", "rrn [rijksregisternummer]"),
        ("rrn 02.07.14-072.16", "rrn [rijksregisternummer]"),
        # An 11-digit number with wrong check digits is not called a register number, but it
        # is removed all the same: it may be a mistyped one, and such a number says nothing
        # a report needs.
        ("bestelnummer 12345678901", "bestelnummer [nummer]"),
        ("op BE68 5390 0754 7034 aub", "op [rekeningnummer] aub"),
        ("op BE68 5390 0754 7035 aub", "op [nummer] aub"),
        ("auto 1-ABC-123 en ABC-123", "auto [nummerplaat] en [nummerplaat]"),
        ("mail jan [at] gemeente.be", "mail [e-mail]"),
        ("mail jan(at)gemeente(dot)be", "mail [e-mail]"),
        ("mail jan @ gemeente . be", "mail [e-mail]"),
        ("mail jan at gemeente dot be", "mail [e-mail]"),
        ("zie linkedin.com/in/jan-peeters", "zie [link]"),
        ("zie www.digibanken.be", "zie www.digibanken.be"),
        ("Kerkstraat 12, 9000 Gent", "[adres]"),
        ("ik woon op de Veldstraat 44b", "ik woon op de [adres]"),
        ("vraag het aan Jan Peeters van het OCMW", "vraag het aan [naam] van het OCMW"),
        ("het OCMW van Aalst en de bib van Leuven", "het OCMW van Aalst en de bib van Leuven"),
        ("de sessie in Gent", "de sessie in Gent"),
        ("sessie 2025-003 op 12/03/2025 om 14u30 in lokaal 2.14, € 5", None),
    ],
)
def test_labels(text, expected):
    assert deidentify(text)[0] == (text if expected is None else expected)


def test_kinds_are_reported_and_non_text_passes():
    assert deidentify("Jan Peeters, 0470 12 34 56")[1] == ["name", "phone"]
    assert deidentify("") == ("", [])
    assert deidentify_many(["a", None, "a"]) == [("a", []), (None, []), ("a", [])]


def test_many_texts_are_each_done_once(monkeypatch):
    from inclusie_analysis.clean import deidentify as module

    calls = []
    real = module.deidentify
    monkeypatch.setattr(module, "deidentify", lambda t: calls.append(t) or real(t))
    out = module.deidentify_many(["bel 0470 12 34 56"] * 50 + ["goed"] * 50)
    assert len(calls) == 2 and out[0][0] == "bel [telefoon]" and out[-1][0] == "goed"


def test_deduce_loads_in_a_fresh_process_and_builds_its_small_cache(tmp_path):
    # a fresh process (as report kernels are) with an empty cache folder: the name lists are
    # built from deduce's source lists in seconds, then scrubbing works
    code = (
        "from inclusie_analysis.clean.privacy import scrub;"
        "print(scrub('vraag het aan Jan Peeters, Kerkstraat 12, 9000 Gent')[0])"
    )
    env = {**os.environ, "INCLUSIE_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "vraag het aan [naam], [adres]"
    (cache,) = tmp_path.glob("deduce-*/cache/lookup_structs.pickle")
    assert cache.stat().st_size < 2_000_000  # the name lists only, not deduce's 76 MB


@pytest.mark.parametrize(
    "text",
    [
        "Het Rode Kruis gaf uitleg over De Lijn en Bank van de Post",
        "in Kapelle-op-den-Bos en De Panne",
        "kan het in het Frans of Engels?",
        "zaal De Linde in het buurthuis",
        # from the coded answers (issue 18): a region and a foundation lost as "[naam]"
        "nieuwkomers met elk formulier van Vlaanderen of de federale overheid aan de balie",
        "Verduidelijking van wat Vlaanderen verwacht van gemeenten qua coördinatie.",
        "subsidiekanalen (Vlaams, provinciaal, Koning Boudewijnstichting, ...)",
    ],
)
def test_organisations_places_and_languages_are_kept(text):
    assert deidentify(text) == (text, [])


def test_a_person_named_after_a_region_is_still_hidden():
    assert deidentify("Mevrouw Vlaanderen kwam langs") == ("Mevrouw [naam] kwam langs", ["name"])
    assert deidentify("Jan Peeters uit Vlaanderen belde")[0] == "[naam] uit Vlaanderen belde"


def test_loading_deduce_leaves_the_logging_as_it_was():
    """deduce calls logging.basicConfig(stream=sys.stdout, level=DEBUG) on import; without the
    guard every papermill and traitlets debug line of a `--jobs 1` report run was printed into
    the user's terminal. A fresh interpreter, so deduce is imported here for the first time."""
    import subprocess
    import sys

    code = (
        "import logging\n"
        "from inclusie_analysis.clean.name_model import deduce_model\n"
        "deduce_model()\n"
        "root = logging.getLogger()\n"
        "print(len(root.handlers), root.level)\n"
        "logging.getLogger('traitlets').debug('should not be printed')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"0 {logging.WARNING}"
    assert "should not be printed" not in done.stdout + done.stderr
