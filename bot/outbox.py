"""Sends what is due from the reminder outbox, exactly once.

A timer (PTB's JobQueue, i.e. APScheduler) calls `run_due` every minute and at
start; the database says what is due, so nothing lives only in memory and a
restart simply continues. Each reminder is claimed in its own transaction and
composed into its messages, one outbox row per recipient. Each message is claimed
(compare-and-set planned -> sending) in its own transaction before it is sent and
settled in another, so a crash or a second timer never sends it twice, and a 429 or
a network error part-way holds back only the messages not yet sent, until Telegram's
`retry_after` (a 429 also holds back that chat's other messages of the pass). A crash
between claim and settle is recorded by the next leader once the claim is older than
the send timeout, never retried (at most once per message).

Several CoPs are served at once (`settings.outbox_in_flight` workers, one message in
flight each), a CoP's reminders one after the other; PTB's `AIORateLimiter` paces all
of them together to Telegram's 30 messages/s and 20 a minute per group.

It reads and moves the outbox rows only through `bot.services.reminders` (and the
other services), and says everything through `bot.texts.outbox`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app.context import Services
from bot.i18n import Translator
from bot.ports import Buttons, ChatGone, ChatMoved, Sender, SendError, SendLater
from bot.render.callbacks import Button, pack
from bot.render.html import split_message
from bot.services import (
    agenda,
    attendance,
    chair,
    communities,
    decisions,
    issues,
    lifecycle,
    meeting_args,
    meetings,
    membership,
    prompts,
    qualities,
    reminders,
    rhythm,
    updates,
)
from bot.services.meetings import MeetingView
from bot.services.prompts import PromptKind
from bot.services.reminders import Due, Fate, Kind
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.texts import outbox as texts

log = logging.getLogger(__name__)

BATCH = 500
WEEKLY_QUIET = timedelta(hours=36)  # no weekly question this close to a meeting
#: A reminder this close to its meeting is the last call: one line, the agenda was sent.
SHORT_BEFORE = timedelta(hours=20)
MAX_ATTEMPTS = 3
MAX_RATE_LIMITED = 50


@dataclass
class Outgoing:
    chat_id: int
    text: str
    buttons: Buttons | None = None
    prompt_kind: PromptKind | None = None  # replies to this message are answers of this kind
    prompt_data: dict[str, object] | None = None


@dataclass
class TickReport:
    sent: int = 0
    missed: int = 0
    skipped: int = 0
    failed: int = 0
    retried: int = 0
    outcomes: list[tuple[int, str]] = field(default_factory=list)

    def add(self, reminder_id: int, outcome: str) -> None:
        self.outcomes.append((reminder_id, outcome))
        if outcome in ("sent", "missed", "skipped", "failed"):
            setattr(self, outcome, getattr(self, outcome) + 1)
        elif outcome == "retry":
            self.retried += 1


async def recover(services: Services, stale_after: timedelta = reminders.SEND_TIMEOUT) -> int:
    """On the leader: messages whose sender died mid-send (claimed longer than `stale_after`
    ago) are recorded as interrupted, never sent twice; younger claims may be live."""
    async with services.sessions.begin() as session:
        return await reminders.recover(Unit(session, services.clock()), stale_after)


async def run_due(services: Services, sender: Sender, *, batch: int = BATCH) -> TickReport:
    """Sends every reminder that is due now, and every message of an earlier one that is
    due again (after a 429 or a network error); returns what happened to each.

    Up to `settings.outbox_in_flight` messages are on their way at once, each of another
    CoP; the bot's rate limiter paces them all to Telegram's limits. A CoP's reminders go
    one after the other, in the order they fell due: what a reminder says may depend on
    what the one before it sent (the first meeting reminder asks who comes, the next not)."""
    run = _Pass(services, sender)
    async with services.sessions.begin() as session:
        unit = Unit(session, services.clock())
        ids = await reminders.due_ids(unit, batch)
        again = [r for r in await reminders.delivering_due(unit, batch) if r not in ids]
        for reminder_id in ids:
            run.put((await reminders.row(unit, reminder_id)).community_id, reminder_id, True)
        for reminder_id in again:
            run.put((await reminders.row(unit, reminder_id)).community_id, reminder_id, False)
    workers = min(services.settings.outbox_in_flight, len(run.lanes))
    for failure in await asyncio.gather(
        *(run.work() for _ in range(workers)), return_exceptions=True
    ):
        if isinstance(failure, BaseException):
            raise failure
    return run.report


@dataclass
class _Pass:
    """One pass over the outbox: the reminders due in lanes, one lane per CoP, in the
    order they fell due; each worker drains one lane at a time and sends one message at a
    time, so at most as many messages are in flight as there are workers.

    Each message is claimed (compare-and-set) in its own transaction, sent, and settled in
    another: a 429 for a chat holds back that chat's further messages of this pass until
    its retry_after, and no other chat's."""

    services: Services
    sender: Sender
    lanes: dict[int, list[tuple[int, bool]]] = field(default_factory=dict)
    held: dict[int, datetime] = field(default_factory=dict)  # chat id -> its retry_after
    report: TickReport = field(default_factory=TickReport)

    def put(self, community_id: int, reminder_id: int, fresh: bool) -> None:
        self.lanes.setdefault(community_id, []).append((reminder_id, fresh))

    async def work(self) -> None:
        while self.lanes:
            jobs = self.lanes.pop(next(iter(self.lanes)))  # the CoP due first, first
            for reminder_id, fresh in jobs:
                if fresh:
                    outcome = await _process(self, reminder_id)
                else:
                    outcome = await _deliver(self, reminder_id)
                self.report.add(reminder_id, outcome)


async def _process(run: _Pass, reminder_id: int) -> str:
    """Claims a due reminder, composes its messages (one outbox row each) and sends them.
    A weekly question makes room for next week's in the claim, not in a settle."""
    services = run.services
    async with services.sessions.begin() as session:
        unit = Unit(session, services.clock())
        due = await reminders.claim(unit, reminder_id)
        if due is None:
            return "taken"
        fate, note = reminders.decide(due, unit.now, services.holidays)
        if fate is Fate.SEND:
            messages = _fit(await _compose(unit, services, due))
            if not messages:
                fate, note = Fate.SKIPPED, "nothing to say"
        await reminders.make_room(unit, due)
        if fate is Fate.LATER:
            await reminders.postpone(unit, due)
            return fate.value
        if fate is not Fate.SEND:
            await reminders.close(unit, reminder_id, fate, note)
            return fate.value
        ids = await reminders.deliver(unit, reminder_id, [_planned(m) for m in messages])
    return await _deliver(run, reminder_id, ids)


def _planned(message: Outgoing) -> reminders.Message:
    return reminders.Message(
        message.chat_id,
        message.text,
        [list(line) for line in message.buttons] if message.buttons else None,
        message.prompt_kind.value if message.prompt_kind else None,
        message.prompt_data,
    )


async def _deliver(run: _Pass, reminder_id: int, ids: list[int] | None = None) -> str:
    """Sends a reminder's messages that are due, each claimed and settled on its own: a
    429 or a network error part-way holds back only the messages not yet sent (and, for
    a 429, the chat's others)."""
    services, sender = run.services, run.sender
    if ids is None:
        async with services.sessions.begin() as session:
            ids = await reminders.due_messages(Unit(session, services.clock()), reminder_id)
    outcome: str | None = None
    for delivery_id in ids:
        async with services.sessions.begin() as session:
            unit = Unit(session, services.clock())
            message = await reminders.claim_message(unit, delivery_id)
            if message is None:
                continue  # another sender has it, or it waits for its retry time
            until = run.held.get(message.chat_id)
            if until is not None and until > unit.now:  # this chat waits for its retry_after
                await reminders.undelivered(unit, message.id, "rate limited", again=until)
                continue
        try:
            message_id = await _send(sender, message)
        except SendError as error:
            if isinstance(error, SendLater):
                later = services.clock() + timedelta(seconds=error.seconds)
                run.held[message.chat_id] = max(later, run.held.get(message.chat_id, later))
            verdict, notices = await _undelivered(services, message, error)
            await _tell(sender, notices)
            if verdict == "gone":
                return "failed"
            continue
        async with services.sessions.begin() as session:
            unit = Unit(session, services.clock())
            await reminders.delivered(unit, message.id, message_id)
            await _remember_prompt(unit, message, message_id)
            outcome = await reminders.finish(unit, reminder_id)
    if outcome is None:
        async with services.sessions.begin() as session:
            outcome = await reminders.finish(Unit(session, services.clock()), reminder_id)
    return "retry" if outcome is None else outcome


async def _send(sender: Sender, message: reminders.DeliveryRow) -> int:
    """One message on its way to Telegram; returns its message id."""
    buttons = [list(line) for line in message.buttons] if message.buttons else None
    return await sender.send(message.chat_id, message.text, buttons)


async def _remember_prompt(unit: Unit, message: reminders.DeliveryRow, message_id: int) -> None:
    """Replies to the message just sent are answers of its prompt kind."""
    if message.prompt_kind:
        reminder = await reminders.row(unit, message.reminder_id)
        await prompts.remember(
            unit,
            message.community_id,
            message.chat_id,
            message_id,
            PromptKind(message.prompt_kind),
            meeting_id=reminder.meeting_id,
            data=dict(message.prompt_data or {}),
        )
        if message.prompt_kind in CHASED and reminder.kind is not Kind.CHASE:
            # A question the group was just asked: its private reminder is planned now.
            await reminders.plan_chase(unit, message.community_id)


#: Questions the outbox asks in the group that get one private reminder (`Kind.CHASE`).
CHASED = (PromptKind.ISSUE_ROUND, PromptKind.WEEKLY, PromptKind.FOLLOWUP)


async def _undelivered(
    services: Services, message: reminders.DeliveryRow, error: SendError
) -> tuple[str, list[Outgoing]]:
    """What a failed send means for this message (and, when the bot is gone, the CoP)."""
    async with services.sessions.begin() as session:
        unit = Unit(session, services.clock())
        verdict, notices = await _verdict(unit, services, message, error)
        await reminders.finish(unit, message.reminder_id)
    return verdict, notices


async def _verdict(
    unit: Unit, services: Services, message: reminders.DeliveryRow, error: SendError
) -> tuple[str, list[Outgoing]]:
    community = await _community(unit, message.community_id)
    if isinstance(error, ChatGone) and message.chat_id != community.chat_id:
        # One member blocked the bot in private: the others still get theirs.
        await membership.set_private_chat(unit, message.chat_id, open_=False)
        await reminders.undelivered(unit, message.id, "blocked the bot in private", again=None)
        return "failed", []
    if isinstance(error, ChatMoved):
        # The group became a supergroup: its messages still due follow it at once.
        await reminders.undelivered(unit, message.id, "chat moved", again=unit.now)
        await unit.session.flush()
        await communities.migrate_chat(unit, community.chat_id, error.new_chat_id)
        await reminders.move_chat(unit, community.id, community.chat_id, error.new_chat_id)
        return "retry", []
    if isinstance(error, SendLater) and message.attempts < MAX_RATE_LIMITED:
        # 429 means "later", not "failed": this message waits for Telegram's retry_after.
        later = unit.now + timedelta(seconds=error.seconds)
        await reminders.undelivered(unit, message.id, "rate limited", again=later)
        return "retry", []
    if isinstance(error, ChatGone):
        note = "the bot is no longer in the chat"
        await reminders.undelivered(unit, message.id, note, again=None)
        await reminders.cancel_rest(unit, message.reminder_id, note)
        return "gone", await _removal_notices(unit, services, community)
    if message.attempts < MAX_ATTEMPTS:
        later = unit.now + timedelta(minutes=1)
        await reminders.undelivered(unit, message.id, type(error).__name__, again=later)
        return "retry", []
    note = type(error).__name__
    await reminders.undelivered(unit, message.id, note, again=None)
    log.warning("a message of reminder %s failed for good: %s", message.reminder_id, note)
    return "failed", []


async def _tell(sender: Sender, notices: list[Outgoing]) -> None:
    for notice in notices:  # best effort: a facilitator who blocked us is simply skipped
        try:
            await sender.send(notice.chat_id, notice.text)
        except SendError:
            log.info("could not tell a facilitator that the bot was removed")


async def _removal_notices(
    unit: Unit, services: Services, community: CommunityView
) -> list[Outgoing]:
    """The group is gone: stop the CoP and tell its facilitators where we may."""
    facilitators = await communities.bot_removed(unit, community.chat_id)
    await reminders.replan(unit, community.id)
    notices = []
    for facilitator in facilitators:
        if facilitator.private_chat and facilitator.telegram_user_id:
            tr = services.catalogs.pick(facilitator.language, community.language)
            notices.append(
                Outgoing(facilitator.telegram_user_id, texts.bot_removed(tr, community.name))
            )
    return notices


async def _community(unit: Unit, community_id: int) -> CommunityView:
    (community,) = await communities.by_ids(unit, [community_id])
    return community


def _fit(messages: list[Outgoing]) -> list[Outgoing]:
    """A text longer than Telegram allows goes out in parts, as replies do
    (`split_message`); the buttons and the prompt a reply answers are on the last part."""
    fitted: list[Outgoing] = []
    for message in messages:
        *first, final = split_message(message.text)
        fitted += [Outgoing(message.chat_id, part) for part in first]
        fitted.append(replace(message, text=final))
    return fitted


async def _compose(unit: Unit, services: Services, due: Due) -> list[Outgoing]:
    """The messages of one reminder, in the CoP's language."""
    community, kind = due.community, due.row.kind
    tr = services.catalogs.get(community.language)
    if kind is Kind.WEEKLY:
        if await meetings.near(unit, community.id, WEEKLY_QUIET):
            return []
        text = texts.weekly(tr, community.name)
        return [Outgoing(community.chat_id, text, prompt_kind=PromptKind.WEEKLY)]
    if kind is Kind.CHASE:
        return await _chase(unit, services, due)
    if kind is Kind.EARLY:
        return await _early(unit, services, due)
    if due.row.contribution_id is not None:
        return await _agreement(unit, tr, community, kind, due.row.contribution_id)
    assert due.row.meeting_id is not None
    meeting = await meetings.by_id(unit, community.id, due.row.meeting_id)
    if kind is Kind.NUDGE:
        return await _nudges(unit, services, community, meeting)
    if kind is Kind.HEALTH:
        return await _health(unit, services, community, meeting)
    if kind is Kind.SERIES:
        return await _next_series(unit, services, tr, community)
    if kind is Kind.AFTER:
        return await _presence(unit, services, community, meeting)
    return await _to_group(unit, tr, community, kind, meeting)


async def _next_series(
    unit: Unit, services: Services, tr: Translator, community: CommunityView
) -> list[Outgoing]:
    """After the last meeting, when nothing else is planned: one proposal in the group to
    go on, and (unless it already does) to let the chair rotate."""
    if await meetings.next_meeting(unit, community.id) is not None:
        return []
    proposal = await meeting_args.next_series(unit, community, services.holidays)
    assert proposal.first and proposal.count and proposal.interval
    first = datetime.fromisoformat(proposal.first)
    tz = ZoneInfo(community.timezone)
    text = texts.next_series(tr, community.name, proposal.count, proposal.interval, first, tz)
    labels = texts.next_series_labels(tr)
    row = [(labels["plan"], pack(Button.NEXT_SERIES, "plan"))]
    if not await chair.rotating(unit, community.id):
        row.append((labels["chair"], pack(Button.NEXT_SERIES, "chair")))
    return [Outgoing(community.chat_id, text, [row])]


async def _to_group(
    unit: Unit, tr: Translator, community: CommunityView, kind: Kind, meeting: MeetingView
) -> list[Outgoing]:
    """The messages around a meeting that go to the group."""
    tz, chat = ZoneInfo(community.timezone), community.chat_id
    if kind is Kind.BEFORE:
        first = not await attendance.asked(unit, community.id, meeting.id)
        if not first and meeting.starts_at - unit.now < SHORT_BEFORE:
            # The last call: the agenda went out already, so one short line.
            counts = await attendance.counts(unit, community.id, meeting.id)
            return [Outgoing(chat, texts.starting_soon(tr, community.name, meeting, counts, tz))]
        shown = await agenda.briefing(unit, meeting, sending=True)
        text = texts.before(tr, community.name, shown, tz, ask=first)
        if not first:
            return [Outgoing(chat, text)]
        buttons = _attendance_buttons(tr, meeting.id)
        return [Outgoing(chat, text, buttons, prompt_kind=PromptKind.ATTENDANCE)]
    if kind is Kind.AGENDA:
        items = await agenda.for_sending(unit, meeting)
        chaired = await chair.chair_of(unit, community.id, meeting)
        name = chaired.name if chaired else None
        text = texts.agenda_post(tr, community.name, meeting, items, tz, unit.now, name)
        return [Outgoing(chat, text, prompt_kind=PromptKind.AGENDA)]
    if kind is Kind.ROUND:
        if await issues.any_round(unit, community.id):
            return []  # the facilitator already started one
        text = texts.round_prompt(tr, None, tz)
        return [Outgoing(chat, text, prompt_kind=PromptKind.ISSUE_ROUND)]
    if kind is Kind.LITERATURE:
        return [Outgoing(chat, texts.literature_prompt(tr), prompt_kind=PromptKind.LITERATURE)]
    if kind is Kind.USING:
        return [Outgoing(chat, texts.using_prompt(tr), prompt_kind=PromptKind.USING)]
    assert kind is Kind.DECISIONS
    adopted = await decisions.adopt_unopposed(unit, community.id, meeting.id)
    return [Outgoing(chat, texts.adopted_at_end(tr, adopted))] if adopted else []


async def _presence(
    unit: Unit, services: Services, community: CommunityView, meeting: MeetingView
) -> list[Outgoing]:
    """After a meeting, ONE message to one facilitator (privately where we may, else in
    the group): who was there, as buttons with the "yes" answers ticked, and the question
    what was agreed (replies go into the meeting log). Presses edit this same message."""
    sheet = await attendance.presence_sheet(unit, community.id, meeting.id)
    facilitator = await attendance.recipient(unit, community.id)
    if facilitator is not None and facilitator.telegram_user_id is not None:
        chat = facilitator.telegram_user_id
        tr = services.catalogs.pick(facilitator.language, community.language)
    else:
        chat, tr = community.chat_id, services.catalogs.get(community.language)
    text = texts.presence(tr, community.name, sheet)
    buttons = texts.presence_buttons(tr, sheet)
    return [Outgoing(chat, text, buttons, prompt_kind=PromptKind.MEETING_LOG)]


async def _agreement(
    unit: Unit, tr: Translator, community: CommunityView, kind: Kind, decision_id: int
) -> list[Outgoing]:
    """Owner reminders (privately where we may) and the follow-up of a new practice."""
    item = await decisions.view(unit, community.id, decision_id)
    tz = ZoneInfo(community.timezone)
    if kind is Kind.FOLLOWUP:
        labels = texts.followup_labels(tr)
        buttons = [
            [(labels[key], pack(Button.FOLLOW_UP, item.id, key)) for key in decisions.ANSWERS]
        ]
        return [
            Outgoing(
                community.chat_id,
                texts.followup(tr, item),
                buttons,
                prompt_kind=PromptKind.FOLLOWUP,
                prompt_data={"decision_id": item.id},
            )
        ]
    if item.done or item.owner_id is None:
        return []
    owner = await membership.member_by_id(unit, community.id, item.owner_id)
    private = owner.private_chat and owner.telegram_user_id
    chat_id = owner.telegram_user_id if private else community.chat_id
    assert chat_id is not None
    if kind is Kind.DUE_SOON:
        return [Outgoing(chat_id, texts.due_soon(tr, item, tz, owner.name))]
    labels = texts.decision_labels(tr)
    buttons = [
        [
            (labels["done"], pack(Button.DONE, item.id, "y")),
            (labels["not_done"], pack(Button.DONE, item.id, "n")),
        ]
    ]
    return [Outgoing(chat_id, texts.due_today(tr, item, owner.name), buttons)]


async def _chase(unit: Unit, services: Services, due: Due) -> list[Outgoing]:
    """An open question's one private reminder, to each counted member with a private chat
    who has not answered it (read now, at send time), in their language, with a way to
    answer right there: a reply, or buttons."""
    question_id = due.row.question_id
    question = await prompts.get(unit, question_id) if question_id else None
    compose = _CHASES.get(question.kind) if question else None
    if question is None or compose is None:
        return []
    meeting = (
        await meetings.by_id(unit, due.community.id, due.row.meeting_id)
        if due.row.meeting_id
        else None
    )
    return await compose(unit, services, due.community, question.id, meeting)


async def _chase_round(
    unit: Unit,
    services: Services,
    community: CommunityView,
    round_id: int,
    meeting: MeetingView | None,
) -> list[Outgoing]:
    """The issue round: a reply to the reminder is the answer (or the reflection)."""
    tz, messages = ZoneInfo(community.timezone), []
    for chased in await issues.chase(unit, community.id, round_id):
        tr, chat = _tr(services, chased.member, community), chased.member.telegram_user_id
        assert chat is not None
        if chased.reflection_on is None:
            text = texts.chase_issue(tr, community.name, meeting, tz)
            kind, data = PromptKind.ISSUE_REMINDER, {"prompt_id": round_id}
        else:
            text = texts.chase_reflection(tr, community.name, meeting, tz)
            kind = PromptKind.ISSUE_REFLECTION
            data = {"issue_id": chased.reflection_on, "member_id": chased.member.id}
        messages.append(Outgoing(chat, text, prompt_kind=kind, prompt_data=dict(data)))
    return messages


async def _chase_qualities(
    unit: Unit,
    services: Services,
    community: CommunityView,
    round_id: int,
    meeting: MeetingView | None,
) -> list[Outgoing]:
    """The quality round: a button begins the member's part (as /qualities would)."""
    tz, messages = ZoneInfo(community.timezone), []
    for member in await qualities.chase(unit, community.id, round_id):
        tr = _tr(services, member, community)
        assert member.telegram_user_id is not None
        buttons = [[(texts.chase_qualities_label(tr), pack(Button.QUALITY_PART, community.id))]]
        text = texts.chase_qualities(tr, community.name, meeting, tz)
        messages.append(Outgoing(member.telegram_user_id, text, buttons))
    return messages


async def _chase_weekly(
    unit: Unit,
    services: Services,
    community: CommunityView,
    question_id: int,
    meeting: MeetingView | None,
) -> list[Outgoing]:
    """The weekly question: a reply to the reminder is shared for the next meeting."""
    messages = []
    for member in await rhythm.weekly_chase(unit, community.id, question_id):
        assert member.telegram_user_id is not None
        text = texts.chase_weekly(_tr(services, member, community), community.name)
        messages.append(Outgoing(member.telegram_user_id, text, prompt_kind=PromptKind.WEEKLY))
    return messages


async def _chase_followup(
    unit: Unit,
    services: Services,
    community: CommunityView,
    question_id: int,
    meeting: MeetingView | None,
) -> list[Outgoing]:
    """A new practice's follow-up: the answer buttons, and a reply is a remark."""
    item, members = await decisions.followup_chase(unit, community.id, question_id)
    if item is None:
        return []
    messages = []
    for member in members:
        tr = _tr(services, member, community)
        assert member.telegram_user_id is not None
        labels = texts.followup_labels(tr)
        buttons = [
            [(labels[key], pack(Button.FOLLOW_UP, item.id, key)) for key in decisions.ANSWERS]
        ]
        messages.append(
            Outgoing(
                member.telegram_user_id,
                texts.chase_followup(tr, community.name, item),
                buttons,
                prompt_kind=PromptKind.FOLLOWUP,
                prompt_data={"decision_id": item.id},
            )
        )
    return messages


_ChaseFn = Callable[
    [Unit, Services, CommunityView, int, MeetingView | None], Awaitable[list[Outgoing]]
]
#: What each kind of question's private reminder says, by the question's prompt kind.
_CHASES: dict[str, _ChaseFn] = {
    PromptKind.ISSUE_ROUND.value: _chase_round,
    qualities.ROUND: _chase_qualities,
    PromptKind.WEEKLY.value: _chase_weekly,
    PromptKind.FOLLOWUP.value: _chase_followup,
}


async def _early(unit: Unit, services: Services, due: Due) -> list[Outgoing]:
    """ "Name qualities early": no quality round has run by the meeting that carries the
    qualities step, so its facilitators are asked, with a button that starts the round
    (privately where we may, else once in the group)."""
    community = due.community
    if await qualities.any_round(unit, community.id) or due.row.meeting_id is None:
        return []
    meeting = await meetings.by_id(unit, community.id, due.row.meeting_id)
    tz = ZoneInfo(community.timezone)
    members = await membership.list_members(unit, community.id)
    facilitators = [m for m in members if m.is_facilitator]
    private = [m for m in facilitators if m.private_chat and m.telegram_user_id]
    messages = []
    for member in private or facilitators[:1]:
        tr = (
            _tr(services, member, community)
            if private
            else services.catalogs.get(community.language)
        )
        chat = member.telegram_user_id if private else community.chat_id
        assert chat is not None
        buttons = [[(texts.qualities_early_label(tr), pack(Button.QUALITIES_EARLY, community.id))]]
        text = texts.qualities_early(tr, community.name, meeting, tz)
        messages.append(Outgoing(chat, text, buttons))
    return messages


def _tr(services: Services, member: MemberView, community: CommunityView) -> Translator:
    return services.catalogs.pick(member.language, community.language)


def _attendance_buttons(
    tr: Translator, meeting_id: int, community_id: int | None = None
) -> Buttons:
    """Yes / maybe / no; in a private chat the buttons also name their CoP."""
    labels = texts.attendance_labels(tr)
    cop = (community_id,) if community_id is not None else ()
    return [
        [
            (labels[key], pack(Button.ATTENDANCE, meeting_id, key, *cop))
            for key in attendance.ANSWERS
        ]
    ]


async def _nudges(
    unit: Unit, services: Services, community: CommunityView, meeting: MeetingView
) -> list[Outgoing]:
    """Only those who have not answered: privately where we may, else one group mention."""
    tz = ZoneInfo(community.timezone)
    messages: list[Outgoing] = []
    in_group = []
    for member in await attendance.silent(unit, community.id, meeting.id):
        if member.private_chat and member.telegram_user_id:
            tr = services.catalogs.pick(member.language, community.language)
            text = texts.nudge_private(tr, community.name, meeting, tz)
            buttons = _attendance_buttons(tr, meeting.id, community.id)  # answered right here
            messages.append(Outgoing(member.telegram_user_id, text, buttons))
        else:
            in_group.append(member)
    if in_group:
        tr = services.catalogs.get(community.language)
        text = texts.nudge_group(tr, meeting, in_group)  # its own buttons: "press one below"
        buttons = _attendance_buttons(tr, meeting.id, community.id)
        messages.append(Outgoing(community.chat_id, text, buttons))
    return messages


async def _health(
    unit: Unit, services: Services, community: CommunityView, meeting: MeetingView
) -> list[Outgoing]:
    """A private note to facilitators when participation falls, a member drifts away or the
    rhythm drifts; with /checkin on, a warm private message to a member who just drifted."""
    members = await membership.list_members(unit, community.id)
    facilitators = [
        m for m in members if m.is_facilitator and m.private_chat and m.telegram_user_id
    ]
    messages = []
    notes = await rhythm.check(unit, community.id, meeting, members) if facilitators else []
    for facilitator in facilitators if notes else []:
        assert facilitator.telegram_user_id is not None
        tr = services.catalogs.pick(facilitator.language, community.language)
        text = texts.health(tr, community.name, notes)
        messages.append(Outgoing(facilitator.telegram_user_id, text))
    tz = ZoneInfo(community.timezone)
    for visit in await rhythm.checkins(unit, community.id, meeting, members):
        assert visit.member.telegram_user_id is not None
        tr = services.catalogs.pick(visit.member.language, community.language)
        text = texts.checkin(tr, community.name, visit, tz)
        messages.append(Outgoing(visit.member.telegram_user_id, text))
    return messages


async def housekeeping(services: Services, sender: Sender) -> None:
    """Leader-only upkeep: forget old update ids and long-settled reminders; warn about and
    purge expired CoPs."""

    async with services.sessions.begin() as session:
        unit = Unit(session, services.clock())
        await updates.prune(unit)
        await reminders.prune(unit)
        await lifecycle.expire_held(unit)
        warnings = await lifecycle.due_warnings(unit, services.settings.retention_days)
        await lifecycle.purge_expired(unit, services.settings.retention_days)
    for chat_id, community_name, language, days in warnings:
        tr = services.catalogs.get(language)
        try:
            await sender.send(chat_id, texts.retention_warning(tr, community_name, days))
        except SendError:
            log.info("could not warn a facilitator about retention")
