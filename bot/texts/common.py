"""Sentences every feature shares, and the error-code lookup.

Each feature's sentences live in its own module of `bot.texts` (named as its
service). Functions take a Translator and plain values; values are escaped by
`fmt`, the single place where user text meets Telegram HTML.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from datetime import date
from html import unescape

from bot.errors import CopError
from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.texts.examples import examples

# Other features' modules import these from here (the outbox, the meeting planner).
from bot.texts.membership import bot_removed as bot_removed
from bot.texts.membership import retention_warning as retention_warning
from bot.texts.setup import setup_labels as setup_labels

ERRORS = {
    "no_community": N_(
        "This group has no CoP yet. A group administrator can start one with /setup."
    ),
    "not_member": N_(
        "You are not a member of this CoP (yet). Send /join in the group to read the "
        "information letter and join. Until then I store nothing you send me."
    ),
    "facilitator_only": N_("Only the CoP's facilitators can do this."),
    "admin_only": N_("Only an administrator of this Telegram group can do this."),
    "group_only": N_("/{command} works in your CoP's group chat, not here."),
    "private_only": N_(
        "/{command} works in a private chat with me: open @{bot} and send it there."
    ),
    "stale_button": N_("This button is no longer active."),
    "not_your_flow": N_("This question was meant for someone else."),
    "no_person": N_("I can only help people, not channels or bots."),
    "text_only": N_("Please answer with text."),
    "choose_cop_first": N_("You are in several CoPs: choose one first with /cop."),
}


def error(tr: Translator, err: CopError, today: date) -> Markup:
    """A domain error as text: services raise a code, and each feature's texts module
    lists its codes' sentences in its own `ERRORS` (collected once, see `all_errors`).
    A sentence may show example dates (`bot.texts.examples`), built from `today`."""
    template = all_errors().get(err.msgid, err.msgid)
    shown = examples(tr, today)
    return fmt(tr.gettext(template), **{**shown, **err.values})


@functools.cache
def all_errors() -> dict[str, str]:
    """Every error code's sentence: `ERRORS` of this module and of each feature module.

    A code defined twice is a mistake (two features would fight over its text).
    """
    merged: dict[str, str] = {}
    package = importlib.import_module("bot.texts")
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"bot.texts.{info.name}")
        for code, sentence in getattr(module, "ERRORS", {}).items():
            if code in merged and merged[code] != sentence:
                raise RuntimeError(f"error code {code!r} has two texts")
            merged[code] = sentence
    return merged


def plain(text: str) -> str:
    """Telegram HTML to plain text, for places without formatting (button toasts)."""
    return unescape(re.sub(r"<[^>]+>", "", text))


def reply_failed(tr: Translator) -> Markup:
    """After the commit, the answer broke off: what the person did is kept."""
    _ = tr.gettext
    return fmt(
        _(
            "Sorry, something went wrong while I answered. What you sent is saved; "
            "you do not need to send it again."
        )
    )


def withdrawn(tr: Translator) -> Markup:
    """A question the bot sent but could not remember: it says so instead of waiting."""
    _ = tr.gettext
    return fmt(_("This question no longer works, because I could not save it. Please start again."))


def apology(tr: Translator) -> Markup:
    _ = tr.gettext
    return fmt(_("Sorry, something went wrong on my side. Nothing was saved; please try again."))


def greeting(tr: Translator) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(_("Hello! I am <b>copbot</b>, the assistant of your Community of Practice.")),
            "",
            fmt(
                _(
                    "I help you keep the rhythm of your meetings, collect practice issues, "
                    "qualities and literature insights, and record what you agree on."
                )
            ),
            fmt(_("To start, a group administrator sends /setup. Teachers join with /join.")),
            fmt(_("I only read commands and replies to my messages. More in /privacy.")),
        ]
    )


def cancelled(tr: Translator, had_flow: bool) -> str:
    _ = tr.gettext
    if had_flow:
        return _("Stopped. Nothing of it was saved.")
    return _("There was nothing to stop.")


def unknown_command(tr: Translator, command: str) -> Markup:
    _ = tr.gettext
    return fmt(_("I do not know the command {command}. See /help."), command=command)


def choose_cop(tr: Translator) -> str:
    return tr.gettext("You are a member of several CoPs. Which CoP is this about?")


def cop_chosen(tr: Translator, community: str) -> Markup:
    _ = tr.gettext
    return fmt(_("Your private messages now go to {cop}."), cop=community)


def nothing_open(tr: Translator, community: str) -> Markup:
    _ = tr.gettext
    return fmt(
        _(
            "There is no open question in {cop} right now, so I did not store your message. "
            "See /help for what you can do."
        ),
        cop=community,
    )
