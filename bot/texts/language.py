"""/language (/taal): what a member reads in private, and how to change it."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.language import Choice
from bot.texts import keywords

#: A language's name inside a sentence ("in English", "in het Engels").
NAMES = {"nl": N_("Dutch"), "en": N_("English")}

ERRORS = {
    "language_usage": N_(
        "Choose a language, for example: /language english, /language dutch, or "
        "/language auto for the language of your CoP."
    ),
}


def _how_to_change(tr: Translator) -> str:
    _ = tr.gettext
    command = "taal" if tr.language == "nl" else "language"
    return fmt(
        _("Change it with /{command} {nl}, /{command} {en} or /{command} {auto} (your CoP's)."),
        command=command,
        nl=keywords.shown(tr, "nl"),
        en=keywords.shown(tr, "en"),
        auto=keywords.shown(tr, "auto"),
    )


def _state(tr: Translator, choice: Choice) -> str:
    _ = tr.gettext
    if choice.chosen is not None:
        return fmt(
            _("In private I write to you in {language}, as you chose."),
            language=_(NAMES[choice.chosen]),
        )
    names = ", ".join(_(NAMES[code]) for code in choice.cop_languages if code in NAMES)
    return fmt(
        _("In private I write to you in the language of your CoP ({language})."), language=names
    )


def language_now(tr: Translator, choice: Choice) -> Markup:
    """/language alone: the present choice and the words to change it."""
    _ = tr.gettext
    return join_lines(
        [
            _state(tr, choice),
            fmt(_("In the group I always speak the CoP's language, so everyone can read along.")),
            _how_to_change(tr),
        ]
    )


def language_set(tr: Translator, choice: Choice) -> Markup:
    """Said in the language just chosen."""
    _ = tr.gettext
    return join_lines(
        [
            fmt(_("Done.")) + " " + _state(tr, choice),
            fmt(_("In the group I always speak the CoP's language, so everyone can read along.")),
        ]
    )
