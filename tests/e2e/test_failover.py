"""The leader killed mid-fan-out, with a standby `copbot run` alive (issue 12.11).

Two real `copbot run` processes share one PostgreSQL database and the sandbox served
over HTTP; the advisory lock makes one of them the leader. The leader is sending a
reminder's private nudges when a standby starts: the standby does not label the send
under way as interrupted. Then the leader is killed (SIGKILL) with a message in flight:
the standby takes over, sends the rest of that reminder and all others exactly once,
and records the message in flight (Telegram had it, the dead leader never heard) as
interrupted once its claim is older than the send timeout: none is stuck, none twice.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app.context import Services
from bot.clock import system_clock
from bot.sandbox import Sandbox, SandboxChat
from bot.services.reminders import INTERRUPTED
from storage.models import Delivery, Reminder
from tests.conftest import rows
from tests.support.outbox import (
    NudgedCop,
    cops_with_a_due_nudge,
    groups_with_a_due_weekly,
    make_due,
    unsettled,
)
from tests.support.processes import BOUND, Copbot, Served, copbot_run

pytestmark = pytest.mark.fault

FAST = {"tick_seconds": "1", "send_timeout_seconds": "4"}


async def _message_to(services: Services, chat_id: int) -> Delivery:
    async with services.sessions() as session:
        [delivery] = await session.scalars(select(Delivery).where(Delivery.chat_id == chat_id))
        return delivery


async def _seed(sandbox: Sandbox, services: Services) -> tuple[list[NudgedCop], list[SandboxChat]]:
    """3 nudges of 4 private messages, then 8 weekly questions: 20 messages. Due only once
    the processes run (`make_due`)."""
    later = system_clock() + timedelta(hours=1)
    return (
        await cops_with_a_due_nudge(sandbox, services, 3, 4, later),
        await groups_with_a_due_weekly(sandbox, services, 8, later),
    )


def _served(sandbox: Sandbox) -> Served:
    served = Served(sandbox)
    served.hold(6)  # the 2nd member of the 2nd nudge: mid-fan-out, mid-reminder
    return served


async def _all_settled(services: Services, survivor: Copbot) -> None:
    async with asyncio.timeout(BOUND):
        while await unsettled(services):
            assert survivor.process.returncode is None, survivor.log.read_text()[-3000:]
            await asyncio.sleep(0.2)


def _each_chat_once(sandbox: Sandbox, nudged: list[NudgedCop], weekly: list[SandboxChat]) -> None:
    def count(chat: SandboxChat) -> int:
        return len(sandbox.bot_messages(chat))

    for cop in nudged:
        assert [count(sandbox.private_chat(m)) for m in cop.members] == [1, 1, 1, 1]
        assert count(cop.group) == 0
    assert [count(group) for group in weekly] == [1] * 8


async def test_a_standby_starting_mid_send_does_not_label_the_live_send_interrupted(
    sandbox: Sandbox, services: Services, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("leader election and failover need PostgreSQL")
    nudged, weekly = await _seed(sandbox, services)
    served = _served(sandbox)
    async with (
        served.running(),
        copbot_run(database_url, served, tmp_path / "a.log", **FAST) as leader,
    ):
        await leader.leading()
        await make_due(services, system_clock())
        async with asyncio.timeout(BOUND):
            await served.held.wait()
        assert served.held_chat is not None
        async with copbot_run(database_url, served, tmp_path / "b.log", **FAST) as standby:
            await standby.ready()
            await asyncio.sleep(2)  # a few standby ticks, the send still in flight
            assert (await standby.ready())["leader"] is False
            assert [r.status for r in await rows(services, Reminder)].count("missed") == 0
            in_flight = await _message_to(services, served.held_chat)
            assert in_flight.status == "sending"  # live, not "interrupted"
            served.release()
            await _all_settled(services, leader)
    assert {d.status for d in await rows(services, Delivery)} == {"sent"}
    assert {(r.status, r.note) for r in await rows(services, Reminder)} == {("sent", "")}
    _each_chat_once(sandbox, nudged, weekly)


async def test_the_leader_killed_mid_fan_out_leaves_nothing_stuck_and_nothing_twice(
    sandbox: Sandbox, services: Services, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("leader election and failover need PostgreSQL")
    nudged, weekly = await _seed(sandbox, services)
    served = _served(sandbox)
    async with (
        served.running(),
        # One message at a time, so exactly one is in flight when it is killed.
        copbot_run(
            database_url, served, tmp_path / "a.log", **FAST, outbox_in_flight="1"
        ) as leader,
    ):
        await leader.leading()
        async with copbot_run(database_url, served, tmp_path / "b.log", **FAST) as standby:
            await standby.ready()  # started, and standing by, before the fan-out
            await make_due(services, system_clock())
            async with asyncio.timeout(BOUND):
                await served.held.wait()
            assert served.held_chat is not None
            assert (await standby.ready())["leader"] is False
            leader.kill()  # a message in flight, half of one reminder's nudges to go
            await leader.process.wait()
            served.release()
            await _all_settled(services, standby)
            await standby.leading()

    in_flight = await _message_to(services, served.held_chat)
    assert (in_flight.status, in_flight.note) == ("missed", INTERRUPTED)
    deliveries = await rows(services, Delivery)
    assert sorted(d.status for d in deliveries) == ["missed"] + ["sent"] * 19
    # Every chat got its message exactly once, the one in flight too (Telegram had it).
    _each_chat_once(sandbox, nudged, weekly)
    statuses = sorted((r.status, r.note) for r in await rows(services, Reminder))
    assert statuses == [("sent", "")] * 10 + [("sent", "1 of 4 messages not delivered")]
