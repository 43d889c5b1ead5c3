"""Translations: gettext catalogs managed with Babel, one translator per update.

Catalogs are read from the `.po` files at start-up (compiled in memory), so a
fresh checkout needs no build step; nothing is installed globally.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("nl", "en")
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}
DOMAIN = "copbot"
LOCALE_DIR = Path(__file__).parent / "locales"


def N_(message: str) -> str:  # noqa: N802 - gettext convention for "mark, translate later"
    """Marks a string for extraction; it is translated where it is shown."""
    return message


def Np_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Marks a plural pair for extraction; translated with `ngettext` where shown."""
    return singular, plural


def Nc_(context: str, message: str) -> tuple[str, str]:  # noqa: N802
    """Marks a message with a context for extraction (msgctxt), translated with `pgettext`.

    A context keeps a typed keyword ("off", whose Dutch entry lists synonyms "uit|af")
    apart from the same English word shown as a state ("off": "uit").
    """
    return context, message


@dataclass(frozen=True)
class Translator:
    """The texts of one language for one update or job."""

    language: str
    translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)


class Catalogs:
    """All languages' catalogs, loaded once by the composition root."""

    def __init__(self, locale_dir: Path = LOCALE_DIR, default: str = "nl") -> None:
        self.default = default
        self._translators = {
            language: Translator(language, _load(locale_dir, language)) for language in LANGUAGES
        }

    @property
    def all(self) -> tuple[Translator, ...]:
        """Every language's translator: typed keywords are read in all of them."""
        return tuple(self._translators.values())

    def get(self, language: str | None) -> Translator:
        return self._translators.get(language or self.default, self._translators[self.default])

    def pick(self, *candidates: str | None) -> Translator:
        """The first candidate language we support, else the default."""
        for candidate in candidates:
            code = (candidate or "").split("-")[0].lower()
            if code in self._translators:
                return self._translators[code]
        return self._translators[self.default]


def _load(locale_dir: Path, language: str) -> gettext.NullTranslations:
    po_path = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
