"""The turn: one update, one database session, one translator, one reply path.

Every callback goes through `run_turn`, which opens the session, resolves who and
where, applies the command's guard, and turns domain errors into friendly text
after the session rolled back (so nothing is stored half).

This module is also the adapter's routing kernel. A feature module declares what it
answers with decorators, and `handlers.register` reads the one table they fill:
- `@command("name")`: the command of that name in `bot.commands` (rights come from there);
- `@button(Button.X)`: presses on buttons of that prefix (`bot.render.callbacks.Button`);
- `@answers(PromptKind.X)`: replies to a bot message remembered as that prompt kind;
- `@continues(FlowKind.X)`: replies to a step of that dialogue;
- `@released(Release.X)`: what a free text does once it passed the pupil-name guard.
So feature modules never import each other: they meet only here.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

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
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.app.context import CopContext
from bot.commands import BY_NAME, CommandSpec, Where, Who
from bot.errors import CopError, InvalidInput, NoCommunity, NotAllowed, NotAMember, StaleAction
from bot.i18n import Translator
from bot.render.callbacks import Button, as_int, unpack
from bot.render.html import split_message
from bot.services import communities, intake, membership, updates
from bot.services.flows import FlowKind, FlowState
from bot.services.intake import Release
from bot.services.prompts import PromptKind, PromptView
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView, Person
from bot.texts import common as texts
from bot.texts import issues as issue_texts
from handlers import presence
from handlers.keyboards import keyboard

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ForceReply | None
TurnFn = Callable[["Turn"], Awaitable[None]]
PtbCallback = Callable[[Update, CopContext], Coroutine[Any, Any, None]]
PromptReply = Callable[["Turn", PromptView, str], Awaitable[None]]
FlowReply = Callable[["Turn", FlowState, str], Awaitable[None]]
ReleasedFn = Callable[["Turn", CommunityView, MemberView, str, dict[str, Any]], Awaitable[None]]
F = TypeVar("F")

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
    archived_ok: bool = False  # the callback also works in an archived CoP

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

    def pressed(self, *kinds: type[int] | type[str]) -> tuple[Any, ...]:
        """The pressed button's values after its prefix, parsed; a forged or old one is stale.

        `flow_id, choice = turn.pressed(int, str)`: one idiom for every button, so no
        callback can forget to refuse data it cannot use.
        """
        values: list[Any] = []
        for kind, part in zip(kinds, self.button(len(kinds) + 1)[1:], strict=True):
            value: Any = as_int(part) if kind is int else part
            if value is None or value == "":
                raise StaleAction("stale_button")
            values.append(value)
        return tuple(values)

    async def here(self) -> tuple[CommunityView, MemberView]:
        """The CoP of this chat (group) or the one chosen for private messages."""
        if self.in_group:
            return self.require_community(), self.require_member()
        person = self.require_person()
        resolution = await membership.resolve(self.unit, person.user_id)
        if resolution.chosen is None:
            raise InvalidInput("choose_cop_first")
        return resolution.chosen

    async def pair_for(self, community_id: int | None) -> tuple[CommunityView, MemberView]:
        """The sender's CoP and membership for a dialogue or prompt that names its CoP."""
        person = self.require_person()
        for community, member in await membership.memberships(self.unit, person.user_id):
            if community.id == community_id:
                return community, member
        raise StaleAction("stale_button")

    async def remove_buttons(self) -> None:
        """Takes the buttons off the pressed message; a second press finds none to take."""
        if self.query is None or self.query.message is None:
            return
        message = self.query.message
        try:
            await self.context.bot.edit_message_reply_markup(
                chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise

    def require_person(self) -> Person:
        if self.person is None:
            raise NotAllowed("no_person")
        return self.person

    def require_community(self) -> CommunityView:
        if self.community is None:
            raise NoCommunity("no_community")
        if self.community.status != "active" and not self.archived_ok:
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
    update: Update,
    context: CopContext,
    fn: TurnFn,
    spec: CommandSpec | None = None,
    *,
    archived: bool = False,
) -> None:
    """Runs one callback in one unit of work; domain errors become friendly answers."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.CHANNEL:
        return
    services = context.services
    person = person_of(update)
    tr = services.catalogs.pick(person.language_code if person else None)
    turn: Turn | None = None
    if chat.type == ChatType.PRIVATE and person is not None:
        await presence.confirm_private(context, person.user_id)  # left a CoP's group?
    try:
        async with services.sessions.begin() as session:
            unit = Unit(session, services.clock())
            await updates.in_order(unit, chat.id)  # one chat's turns never overlap
            # The update id is recorded in the turn's own transaction: a redelivered update
            # stops here, and an update whose turn rolled back (an error, an outage, a
            # crash before the commit) is handled afresh when it comes again.
            if not await updates.first_time(unit, update.update_id):
                services.metrics.duplicates.inc()
                return
            turn = Turn(update, context, unit, tr, chat, person)
            turn.archived_ok = archived or (spec is not None and spec.archived)
            await _resolve(turn)
            tr = turn.tr
            if spec is not None:
                await _guard(turn, spec)
            await fn(turn)
            if turn.query is not None:
                await turn.answer()
    except CopError as error:
        await _refuse(update, context, tr, error, answered=bool(turn and turn.answered))
    except Forbidden:
        if chat.type != ChatType.PRIVATE or person is None:
            raise
        # The person blocked the bot but pressed an old button: nothing of the turn is kept
        # (its answer could not reach them), and the press is answered as far as possible.
        await _blocked(update, context, tr, person, answered=bool(turn and turn.answered))


async def _blocked(
    update: Update, context: CopContext, tr: Translator, person: Person, *, answered: bool
) -> None:
    async with context.services.sessions.begin() as session:
        await membership.set_private_chat(
            Unit(session, context.services.clock()), person.user_id, open_=False
        )
    if update.callback_query is not None and not answered:
        with contextlib.suppress(TelegramError):
            await _refuse(update, context, tr, NotAllowed("blocked_bot"), answered=False)


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
    who = spec.rule_for(args_of(turn), chat_kind(turn))
    if who is Who.ADMIN:
        await _require_admin(turn)
    elif who is Who.FACILITATOR:
        member = turn.require_member()
        if not member.is_facilitator:
            raise NotAllowed("facilitator_only")
    elif who is Who.MEMBER and turn.in_group:
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
    if query is not None and not answered:
        await query.answer(text=texts.plain(text)[:200], show_alert=True)
        return
    # A press answered before the refusal came (the spinner is gone) is told in the chat:
    # a refusal is never silence.
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


@dataclass
class Routes:
    """What the feature modules declared they answer; `handlers.register` reads it."""

    commands: dict[str, PtbCallback] = field(default_factory=dict)
    buttons: dict[Button, PtbCallback] = field(default_factory=dict)
    prompts: dict[PromptKind, PromptReply] = field(default_factory=dict)
    flows: dict[FlowKind, FlowReply] = field(default_factory=dict)
    releases: dict[Release, ReleasedFn] = field(default_factory=dict)


ROUTES = Routes()


def _bind(table: dict[Any, F], key: Any, value: F) -> F:
    if key in table:
        raise RuntimeError(f"{key!r} is bound twice")
    table[key] = value
    return value


def command(name: str) -> Callable[[TurnFn], PtbCallback]:
    """The callback of the named command of `bot.commands`, behind that command's guard."""
    spec = BY_NAME[name]
    return lambda fn: _bind(ROUTES.commands, name, _wrap(fn, spec))


def button(prefix: Button, *, archived: bool = False) -> Callable[[TurnFn], PtbCallback]:
    """The callback of presses on buttons whose data starts with `prefix` (`archived`:
    also in an archived CoP, as `CommandSpec.archived`)."""
    return lambda fn: _bind(ROUTES.buttons, prefix, _wrap(fn, None, archived))


def answers(*kinds: PromptKind) -> Callable[[PromptReply], PromptReply]:
    """What a reply to a prompt of these kinds does (inside the reply's turn)."""

    def bind(fn: PromptReply) -> PromptReply:
        for kind in kinds:
            _bind(ROUTES.prompts, kind, fn)
        return fn

    return bind


def continues(kind: FlowKind) -> Callable[[FlowReply], FlowReply]:
    """What a reply to a step of this dialogue does (inside the reply's turn)."""
    return lambda fn: _bind(ROUTES.flows, kind, fn)


def released(release: Release) -> Callable[[ReleasedFn], ReleasedFn]:
    """What a free text of this kind does once the pupil-name guard let it through."""
    return lambda fn: _bind(ROUTES.releases, release, fn)


def turn_callback(fn: TurnFn) -> PtbCallback:
    """Wraps a turn function for an update that is no command or button (chat events)."""
    return _wrap(fn, None)


async def submit(
    turn: Turn,
    community: CommunityView,
    member: MemberView,
    text: str,
    release: Release,
    data: dict[str, Any],
    *,
    confirmed: bool = False,
) -> None:
    """Every free text a member sends passes here: screened by the guard, then released.

    When the text may name a pupil it waits in a dialogue (nothing is stored) and the
    writer chooses; `handlers.intake` takes that choice and calls back here.
    """
    if not confirmed:
        held = await intake.screen(
            turn.unit, community, turn.require_person().user_id, turn.chat.id, text, release, data
        )
        if held is not None:
            await turn.reply(
                issue_texts.guard_warning(turn.tr, held.findings, held.suggestion),
                _guard_keyboard(turn.tr, held.flow_id),
            )
            return
    await ROUTES.releases[release](turn, community, member, text, data)


def _guard_keyboard(tr: Translator, flow_id: int) -> InlineKeyboardMarkup:
    labels = issue_texts.guard_labels(tr)
    return keyboard(
        *[[(labels[choice], (Button.GUARD, flow_id, choice))] for choice in ("use", "keep", "drop")]
    )


def _wrap(fn: TurnFn, spec: CommandSpec | None, archived: bool = False) -> PtbCallback:
    @functools.wraps(fn)
    async def callback(update: Update, context: CopContext) -> None:
        await run_turn(update, context, fn, spec, archived=archived)

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
