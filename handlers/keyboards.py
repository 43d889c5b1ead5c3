"""Inline keyboards, with callback data packed (and size-checked) in one place."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render.callbacks import pack

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
