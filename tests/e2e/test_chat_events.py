"""The group itself changes: upgraded to a supergroup, the bot removed, a channel."""

from __future__ import annotations

import logging

import pytest

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Community, Member
from tests.conftest import Cop, rows, said


async def test_a_group_upgraded_to_a_supergroup_keeps_its_cop(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    supergroup = await sandbox.migrate(ready.group)
    [community] = await rows(services, Community)
    assert (community.chat_id, community.chat_type) == (supergroup.id, "supergroup")
    await sandbox.send(ready.anna, supergroup, "/members")
    assert said(sandbox).startswith("CoP Gedrag: 3 members")


async def test_removing_the_bot_stops_the_cop_and_tells_the_facilitator_privately(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.dm(ready.fenna, "/start")
    await sandbox.remove_bot(ready.group, by=ready.fenna)
    private = sandbox.last_bot_message(sandbox.private_chat(ready.fenna))
    assert private is not None and "I was removed from the group of CoP Gedrag" in private.content
    [community] = await rows(services, Community)
    assert community.status == "removed"

    await sandbox.add_bot(ready.group, by=ready.fenna)
    [community] = await rows(services, Community)
    assert community.status == "active"
    await sandbox.send(ready.anna, ready.group, "/members")
    assert said(sandbox).startswith("CoP Gedrag: 3 members")


async def test_a_facilitator_who_never_started_the_bot_is_not_written_to(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.remove_bot(ready.group, by=ready.fenna)
    assert sandbox.last_bot_message(sandbox.private_chat(ready.fenna)) is None
    assert sandbox.errors["sendMessage"] == 1  # tried once, Telegram said no, no retries


async def test_a_blocked_private_chat_is_remembered(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.dm(ready.anna, "/start")
    anna = next(m for m in await rows(services, Member) if m.telegram_user_id == ready.anna.id)
    assert anna.private_chat
    await sandbox.block(ready.anna)
    anna = next(m for m in await rows(services, Member) if m.telegram_user_id == ready.anna.id)
    assert not anna.private_chat


async def test_the_bot_leaves_a_channel(cop: Cop, sandbox: Sandbox) -> None:
    channel = sandbox.channel("News", admins=[cop.fenna])
    await sandbox.add_bot(channel, by=cop.fenna, as_admin=True)
    assert channel.bot_status == "left"
    assert sandbox.bot_messages(channel) == []


async def test_a_press_from_someone_who_blocked_the_bot_never_reaches_the_error_handler(
    ready: Cop, sandbox: Sandbox, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    await sandbox.dm(ready.anna, "/leave")
    question = sandbox.last_bot_message(sandbox.private_chat(ready.anna))
    assert question is not None
    await sandbox.block(ready.anna)
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        query = await sandbox.press(ready.anna, question, "Yes, leave and erase")
    assert "failed with" not in caplog.text
    assert query.answered  # the spinner stops; the answer itself cannot reach Anna
    # What she pressed for is done (the turn committed before its answer was sent): her
    # membership and data are gone, though the confirmation could not reach her.
    assert all(m.telegram_user_id != ready.anna.id for m in await rows(services, Member))
