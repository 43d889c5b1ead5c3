"""`copbot run` killed (SIGKILL) in the middle of a reminder fan-out, then restarted.

A real process polls the sandbox served over HTTP and sends nudges (one private message
per member) and weekly questions. It is killed while one message is in flight: Telegram
has it, the process never heard. Telegram has no idempotency key, so that message cannot
be known to have arrived: the restarted process leaves it alone, records it as
interrupted once its claim is older than the send timeout, and sends everything else
exactly once, including the rest of the reminder that was cut off.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app.context import Services
from bot.clock import system_clock
from bot.sandbox import Sandbox
from bot.services.reminders import INTERRUPTED
from storage.models import Delivery, Reminder
from tests.conftest import rows
from tests.support.outbox import cops_with_a_due_nudge, groups_with_a_due_weekly, unsettled
from tests.support.processes import BOUND, Served, copbot_run

pytestmark = pytest.mark.fault

FAST = {"tick_seconds": "1", "send_timeout_seconds": "3"}
#: The first process sends one message at a time, so exactly one is in flight when it is
#: killed; the restarted one sends the rest several at a time (the default).
ONE_AT_A_TIME = {**FAST, "outbox_in_flight": "1"}


async def test_killed_mid_fan_out_and_restarted_sends_the_rest_once(
    sandbox: Sandbox, services: Services, database_url: str, tmp_path: Path
) -> None:
    now = system_clock()
    nudged = await cops_with_a_due_nudge(sandbox, services, 4, 3, now)  # 12 private
    weekly = await groups_with_a_due_weekly(sandbox, services, 6, now)  # 6 to groups
    served = Served(sandbox)
    served.hold(5)  # the 2nd member of the 2nd nudge
    async with served.running():
        async with copbot_run(
            database_url, served, tmp_path / "first.log", **ONE_AT_A_TIME
        ) as first:
            async with asyncio.timeout(BOUND):
                await served.held.wait()
            first.kill()  # one message in flight, nudges and weekly questions still to go
            await first.process.wait()
        served.release()
        assert sandbox.calls["sendMessage"] == 5
        assert len(await unsettled(services)) > 1  # cut off: the fan-out is far from done

        async with copbot_run(database_url, served, tmp_path / "again.log", **FAST) as again:
            async with asyncio.timeout(BOUND):
                while await unsettled(services):
                    assert again.process.returncode is None, again.log.read_text()[-3000:]
                    await asyncio.sleep(0.2)

    assert served.held_chat is not None
    async with services.sessions() as session:
        [in_flight] = await session.scalars(
            select(Delivery).where(Delivery.chat_id == served.held_chat)
        )
    assert (in_flight.status, in_flight.note, in_flight.attempts) == ("missed", INTERRUPTED, 1)
    assert sorted(d.status for d in await rows(services, Delivery)) == ["missed"] + ["sent"] * 17
    for cop in nudged:  # never twice, and the one in flight was not sent again
        assert [len(sandbox.bot_messages(sandbox.private_chat(m))) for m in cop.members] == [
            1,
            1,
            1,
        ]
    assert [len(sandbox.bot_messages(group)) for group in weekly] == [1] * 6
    statuses = sorted((r.status, r.note) for r in await rows(services, Reminder))
    assert statuses == [("sent", "")] * 9 + [("sent", "1 of 3 messages not delivered")]


async def test_killed_with_several_sends_in_flight_sends_nothing_twice(
    sandbox: Sandbox, services: Services, database_url: str, tmp_path: Path
) -> None:
    """The default: several messages on their way when the process dies. Each one claimed
    and not settled is recorded as interrupted and never sent again; all others go once."""
    now = system_clock()
    nudged = await cops_with_a_due_nudge(sandbox, services, 4, 3, now)  # 12 private
    weekly = await groups_with_a_due_weekly(sandbox, services, 6, now)  # 6 to groups
    served = Served(sandbox)
    served.hold(5)
    async with served.running():
        async with copbot_run(database_url, served, tmp_path / "first.log", **FAST) as first:
            async with asyncio.timeout(BOUND):
                await served.held.wait()
            first.kill()
            await first.process.wait()
        served.release()
        cut_off = {d.id for d in await rows(services, Delivery) if d.status == "sending"}
        assert cut_off  # the held one at least

        async with copbot_run(database_url, served, tmp_path / "again.log", **FAST) as again:
            async with asyncio.timeout(BOUND):
                while await unsettled(services):
                    assert again.process.returncode is None, again.log.read_text()[-3000:]
                    await asyncio.sleep(0.2)

    deliveries = await rows(services, Delivery)
    assert len(deliveries) == 18
    chats = [sandbox.private_chat(m) for cop in nudged for m in cop.members] + weekly
    received = {chat.id: len(sandbox.bot_messages(chat)) for chat in chats}
    for delivery in deliveries:
        if delivery.id in cut_off:  # it may or may not have arrived; it was not repeated
            assert (delivery.status, delivery.note, delivery.attempts) == (
                "missed",
                INTERRUPTED,
                1,
            )
            assert received[delivery.chat_id] <= 1
        else:
            assert delivery.status == "sent"
            assert received[delivery.chat_id] == 1
    assert served.held_chat is not None and received[served.held_chat] == 1
