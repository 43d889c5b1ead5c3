"""A fan-out with several messages in flight (issue 13): each CoP's reminders in their own
lane, at most `outbox_in_flight` sends under way at once, a 429 holding back only its chat.

The sandbox answers each Bot API call after a short latency, so sends overlap as they do
against api.telegram.org; nothing here depends on how long anything takes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.app.context import Services
from bot.clock import ManualClock
from bot.outbox import run_due
from bot.ports import Buttons
from bot.sandbox import Sandbox
from bot.sandbox.api import ApiError, retry_after
from storage.models import Community, Delivery, Reminder
from tests.conftest import Cop, Ticker, groups_with_a_due_reminder, rows

LATENCY = 0.02  # seconds per Bot API call: enough for the sends to overlap


async def test_with_four_in_flight_every_group_gets_its_reminder_exactly_once(
    sandbox: Sandbox, services: Services, clock: ManualClock, tick: Ticker
) -> None:
    groups = await groups_with_a_due_reminder(sandbox, services, 30, clock())
    services.settings.outbox_in_flight = 4
    sandbox.latency = LATENCY

    report = await tick()

    assert report.sent == 30
    assert [len(sandbox.bot_messages(group)) for group in groups] == [1] * 30
    # Several sends were under way at once, never more than the bound.
    assert 1 < sandbox.most_in_flight["sendMessage"] <= 4
    assert sandbox.in_flight["sendMessage"] == 0
    # A crash-free pass leaves nothing claimed and unsettled.
    assert {r.status for r in await rows(services, Reminder)} == {"sent"}
    assert {d.status for d in await rows(services, Delivery)} == {"sent"}

    again = await tick.at(clock() + timedelta(hours=1))
    assert again.sent == 0
    assert [len(sandbox.bot_messages(group)) for group in groups] == [1] * 30


async def test_one_at_a_time_when_the_bound_is_one(
    sandbox: Sandbox, services: Services, clock: ManualClock, tick: Ticker
) -> None:
    groups = await groups_with_a_due_reminder(sandbox, services, 6, clock())
    services.settings.outbox_in_flight = 1
    sandbox.latency = LATENCY

    assert (await tick()).sent == 6
    assert sandbox.most_in_flight["sendMessage"] == 1
    assert [len(sandbox.bot_messages(group)) for group in groups] == [1] * 6


@pytest.mark.fault
async def test_a_429_holds_back_that_chat_only_and_its_later_messages_wait_too(
    sandbox: Sandbox, services: Services, clock: ManualClock, tick: Ticker
) -> None:
    """The busy group's second reminder is not sent inside the retry_after Telegram gave
    for the first: both wait, then go in their order; the other groups are not held up."""
    busy, *others = await groups_with_a_due_reminder(sandbox, services, 6, clock())
    [cop] = [c for c in await rows(services, Community) if c.chat_id == busy.id]
    async with services.sessions.begin() as session:
        session.add(
            Reminder(
                community_id=cop.id,
                kind="weekly",
                key="weekly:fan-out-2",
                due_at=clock(),
                status="planned",
                attempts=0,
                note="",
                created_at=clock(),
            )
        )
    refused: list[int] = []

    def once(method: str, params: dict[str, Any]) -> ApiError | None:
        if method == "sendMessage" and int(params["chat_id"]) == busy.id and not refused:
            refused.append(busy.id)
            return retry_after(20)
        return None

    sandbox.faults.append(once)
    sandbox.latency = LATENCY
    report = await tick()
    assert report.sent == 5 and report.retried == 2
    assert [len(sandbox.bot_messages(group)) for group in others] == [1] * 5
    assert sandbox.bot_messages(busy) == []
    waiting = [d for d in await rows(services, Delivery) if d.chat_id == busy.id]
    assert [(d.status, d.due_at) for d in waiting] == [
        ("planned", clock() + timedelta(seconds=20))
    ] * 2

    await tick.at(clock() + timedelta(seconds=19))  # inside Telegram's retry_after
    assert sandbox.bot_messages(busy) == []

    done = await tick.at(clock() + timedelta(seconds=1))
    assert done.sent == 2
    assert len(sandbox.bot_messages(busy)) == 2
    assert {r.status for r in await rows(services, Reminder)} == {"sent"}


class _Killed(Exception):
    """The process dies while the message is on its way."""


class _DyingSender:
    async def send(self, chat_id: int, text: str, buttons: Buttons | None = None) -> int:
        raise _Killed


async def test_next_weeks_question_is_planned_even_if_the_send_never_settles(
    ready: Cop, sandbox: Sandbox, services: Services, clock: ManualClock
) -> None:
    """The weekly replan happens when the question is claimed, not when it is settled:
    a crash mid-send leaves the CoP its next weekly question."""
    await sandbox.send(ready.fenna, ready.group, "/weekly thu 08:00")
    [weekly] = [r for r in await rows(services, Reminder) if r.kind == "weekly"]
    clock.set(weekly.due_at)

    with pytest.raises(_Killed):
        await run_due(services, _DyingSender())

    stored = {r.id: r for r in await rows(services, Reminder) if r.kind == "weekly"}
    assert stored[weekly.id].status == "delivering"
    assert [d.status for d in await rows(services, Delivery)] == ["sending"]
    [following] = [r for r in stored.values() if r.id != weekly.id]
    assert following.status == "planned"
    assert following.due_at - weekly.due_at == timedelta(weeks=1)
