"""Every message in the code exists in Dutch and English, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.commands import COMMANDS
from bot.i18n import LANGUAGES, LOCALE_DIR, Catalogs
from bot.texts import keywords
from bot.texts.commands import USAGES, usage_of

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "Np_": (1, 2),
    "Nc_": ((1, "c"), 2),
}
PLACEHOLDER = re.compile(r"{\w*}")
TAG = re.compile(r"</?[a-z-]+")


Message = str | tuple[str, str]


def _code_messages() -> set[tuple[str | None, Message]]:
    """(context, message) of every marked message in the code."""
    found: set[tuple[str | None, Message]] = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add((context, message if isinstance(message, str) else tuple(message[:2])))
    return found


@pytest.fixture(scope="module")
def code_messages() -> set[tuple[str | None, Message]]:
    messages = _code_messages()
    assert len(messages) > 50
    return messages


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_translates_every_message(
    language: str, code_messages: set[tuple[str | None, Message]]
) -> None:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "copbot.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    missing, broken = [], []
    for context, message in code_messages:
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key, context=context)
        if entry is None or not all(
            entry.string if isinstance(entry.string, tuple) else [entry.string]
        ):
            missing.append(key)
            continue
        if entry.fuzzy:
            missing.append(f"(fuzzy) {key}")
        sources = [message] if isinstance(message, str) else list(message)
        allowed = set().union(*(PLACEHOLDER.findall(source) for source in sources))
        for translated in entry.string if isinstance(entry.string, tuple) else [entry.string]:
            found = set(PLACEHOLDER.findall(translated))
            # A plural form may leave out the count ("every week"), never add a name.
            if not found <= allowed or (len(sources) == 1 and found != allowed):
                broken.append(f"{key!r} -> {translated!r}")
            if sorted(TAG.findall(sources[0])) != sorted(TAG.findall(translated)):
                broken.append(f"{key!r} -> {translated!r}")
    assert not missing, f"untranslated in {language}: {missing}"
    assert not broken, f"placeholders or tags differ in {language}: {broken}"


# --------------------------------------------------------------- keywords and usages


def _catalog(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "copbot.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _keyword_words(language: str) -> set[str]:
    tr = Catalogs().get(language)
    return {word for key in keywords.KEYWORDS for word in keywords.words(tr, key)}


#: Words that are English only and no keyword: units, weekdays, clock forms, rooms.
ENGLISH_LEAKS = {"thu", "mon", "tue", "wed", "fri", "sat", "sun", "3pm", "1h", "2d 1h", "room"}
#: "/command word word|word": the words typed after a command in a hint.
TYPED = re.compile(r"/[a-z]+((?:\s+(?:[a-z]+|\d+[a-z]?)(?:\|[a-z]+)*)+)")


def _typed_words(text: str) -> list[str]:
    return [
        w for match in TYPED.finditer(text) for part in match[1].split() for w in part.split("|")
    ]


def test_every_keyword_and_usage_is_a_dutch_catalog_message() -> None:
    """A keyword, usage string or button label without a Dutch entry would show English."""
    dutch = _catalog("nl")
    untranslated = [
        message
        for context, message in [
            *(keywords.KEYWORDS.values()),
            *((None, usage) for usage in USAGES.values()),
        ]
        if not (entry := dutch.get(message, context=context)) or not entry.string
    ]
    assert untranslated == []
    assert set(keywords.KEYWORDS) >= {r.keyword for s in COMMANDS for r in s.sub} - {"*"}


def test_no_word_means_two_keywords() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for tr in Catalogs().all:
        for key in keywords.KEYWORDS:
            for word in keywords.words(tr, key):
                if seen.setdefault(word, key) != key:
                    clashes.append(f"{word!r}: {seen[word]} and {key}")
    assert clashes == []


@pytest.mark.parametrize(("language", "other"), [("nl", "en"), ("en", "nl")])
def test_usages_and_hints_show_only_their_languages_keywords(language: str, other: str) -> None:
    """`/issues close` in a Dutch hint was answered by a date error when typed; a Dutch
    usage or hint names only Dutch keywords (and English only English ones)."""
    foreign = _keyword_words(other) - _keyword_words(language)
    if language == "nl":
        foreign |= ENGLISH_LEAKS
    tr = Catalogs().get(language)
    texts = [f"/{name} {usage_of(tr, name)}" for name in USAGES]
    texts += [m.string for m in _catalog(language) if m.id and isinstance(m.string, str)]
    leaks = sorted(
        {
            f"{word!r} in {text!r}"
            for text in texts
            for word in _typed_words(text)
            if word in foreign
        }
    )
    assert leaks == [], "\n".join(leaks)


#: Forms a Dutch teacher does not write: 12-hour clocks, "h" for hours, English rooms.
DUTCH_LEAKS = re.compile(r"\b\d{1,2}\s?(?:am|pm)\b|\b\d+h\b|\bRoom\b")
#: A fixed date in an example goes stale; examples come from `bot.texts.examples`.
FIXED_DATE = re.compile(
    r"\b20\d\d-\d\d-\d\d\b|\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b"
)


def test_examples_use_dutch_forms_and_no_fixed_dates() -> None:
    dutch = [m for m in _catalog("nl") if m.id and isinstance(m.string, str)]
    leaks = [m.string for m in dutch if DUTCH_LEAKS.search(m.string)]
    assert leaks == []
    fixed = [m.id for m in dutch if isinstance(m.id, str) and FIXED_DATE.search(m.id)]
    assert fixed == []
