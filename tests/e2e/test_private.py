"""Private chats with the bot, and people who are in more than one CoP."""

from __future__ import annotations

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Contribution, Flow
from tests.conftest import Cop, last, rows, said


async def test_start_explains_the_bot_and_lists_memberships(ready: Cop, sandbox: Sandbox) -> None:
    await sandbox.dm(ready.anna, "/start")
    assert "I support teachers' Communities of Practice" in said(sandbox)
    assert "You are a member of: CoP Gedrag." in said(sandbox)
    await sandbox.dm(ready.teachers[4], "/start")
    assert "To join, send /join in your CoP's group chat." in said(sandbox)


async def test_group_commands_in_private_and_private_commands_in_group(
    ready: Cop, sandbox: Sandbox
) -> None:
    await sandbox.dm(ready.anna, "/members")
    assert said(sandbox) == "/members works in your CoP's group chat, not here."
    await sandbox.dm(ready.anna, "/join")
    assert said(sandbox) == "/join works in your CoP's group chat, not here."
    await sandbox.send(ready.anna, ready.group, "/start")
    assert said(sandbox) == (
        "/start works in a private chat with me: open @copbot_sandbox_bot and send it there."
    )
    await sandbox.send(ready.anna, ready.group, "/cop")
    assert "works in a private chat with me" in said(sandbox)


async def test_a_member_of_one_cop_gets_an_answer_and_nothing_is_stored(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.dm(ready.anna, "My pupil A keeps walking out of class")
    assert said(sandbox) == (
        "There is no open question in CoP Gedrag right now, so I did not store your message. "
        "See /help for what you can do."
    )
    assert await rows(services, Contribution) == []


async def test_a_member_of_two_cops_is_asked_which_one_a_message_is_for(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    other = sandbox.group("Taal CoP", members=[ready.bram, ready.anna], admins=[ready.bram])
    await sandbox.add_bot(other, by=ready.bram)
    await sandbox.send(ready.bram, other, "/setup")
    await sandbox.send(ready.bram, other, "CoP Taal", reply_to=last(sandbox, other))
    await sandbox.press(ready.bram, last(sandbox, other), "Skip")
    await sandbox.press(ready.bram, last(sandbox, other), "English")
    await sandbox.press(ready.bram, last(sandbox, other), "Europe/Amsterdam")
    await sandbox.press(ready.bram, last(sandbox, other), "I agree, save")

    await sandbox.dm(ready.bram, "A question for one of my CoPs")
    choice = last(sandbox, sandbox.private_chat(ready.bram))
    assert choice.content == "You are a member of several CoPs. Which CoP is this about?"
    assert choice.button_texts == ["CoP Gedrag", "CoP Taal"]
    assert len(await rows(services, Flow)) == 1  # held for a consenting member only

    await sandbox.press(ready.bram, choice, "CoP Taal")
    assert said(sandbox).splitlines() == [
        "Your private messages now go to CoP Taal.",
        "There is no open question in CoP Taal right now, so I did not store your message. "
        "See /help for what you can do.",
    ]
    assert [f.kind for f in await rows(services, Flow)] == ["context"]
    await sandbox.dm(ready.bram, "Another one")
    assert "no open question in CoP Taal" in said(sandbox)

    await sandbox.dm(ready.bram, "/cop")
    await sandbox.press(ready.bram, last(sandbox, sandbox.private_chat(ready.bram)), "CoP Gedrag")
    assert said(sandbox) == "Your private messages now go to CoP Gedrag."

    forged = await sandbox.press_data(
        ready.anna, last(sandbox, sandbox.private_chat(ready.bram)), "pc:999"
    )
    assert forged.answer_text is not None and "not a member" in forged.answer_text


async def test_leave_in_private_asks_which_cop_when_there_are_several(
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

    chat = sandbox.private_chat(ready.bram)
    await sandbox.dm(ready.bram, "/leave")
    assert last(sandbox, chat).button_texts == ["CoP Gedrag", "Taal CoP"]
    await sandbox.press(ready.bram, last(sandbox, chat), "Taal CoP")
    assert "Do you want to leave Taal CoP?" in said(sandbox)
    await sandbox.press(ready.bram, last(sandbox, chat), "Yes, leave and erase")
    assert "You have left Taal CoP." in said(sandbox)
    await sandbox.dm(ready.bram, "/start")
    assert "You are a member of: CoP Gedrag." in said(sandbox)


async def test_help_lists_what_the_asker_may_use(ready: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(ready.bram, ready.group, "/help")
    member_help = said(sandbox)
    assert "/leave" in member_help and "/members" in member_help
    assert "/setup" not in member_help and "/facilitator" not in member_help
    assert "/join" not in member_help

    await sandbox.send(ready.teachers[4], ready.group, "/help")
    guest_help = said(sandbox)
    assert "/join" in guest_help and "/leave" not in guest_help

    await sandbox.send(ready.fenna, ready.group, "/help")
    facilitator_help = said(sandbox)
    assert "/setup" in facilitator_help and "/facilitator @name" in facilitator_help

    await sandbox.dm(ready.bram, "/help")
    private_help = said(sandbox)
    assert "/cop" in private_help and "/start" in private_help and "/members" not in private_help


async def test_privacy_shows_the_letter_anywhere(ready: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(ready.teachers[4], ready.group, "/privacy")
    assert "Information letter: CoP Gedrag" in said(sandbox)
    await sandbox.dm(ready.teachers[4], "/privacy")
    assert "Information letter: copbot" in said(sandbox)
