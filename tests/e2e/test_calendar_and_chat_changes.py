"""The .ics export, and reminders meeting a group that moved or removed the bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import update

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Community, Reminder
from tests.conftest import Cop, Ticker, rows

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 12, 2, 15, 0, tzinfo=AMS).astimezone(UTC)


def _events(sandbox: Sandbox, ready: Cop) -> list[dict[str, object]]:
    document = sandbox.bot_messages(ready.group)[-1].document
    assert document is not None and document.file_name == "copbot-meetings.ics"
    calendar = Calendar.from_ical(document.data)
    return [
        {
            "uid": str(event["UID"]),
            "sequence": int(event["SEQUENCE"]),
            "status": str(event["STATUS"]),
            "start": event["DTSTART"].dt,
            "description": str(event.get("DESCRIPTION", "")),
        }
        for event in calendar.walk("VEVENT")
    ]


async def test_calendar_file_keeps_event_ids_across_moves_and_cancellations(
    ready: Cop, sandbox: Sandbox
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00 60 Lokaal 4")
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-16 15:00")
    await sandbox.send(ready.anna, ready.group, "/calendar")
    first = _events(sandbox, ready)
    assert [e["sequence"] for e in first] == [0, 0]
    assert (
        first[0]["start"].tzinfo is not None and str(first[0]["start"].tzinfo) == "Europe/Amsterdam"
    )
    assert first[0]["start"].hour == 15
    assert "Practice issues: everyone brings" in str(first[0]["description"])

    await sandbox.send(ready.fenna, ready.group, "/meeting move 2 2027-01-13 15:00")
    await sandbox.send(ready.fenna, ready.group, "/meeting cancel 1")
    await sandbox.send(ready.anna, ready.group, "/calendar")
    second = {e["uid"]: e for e in _events(sandbox, ready)}
    assert set(second) == {e["uid"] for e in first}
    cancelled = second[str(first[0]["uid"])]
    moved = second[str(first[1]["uid"])]
    assert (cancelled["status"], cancelled["sequence"]) == ("CANCELLED", 1)
    assert moved["sequence"] == 1 and moved["start"].date().isoformat() == "2027-01-13"


async def test_a_reminder_to_a_group_that_became_a_supergroup_arrives_once_there(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    old_id = ready.group.id
    supergroup = await sandbox.migrate(ready.group)
    async with services.sessions.begin() as session:  # the service message was never seen
        await session.execute(update(Community).values(chat_id=old_id, chat_type="group"))
    report = await tick.at(START - timedelta(days=2))
    assert report.retried == 1  # Telegram said "moved"; the CoP follows the new chat id
    report = await tick()
    assert report.sent == 1
    assert "meeting 1" in sandbox.bot_messages(supergroup)[-1].content
    [community] = await rows(services, Community)
    assert community.chat_id == supergroup.id


async def test_a_reminder_to_a_group_that_removed_the_bot_stops_the_cop(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    ready.group.bot_status = "kicked"  # removed while we were not looking
    report = await tick.at(START - timedelta(days=2))
    assert report.failed == 1
    [community] = await rows(services, Community)
    assert community.status == "removed"
    planned = [r for r in await rows(services, Reminder) if r.status == "planned"]
    assert planned == []  # no retries, no later reminders
    assert (await tick.at(START - timedelta(hours=1))).sent == 0
    assert sandbox.errors["sendMessage"] == 1


async def test_a_failed_send_to_a_removed_group_tells_the_facilitator_privately(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await sandbox.dm(ready.fenna, "/start")
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    ready.group.bot_status = "kicked"
    await tick.at(START - timedelta(days=2))
    notice = sandbox.last_bot_message(sandbox.private_chat(ready.fenna))
    assert notice is not None and "I was removed from the group of CoP Gedrag" in notice.content
