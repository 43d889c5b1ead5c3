"""Who is in a CoP's Telegram group: cached getChatMember, and telling the group who left.

Part of the adapter's kernel (like `handlers.base`): the turn asks it before a private
message is handled, and the chat events keep its cache current. A look-up is kept
`CACHE_TIME`, so one busy member costs Telegram one call per CoP every few minutes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telegram import ChatMemberRestricted
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.app.context import CopContext
from bot.services import membership, roster
from bot.services.roster import Departure
from bot.services.unit import Unit
from bot.texts import roster as texts

log = logging.getLogger(__name__)

CACHE_TIME = timedelta(minutes=5)
PRESENT = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
_KEY = "presence"


@dataclass
class Presence:
    """Recent answers to "is this person in this group?", per (chat, user)."""

    seen: dict[tuple[int, int], tuple[bool, datetime]] = field(default_factory=dict)

    def get(self, chat_id: int, user_id: int, now: datetime) -> bool | None:
        entry = self.seen.get((chat_id, user_id))
        if entry is None or now - entry[1] >= CACHE_TIME:
            return None
        return entry[0]

    def put(self, chat_id: int, user_id: int, present: bool, now: datetime) -> None:
        if len(self.seen) > 10_000:  # old entries are worthless: start again
            self.seen.clear()
        self.seen[(chat_id, user_id)] = (present, now)


def of(context: CopContext) -> Presence:
    cache = context.bot_data.get(_KEY)
    if not isinstance(cache, Presence):
        cache = context.bot_data[_KEY] = Presence()
    return cache


def noted(context: CopContext, chat_id: int, user_id: int, present: bool) -> None:
    """A join or leave the bot was told about: the cache knows it at once."""
    of(context).put(chat_id, user_id, present, context.services.clock())


class TelegramRoster:
    """`roster.Roster` answered by Telegram, through the cache."""

    def __init__(self, context: CopContext) -> None:
        self.context = context

    async def present(self, chat_id: int, user_id: int) -> bool | None:
        cache, now = of(self.context), self.context.services.clock()
        known = cache.get(chat_id, user_id, now)
        if known is not None:
            return known
        try:
            member = await self.context.bot.get_chat_member(chat_id, user_id)
        except TelegramError as exc:  # cannot tell (network, bot removed): keep what we know
            log.info("membership of %s in %s unknown: %s", user_id, chat_id, type(exc).__name__)
            return None
        present = member.status in PRESENT or (
            isinstance(member, ChatMemberRestricted) and member.is_member
        )
        cache.put(chat_id, user_id, present, now)
        return present


class NeedsTelegram(Exception):
    """A turn needs a fact only Telegram knows: it rolls back, `fetch` asks, it runs again.

    So no Bot API call is made while a transaction is open.
    """

    def __init__(self, fetch: Callable[[], Awaitable[None]]) -> None:
        super().__init__("a fact from Telegram is needed")
        self.fetch = fetch


class CachedRoster:
    """`roster.Roster` inside a turn: the cache's answer that someone is present, else a stop.

    Absent or unknown both stop the attempt (`NeedsTelegram` with `confirm`), because a
    departure is recorded in a transaction of its own whatever the message then does.
    """

    def __init__(self, context: CopContext, confirm: Callable[[], Awaitable[None]]) -> None:
        self.context = context
        self.confirm = confirm

    async def present(self, chat_id: int, user_id: int) -> bool | None:
        if of(self.context).get(chat_id, user_id, self.context.services.clock()) is True:
            return True
        raise NeedsTelegram(self.confirm)


async def confirm_private(context: CopContext, user_id: int) -> None:
    """Ends the memberships of groups the person left, and tells those groups.

    Three steps, so that no Bot API call is made inside a transaction: read the person's
    CoPs, ask Telegram (through the cache) about each, record the departures in a
    transaction of its own, so they stay recorded whatever the message then does.
    """
    services = context.services
    async with services.sessions.begin() as session:
        pairs = await membership.memberships(Unit(session, services.clock()), user_id)
    telegram = TelegramRoster(context)
    gone = [c.chat_id for c, _m in pairs if await telegram.present(c.chat_id, user_id) is False]
    if not gone:
        return
    departures: list[Departure] = []
    async with services.sessions.begin() as session:
        unit = Unit(session, services.clock())
        for chat_id in gone:
            departure = await roster.left_group(unit, chat_id, user_id)
            if departure is not None:
                departures.append(departure)
    for departure in departures:
        await announce(context, departure)


async def announce(context: CopContext, departure: Departure) -> None:
    """Tells the group, in its language, what happened to the membership and the data."""
    tr = context.services.catalogs.get(departure.community.language)
    try:
        await context.bot.send_message(departure.community.chat_id, texts.departed(tr, departure))
    except TelegramError as exc:
        log.warning("could not tell %s: %s", departure.community.chat_id, type(exc).__name__)
