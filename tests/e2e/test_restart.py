"""Stopping and starting the bot never loses or doubles a reminder."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app.context import Services, build_services
from bot.app.root import build_application
from bot.app.sender import TelegramSender
from bot.clock import ManualClock
from bot.outbox import recover, run_due
from bot.sandbox import Sandbox, SandboxDriver
from bot.services.reminders import INTERRUPTED, SEND_TIMEOUT
from handlers.jobs import TICK
from storage.models import Reminder
from tests.conftest import Cop, Ticker, rows

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 12, 2, 15, 0, tzinfo=AMS).astimezone(UTC)


async def test_a_reminder_due_while_the_bot_was_down_arrives_once_after_restart(
    ready: Cop, sandbox: Sandbox, services: Services, clock: ManualClock, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    old = tick.app  # the process goes down before the reminder is due
    if old.updater is not None and old.updater.running:
        await old.updater.stop()
    await old.stop()
    clock.set(START - timedelta(days=2) + timedelta(hours=3))  # due 3 hours ago

    fresh = build_services(services.settings, clock=clock)  # a new process, the same database
    application = build_application(
        fresh,
        request=sandbox.request(),
        get_updates_request=sandbox.request(),
        rate_limits=False,
        timers=False,
    )
    before = len(sandbox.bot_messages(ready.group))
    try:
        async with SandboxDriver(sandbox, application):
            await recover(fresh)
            first = await run_due(fresh, TelegramSender(application.bot))
            second = await run_due(fresh, TelegramSender(application.bot))
    finally:
        await fresh.engine.dispose()
    assert (first.sent, second.sent) == (1, 0)
    new = sandbox.bot_messages(ready.group)[before:]
    assert len(new) == 1 and "meeting 1" in new[0].content


async def test_reminders_whose_moment_passed_during_downtime_are_recorded_as_missed(
    ready: Cop, sandbox: Sandbox, services: Services, clock: ManualClock, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    report = await tick.at(START + timedelta(minutes=30))  # down from before until during
    # 2 days, agenda, nudge, issue round, 1 hour before, last Thursday's weekly question:
    # all recorded, none sent in a burst.
    assert report.sent == 0 and report.missed == 6
    statuses = {r.kind: r.status for r in await rows(services, Reminder) if r.meeting_id}
    assert statuses["before"] == "missed" and statuses["agenda"] == "missed"
    report = await tick.at(
        START + timedelta(hours=3)
    )  # the after-meeting question still makes sense
    assert report.sent == 1


async def test_a_send_interrupted_by_a_crash_is_recorded_not_repeated(
    ready: Cop, sandbox: Sandbox, services: Services, clock: ManualClock, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    clock.set(START - timedelta(days=2))
    async with services.sessions.begin() as session:  # as if killed between claim and send
        row = (await session.scalars(select(Reminder).order_by(Reminder.due_at))).first()
        assert row is not None
        row.status, row.claimed_at = "sending", clock()
    assert await recover(services) == 0  # so young a claim may be a send still under way
    clock.advance(SEND_TIMEOUT + timedelta(seconds=1))
    assert await recover(services) == 1
    await tick()
    [stored] = [r for r in await rows(services, Reminder) if r.id == row.id]
    assert (stored.status, stored.note) == ("missed", INTERRUPTED)


async def test_overlapping_timers_send_each_reminder_once(
    ready: Cop, sandbox: Sandbox, services: Services, clock: ManualClock, tick: Ticker
) -> None:
    for day in (2, 9, 16):
        await sandbox.send(ready.fenna, ready.group, f"/meeting add 2026-12-{day:02d} 15:00")
    clock.set(START + timedelta(days=14) - timedelta(hours=1))
    sender = TelegramSender(tick.app.bot)
    before = len(sandbox.bot_messages(ready.group))
    reports = await asyncio.gather(run_due(services, sender), run_due(services, sender))
    sent = sum(report.sent for report in reports)
    assert sent == len([r for r in await rows(services, Reminder) if r.status == "sent"]) > 0
    new = [m.content for m in sandbox.bot_messages(ready.group)[before:]]
    assert len(new) == sent and len(set(new)) == len(new)


async def test_the_minute_timer_is_registered_at_start(
    services: Services, sandbox: Sandbox
) -> None:
    application = build_application(
        services,
        request=sandbox.request(),
        get_updates_request=sandbox.request(),
        rate_limits=False,
    )
    async with SandboxDriver(sandbox, application):
        assert application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name(TICK)
        assert job.job.trigger.interval == timedelta(seconds=60)
