"""The intake guard (bot.services.intake): warn about pupils' names, BSNs and dates of
birth in teachers' texts, without crying wolf on ordinary Dutch or English prose."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.services.intake import Finding, check, is_valid_bsn, mask

TODAY = date(2026, 11, 23)
MEMBERS = ("Fenna de Vries", "Anna", "Pieter Bakker")


def _found(text: str, known_names: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The findings as (kind, excerpt), which is what a reader of a failure wants."""
    return [(f.kind, f.excerpt) for f in check(text, known_names=known_names, today=TODAY)]


# --- names ------------------------------------------------------------------------------


def test_a_pupils_full_name_is_one_finding_with_offsets() -> None:
    text = "Mijn leerling Jan Jansen slaat andere kinderen"
    findings = check(text, today=TODAY)
    assert findings == [Finding("name", "Jan Jansen", 14, 24)]


@pytest.mark.parametrize(
    "name",
    [
        "Fatima el Amrani",
        "Sem van der Berg",
        "Daan de Vries",
        "Noor 't Hart",
        "Noor in 't Veld",
        "Anna-Sophie Smit-Bakker",
        "Mohammed al-Sayed",
        "Jan Willem Jansen",
        "Élodie Lefèvre",
    ],
)
def test_dutch_name_shapes_are_found_whole(name: str) -> None:
    assert _found(f"Vandaag was {name} erg onrustig.") == [("name", name)]


def test_english_text() -> None:
    assert _found("My pupil Tom Baker hits others") == [("name", "Tom Baker")]


@pytest.mark.parametrize(
    "text",
    [
        "In groep 5 van De Regenboog heb ik een leerling die niet stil kan zitten.",
        "Het Kompas en De Wereldwijzer doen ook mee. Onze IB'er zoekt het uit.",
        "Leerling A reageert op Leerling B, en Kind C kijkt toe. Met leerling X gaat het goed.",
        "Pupil B hit Pupil C during break.",
        "Op maandag 12-03-2026 bespraken we ADHD en NT2 met de IB en het SBO.",
        "Passend Onderwijs en de Interne Begeleider; we spraken via Google Meet.",
        "Zet het in Microsoft Teams. Veilig Thuis is gebeld.",
        "Met Vriendelijke Groet,\nJuf Anna",
        "Kind Regards, Happy Birthday and Thank You.",
        "Maandag Januari. The Team met On Monday. When Our group started I left.",
        "Jan kwam te laat. Sem ook.",
        "Plan Van Aanpak voor Den Haag en Amsterdam Noord.",
        "Bijvoorbeeld de Cito toets, of de Kanjertraining op basisschool Het Palet.",
        "jan jansen schrijft zijn naam zonder hoofdletters",
    ],
)
def test_ordinary_teacher_prose_is_not_flagged(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Zoals Fenna de Vries vorige week al zei, werkt dit goed.",
        "zoals fenna de vries al zei",  # matched case-insensitively (no finding anyway)
        "Anna Smit-Bakker deelde haar ervaring.",  # first name of member "Anna"
        "Pieter  Bakker had een goed idee.",  # whitespace differences do not matter
    ],
)
def test_members_own_names_are_not_pupils(text: str) -> None:
    assert _found(text, known_names=MEMBERS) == []


def test_a_pupil_next_to_a_member_is_still_found() -> None:
    text = "Fenna de Vries vertelde over Bram Pietersen uit groep 4."
    assert _found(text, known_names=MEMBERS) == [("name", "Bram Pietersen")]


def test_a_line_break_ends_a_name() -> None:
    assert _found("Groeten van Jan\nJansen kan niet") == []


# --- BSN --------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["123456782", "111222333", "12345672", "012345672"])
def test_valid_bsns(digits: str) -> None:
    assert is_valid_bsn(digits)


@pytest.mark.parametrize(
    "digits", ["123456789", "000000000", "00000000", "1234567", "1234567820", "12345678a", ""]
)
def test_invalid_bsns(digits: str) -> None:
    assert not is_valid_bsn(digits)


def test_is_valid_bsn_accepts_the_number_as_written() -> None:
    assert is_valid_bsn("123.456.782")
    assert is_valid_bsn("1234 56 782")


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("BSN 123456782", "123456782"),
        ("bsn: 123.456.782.", "123.456.782"),
        ("Zijn nummer is 1234 56 782, zie dossier", "1234 56 782"),
        ("burgerservicenummer 12345672", "12345672"),
    ],
)
def test_bsn_in_text(text: str, excerpt: str) -> None:
    assert _found(text) == [("bsn", excerpt)]


@pytest.mark.parametrize(
    "text",
    [
        "BSN 123456789",  # fails the eleven-check
        "Bel 06-12345678 of 0612345678",
        "Factuur 1234567820 en bedrag 123.456.782,50",
        "Kenmerk 111222333444",
    ],
)
def test_numbers_that_are_not_a_bsn(text: str) -> None:
    assert _found(text) == []


# --- dates of birth ---------------------------------------------------------------------


def test_name_and_birthdate_together() -> None:
    text = "Sem van der Berg (geb. 12-03-2017) leest nog niet."
    assert _found(text) == [("name", "Sem van der Berg"), ("birthdate", "12-03-2017")]


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("geboortedatum: 1/2/2015", "1/2/2015"),
        ("Zij is geboren op 12 maart 2017.", "12 maart 2017"),
        ("DOB 12 march 2017", "12 march 2017"),
        ("Born on March 5, 2016 in Leeds", "March 5, 2016"),
        ("jarig 5-6-17", "5-6-17"),
        ("Zijn verjaardag: 03.04.2018", "03.04.2018"),
        ("Hij is op 12-03-2016 geboren.", "12-03-2016"),
        # far from the birth word, but "geb" earlier on the line and a pupil's age
        ("Geboren in een klein dorp, verhuisd en toen op 12-03-2016 naar school", "12-03-2016"),
    ],
)
def test_dates_of_birth(text: str, excerpt: str) -> None:
    assert _found(text) == [("birthdate", excerpt)]


@pytest.mark.parametrize(
    "text",
    [
        "Op maandag 12-03-2026 bespraken we het gedrag.",
        "Het gebeurde op 12-03-2019 in de klas.",
        "Geboren in 1980 en op 12-03-1980 begonnen.",  # a teacher, not a pupil
        "Jarig op 14-02-2026!",  # this year's birthday, not a date of birth
        "Volgende verjaardag: 12-03-2027",  # in the future
        "geboren 31-02-2017",  # no such date
        "Geboren in Utrecht.\nOp 12-03-2016 kwam hij bij ons op school.",
    ],
)
def test_dates_that_are_not_a_birthdate(text: str) -> None:
    assert _found(text) == []


def test_today_defaults_to_the_current_date() -> None:
    assert [f.kind for f in check("geb. 12-03-2017")] == ["birthdate"]


# --- mask -------------------------------------------------------------------------------


def test_mask_replaces_just_the_name() -> None:
    text = "Mijn leerling Jan Jansen slaat andere kinderen"
    assert mask(text, check(text, today=TODAY)) == "Mijn leerling A slaat andere kinderen"


def test_mask_gives_the_same_name_the_same_letter() -> None:
    text = "Jan Jansen pest Sem de Boer. Daarna slaat jan  jansen hem; Sem de Boer huilt."
    findings = check(text, today=TODAY)
    assert mask(text, findings) == (
        "leerling A pest leerling B. Daarna slaat jan  jansen hem; leerling B huilt."
    )


def test_mask_skips_letters_already_in_use() -> None:
    text = "Leerling A reageert op Tom Baker."
    assert mask(text, check(text, today=TODAY)) == "Leerling A reageert op leerling B."


def test_mask_bsn_and_birthdate() -> None:
    text = "Sem van der Berg (geb. 12-03-2017), BSN 123456782"
    assert mask(text, check(text, today=TODAY)) == "leerling A (geb. [geboortedatum]), BSN [BSN]"


def test_mask_ignores_stale_and_overlapping_findings() -> None:
    text = "Tom Baker en Jan Jansen"
    stale = Finding("name", "Someone Else", 0, 9)
    overlapping = Finding("name", "Baker en Jan", 4, 16)
    tom = Finding("name", "Tom Baker", 0, 9)
    assert mask(text, [stale]) == text
    assert mask(text, [tom, overlapping]) == "leerling A en Jan Jansen"


def test_a_long_message_is_checked_quickly() -> None:
    """Ten thousand characters of mixed prose: linear scanning, no regex blow-up."""
    text = ("Mijn leerling Jan Jansen (geb. 12-03-2017), BSN 123456782. " * 170)[:10_000]
    findings = check(text, today=TODAY)
    assert len(findings) >= 3 * 160
    assert "Jan Jansen" not in mask(text, findings)


# --- properties -------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "Jan Jansen",
        " van der ",
        "'t ",
        "geb. ",
        "12-03-2017",
        "123.456.782",
        "123456782",
        "De ",
        "Leerling A",
        "\n",
        " ",
        "-",
        "Smit-Bakker",
    ]
)
_TEXTS = st.one_of(
    st.text(max_size=10_000),
    st.lists(st.one_of(_FRAGMENTS, st.text(max_size=5)), max_size=60).map("".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_check_never_raises_and_offsets_slice_back(text: str) -> None:
    findings = check(text, today=TODAY)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.excerpt
    assert all(a.end <= b.start for a, b in pairwise(findings))
    mask(text, findings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_mask_without_findings_changes_nothing(text: str) -> None:
    assert mask(text, []) == text
    if not check(text, today=TODAY):
        assert mask(text, check(text, today=TODAY)) == text
