"""Inline keyboards, with callback data packed (and size-checked) in one place."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.render.callbacks import Button as Prefix
from bot.render.callbacks import Start, pack, start_payload
from bot.services import attendance
from bot.texts import buttons as button_texts
from bot.texts import meetings as meeting_texts

Button = tuple[str, Sequence[str | int]]


def keyboard(*rows: Sequence[Button]) -> InlineKeyboardMarkup:
    """Rows of (label, callback parts); labels are trimmed to what Telegram shows well."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label[:64], callback_data=pack(*parts)) for label, parts in row]
            for row in rows
            if row
        ]
    )


def packed(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    """Rows of (label, callback data) built by a texts module (as the outbox sends them)."""
    if not any(rows):
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label[:64], callback_data=data) for label, data in row]
            for row in rows
            if row
        ]
    )


def attendance_keyboard(
    tr: Translator, meeting_id: int, community_id: int | None = None
) -> InlineKeyboardMarkup:
    """Yes / maybe / no under a meeting's attendance question (the reminder and /absent);
    in a private chat (the nudge) the buttons also name their CoP."""
    labels = meeting_texts.attendance_labels(tr)
    cop = (community_id,) if community_id is not None else ()
    return keyboard(
        [(labels[key], (Prefix.ATTENDANCE, meeting_id, key, *cop)) for key in attendance.ANSWERS]
    )


def pager(
    tr: Translator, prefix: Prefix, page: int, count: int, *parts: str | int
) -> InlineKeyboardMarkup | None:
    """Back / more under page `page` (0-based) of `count`; none for a list of one page.

    The press carries the page to show (`prefix`, `parts`..., page), so the callback
    edits the same message: a long list in the group costs one message, whatever its length.
    """
    if count <= 1:
        return None
    row: list[Button] = []
    if page > 0:
        row.append((button_texts.back_label(tr), (prefix, *parts, page - 1)))
    if page < count - 1:
        row.append((button_texts.more_label(tr, page + 2, count), (prefix, *parts, page + 1)))
    return keyboard(row)


def private_link(
    tr: Translator, bot_username: str | None, key: Start, community_id: int
) -> InlineKeyboardMarkup | None:
    """One tap from a group prompt to the private chat, landing in the step it asks for
    (`/start <payload>`, handled by `handlers.onboarding.start`)."""
    if not bot_username:
        return None
    url = f"https://t.me/{bot_username}?start={start_payload(key, community_id)}"
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(button_texts.answer_privately_label(tr), url=url)]]
    )


def carries(message: object, prefix: Prefix) -> bool:
    """Whether a pressed message has a button of this family: a page press (whose page is
    clamped, never refused) acts only on the list it came with, not on any bot message
    a forged press names."""
    markup = getattr(message, "reply_markup", None)
    if not isinstance(markup, InlineKeyboardMarkup):
        return False
    start = f"{prefix.value}:"
    return any(
        isinstance(key.callback_data, str) and key.callback_data.startswith(start)
        for row in markup.inline_keyboard
        for key in row
    )
