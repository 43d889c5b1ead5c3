"""A member's rights hold until the CoP's data is purged: in an archived CoP, and in one
whose group removed the bot, they can still see, delete, export and erase their data."""

from __future__ import annotations

from datetime import timedelta

from bot.app.context import Services
from bot.app.sender import TelegramSender
from bot.outbox import housekeeping
from bot.sandbox import Sandbox
from storage.models import Contribution, Flow, Member
from tests.conftest import Cop, Ticker, last, rows, said


async def _answer_a_round(ready: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(ready.fenna, ready.group, "/issues nudge off")
    await sandbox.send(ready.fenna, ready.group, "/issues")
    round_prompt = last(sandbox, ready.group)
    await sandbox.send(ready.anna, ready.group, "Pupil A walks out", reply_to=round_prompt)
    await sandbox.send(ready.bram, ready.group, "Pupil B waits for me", reply_to=round_prompt)


async def test_an_archived_cop_keeps_the_members_rights_until_the_purge(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await _answer_a_round(ready, sandbox)
    await sandbox.send(ready.fenna, ready.group, "/archive")
    assert "make the collection document before then (/document)" in said(sandbox)
    await sandbox.send(ready.anna, ready.group, "/members")  # the cycle itself has stopped
    assert "no CoP yet" in said(sandbox)

    await sandbox.send(ready.bram, ready.group, "/document md")  # as /archive promises
    assert any(m.document for m in sandbox.last_replies), said(sandbox)
    await sandbox.send(ready.bram, ready.group, "/privacy")
    assert "Information letter: CoP Gedrag" in said(sandbox)

    await sandbox.send(ready.anna, ready.group, "/mine")
    listing = last(sandbox, ready.group)
    assert "[practice issue] Pupil A walks out" in listing.content
    await sandbox.press(ready.anna, listing, "Delete 1")
    await sandbox.press(ready.anna, last(sandbox, ready.group), "Yes, delete")
    assert said(sandbox) == "Deleted."

    await sandbox.send(ready.bram, ready.group, "/leave")
    await sandbox.press(ready.bram, last(sandbox, ready.group), "Yes, leave and erase")
    assert "You have left CoP Gedrag" in said(sandbox)
    assert "1 practice issue" in said(sandbox)
    assert await rows(services, Contribution) == []
    assert ready.bram.id not in {m.telegram_user_id for m in await rows(services, Member)}


async def test_a_member_leaves_in_private_after_the_bot_was_removed_from_the_group(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await _answer_a_round(ready, sandbox)
    await sandbox.remove_bot(ready.group, by=ready.fenna)
    chat = sandbox.private_chat(ready.anna)
    await sandbox.dm(ready.anna, "/leave")
    question = last(sandbox, chat)
    assert "Do you want to leave CoP Gedrag?" in question.content
    await sandbox.press(ready.anna, question, "Yes, leave and erase")
    assert "You have left CoP Gedrag" in said(sandbox) and "1 practice issue" in said(sandbox)
    assert [c.text for c in await rows(services, Contribution)] == ["Pupil B waits for me"]
    await sandbox.dm(ready.anna, "/leave")
    assert "You are not a member of a CoP yet" in said(sandbox)


async def test_leave_in_private_lists_an_archived_cop_beside_an_active_one(
    ready: Cop, sandbox: Sandbox
) -> None:
    other = sandbox.group("Taal CoP", members=[ready.bram], admins=[ready.bram])
    await sandbox.add_bot(other, by=ready.bram)
    await sandbox.send(ready.bram, other, "/setup")
    await sandbox.press(ready.bram, last(sandbox, other), last(sandbox, other).button_texts[0])
    await sandbox.press(ready.bram, last(sandbox, other), "Skip")
    await sandbox.press(ready.bram, last(sandbox, other), "English")
    await sandbox.press(ready.bram, last(sandbox, other), "Europe/Amsterdam")
    await sandbox.press(ready.bram, last(sandbox, other), "I agree, save")
    await sandbox.send(ready.fenna, ready.group, "/archive")
    chat = sandbox.private_chat(ready.bram)
    await sandbox.dm(ready.bram, "/cop")  # only the active CoP takes private messages
    assert last(sandbox, chat).button_texts == ["Taal CoP"]
    await sandbox.press(ready.bram, last(sandbox, chat), "Taal CoP")

    await sandbox.dm(ready.bram, "/leave")  # but every CoP can be left
    assert last(sandbox, chat).button_texts == ["CoP Gedrag", "Taal CoP"]
    await sandbox.press(ready.bram, last(sandbox, chat), "CoP Gedrag")
    await sandbox.press(ready.bram, last(sandbox, chat), "Yes, leave and erase")
    assert "You have left CoP Gedrag." in said(sandbox)


async def test_housekeeping_lets_go_of_a_text_held_for_a_day(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    other = sandbox.group("Taal CoP", members=[ready.fenna, ready.anna], admins=[ready.fenna])
    await sandbox.add_bot(other, by=ready.fenna)
    await Cop(sandbox, other, ready.fenna, ready.teachers).setup("CoP Taal")
    await Cop(sandbox, other, ready.fenna, ready.teachers).join(ready.anna)
    await sandbox.dm(ready.anna, "Leerling Jan de Vries loopt weg")  # waits: "which CoP?"
    assert [f.kind for f in await rows(services, Flow)] == ["pending"]
    sender = TelegramSender(tick.app.bot)
    tick.clock.advance(timedelta(hours=23))
    await housekeeping(services, sender)
    assert [f.kind for f in await rows(services, Flow)] == ["pending"]
    tick.clock.advance(timedelta(hours=2))
    await housekeeping(services, sender)
    assert await rows(services, Flow) == []
    await sandbox.press(ready.anna, last(sandbox, sandbox.private_chat(ready.anna)), "CoP Taal")
    assert said(sandbox) == "Your private messages now go to CoP Taal."  # nothing to route
