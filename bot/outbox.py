"""Sends what is due from the reminder outbox, exactly once.

A timer (PTB's JobQueue, i.e. APScheduler) calls `run_due` every minute and at
start; the database says what is due, so nothing lives only in memory and a
restart simply continues. Each reminder is claimed in its own transaction
(status "sending") before it is sent and settled in another, so a crash or a
second timer never sends it twice; a crash in between is recorded, not retried.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.app.context import Services
from bot.ports import Buttons, ChatGone, ChatMoved, Sender, SendError, SendLater
from bot.render.callbacks import Button, pack
from bot.services import agenda, communities, decisions, issues, membership, reminders
from bot.services.meetings import MeetingView
from bot.services.prompts import PromptKind
from bot.services.reminders import Fate, Kind
from bot.services.unit import Unit
from bot.texts import common as texts
from bot.texts import decisions as decision_texts
from bot.texts import issues as issue_texts
from bot.texts import qualities as quality_texts
from bot.texts import rhythm as rhythm_texts
from storage.models import Community, Prompt, Reminder
from storage.repositories.communities import CommunityRepository
from storage.repositories.flows import PromptRepository
from storage.repositories.meetings import AttendanceRepository, MeetingRepository
from storage.repositories.reminders import ReminderRepository

log = logging.getLogger(__name__)

BATCH = 500
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


async def recover(services: Services) -> int:
    """At start: reminders caught mid-send by a crash are recorded, never sent twice."""
    async with services.sessions.begin() as session:
        rows = await ReminderRepository(session).interrupted()
        for row in rows:
            row.status = "missed"
            row.note = "interrupted by a restart"
    return len(rows)


async def run_due(services: Services, sender: Sender, *, batch: int = BATCH) -> TickReport:
    """Sends every reminder that is due now; returns what happened to each."""
    report = TickReport()
    async with services.sessions.begin() as session:
        ids = await ReminderRepository(session).due_ids(services.clock(), batch)
    for reminder_id in ids:
        outcome = await _process(services, sender, reminder_id)
        report.outcomes.append((reminder_id, outcome))
        if outcome in ("sent", "missed", "skipped", "failed"):
            setattr(report, outcome, getattr(report, outcome) + 1)
        elif outcome == "retry":
            report.retried += 1
    return report


async def _process(services: Services, sender: Sender, reminder_id: int) -> str:
    async with services.sessions.begin() as session:
        unit = Unit(session, services.clock())
        reminder = await ReminderRepository(session).claim(reminder_id)
        if reminder is None:
            return "taken"
        community = await CommunityRepository(session).get(reminder.community_id)
        assert community is not None
        meeting = (
            await MeetingRepository(session, community.id).get(reminder.meeting_id)
            if reminder.meeting_id
            else None
        )
        fate, note = reminders.decide(reminder, community, meeting, unit.now, services.holidays)
        if fate is Fate.SEND:
            messages = await _compose(unit, services, reminder, community)
            if not messages:
                fate, note = Fate.SKIPPED, "nothing to say"
        if fate is not Fate.SEND:
            reminder.status = fate.value
            reminder.note = note
            await _after(unit, reminder)
            return fate.value
        reminder.status = "sending"
        reminder.attempts += 1
    return await _deliver(services, sender, reminder_id, messages)


async def _deliver(
    services: Services, sender: Sender, reminder_id: int, messages: list[Outgoing]
) -> str:
    sent: list[tuple[Outgoing, int]] = []
    error: SendError | None = None
    failed_chat: int | None = None
    for message in messages:
        try:
            sent.append(
                (message, await sender.send(message.chat_id, message.text, message.buttons))
            )
        except SendError as exc:
            error, failed_chat = exc, message.chat_id
            if message.chat_id > 0 and isinstance(exc, ChatGone):
                continue  # one member blocked the bot: the others still get theirs
            break
    async with services.sessions.begin() as session:
        unit = Unit(session, services.clock())
        reminder = await ReminderRepository(session).get(reminder_id)
        assert reminder is not None
        for message, message_id in sent:
            if message.prompt_kind:
                await PromptRepository(session).add(
                    Prompt(
                        community_id=reminder.community_id,
                        chat_id=message.chat_id,
                        message_id=message_id,
                        kind=message.prompt_kind,
                        meeting_id=reminder.meeting_id,
                        created_at=unit.now,
                        data=dict(message.prompt_data or {}),
                    )
                )
        if sent:
            reminder.status = "sent"
            reminder.sent_at = unit.now
            reminder.chat_id, reminder.message_id = sent[0][0].chat_id, sent[0][1]
            await _after(unit, reminder)
            if error is not None:
                await _note_private_failure(unit, error, messages)
            return "sent"
        if error is not None and failed_chat is not None and failed_chat > 0:
            await _note_private_failure(unit, error, messages)
        outcome = await _failed(unit, reminder, error, failed_chat)
        notices = await _removal_notices(unit, services, reminder) if outcome == "gone" else []
    for notice in notices:  # best effort: a facilitator who blocked us is simply skipped
        try:
            await sender.send(notice.chat_id, notice.text)
        except SendError:
            log.info("could not tell a facilitator that the bot was removed")
    return "failed" if outcome == "gone" else outcome


async def _failed(
    unit: Unit, reminder: Reminder, error: SendError | None, failed_chat: int | None
) -> str:
    community = await CommunityRepository(unit.session).get(reminder.community_id)
    assert community is not None
    if isinstance(error, ChatGone) and failed_chat != community.chat_id:
        reminder.status = "failed"
        reminder.note = "the members blocked the bot in private"
        return "failed"
    if isinstance(error, ChatMoved):
        await communities.migrate_chat(unit, community.chat_id, error.new_chat_id)
        reminder.status = "planned"
        return "retry"
    if isinstance(error, SendLater) and reminder.attempts < MAX_RATE_LIMITED:
        # 429 means "later", not "failed": it goes back with Telegram's retry_after.
        reminder.status = "planned"
        reminder.due_at = unit.now + timedelta(seconds=error.seconds)
        return "retry"
    if isinstance(error, ChatGone):
        reminder.status = "failed"
        reminder.note = "the bot is no longer in the chat"
        return "gone"
    if reminder.attempts < MAX_ATTEMPTS:
        reminder.status = "planned"
        reminder.due_at = unit.now + timedelta(minutes=1)
        return "retry"
    reminder.status = "failed"
    reminder.note = type(error).__name__ if error else "unknown"
    log.warning("reminder %s failed for good: %s", reminder.id, reminder.note)
    return "failed"


async def _removal_notices(unit: Unit, services: Services, reminder: Reminder) -> list[Outgoing]:
    """The group is gone: stop the CoP and tell its facilitators where we may."""
    community = await CommunityRepository(unit.session).get(reminder.community_id)
    assert community is not None
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


async def _note_private_failure(unit: Unit, error: SendError, messages: list[Outgoing]) -> None:
    if isinstance(error, ChatGone):
        for message in messages:
            if message.chat_id > 0:
                await membership.set_private_chat(unit, message.chat_id, open_=False)


async def _after(unit: Unit, reminder: Reminder) -> None:
    """A weekly question, once handled, makes room for next week's."""
    if reminder.kind == Kind.WEEKLY.value:
        await unit.session.flush()
        await reminders.replan(unit, reminder.community_id)


async def _compose(
    unit: Unit, services: Services, reminder: Reminder, community: Community
) -> list[Outgoing]:
    """The messages of one reminder, in the CoP's language."""
    tr = services.catalogs.get(community.language)
    tz = ZoneInfo(community.timezone)
    kind = Kind(reminder.kind)
    if kind is Kind.WEEKLY:
        if await _meeting_nearby(unit, community):
            return []
        return [
            Outgoing(
                community.chat_id,
                rhythm_texts.weekly(tr, community.name),
                prompt_kind=PromptKind.WEEKLY,
            )
        ]
    if reminder.contribution_id is not None:
        return await _agreement(unit, services, reminder, community)
    assert reminder.meeting_id is not None
    row = await MeetingRepository(unit.session, community.id).get(reminder.meeting_id)
    assert row is not None
    meeting = MeetingView.model_validate(row)
    attendance = AttendanceRepository(unit.session, community.id)
    if kind is Kind.BEFORE:
        items = await agenda.build(unit, meeting)
        counts = await attendance.counts(meeting.id)
        first = not await _attendance_asked(unit, community.id, meeting.id)
        text = rhythm_texts.before(tr, community.name, meeting, items, tz, counts, ask=first)
        buttons = _attendance_buttons(tr, meeting.id) if first else None
        return [
            Outgoing(
                community.chat_id,
                text,
                buttons,
                prompt_kind=PromptKind.ATTENDANCE if first else None,
            )
        ]
    if kind is Kind.AGENDA:
        items = await agenda.build(unit, meeting)
        return [
            Outgoing(
                community.chat_id,
                rhythm_texts.agenda_post(tr, community.name, meeting, items, tz),
                prompt_kind=PromptKind.AGENDA,
            )
        ]
    if kind is Kind.NUDGE:
        return await _nudges(unit, services, community, meeting)
    if kind is Kind.ROUND:
        if await issues.any_round(unit, community.id):
            return []  # the facilitator already started one
        return [
            Outgoing(
                community.chat_id,
                issue_texts.round_prompt(tr, None, tz),
                prompt_kind=PromptKind.ISSUE_ROUND,
            )
        ]
    if kind is Kind.LITERATURE:
        return [
            Outgoing(
                community.chat_id,
                quality_texts.literature_prompt(tr),
                prompt_kind=PromptKind.LITERATURE,
            )
        ]
    if kind is Kind.USING:
        return [
            Outgoing(
                community.chat_id, quality_texts.using_prompt(tr), prompt_kind=PromptKind.USING
            )
        ]
    if kind is Kind.DECISIONS:
        adopted = await decisions.adopt_unopposed(unit, community.id, meeting.id)
        if not adopted:
            return []
        return [Outgoing(community.chat_id, decision_texts.adopted_at_end(tr, adopted))]
    if kind is Kind.AFTER:
        return [
            Outgoing(
                community.chat_id,
                rhythm_texts.after(tr, community.name, meeting),
                prompt_kind=PromptKind.MEETING_LOG,
            )
        ]
    return await _health(unit, services, community, meeting)


async def _agreement(
    unit: Unit, services: Services, reminder: Reminder, community: Community
) -> list[Outgoing]:
    """Owner reminders (privately where we may) and the follow-up of a new practice."""
    assert reminder.contribution_id is not None
    item = await decisions.view(unit, community.id, reminder.contribution_id)
    kind = Kind(reminder.kind)
    tr = services.catalogs.get(community.language)
    tz = ZoneInfo(community.timezone)
    if kind is Kind.FOLLOWUP:
        labels = decision_texts.followup_labels(tr)
        buttons = [[(labels[key], f"fu:{item.id}:{key}") for key in decisions.ANSWERS]]
        return [
            Outgoing(
                community.chat_id,
                decision_texts.followup(tr, item),
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
        return [Outgoing(chat_id, decision_texts.due_soon(tr, item, tz, owner.name))]
    labels = decision_texts.decision_labels(tr)
    buttons = [[(labels["done"], f"dn:{item.id}:y"), (labels["not_done"], f"dn:{item.id}:n")]]
    return [Outgoing(chat_id, decision_texts.due_today(tr, item, owner.name), buttons)]


def _attendance_buttons(tr: object, meeting_id: int) -> Buttons:
    labels = rhythm_texts.attendance_labels(tr)  # type: ignore[arg-type]
    return [[(labels[key], pack(Button.ATTENDANCE, meeting_id, key)) for key in ("y", "m", "n")]]


async def _attendance_asked(unit: Unit, community_id: int, meeting_id: int) -> bool:
    return await PromptRepository(unit.session).exists(community_id, "attendance", meeting_id)


async def _meeting_nearby(unit: Unit, community: Community) -> bool:
    """The weekly question is for the weeks between meetings, not the days around one."""
    window = timedelta(hours=36)
    for meeting in await MeetingRepository(unit.session, community.id).all():
        if meeting.status != "cancelled" and abs(meeting.starts_at - unit.now) < window:
            return True
    return False


async def _nudges(
    unit: Unit, services: Services, community: Community, meeting: MeetingView
) -> list[Outgoing]:
    """Only those who have not answered: privately where we may, else one group mention."""
    answered = {
        a.member_id
        for a in await AttendanceRepository(unit.session, community.id).for_meeting(meeting.id)
    }
    silent = [m for m in await membership.list_members(unit, community.id) if m.id not in answered]
    tz = ZoneInfo(community.timezone)
    messages: list[Outgoing] = []
    in_group = []
    for member in silent:
        if member.private_chat and member.telegram_user_id:
            tr = services.catalogs.pick(member.language, community.language)
            messages.append(
                Outgoing(
                    member.telegram_user_id,
                    rhythm_texts.nudge_private(tr, community.name, meeting, tz),
                )
            )
        else:
            in_group.append(member)
    if in_group:
        tr = services.catalogs.get(community.language)
        messages.append(
            Outgoing(community.chat_id, rhythm_texts.nudge_group(tr, meeting, in_group))
        )
    return messages


async def _health(
    unit: Unit, services: Services, community: Community, meeting: MeetingView
) -> list[Outgoing]:
    """A private note to facilitators when participation falls or the rhythm drifts."""
    from bot.services.rhythm_health import check

    members = await membership.list_members(unit, community.id)
    facilitators = [
        m for m in members if m.is_facilitator and m.private_chat and m.telegram_user_id
    ]
    if not facilitators:
        return []
    messages = []
    for facilitator in facilitators:
        tr = services.catalogs.pick(facilitator.language, community.language)
        notes = await check(unit, community, meeting, members, tr)
        if notes:
            assert facilitator.telegram_user_id is not None
            messages.append(
                Outgoing(
                    facilitator.telegram_user_id, rhythm_texts.health(tr, community.name, notes)
                )
            )
    return messages


async def housekeeping(services: Services, sender: Sender) -> None:
    """Leader-only upkeep: forget old update ids; warn about and purge expired CoPs."""
    from bot.services import lifecycle, updates

    async with services.sessions.begin() as session:
        unit = Unit(session, services.clock())
        await updates.prune(unit)
        warnings = await lifecycle.due_warnings(unit, services.settings.retention_days)
        await lifecycle.purge_expired(unit, services.settings.retention_days)
    for chat_id, community_name, language, days in warnings:
        tr = services.catalogs.get(language)
        try:
            await sender.send(chat_id, texts.retention_warning(tr, community_name, days))
        except SendError:
            log.info("could not warn a facilitator about retention")
