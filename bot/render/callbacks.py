"""Callback data: short, versioned strings that always fit Telegram's 64 bytes."""

from __future__ import annotations

from enum import StrEnum

CALLBACK_DATA_LIMIT = 64
SEPARATOR = ":"


def pack(*parts: str | int) -> str:
    """Builds callback data; refuses (at build time) what Telegram would refuse."""
    for part in parts:
        if SEPARATOR in str(part):
            raise ValueError(f"callback part {part!r} contains {SEPARATOR!r}")
    data = SEPARATOR.join(str(part) for part in parts)
    if not data or len(data.encode("utf-8")) > CALLBACK_DATA_LIMIT:
        raise ValueError(f"callback data {data!r} does not fit {CALLBACK_DATA_LIMIT} bytes")
    return data


def checked(data: str) -> str:
    """Callback data built elsewhere (the scheduler's buttons), checked the same way."""
    return pack(*data.split(SEPARATOR))


def unpack(data: str | None, size: int) -> list[str]:
    """Exactly `size` parts (padded with ""), whatever a forged button sent."""
    parts = (data or "").split(SEPARATOR)[:size]
    return parts + [""] * (size - len(parts))


def as_int(value: str) -> int | None:
    """Parses an id from (possibly forged) callback data without raising."""
    try:
        return int(value)
    except ValueError:
        return None


class Button(StrEnum):
    """Every button family's callback prefix, declared once.

    The handlers bind a callback to each (`handlers.base.button`); the outbox builds
    its attendance buttons with the same prefix. Values are stored in Telegram
    messages already sent, so a value never changes.
    """

    CONSENT = "cj"
    LEAVE = "lv"
    SETUP = "su"
    CHOOSE_COP = "pc"
    PLAN = "pl"
    ATTENDANCE = "at"
    GUARD = "ig"
    DUPLICATE = "dp"
    MINE = "mn"
    CODE = "cd"
    CODE_SECOND = "c2"  # a second coder's blind code
    RESOLVE = "ar"  # resolving a disagreement between two coders (/agreement)
    VOTE = "sv"
    PICK = "sp"
    QUALITY_ROUND = "qr"
    QUALITY_PART = "qp"  # a round's private reminder: start (or go on with) one's part
    QUALITIES_EARLY = "qe"  # the facilitator's "name qualities early": start the round
    NOMINATE = "nm"
    HIDE = "pf"
    READING_ADD = "ri"
    REACT = "dc"
    DONE = "dn"
    FOLLOW_UP = "fu"
    FIX_DECISION = "df"  # an agreement's owner and due date, to correct
    NEXT_SERIES = "ns"  # after the last meeting: plan the next series, or rotate the chair
    SHARE = "sh"
    PRESENCE = "pr"  # ticking who was there after a meeting, Done, Change
    RECAP = "rc"  # the recap draft: show, post, edit
    MEETINGS_PAGE = "mg"  # /meetings in the group, page by page (the same message edited)
    HELP_PAGE = "hl"  # /help in the group, page by page
    REMINDERS_PAGE = "rm"  # /reminders: what comes and what was sent, page by page


class Start(StrEnum):
    """What a deep link `https://t.me/<bot>?start=<key>-<CoP id>` opens in the private chat.

    A group prompt that expects a private answer carries such a link as a button: one
    tap opens the private chat, Telegram sends `/start <payload>`, and the member lands
    in the step the prompt asked for, for that CoP. Values are in links already sent,
    so a value never changes.
    """

    QUALITIES = "qualities"  # the quality round: one's own part
    ISSUE = "issue"  # the issue round: write one's practice issue privately


def start_payload(key: Start, community_id: int) -> str:
    """The payload of a deep link: Telegram allows 1-64 characters of A-Z, a-z, 0-9, _ and -."""
    return f"{key.value}-{int(community_id)}"


def read_start(args: list[str]) -> tuple[Start, int] | None:
    """The link a `/start` came from, or None (a plain /start, an old or forged payload)."""
    if len(args) != 1:
        return None
    key, _, number = args[0].partition("-")
    community_id = as_int(number)
    if key not in Start.__members__.values() or community_id is None:
        return None
    return Start(key), community_id
