"""Every message in the code exists in Dutch and English, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALE_DIR

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
