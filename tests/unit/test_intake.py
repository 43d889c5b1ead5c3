"""The intake guard (bot.services.intake): warn about pupils' names, BSNs and dates of
birth in teachers' texts, without crying wolf on ordinary Dutch or English prose."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.services.pupil_names import Finding, check, is_valid_bsn, mask

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
    # Not one name "Jan Jansen"; "Jan" alone is a common first name (found by itself).
    assert _found("Groeten van Jan\nJansen kan niet") == [("name", "Jan")]


# --- a first name alone -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Mijn leerling Tim weigert te werken", "Tim"),
        ("Tim weigert te werken als ik naast hem sta.", "Tim"),
        ("Gisteren sloeg Daan een klasgenoot.", "Daan"),
        ("Ik maak me zorgen om Fatima, ze eet niet.", "Fatima"),
        ("Jan kwam te laat.", "Jan"),
        ("Het gaat slecht met Anna-Sophie.", "Anna-Sophie"),
        ("My pupil Noah refuses to read.", "Noah"),
        ("Ik heb Ben apart genomen.", "Ben"),  # a name that is also a word, mid-sentence
        ("Sem en Mohammed maken steeds ruzie.", "Sem"),
    ],
)
def test_a_common_first_name_alone_is_a_pupil(text: str, excerpt: str) -> None:
    assert _found(text)[0] == ("name", excerpt)


def test_every_first_name_in_a_sentence_is_found() -> None:
    assert _found("Sem en Mohammed maken steeds ruzie.") == [("name", "Sem"), ("name", "Mohammed")]


def test_mask_gives_a_first_name_a_pseudonym() -> None:
    text = "Mijn leerling Tim weigert te werken, en Tim gooit met spullen."
    assert mask(text, check(text, today=TODAY)) == (
        "Mijn leerling A weigert te werken, en leerling A gooit met spullen."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ben je morgen ook bij de bijeenkomst?",  # "Ben" opening a sentence is a verb
        "Roos en tulpen staan op het bureau.",
        "Job zoeken is lastig voor starters.",
        "Iris, pupil en lens: de biologieles ging over het oog.",
        "Max drie punten per persoon, anders wordt het te lang.",
        "Juf Emma en meester Tim geven samen les.",  # titles: colleagues, not pupils
        "Mevrouw Sara komt donderdag kijken.",
        "Storm en regen: de kinderen waren onrustig. Will you join us?",
        "Ik werk op de Floris Radewijnszschool.",  # a school named after a person
        "De leerling zat stil. Het ging goed vandaag.",
        "We hebben gisteren het rekenen geoefend met blokjes.",
        "Wat doe jij als een leerling weigert te werken?",
        "Zullen we volgende keer beginnen met een rondje?",
        "Ik probeer een time-out plek in de klas.",
    ],
)
def test_ordinary_words_and_titled_colleagues_are_not_first_names(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Tim had een goed idee over de rekenles.",
        "Zoals Emma zei: eerst de instructie.",
        "Dank je Sara, dat ga ik proberen!",
    ],
)
def test_colleagues_first_names_never_warn(text: str) -> None:
    assert _found(text, known_names=("Tim", "Emma van Dijk", "Sara Yilmaz")) == []


# --- a group and a diagnosis ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "In groep 5 zit een jongen met ADHD die niet stil kan zitten.",
        "Een meisje uit groep 7 heeft dyslexie en leest heel langzaam.",
        "Hij zit in groep 3 en heeft autisme.",
        "Mijn leerling in klas 2b is gediagnosticeerd met ASS.",
        "A boy in group 6 with ADHD keeps walking out.",
    ],
)
def test_a_group_and_a_diagnosis_of_one_pupil_are_found(text: str) -> None:
    assert [kind for kind, _excerpt in _found(text)] == ["diagnosis"]


def test_mask_keeps_the_diagnosis_and_drops_the_group() -> None:
    text = "In groep 5 zit een jongen met ADHD."
    assert _found(text) == [("diagnosis", "groep 5")]
    assert mask(text, check(text, today=TODAY)) == "In een groep zit een jongen met ADHD."


def test_a_name_beside_a_group_and_a_diagnosis_is_masked_too() -> None:
    text = "In groep 5 zit Tim, hij heeft ADHD."
    assert _found(text) == [("diagnosis", "groep 5"), ("name", "Tim")]
    assert mask(text, check(text, today=TODAY)) == "In een groep zit leerling A, hij heeft ADHD."


@pytest.mark.parametrize(
    "text",
    [
        "Hoe ga je in groep 5 om met dyslexie?",  # a question about teaching, no one pupil
        "We bespraken ADHD en autisme in het team.",
        "In groep 5 zit een jongen die niet stil kan zitten.",
        "Hij heeft dyslexie, dus we lezen samen.",  # a diagnosis, but which group?
        "In groep 4 hebben we een leesproject. Hij heeft ADHD volgens zijn moeder.",
        "Ik wil iets toevoegen (add) aan groep 6 hun rooster.",
    ],
)
def test_a_diagnosis_or_a_group_alone_is_not_flagged(text: str) -> None:
    assert _found(text) == []


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
