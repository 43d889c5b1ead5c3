"""The buttons under a long list shown page by page in the group (`bot.render.pages`)."""

from __future__ import annotations

from bot.i18n import Translator


def back_label(tr: Translator) -> str:
    return tr.gettext("\u25c2 Back")


def more_label(tr: Translator, page: int, count: int) -> str:
    """`page` is the one the button shows (1-based), so the reader knows how much is left."""
    return tr.gettext("More \u25b8 ({page} of {count})").format(page=page, count=count)
