"""Telegram HTML: the one place where user text is escaped.

Templates (from the catalogs) may contain our own markup; every value formatted
into them is escaped here unless it is explicitly `Markup` we built ourselves.
"""

from __future__ import annotations

from html import escape
from typing import Any

TELEGRAM_TEXT_LIMIT = 4096


class Markup(str):
    """A string that is already safe Telegram HTML (built by `fmt` or `mention`)."""

    __slots__ = ()


def fmt(template: str, **values: Any) -> Markup:
    """Formats a trusted template with escaped values."""
    safe = {
        key: value if isinstance(value, Markup) else escape(str(value), quote=False)
        for key, value in values.items()
    }
    return Markup(template.format(**safe))


def mention(user_id: int, name: str) -> Markup:
    return Markup(f'<a href="tg://user?id={int(user_id)}">{escape(name, quote=False)}</a>')


def join_lines(lines: list[str]) -> Markup:
    """Joins lines that are each Markup or plain text (plain text gets escaped)."""
    return Markup(
        "\n".join(line if isinstance(line, Markup) else escape(line, quote=False) for line in lines)
    )


def split_message(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Splits a long message at line breaks so each part fits Telegram's limit.

    Our templates never open a tag on one line and close it on another, so a cut
    at a line break keeps every part valid HTML. A single overlong line (only
    possible with very long user text) is cut hard, outside of any tag.
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            cut = _safe_cut(line, limit)
            parts.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return [part for part in parts if part.strip()]


def _safe_cut(line: str, limit: int) -> int:
    """A cut position at or before `limit` that is not inside a tag or an entity."""
    cut = limit
    while cut > 0:
        head = line[:cut]
        if head.rfind("<") <= head.rfind(">") and head.rfind("&") <= head.rfind(";"):
            return cut
        cut -= 1
    return limit
