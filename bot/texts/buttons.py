"""Buttons of general use: the pages of a long list in the group (`bot.render.pages`),
and the one-tap link from a group prompt to the private chat where it is answered."""

from __future__ import annotations

from bot.i18n import Translator


def back_label(tr: Translator) -> str:
    return tr.gettext("\u25c2 Back")


def more_label(tr: Translator, page: int, count: int) -> str:
    """`page` is the one the button shows (1-based), so the reader knows how much is left."""
    return tr.gettext("More \u25b8 ({page} of {count})").format(page=page, count=count)


def answer_privately_label(tr: Translator) -> str:
    """A URL button (t.me/<bot>?start=...): opens the private chat at the right step."""
    return tr.gettext("\U0001f512 Answer privately")
