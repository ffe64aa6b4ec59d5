"""Pseudonyms, the key, scrubbing of open answers and inert spreadsheet cells."""

from __future__ import annotations

import pytest

from inclusie_analysis.clean.privacy import (
    inert,
    normalise_email,
    pseudonym,
    scrub,
)


def test_pseudonyms_are_stable_keyed_and_not_reversible():
    a = pseudonym(b"k" * 32, "an.peeters@example.org")
    assert a == pseudonym(b"k" * 32, "an.peeters@example.org")
    assert a != pseudonym(b"x" * 32, "an.peeters@example.org")
    assert a.startswith("r_") and len(a) == 18 and "peeters" not in a


def test_email_normalisation_links_the_same_person():
    assert normalise_email(" An.Peeters@Example.org ") == "an.peeters@example.org"
    assert normalise_email("anonymous") is None and normalise_email("geen") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mail naar an.peeters@example.org a.u.b.", "Mail naar [e-mail] a.u.b."),
        ("Bel 0470 12 34 56", "Bel [telefoon]"),
        ("gsm: 0470/12.34.56", "gsm: [telefoon]"),
        ("+32 470 12 34 56 of 09 123 45 67", "[telefoon] of [telefoon]"),
        ("tel. 0032 9 123 45 67", "tel. [telefoon]"),
        ("zie https://www.linkedin.com/in/jan-peeters", "zie [link]"),
        ("zie www.digibanken.be", "zie www.digibanken.be"),  # a bare site names nobody
        ("op 12/03/2025 met 35 deelnemers", "op 12/03/2025 met 35 deelnemers"),
        ("postcode 9100", "postcode 9100"),
    ],
)
def test_scrub(text, expected):
    assert scrub(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+32", "'+32"), ("@user", "'@user"), ("-1+2", "'-1+2"),
     ("- meer sessies", "- meer sessies"), ("meer = beter", "meer = beter")],
)  # fmt: skip
def test_inert(text, expected):
    assert inert(text) == expected
