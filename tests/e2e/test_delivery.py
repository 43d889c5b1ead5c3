"""Each message of a reminder is its own unit of delivery (issue 12.10).

A nudge goes privately to every member who has not said whether they come. A 429 or a
network error on one of those messages holds back that message only: the members
before and after it are served in the same pass, the one that failed is sent again
after Telegram's retry_after (or a minute after a network error), and nobody already
served is nudged twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.app.context import CopApplication, Services
from bot.clock import ManualClock
from bot.sandbox import Sandbox
from bot.sandbox.api import ApiError, retry_after
from storage.models import Delivery, Reminder
from tests.conftest import Ticker, rows
from tests.support.outbox import NudgedCop, cops_with_a_due_nudge

pytestmark = pytest.mark.fault


def _fail_once_for(sandbox: Sandbox, chat_id: int, error: ApiError) -> None:
    """The first message to `chat_id` fails with `error`; later ones go through."""
    spent = []

    def fault(method: str, params: dict[str, Any]) -> ApiError | None:
        if method == "sendMessage" and int(params["chat_id"]) == chat_id and not spent:
            spent.append(chat_id)
            return error
        return None

    sandbox.faults.append(fault)


def _nudges(sandbox: Sandbox, cop: NudgedCop) -> list[int]:
    return [len(sandbox.bot_messages(sandbox.private_chat(m))) for m in cop.members]


async def test_a_429_on_the_third_of_five_nudges_holds_back_only_that_one(
    app: CopApplication, sandbox: Sandbox, services: Services, clock: ManualClock, tick: Ticker
) -> None:
    [cop] = await cops_with_a_due_nudge(sandbox, services, 1, 5, clock())
    _fail_once_for(sandbox, cop.members[2].id, retry_after(20))

    first = await tick()
    assert _nudges(sandbox, cop) == [1, 1, 0, 1, 1]  # the others are not held up
    assert first.retried == 1 and first.sent == 0
    [reminder] = await rows(services, Reminder)
    assert reminder.status == "delivering"

    await tick.at(clock() + timedelta(seconds=19))  # inside Telegram's retry_after
    assert _nudges(sandbox, cop) == [1, 1, 0, 1, 1]

    done = await tick.at(clock() + timedelta(seconds=1))
    assert _nudges(sandbox, cop) == [1, 1, 1, 1, 1]  # served once, each of them
    assert done.sent == 1
    [reminder] = await rows(services, Reminder)
    assert (reminder.status, reminder.note) == ("sent", "")
    deliveries = sorted(await rows(services, Delivery), key=lambda d: d.id)
    assert [(d.status, d.attempts) for d in deliveries] == [
        ("sent", 1),
        ("sent", 1),
        ("sent", 2),
        ("sent", 1),
        ("sent", 1),
    ]
    assert {d.text for d in deliveries} == {""}  # a settled message keeps no text

    await tick.at(clock() + timedelta(hours=1))
    assert _nudges(sandbox, cop) == [1, 1, 1, 1, 1]


async def test_a_network_error_part_way_is_retried_a_minute_later_for_that_member_only(
    app: CopApplication, sandbox: Sandbox, services: Services, clock: ManualClock, tick: Ticker
) -> None:
    [cop] = await cops_with_a_due_nudge(sandbox, services, 1, 5, clock())
    _fail_once_for(sandbox, cop.members[0].id, ApiError(502, "Bad Gateway"))

    await tick()
    assert _nudges(sandbox, cop) == [0, 1, 1, 1, 1]
    await tick.at(clock() + timedelta(seconds=59))
    assert _nudges(sandbox, cop) == [0, 1, 1, 1, 1]
    await tick.at(clock() + timedelta(seconds=1))
    assert _nudges(sandbox, cop) == [1, 1, 1, 1, 1]
    assert [r.status for r in await rows(services, Reminder)] == ["sent"]


async def test_a_member_who_blocked_the_bot_is_recorded_and_the_others_are_nudged(
    app: CopApplication, sandbox: Sandbox, services: Services, clock: ManualClock, tick: Ticker
) -> None:
    [cop] = await cops_with_a_due_nudge(sandbox, services, 1, 3, clock())
    cop.members[1].blocked = True

    report = await tick()
    assert _nudges(sandbox, cop) == [1, 0, 1]
    assert report.sent == 1
    [reminder] = await rows(services, Reminder)
    assert (reminder.status, reminder.note) == ("sent", "1 of 3 messages not delivered")
    deliveries = sorted(await rows(services, Delivery), key=lambda d: d.id)
    statuses = [(d.chat_id, d.status) for d in deliveries]
    assert statuses == [
        (cop.members[0].id, "sent"),
        (cop.members[1].id, "failed"),
        (cop.members[2].id, "sent"),
    ]
