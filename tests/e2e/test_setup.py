"""The facilitator sets up a CoP in its group."""

from __future__ import annotations

from bot.app.context import Services
from bot.sandbox import Sandbox, SandboxChat, SandboxUser
from storage.models import Community, ConsentRecord, Flow, Member
from tests.conftest import Cop, last, rows, said


async def test_bot_greets_a_group_it_is_added_to(cop: Cop, sandbox: Sandbox) -> None:
    greeting = sandbox.bot_messages(cop.group)[0].content
    assert "copbot" in greeting
    assert "/setup" in greeting and "/join" in greeting


async def test_admin_sets_up_the_cop_by_replies_and_buttons(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.send(cop.fenna, cop.group, "/setup")
    question = last(sandbox, cop.group)
    assert "step 1 of 4" in question.content
    assert question.button_texts == ["Keep \u201cDe Regenboog CoP\u201d"]

    await sandbox.send(cop.fenna, cop.group, "CoP Gedrag <b>&amp;</b>", reply_to=question)
    theme_question = last(sandbox, cop.group)
    assert "step 2 of 4" in theme_question.content and "Skip" in theme_question.button_texts

    await sandbox.send(cop.fenna, cop.group, "externaliserend gedrag", reply_to=theme_question)
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "English")
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "Europe/Amsterdam")
    summary = last(sandbox, cop.group)
    assert "Name: CoP Gedrag <b>&amp;</b>" in summary.content  # literal text, not markup
    assert "Theme: externaliserend gedrag" in summary.content
    assert await rows(services, Community) == []  # nothing stored before Save

    await sandbox.press(cop.fenna, summary, "I agree, save")
    assert "is set up. You are its facilitator." in said(sandbox)
    [community] = await rows(services, Community)
    assert (community.name, community.language, community.timezone) == (
        "CoP Gedrag <b>&amp;</b>",
        "en",
        "Europe/Amsterdam",
    )
    assert await rows(services, Flow) == []
    await sandbox.send(cop.anna, cop.group, "/members")
    assert "Fenna de Vries (facilitator)" in said(sandbox)


async def test_cancel_leaves_nothing_half_stored(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.send(cop.fenna, cop.group, "/setup")
    await sandbox.send(cop.fenna, cop.group, "Half a CoP", reply_to=last(sandbox, cop.group))
    await sandbox.send(cop.fenna, cop.group, "/cancel")
    assert said(sandbox) == "Stopped. Nothing of it was saved."
    assert await rows(services, Community) == [] and await rows(services, Flow) == []
    await sandbox.send(cop.anna, cop.group, "/members")
    assert "nog geen CoP" in said(sandbox)  # the default language, not Anna's phone
    await sandbox.send(cop.fenna, cop.group, "/cancel")
    assert said(sandbox) == "There was nothing to stop."


async def test_setup_again_edits_the_settings(cop: Cop, sandbox: Sandbox) -> None:
    await cop.setup(name="CoP Eerste naam")
    await sandbox.send(cop.fenna, cop.group, "/setup")
    assert last(sandbox, cop.group).button_texts == ["Keep \u201cCoP Eerste naam\u201d"]
    await sandbox.send(cop.fenna, cop.group, "CoP Tweede naam", reply_to=last(sandbox, cop.group))
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "Skip")
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "Nederlands")
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "Europe/Amsterdam")
    await sandbox.press(
        cop.fenna, last(sandbox, cop.group), last(sandbox, cop.group).buttons[0][0][0]
    )
    await sandbox.send(cop.anna, cop.group, "/members")
    assert "CoP Tweede naam" in said(sandbox)
    assert "CoP Eerste naam" not in said(sandbox)


async def test_non_admin_cannot_set_up(cop: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(cop.anna, cop.group, "/setup")  # before /setup: the default language
    assert said(sandbox) == "Alleen een groepsbeheerder van deze Telegramgroep kan dit doen."


async def test_a_reply_from_someone_else_does_not_advance_the_setup(
    cop: Cop, sandbox: Sandbox
) -> None:
    await sandbox.send(cop.fenna, cop.group, "/setup")
    question = last(sandbox, cop.group)
    await sandbox.send(cop.anna, cop.group, "Anna's name", reply_to=question)
    assert said(sandbox) == "Deze vraag was voor iemand anders bedoeld."  # default language
    await sandbox.send(cop.fenna, cop.group, "Fenna's name", reply_to=question)
    assert "step 2 of 4" in said(sandbox)


async def test_bad_answers_get_a_clear_question_again(cop: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(cop.fenna, cop.group, "/setup")
    question = last(sandbox, cop.group)
    await sandbox.send(cop.fenna, cop.group, "x" * 5000, reply_to=question)
    assert "That name is 5000 characters; please keep it under 100" in said(sandbox)
    await sandbox.send(cop.fenna, cop.group, "   ", reply_to=question)
    assert said(sandbox) == "The name cannot be empty. Please reply with a name."
    await sandbox.send(
        cop.fenna, cop.group, "CoP \u05e9\u05dc\u05d5\u05dd \U0001f600", reply_to=question
    )
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "Skip")
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "English")
    timezone_question = last(sandbox, cop.group)
    await sandbox.send(cop.fenna, cop.group, "Mars/Olympus", reply_to=timezone_question)
    assert "I do not know the time zone \u201cMars/Olympus\u201d" in said(sandbox)
    await sandbox.send(cop.fenna, cop.group, "brussels", reply_to=timezone_question)
    assert "Time zone: Europe/Brussels" in said(sandbox)
    assert "Name: CoP \u05e9\u05dc\u05d5\u05dd \U0001f600" in said(sandbox)


async def test_a_button_pressed_twice_is_refused_the_second_time(
    cop: Cop, sandbox: Sandbox
) -> None:
    await sandbox.send(cop.fenna, cop.group, "/setup")
    await sandbox.send(cop.fenna, cop.group, "CoP", reply_to=last(sandbox, cop.group))
    theme = last(sandbox, cop.group)
    skip = theme.buttons[0][0][1] or ""
    await sandbox.press(cop.fenna, theme, "Skip")
    again = await sandbox.press_data(cop.fenna, theme, skip)
    assert again.answer_text == "This button is no longer active." and again.show_alert
    assert sandbox.last_replies == []


async def test_setup_belongs_in_the_group(cop: Cop, sandbox: Sandbox) -> None:
    await sandbox.dm(cop.fenna, "/setup")
    assert said(sandbox) == "/setup works in your CoP's group chat, not here."


async def _to_summary(sandbox: Sandbox, admin: SandboxUser, group: SandboxChat) -> None:
    await sandbox.send(admin, group, "/setup")
    await sandbox.press(admin, last(sandbox, group), last(sandbox, group).button_texts[0])
    await sandbox.press(admin, last(sandbox, group), "Skip")
    await sandbox.press(admin, last(sandbox, group), "English")
    await sandbox.press(admin, last(sandbox, group), "Europe/Amsterdam")


async def test_the_first_setup_shows_the_letter_and_asks_consent_before_storing(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await _to_summary(sandbox, cop.fenna, cop.group)
    summary = last(sandbox, cop.group)
    assert "Information letter" in summary.content and "What I store" in summary.content
    assert summary.button_texts == ["I agree, save", "Cancel"]
    assert await rows(services, Member) == [] and await rows(services, ConsentRecord) == []
    await sandbox.press(cop.fenna, summary, "I agree, save")
    [fenna] = await rows(services, Member)
    assert (fenna.telegram_user_id, fenna.role) == (cop.fenna.id, "facilitator")
    [record] = await rows(services, ConsentRecord)
    assert (record.member_id, record.action) == (fenna.id, "given")


async def test_another_admin_who_saves_the_setup_consents_first_and_does_not_take_over(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    dirk = ready.teachers[3]
    await sandbox.set_admin(ready.group, dirk)
    await _to_summary(sandbox, ready.fenna, ready.group)
    fennas = last(sandbox, ready.group)
    assert fennas.button_texts == ["Save", "Cancel"]  # Fenna consented when she set it up
    refused = await sandbox.press(dirk, fennas, "Save")
    assert refused.answer_text == "This question was meant for someone else."

    await _to_summary(sandbox, dirk, ready.group)
    summary = last(sandbox, ready.group)
    assert "Information letter" in summary.content
    assert "Save" not in summary.button_texts  # no saving without consent
    assert [m for m in await rows(services, Member) if m.telegram_user_id == dirk.id] == []
    await sandbox.press(dirk, summary, "I agree, save")
    [member] = [m for m in await rows(services, Member) if m.telegram_user_id == dirk.id]
    assert member.role == "cofacilitator"  # Fenna stays the main facilitator
    assert [r for r in await rows(services, ConsentRecord) if r.member_id == member.id]


async def test_an_admin_demoted_during_setup_cannot_save_it(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    dirk = cop.teachers[3]
    await sandbox.set_admin(cop.group, dirk)
    await _to_summary(sandbox, dirk, cop.group)
    await sandbox.set_admin(cop.group, dirk, False)
    refused = await sandbox.press(dirk, last(sandbox, cop.group), "I agree, save")
    assert refused.answer_text == "Only an administrator of this Telegram group can do this."
    assert await rows(services, Community) == [] and await rows(services, Member) == []
