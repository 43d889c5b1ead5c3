"""People leave or are removed from the Telegram group: role and access end with it; the
main facilitator can be handed over (issue 12.5)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.app.context import Services
from bot.clock import ManualClock
from bot.sandbox import Sandbox
from storage.models import Contribution, Member
from tests.conftest import Cop, last, rows, said


async def _member(services: Services, user_id: int) -> Member:
    return next(m for m in await rows(services, Member) if m.telegram_user_id == user_id)


async def _an_issue(cop: Cop, sandbox: Sandbox, text: str) -> None:
    await sandbox.send(cop.fenna, cop.group, "/issues guard off")
    await sandbox.send(cop.fenna, cop.group, "/issues")
    await sandbox.send(cop.bram, cop.group, text, reply_to=last(sandbox, cop.group))


async def test_a_facilitator_who_leaves_the_group_loses_the_role_and_private_access(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/facilitator @anna")
    await _an_issue(ready, sandbox, "Pupil A keeps walking out of the room")
    await sandbox.dm(ready.anna, "/code")
    assert "Pupil A keeps walking out" in said(sandbox)  # while she facilitates

    await sandbox.leave(ready.anna, ready.group)
    announcement = said(sandbox)
    assert (
        "Anna is not in the group any more" in announcement and "no longer a member" in announcement
    )
    assert "stays as the CoP's history" in announcement
    anna = await _member(services, ready.anna.id)
    assert (anna.status, anna.role) == ("away", "member")
    await sandbox.dm(ready.anna, "/code")
    assert "Pupil A" not in said(sandbox) and "not a member" in said(sandbox)
    await sandbox.send(ready.bram, ready.group, "/members")
    assert "Anna" not in said(sandbox)
    issues = [c for c in await rows(services, Contribution) if c.kind == "issue"]
    assert issues  # what the group wrote stays as its history


async def test_a_removed_teacher_no_longer_reads_or_answers_in_private(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.dm(ready.bram, "/reading")
    assert "not a member" not in said(sandbox)
    await sandbox.remove_member(ready.bram, ready.group, by=ready.fenna)
    assert "Bram is not in the group any more" in said(sandbox)
    for command in ("/reading", "/profile", "/mine", "/insight", "/qualities stats"):
        await sandbox.dm(ready.bram, command)
        assert "not a member" in said(sandbox), command
    assert (await _member(services, ready.bram.id)).status == "away"


async def test_a_departure_the_bot_missed_is_found_by_a_cached_check_in_private(
    ready: Cop, sandbox: Sandbox, services: Services, clock: ManualClock
) -> None:
    before = sandbox.calls["getChatMember"]
    await sandbox.dm(ready.bram, "/mine")
    await sandbox.dm(ready.bram, "/reading")
    await sandbox.dm(ready.bram, "/profile")
    assert sandbox.calls["getChatMember"] - before == 1  # one look-up for three commands

    ready.group.members.discard(ready.bram.id)  # gone while the bot was not told
    await sandbox.dm(ready.bram, "/mine")
    assert "not a member" not in said(sandbox)  # within the cache time, as before
    clock.advance(timedelta(minutes=6))
    await sandbox.dm(ready.bram, "/mine")
    assert "not a member" in said(sandbox)
    assert (await _member(services, ready.bram.id)).status == "away"
    assert "Bram is not in the group any more" in last(sandbox, ready.group).content


async def test_someone_who_left_and_came_back_joins_again_with_consent(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.leave(ready.anna, ready.group)
    await sandbox.join(ready.anna, ready.group)
    await sandbox.send(ready.anna, ready.group, "/mine")
    assert "not a member" in said(sandbox)
    await ready.join(ready.anna)
    assert "Welcome, Anna!" in last(sandbox, ready.group).content
    anna = await _member(services, ready.anna.id)
    assert (anna.status, anna.role) == ("active", "member")
    await sandbox.dm(ready.anna, "/mine")
    assert "not a member" not in said(sandbox)


async def test_the_main_facilitator_hands_over_and_can_then_step_down(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.send(ready.anna, ready.group, "/facilitator main @anna")
    assert "Only the main facilitator" in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/facilitator main @anna")
    assert "Anna is now the main facilitator of CoP Gedrag" in said(sandbox)
    assert (await _member(services, ready.anna.id)).role == "facilitator"
    assert (await _member(services, ready.fenna.id)).role == "cofacilitator"
    await sandbox.send(ready.anna, ready.group, "/facilitator @fenna")
    assert (await _member(services, ready.fenna.id)).role == "member"
    await sandbox.send(ready.fenna, ready.group, "/facilitator main @bram")
    assert "Only the main facilitator" in said(sandbox)


async def test_an_administrator_appoints_a_main_facilitator_when_the_facilitator_is_gone(
    ready: Cop, sandbox: Sandbox, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    dirk = ready.teachers[3]
    await sandbox.set_admin(ready.group, dirk)
    await sandbox.send(dirk, ready.group, "/facilitator main @bram")
    assert "Only the main facilitator" in said(sandbox)  # Fenna is still there

    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        await sandbox.leave(ready.fenna, ready.group)
        assert "no main facilitator now" in said(sandbox)
        await sandbox.send(ready.anna, ready.group, "/facilitator main @anna")
        assert "Only the main facilitator" in said(sandbox)  # a member, no administrator
        await sandbox.send(dirk, ready.group, "/facilitator main @bram")
        assert "Bram is now the main facilitator of CoP Gedrag" in said(sandbox)
    assert "failed with" not in caplog.text
    assert (await _member(services, ready.bram.id)).role == "facilitator"


async def test_someone_who_left_the_group_can_still_erase_what_they_wrote(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await _an_issue(ready, sandbox, "Pupil A keeps walking out of the room")
    await sandbox.leave(ready.bram, ready.group)
    assert [c for c in await rows(services, Contribution) if c.kind == "issue"]
    await sandbox.dm(ready.bram, "/leave")
    assert "Do you want to leave CoP Gedrag?" in said(sandbox)
    await sandbox.press(
        ready.bram, last(sandbox, sandbox.private_chat(ready.bram)), "Yes, leave and erase"
    )
    assert "You have left CoP Gedrag." in said(sandbox)
    assert [c for c in await rows(services, Contribution) if c.kind == "issue"] == []
    assert [m for m in await rows(services, Member) if m.telegram_user_id == ready.bram.id] == []
