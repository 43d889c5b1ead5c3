"""The turn: one update, one database transaction, one translator, one reply path.

Every callback goes through `run_turn`, which opens the transaction, resolves who and
where, applies the command's guard, and turns domain errors into friendly text
after the transaction rolled back (so nothing is stored half).

No Bot API call is made inside the transaction. What a callback says (`reply`, `send`,
`edit`, `answer`, files) is queued on the turn and delivered once the transaction has
committed, so a slow Telegram never holds a database lock, and a turn that rolled back
says nothing of what it would have said. Consequences, each tested:
- A reply whose message id matters (a ForceReply question, a round's prompt, a decision
  with its buttons) carries a `record` step: after the message is sent, that step runs in
  a short second transaction. When that second step fails (the database went away, a
  rule no longer holds), the sent message is edited to say it no longer works and should
  be asked again: the user never answers a question nobody listens to, and nothing the
  first transaction saved is touched.
- When delivery fails after the commit (Telegram unreachable, the person blocked the bot),
  what was saved stays saved; the rest of the turn's messages are not sent (never a later
  part without an earlier one) and nobody is told "nothing was saved".
- A process that dies between a turn's commit and its sends leaves that update handled
  but unanswered (a replay finds it done): at most the updates in the handling slots at
  the crash, and none is ever answered twice. Keeping the replies in the transaction
  (a reply outbox) would make them at-least-once; not built.
- Ordering across processes (PostgreSQL) is held by an advisory lock that ends with the
  transaction, so two turns of one chat never overlap in the database; their replies
  could still cross on the wire when two processes answer one chat within milliseconds.
- A fact only Telegram knows (is the sender a group administrator? is a member still in
  the group?) is asked before the transaction. When a callback finds it needs one it does
  not have, the attempt stops (`presence.NeedsTelegram`), rolls back, the fact is fetched
  outside any transaction, and the turn runs again.
- Work that must not hold a transaction (building a document) is a follow-up: `turn.then`
  runs a further callback in a transaction of its own after this turn's messages went out.

This module is also the adapter's routing kernel. A feature module declares what it
answers with decorators, and `handlers.register` reads the one table they fill:
- `@command("name")`: the command of that name in `bot.commands` (rights come from there);
- `@button(Button.X)`: presses on buttons of that prefix (`bot.render.callbacks.Button`);
- `@answers(PromptKind.X)`: replies to a bot message remembered as that prompt kind;
- `@continues(FlowKind.X)`: replies to a step of that dialogue;
- `@released(Release.X)`: what a free text does once it passed the pupil-name guard;
- `@opens(Start.X)`: where a deep link from a group prompt lands the member in private.
So feature modules never import each other: they meet only here.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from telegram import (
    CallbackQuery,
    Chat,
    ForceReply,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.app.context import CopContext
from bot.commands import BY_NAME, CommandSpec, Where, Who
from bot.errors import CopError, InvalidInput, NoCommunity, NotAllowed, NotAMember, StaleAction
from bot.i18n import Catalogs, Translator
from bot.render.callbacks import Button, Start, as_int, unpack
from bot.render.html import split_message
from bot.services import (
    chair,
    communities,
    flows,
    intake,
    membership,
    prompts,
    roster,
    updates,
)
from bot.services.flows import FlowKind, FlowState
from bot.services.intake import Release
from bot.services.prompts import PromptKind, PromptView
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView, Person
from bot.texts import common as texts
from bot.texts import issues as issue_texts
from bot.texts import keywords
from handlers import presence
from handlers.keyboards import keyboard
from handlers.presence import NeedsTelegram

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ForceReply | None
TurnFn = Callable[["Turn"], Awaitable[None]]
PtbCallback = Callable[[Update, CopContext], Coroutine[Any, Any, None]]
PromptReply = Callable[["Turn", PromptView, str], Awaitable[None]]
FlowReply = Callable[["Turn", FlowState, str], Awaitable[None]]
ReleasedFn = Callable[["Turn", CommunityView, MemberView, str, dict[str, Any]], Awaitable[None]]
OpenedFn = Callable[["Turn", CommunityView, MemberView], Awaitable[None]]
#: What a sent message's id means, stored in a short transaction after it was sent.
Recorder = Callable[[Unit, Message], Awaitable[None]]
#: A Bot API follow-up on a sent message (pinning it), after the commit like the send.
AfterSent = Callable[[Message], Awaitable[None]]
F = TypeVar("F")

GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)
MAX_ATTEMPTS = 3  # a turn re-runs at most twice for facts fetched from Telegram
RETRIES = 3  # a reply that met "retry after" is tried again this often ...
LONGEST_WAIT = timedelta(seconds=65)  # ... when Telegram asks to wait at most this long


@dataclass
class Facts:
    """What Telegram told about this update's sender, fetched outside any transaction."""

    admin: bool | None = None
    presence_checked: bool = False


#: The reaction that confirms a member's message (`Turn.acknowledge`).
ACKNOWLEDGED = "\U0001f44d"


@dataclass
class Outgoing:
    """One Bot API call the turn makes once its transaction committed."""

    call: Callable[[], Awaitable[Any]]
    record: Recorder | None = None
    after: AfterSent | None = None


@dataclass
class Followup:
    fn: TurnFn
    always: bool = False  # runs even when an earlier follow-up failed (releasing a lock)


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
    answered: bool = field(default=False)  # the press's answer went out
    archived_ok: bool = False  # the callback also works in an archived CoP
    facts: Facts = field(default_factory=Facts)
    outbox: list[Outgoing] = field(default_factory=list)
    followups: list[Followup] = field(default_factory=list)
    answer_queued: bool = False

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

    async def asked_in(self, prompt: PromptView) -> tuple[CommunityView, MemberView]:
        """The CoP and membership a reply to a prompt is about: in a group the group's,
        in a private chat the one the prompt names (a private reminder, the presence
        message)."""
        if self.in_group:
            return self.require_community(), self.require_member()
        return await self.pair_for(prompt.community_id)

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
        bot = self.context.bot

        async def call() -> None:
            with _unchanged_is_fine():
                await bot.edit_message_reply_markup(
                    chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
                )

        self.outbox.append(Outgoing(call))

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

    async def reply(
        self,
        text: str,
        markup: Markup = None,
        *,
        quote: bool = True,
        record: Recorder | None = None,
        after: AfterSent | None = None,
    ) -> None:
        """Answers in the update's chat, split to fit, buttons on the last part (after commit)."""
        reply_to = self.message.message_id if quote and self.message and not self.query else None
        await self.send(self.chat.id, text, markup, reply_to=reply_to, record=record, after=after)

    async def acknowledge(self, text: str) -> None:
        """Confirms a member's message in the group with a 👍 on it, not one more message
        (the bot's voice stays below the people's); in a private chat, after a button, or
        where the group does not allow reactions, it says `text`."""
        message = self.message
        if not self.in_group or message is None or self.query is not None:
            await self.reply(text)
            return
        bot, chat_id, message_id = self.context.bot, message.chat_id, message.message_id

        async def call() -> None:
            try:
                await bot.set_message_reaction(chat_id, message_id, ACKNOWLEDGED)
            except BadRequest:  # reactions switched off in this group
                await self._send_part(chat_id, text, None, message_id)

        self.outbox.append(Outgoing(call))

    async def send(
        self,
        chat_id: int,
        text: str,
        markup: Markup = None,
        *,
        reply_to: int | None = None,
        record: Recorder | None = None,
        after: AfterSent | None = None,
    ) -> None:
        """Queues a message; `record` stores what its id means once it is sent."""
        parts = split_message(text)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            self.outbox.append(
                Outgoing(
                    functools.partial(
                        self._send_part, chat_id, part, markup if last else None, reply_to
                    ),
                    record if last else None,
                    after if last else None,
                )
            )
            reply_to = None

    async def send_file(
        self, content: bytes, filename: str, caption: str | None = None, *, photo: bool = False
    ) -> None:
        """Queues a document (or a picture) for the update's chat."""
        bot, chat_id = self.context.bot, self.chat.id

        async def call() -> Message:
            upload = InputFile(content, filename=filename)
            if photo:
                return await bot.send_photo(chat_id, upload, caption=caption)
            return await bot.send_document(chat_id, upload, caption=caption)

        self.outbox.append(Outgoing(call))

    async def send_made(
        self, make: Callable[[], Awaitable[Sequence[tuple[bytes, str, str | None]]]]
    ) -> None:
        """Queues files made only after the commit (`make` gives content, name, caption):
        rendering a document holds no transaction, and the files follow what came before."""
        bot, chat_id = self.context.bot, self.chat.id

        async def call() -> None:
            for content, filename, caption in await make():
                await bot.send_document(
                    chat_id, InputFile(content, filename=filename), caption=caption
                )

        self.outbox.append(Outgoing(call))

    async def tell_privately(
        self,
        user_id: int,
        text: str,
        markup: Markup = None,
        *,
        record: Recorder | None = None,
    ) -> None:
        """Writes to someone privately (buttons and `record` on the last part); when they
        never started or blocked the bot, that is noted (in a transaction of its own) and
        the rest of the turn goes on."""
        bot, services = self.context.bot, self.context.services
        parts = split_message(text)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1

            async def call(part: str = part, last: bool = last) -> Message | None:
                try:
                    return await bot.send_message(
                        user_id, part, reply_markup=markup if last else None
                    )
                except Forbidden:
                    async with services.sessions.begin() as session:
                        await membership.set_private_chat(
                            Unit(session, services.clock()), user_id, open_=False
                        )
                    return None

            self.outbox.append(Outgoing(call, record if last else None))

    async def edit(self, message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
        """Edits a bot message in place; an unchanged text is not an error (a double press)."""
        bot = self.context.bot

        async def call() -> None:
            with _unchanged_is_fine():
                await bot.edit_message_text(
                    text,
                    chat_id=message.chat.id,
                    message_id=message.message_id,
                    reply_markup=markup,
                )

        self.outbox.append(Outgoing(call))

    async def edit_pressed(self, text: str, markup: InlineKeyboardMarkup | None) -> None:
        """Edits the message whose button was pressed (a list's next page, a count)."""
        message = self.query.message if self.query else None
        if isinstance(message, Message):
            await self.edit(message, text, markup)

    async def edit_at(
        self, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        """Edits a bot message known by its ids (a question posted earlier)."""
        bot = self.context.bot

        async def call() -> None:
            with _unchanged_is_fine():
                await bot.edit_message_text(
                    text, chat_id=chat_id, message_id=message_id, reply_markup=markup
                )

        self.outbox.append(Outgoing(call))

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answers the button press once (Telegram shows a spinner until we do)."""
        query = self.query
        if query is None or self.answer_queued:
            return
        self.answer_queued = True

        async def call() -> None:
            await query.answer(text=text[:200] if text else None, show_alert=alert)
            self.answered = True

        self.outbox.append(Outgoing(call))

    def then(self, fn: TurnFn, *, always: bool = False) -> None:
        """Runs `fn` after this turn's messages went out, in a transaction of its own."""
        self.followups.append(Followup(fn, always))

    async def is_admin(self) -> bool:
        """Whether the sender administers this group, as Telegram said before the turn."""
        if self.facts.admin is None:
            raise NeedsTelegram(
                functools.partial(
                    _fetch_admin,
                    self.context,
                    self.chat.id,
                    self.require_person().user_id,
                    self.facts,
                )
            )
        return self.facts.admin

    async def _send_part(
        self, chat_id: int, text: str, markup: Markup, reply_to: int | None
    ) -> Message:
        parameters = (
            ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to
            else None
        )
        bot, services = self.context.bot, self.context.services
        try:
            return await bot.send_message(
                chat_id, text, reply_markup=markup, reply_parameters=parameters
            )
        except ChatMigrated as migrated:
            new_id = int(migrated.new_chat_id)
            async with services.sessions.begin() as session:
                await communities.migrate_chat(Unit(session, services.clock()), chat_id, new_id)
            return await bot.send_message(new_id, text, reply_markup=markup)


@contextlib.contextmanager
def _unchanged_is_fine() -> Iterator[None]:
    try:
        yield
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def _fetch_admin(context: CopContext, chat_id: int, user_id: int, facts: Facts) -> None:
    member = await context.bot.get_chat_member(chat_id, user_id)
    facts.admin = member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def attach(flow: FlowState) -> Recorder:
    """The record step of a dialogue's question: replies to the sent message continue it."""

    async def record(unit: Unit, sent: Message) -> None:
        await flows.attach_prompt(unit, flow, sent.chat_id, sent.message_id)

    return record


def remembers(
    community_id: int | None,
    kind: PromptKind,
    *,
    meeting_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Recorder:
    """The record step of a prompt: replies to the sent message are answers of `kind`."""

    async def record(unit: Unit, sent: Message) -> None:
        await prompts.remember(
            unit,
            community_id,
            sent.chat_id,
            sent.message_id,
            kind,
            meeting_id=meeting_id,
            data=data,
        )

    return record


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
    """Runs one callback in one transaction, then delivers what it said.

    Domain errors become friendly answers. A callback that needs a fact only Telegram
    knows stops, the fact is fetched outside the transaction, and the callback runs again.
    """
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.CHANNEL:
        return
    services = context.services
    person = person_of(update)
    facts = Facts()
    if spec is not None and person is not None and chat.type in GROUP_TYPES:
        kind = Where.GROUP
        if spec.rule_for(_sub_args(services.catalogs, spec, context.args), kind) is Who.ADMIN:
            await _fetch_admin(context, chat.id, person.user_id, facts)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        tr = services.catalogs.pick(person.language_code if person else None)
        turn: Turn | None = None
        try:
            async with services.sessions.begin() as session:
                unit = Unit(session, services.clock())
                await updates.in_order(unit, chat.id)  # one chat's turns never overlap
                # The update id is recorded in the turn's own transaction, which also takes
                # the update out of the inbox: a redelivered update stops here, and one whose
                # turn rolled back (an error, an outage, a crash before the commit) is
                # handled afresh when it comes again.
                took = await services.inbox.take(unit, update.update_id)
                if await updates.first_time(unit, update.update_id):
                    turn = Turn(update, context, unit, tr, chat, person, facts=facts)
                    turn.archived_ok = archived or (spec is not None and spec.archived)
                    if chat.type == ChatType.PRIVATE and person is not None:
                        await _still_in_groups(turn, person.user_id)
                    await _resolve(turn)
                    tr = turn.tr
                    if spec is not None:
                        await _guard(turn, spec)
                    await fn(turn)
            if took:
                services.inbox.taken(update.update_id)
        except NeedsTelegram as need:
            if attempt == MAX_ATTEMPTS:
                raise RuntimeError("a turn kept asking Telegram for facts") from need
            await need.fetch()  # outside the transaction, which has rolled back
            continue
        except CopError as error:
            # A callback may have chosen its own language (the setup dialogue speaks the
            # admin's); its refusals follow it.
            speaker = turn.tr if turn is not None else tr
            await _refuse(update, context, speaker, error, answered=False)
            return
        if turn is None:
            services.metrics.duplicates.inc()
        else:
            await _deliver_all(turn)
        return


async def _still_in_groups(turn: Turn, user_id: int) -> None:
    """Before a private message is handled: has the person left one of their CoPs' groups?

    Answered from the presence cache inside the turn. A membership the cache does not know,
    or one it knows has ended, stops the attempt: the departure is looked up and recorded
    outside this transaction (`presence.confirm_private`), then the turn runs again.
    """
    if turn.facts.presence_checked:
        return
    facts = turn.facts

    async def confirm() -> None:
        facts.presence_checked = True
        await presence.confirm_private(turn.context, user_id)

    await roster.check_private(turn.unit, user_id, presence.CachedRoster(turn.context, confirm))


async def _deliver_all(turn: Turn) -> None:
    """After the commit: the turn's messages, then its follow-ups, each in its own transaction."""
    failed = not await _deliver(turn)
    for followup in turn.followups:
        if failed and not followup.always:
            continue
        if not await _follow(turn, followup.fn):
            failed = True


async def _follow(first: Turn, fn: TurnFn) -> bool:
    """One follow-up: a callback of the same update in a new transaction; False if it failed."""
    services = first.context.services
    turn: Turn | None = None
    try:
        async with services.sessions.begin() as session:
            turn = Turn(
                first.update,
                first.context,
                Unit(session, services.clock()),
                first.tr,
                first.chat,
                first.person,
                first.community,
                first.member,
                answered=True,
                archived_ok=first.archived_ok,
                facts=first.facts,
                answer_queued=True,
            )
            await fn(turn)
    except CopError as error:
        await _refuse(first.update, first.context, first.tr, error, answered=True)
        return False
    except Exception:
        await _broke_off(first, "a follow-up of update %s failed")
        return False
    assert turn is not None
    if not await _deliver(turn):
        return False
    for followup in turn.followups:
        if not await _follow(turn, followup.fn):
            return False
    return True


async def _deliver(turn: Turn) -> bool:
    """Sends what the committed turn said, in order; False when delivery stopped.

    A press is answered first (Telegram shows a spinner until then). When a message
    cannot be delivered the rest is not sent: what was saved stays saved, and the person,
    if they can be reached at all, is told the answer broke off, never "nothing was saved".
    """
    if turn.query is not None and not turn.answer_queued:
        await turn.answer()
        turn.outbox.insert(0, turn.outbox.pop())
    services = turn.context.services
    for out in turn.outbox:
        try:
            sent = await _patiently(out.call)
        except Forbidden:
            if turn.chat.type == ChatType.PRIVATE and turn.person is not None:
                await _blocked(turn.context, turn.person)
            log.info("chat %s does not take messages: the turn's answer stops", turn.chat.id)
            return False
        except TelegramError as exc:
            services.metrics.telegram_errors.labels("after_commit").inc()
            log.warning(
                "answer to update %s broke off after the commit: %s",
                turn.update.update_id,
                type(exc).__name__,
            )
            return False
        except Exception:
            await _broke_off(turn, "answering update %s failed after the commit")
            return False
        if isinstance(sent, Message) and out.record and not await _record(turn, out.record, sent):
            return False
        if isinstance(sent, Message) and out.after is not None:
            await out.after(sent)
    return True


async def _patiently(call: Callable[[], Awaitable[Any]]) -> Any:
    """Makes a Bot API call, waiting out Telegram's "retry after" (a group over its 20
    messages a minute) up to `LONGEST_WAIT`: the reply is late, not lost. Only this chat
    waits: its next update would wait for this reply anyway, to keep the chat's order."""
    for attempt in range(RETRIES + 1):
        try:
            return await call()
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
            if attempt == RETRIES or seconds > LONGEST_WAIT.total_seconds():
                raise
            await asyncio.sleep(seconds)
    raise AssertionError("unreachable")


async def _record(turn: Turn, record: Recorder, sent: Message) -> bool:
    """Stores what a sent message's id means; on failure the message says it no longer works."""
    services = turn.context.services
    try:
        async with services.sessions.begin() as session:
            await record(Unit(session, services.clock()), sent)
    except Exception as exc:  # the database, or a rule that no longer holds
        log.warning(
            "recording message %s of update %s failed: %s",
            sent.message_id,
            turn.update.update_id,
            type(exc).__name__,
        )
        with contextlib.suppress(TelegramError):
            await turn.context.bot.edit_message_text(
                texts.withdrawn(turn.tr), chat_id=sent.chat_id, message_id=sent.message_id
            )
        return False
    return True


async def _broke_off(turn: Turn, what: str) -> None:
    """A bug after the commit: logged, and the person told their message is kept."""
    log.exception(what, turn.update.update_id)
    with contextlib.suppress(TelegramError):
        await turn.context.bot.send_message(turn.chat.id, texts.reply_failed(turn.tr))


async def _blocked(context: CopContext, person: Person) -> None:
    """The person blocked the bot: noted, so nothing more is sent to them privately."""
    async with context.services.sessions.begin() as session:
        await membership.set_private_chat(
            Unit(session, context.services.clock()), person.user_id, open_=False
        )


async def _resolve(turn: Turn) -> None:
    """Finds the chat's CoP and the sender's membership, and the language to answer in.

    The group reads the CoP's language (everyone reads it, whatever one sender's phone
    says); before /setup the installation's default language (`COPBOT_DEFAULT_LANGUAGE`).
    A private chat about a CoP speaks the member's own choice (/language), else that
    CoP's language; only someone in no CoP is answered in their phone's language.
    """
    catalogs = turn.context.services.catalogs
    if turn.in_group:
        turn.community = await communities.by_chat(turn.unit, turn.chat.id)
        if turn.community is not None and turn.person is not None:
            turn.member = await membership.member_of(
                turn.unit, turn.community.id, turn.person.user_id
            )
        turn.tr = catalogs.get(turn.community.language if turn.community else None)
    elif turn.person is not None:
        turn.tr = catalogs.pick(*await _private_languages(turn.unit, turn.person))


async def _private_languages(unit: Unit, person: Person) -> list[str | None]:
    """The languages to try for a private chat, best first (see `_resolve`)."""
    pairs = await membership.memberships(unit, person.user_id)
    if not pairs:
        return [person.language_code]
    chosen = [member.language for _, member in pairs if member.language]
    if len(pairs) > 1:
        with contextlib.suppress(NotAMember):
            resolution = await membership.resolve(unit, person.user_id)
            if resolution.chosen is not None:
                pairs = [resolution.chosen]
    cops = {community.language for community, _ in pairs}
    return [*chosen[:1], *(cops if len(cops) == 1 else ()), person.language_code]


async def _guard(turn: Turn, spec: CommandSpec) -> None:
    """Refuses a command in the wrong kind of chat or from someone without the role."""
    if spec.where is Where.GROUP and not turn.in_group:
        raise NotAllowed("group_only", command=spec.name)
    if spec.where is Where.PRIVATE and turn.in_group:
        raise NotAllowed("private_only", command=spec.name, bot=turn.context.bot.username)
    who = spec.rule_for(
        _sub_args(turn.context.services.catalogs, spec, args_of(turn)), chat_kind(turn)
    )
    if who is Who.ADMIN:
        if not await turn.is_admin():
            raise NotAllowed("admin_only")
    elif who is Who.FACILITATOR:
        member = turn.require_member()
        if not member.is_facilitator:
            raise NotAllowed("facilitator_only")
    elif who is Who.CHAIR:
        member = turn.require_member()
        if not member.is_facilitator and not await chair.is_chair(
            turn.unit, member.community_id, member.id
        ):
            raise NotAllowed("facilitator_only")
    elif who is Who.MEMBER and turn.in_group:
        turn.require_member()


async def is_admin(turn: Turn) -> bool:
    """Whether the sender administers the group (asked of Telegram outside the turn)."""
    if turn.person is None or not turn.in_group:
        return False
    return await turn.is_admin()


async def _refuse(
    update: Update, context: CopContext, tr: Translator, error: CopError, *, answered: bool
) -> None:
    text = texts.error(tr, error, context.services.clock().date())
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
    opens: dict[Start, OpenedFn] = field(default_factory=dict)


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


def opens(key: Start) -> Callable[[OpenedFn], OpenedFn]:
    """Where a deep link (`t.me/<bot>?start=<key>-<CoP>`) lands the member in private."""
    return lambda fn: _bind(ROUTES.opens, key, fn)


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


def keyword_args(turn: Turn, *keys: str) -> list[str]:
    """The command's arguments with each keyword among `keys` (typed in any language)
    turned into its canonical key, e.g. `/issues sluiten` -> ["close"]."""
    return keywords.read(turn.context.services.catalogs, args_of(turn), keys)


def _sub_args(catalogs: Catalogs, spec: CommandSpec, args: Sequence[str] | None) -> list[str]:
    """The arguments with a sub-command typed in any language read as its canonical key,
    so `/chair uit` needs the same rank as `/chair off`."""
    typed = list(args or [])
    subs = [rule.keyword for rule in spec.sub if rule.keyword != "*"]
    if typed and subs:
        typed[0] = keywords.canonical(catalogs, typed[0], subs) or typed[0]
    return typed


def held_ranks(turn: Turn, admin: bool) -> frozenset[Who]:
    held = {Who.ANYONE}
    if turn.member is None:
        held.add(Who.GUEST)
    else:
        held.add(Who.MEMBER)
        if turn.member.is_facilitator:
            held.update((Who.FACILITATOR, Who.CHAIR))
    if admin:
        held.add(Who.ADMIN)
    return frozenset(held)


def chat_kind(turn: Turn) -> Where:
    return Where.GROUP if turn.in_group else Where.PRIVATE
