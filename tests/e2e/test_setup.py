"""The facilitator sets up a CoP in its group."""

from __future__ import annotations

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Community, Flow
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

    await sandbox.press(cop.fenna, summary, "Save")
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
    assert "no CoP yet" in said(sandbox)
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
    await sandbox.send(cop.anna, cop.group, "/setup")
    assert said(sandbox) == "Only an administrator of this Telegram group can do this."


async def test_a_reply_from_someone_else_does_not_advance_the_setup(
    cop: Cop, sandbox: Sandbox
) -> None:
    await sandbox.send(cop.fenna, cop.group, "/setup")
    question = last(sandbox, cop.group)
    await sandbox.send(cop.anna, cop.group, "Anna's name", reply_to=question)
    assert said(sandbox) == "This question was meant for someone else."
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
