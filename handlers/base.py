"""The turn: one update, one database session, one translator, one reply path.

Every callback goes through `run_turn`, which opens the session, resolves who and
where, applies the command's guard, and turns domain errors into friendly text
after the session rolled back (so nothing is stored half).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import (
    CallbackQuery,
    Chat,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.app.context import CopContext
from bot.commands import BY_NAME, CommandSpec, Where, Who
from bot.errors import CopError, NoCommunity, NotAllowed, NotAMember
from bot.i18n import Translator
from bot.render.callbacks import unpack
from bot.render.html import split_message
from bot.services import communities, membership
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView, Person
from bot.texts import common as texts

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ForceReply | None
TurnFn = Callable[["Turn"], Awaitable[None]]
PtbCallback = Callable[[Update, CopContext], Awaitable[None]]

GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)


@dataclass
class Turn:
    update: Update
    context: CopContext
    unit: Unit
    tr: Translator
    chat: Chat
    person: Person | None
    community: CommunityView | None = None
    member: MemberView | None = None
    answered: bool = field(default=False)

    @property
    def _(self) -> Callable[[str], str]:
        return self.tr.gettext

    @property
    def in_group(self) -> bool:
        return self.chat.type in GROUP_TYPES

    @property
    def message(self) -> Message | None:
        return self.update.effective_message

    @property
    def query(self) -> CallbackQuery | None:
        return self.update.callback_query

    def button(self, size: int) -> list[str]:
        """The pressed button's callback data, split into `size` parts."""
        return unpack(self.query.data if self.query else None, size)

    def require_person(self) -> Person:
        if self.person is None:
            raise NotAllowed("no_person")
        return self.person

    def require_community(self) -> CommunityView:
        if self.community is None or self.community.status != "active":
            raise NoCommunity("no_community")
        return self.community

    def require_member(self) -> MemberView:
        self.require_community()
        if self.member is None:
            raise NotAMember("not_member")
        return self.member

    async def reply(self, text: str, markup: Markup = None, *, quote: bool = True) -> Message:
        """Answers in the update's chat, split to fit, buttons on the last part."""
        reply_to = self.message.message_id if quote and self.message and not self.query else None
        return await self.send(self.chat.id, text, markup, reply_to=reply_to)

    async def send(
        self, chat_id: int, text: str, markup: Markup = None, *, reply_to: int | None = None
    ) -> Message:
        parts = split_message(text)
        sent: Message | None = None
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            sent = await self._send_part(chat_id, part, markup if last else None, reply_to)
            reply_to = None
        assert sent is not None
        return sent

    async def tell_privately(self, user_id: int, text: str) -> bool:
        """Writes to someone privately; False when they never started or blocked the bot."""
        try:
            await self.send(user_id, text)
        except Forbidden:
            await membership.set_private_chat(self.unit, user_id, open_=False)
            return False
        return True

    async def edit(self, message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
        """Edits a bot message in place; an unchanged text is not an error (a double press)."""
        try:
            await self.context.bot.edit_message_text(
                text, chat_id=message.chat.id, message_id=message.message_id, reply_markup=markup
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answers the button press once (Telegram shows a spinner until we do)."""
        if self.query is not None and not self.answered:
            self.answered = True
            await self.query.answer(text=text[:200] if text else None, show_alert=alert)

    async def _send_part(
        self, chat_id: int, text: str, markup: Markup, reply_to: int | None
    ) -> Message:
        parameters = (
            ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to
            else None
        )
        try:
            return await self.context.bot.send_message(
                chat_id, text, reply_markup=markup, reply_parameters=parameters
            )
        except ChatMigrated as migrated:
            new_id = int(migrated.new_chat_id)
            await communities.migrate_chat(self.unit, chat_id, new_id)
            return await self.context.bot.send_message(new_id, text, reply_markup=markup)


def person_of(update: Update) -> Person | None:
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    return Person(
        user_id=user.id,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        language_code=user.language_code,
    )


async def run_turn(
    update: Update, context: CopContext, fn: TurnFn, spec: CommandSpec | None = None
) -> None:
    """Runs one callback in one unit of work; domain errors become friendly answers."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.CHANNEL:
        return
    services = context.services
    person = person_of(update)
    tr = services.catalogs.pick(person.language_code if person else None)
    turn: Turn | None = None
    try:
        async with services.sessions.begin() as session:
            turn = Turn(update, context, Unit(session, services.clock()), tr, chat, person)
            await _resolve(turn)
            tr = turn.tr
            if spec is not None:
                await _guard(turn, spec)
            await fn(turn)
            if turn.query is not None:
                await turn.answer()
    except CopError as error:
        await _refuse(update, context, tr, error, answered=bool(turn and turn.answered))


async def _resolve(turn: Turn) -> None:
    """Finds the chat's CoP and the sender's membership, and the language to answer in."""
    catalogs = turn.context.services.catalogs
    if turn.in_group:
        turn.community = await communities.by_chat(turn.unit, turn.chat.id)
        if turn.community is not None and turn.person is not None:
            turn.member = await membership.member_of(
                turn.unit, turn.community.id, turn.person.user_id
            )
        turn.tr = catalogs.pick(
            turn.member.language if turn.member else None,
            turn.community.language if turn.community else None,
            turn.person.language_code if turn.person else None,
        )
    elif turn.person is not None:
        turn.tr = catalogs.pick(turn.person.language_code)


async def _guard(turn: Turn, spec: CommandSpec) -> None:
    """Refuses a command in the wrong kind of chat or from someone without the role."""
    if spec.where is Where.GROUP and not turn.in_group:
        raise NotAllowed("group_only", command=spec.name)
    if spec.where is Where.PRIVATE and turn.in_group:
        raise NotAllowed("private_only", command=spec.name, bot=turn.context.bot.username)
    if spec.who is Who.ADMIN:
        await _require_admin(turn)
    elif spec.who is Who.FACILITATOR:
        member = turn.require_member()
        if not member.is_facilitator:
            raise NotAllowed("facilitator_only")
    elif spec.who is Who.MEMBER and turn.in_group:
        turn.require_member()


async def _require_admin(turn: Turn) -> None:
    person = turn.require_person()
    member = await turn.context.bot.get_chat_member(turn.chat.id, person.user_id)
    if member.status not in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR):
        raise NotAllowed("admin_only")


async def is_admin(turn: Turn) -> bool:
    try:
        await _require_admin(turn)
    except NotAllowed:
        return False
    return True


async def _refuse(
    update: Update, context: CopContext, tr: Translator, error: CopError, *, answered: bool
) -> None:
    text = texts.error(tr, error)
    query = update.callback_query
    if query is not None:
        if not answered:
            await query.answer(text=texts.plain(text)[:200], show_alert=True)
        return
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    await context.bot.send_message(
        chat.id,
        text,
        reply_parameters=ReplyParameters(
            message_id=message.message_id, allow_sending_without_reply=True
        ),
    )


def command(name: str) -> Callable[[TurnFn], PtbCallback]:
    """Wraps a turn function as the callback of the named command, with its guard."""
    spec = BY_NAME[name]
    return lambda fn: _wrap(fn, spec)


def turn_callback(fn: TurnFn) -> PtbCallback:
    """Wraps a turn function for a non-command update (reply, button, chat event)."""
    return _wrap(fn, None)


def _wrap(fn: TurnFn, spec: CommandSpec | None) -> PtbCallback:
    @functools.wraps(fn)
    async def callback(update: Update, context: CopContext) -> None:
        await run_turn(update, context, fn, spec)

    return callback


def args_of(turn: Turn) -> list[str]:
    return list(turn.context.args or [])


def held_ranks(turn: Turn, admin: bool) -> frozenset[Who]:
    held = {Who.ANYONE}
    if turn.member is None:
        held.add(Who.GUEST)
    else:
        held.add(Who.MEMBER)
        if turn.member.is_facilitator:
            held.add(Who.FACILITATOR)
    if admin:
        held.add(Who.ADMIN)
    return frozenset(held)


def chat_kind(turn: Turn) -> Where:
    return Where.GROUP if turn.in_group else Where.PRIVATE
