"""One member cannot break the meeting reminders or stall the bot with agenda points.

Counts are limited per member and per meeting (a friendly refusal, nothing stored), a
reminder longer than Telegram's 4,096 characters goes out in parts as replies do, and
lists that grow with what members write show a bounded number with a "more" line.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Attendance, Contribution, Reminder
from tests.conftest import Cop, Ticker, acked, last, rows, said

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 12, 2, 15, 0, tzinfo=AMS).astimezone(UTC)


def long_point(n: int) -> str:
    """An agenda point of almost the 300 characters allowed."""
    return f"Punt {n}: " + "we willen het hebben over de aanpak van onrust in de klas " * 5


async def points(services: Services) -> list[Contribution]:
    return [c for c in await rows(services, Contribution) if c.kind == "agenda_point"]


async def test_agenda_points_are_limited_per_member_and_per_meeting(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await ready.join(*ready.teachers[2:])  # six members
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    await sandbox.send(ready.anna, ready.group, "/agenda")
    agenda = last(sandbox, ready.group)
    for n in range(3):
        sent = await sandbox.send(ready.anna, ready.group, f"Punt {n} van Anna", reply_to=agenda)
        assert acked(sandbox, sent)  # a 👍 on the message, not one more message
    await sandbox.send(ready.anna, ready.group, "Nog een punt", reply_to=agenda)
    assert said(sandbox) == (
        "You already have 3 points on the agenda of meeting 1. That is the most one person "
        "can add, so everyone gets a turn."
    )
    assert len(await points(services)) == 3

    for member in [ready.fenna, ready.bram, *ready.teachers[2:]]:
        for n in range(3):
            await sandbox.send(member, ready.group, f"Punt {n}", reply_to=agenda)
    assert said(sandbox) == (
        "The agenda of meeting 1 is full (15 points). Bring your point up at the meeting, "
        "or ask a facilitator to make room."
    )
    assert len(await points(services)) == 15


async def test_a_reminder_longer_than_telegram_allows_goes_out_in_parts(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await ready.join(*ready.teachers[2:])
    # A Monday meeting: its day-before agenda would fall on Sunday, so the first reminder
    # (on the Friday) carries the agenda, buttons and all.
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-07 15:00")
    items = "\n".join(long_point(n) for n in range(20))
    await sandbox.send(ready.fenna, ready.group, f"/agenda 1\n{items}")
    await sandbox.send(ready.anna, ready.group, "/agenda")
    agenda = last(sandbox, ready.group)
    for member in [ready.fenna, ready.anna, ready.bram, *ready.teachers[2:]]:
        for n in range(3):
            await sandbox.send(member, ready.group, long_point(n), reply_to=agenda)

    report = await tick.at(START + timedelta(days=2))  # Friday 4 December
    assert (report.sent, report.failed) == (1, 0)
    parts = sandbox.last_replies
    assert len(parts) > 1 and all(len(p.content) <= 4096 for p in parts)
    assert "meeting 1</b> is on Monday 7 December 2026" in parts[0].html
    assert [p.button_texts for p in parts[:-1]] == [[]] * (len(parts) - 1)
    assert parts[-1].button_texts == ["I'll come", "Maybe", "I can't come"]
    [before] = [r for r in await rows(services, Reminder) if r.kind == "before" and r.sent_at]
    assert before.status == "sent"

    await sandbox.press(ready.anna, parts[-1], "I'll come")
    sent = await sandbox.send(ready.bram, ready.group, "Ik ben ziek", reply_to=parts[-1])
    assert acked(sandbox, sent)  # a 👍 on the message, not one more message
    assert sorted(a.answer for a in await rows(services, Attendance)) == ["n", "y"]


async def test_the_agenda_and_the_agreements_list_stay_bounded(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    for n in range(40):
        await sandbox.send(ready.anna, ready.group, f"/decide Afspraak nummer {n}")
    await sandbox.send(ready.bram, ready.group, "/agenda")
    shown = said(sandbox)
    assert shown.count("Agreement to decide:") == 10
    assert "\u2026 and 30 more agreements: see /decisions" in shown
    await sandbox.send(ready.bram, ready.group, "/decisions")
    listing = said(sandbox)
    assert listing.count("Afspraak nummer") == 25
    assert "\u2026 and 15 more (the oldest are not shown)" in listing
