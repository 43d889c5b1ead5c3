"""What happens to the chat itself: the bot added or removed, a group upgraded, and people
leaving it (their membership of the CoP ends with it, see `bot.services.roster`)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType

from bot.app.context import CopContext
from bot.services import communities, membership, roster
from bot.texts import common as texts
from bot.texts import membership as membership_texts
from bot.texts import roster as roster_texts
from handlers import presence
from handlers.base import Turn, turn_callback

log = logging.getLogger(__name__)

PRESENT = presence.PRESENT
GONE = presence.GONE


async def my_status_changed(update: Update, context: CopContext) -> None:
    """Channels are left at once (nobody can answer there); chats get a turn."""
    change = update.my_chat_member
    if change is not None and change.chat.type == ChatType.CHANNEL:
        if change.new_chat_member.status in PRESENT:
            log.info("added to channel %s; leaving", change.chat.id)
            await context.bot.leave_chat(change.chat.id)
        return
    await _status_changed(update, context)


@turn_callback
async def _status_changed(turn: Turn) -> None:
    """Greets a group on arrival, stops a CoP on removal, notes blocked private chats."""
    change = turn.update.my_chat_member
    if change is None:
        return
    old, new = change.old_chat_member.status, change.new_chat_member.status
    chat = change.chat
    if chat.type == ChatType.PRIVATE:
        await membership.set_private_chat(turn.unit, chat.id, open_=new in PRESENT)
    elif new in PRESENT and old in GONE:
        community = await communities.bot_added(turn.unit, chat.id)
        tr = turn.context.services.catalogs.get(community.language) if community else turn.tr
        await turn.send(chat.id, texts.greeting(tr))
    elif new in GONE and old in PRESENT:
        await _removed(turn, chat.id)


async def _removed(turn: Turn, chat_id: int) -> None:
    removal = await communities.removed_from(turn.unit, chat_id)
    if removal is None:
        return
    community, facilitators = removal
    catalogs = turn.context.services.catalogs
    for facilitator in facilitators:
        if facilitator.telegram_user_id is None:
            continue
        tr = catalogs.pick(facilitator.language, community.language)
        await turn.tell_privately(
            facilitator.telegram_user_id, membership_texts.bot_removed(tr, community.name)
        )


@turn_callback
async def migrated(turn: Turn) -> None:
    """Group -> supergroup: every row follows the new chat id, in one transaction."""
    message = turn.message
    if message is None:
        return
    if message.migrate_to_chat_id:
        await communities.migrate_chat(turn.unit, message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await communities.migrate_chat(turn.unit, message.migrate_from_chat_id, message.chat_id)


@turn_callback
async def member_left(turn: Turn) -> None:
    """The service message "X left" or "X was removed" (bots get it even in privacy mode)."""
    message = turn.message
    user = message.left_chat_member if message else None
    if user is not None and not user.is_bot:
        await _departed(turn, user.id)


@turn_callback
async def members_joined(turn: Turn) -> None:
    """People (back) in the group: the membership cache knows at once (they /join to take part)."""
    message = turn.message
    for user in message.new_chat_members if message else ():
        presence.noted(turn.context, turn.chat.id, user.id, True)


@turn_callback
async def member_changed(turn: Turn) -> None:
    """Chat-member updates (sent to the bot only as an administrator): a leave or removal."""
    change = turn.update.chat_member
    if change is None or change.new_chat_member.user.is_bot:
        return
    user_id = change.new_chat_member.user.id
    if change.new_chat_member.status in GONE:
        await _departed(turn, user_id)
    elif change.new_chat_member.status in PRESENT:
        presence.noted(turn.context, turn.chat.id, user_id, True)


async def _departed(turn: Turn, user_id: int) -> None:
    presence.noted(turn.context, turn.chat.id, user_id, False)
    departure = await roster.left_group(turn.unit, turn.chat.id, user_id)
    if departure is not None:  # told once, however many notices arrive
        tr = turn.context.services.catalogs.get(departure.community.language)
        await turn.send(turn.chat.id, roster_texts.departed(tr, departure))
