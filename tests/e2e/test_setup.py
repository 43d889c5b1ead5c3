"""The facilitator sets up a CoP in its group."""

from __future__ import annotations

from bot.sandbox import Sandbox
from tests.conftest import Cop, last, said


async def test_bot_greets_a_group_it_is_added_to(cop: Cop, sandbox: Sandbox) -> None:
    greeting = sandbox.bot_messages(cop.group)[0].content
    assert "copbot" in greeting
    assert "/setup" in greeting and "/join" in greeting


async def test_admin_sets_up_the_cop_by_replies_and_buttons(cop: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(cop.fenna, cop.group, "/setup")
    question = last(sandbox, cop.group)
    assert "1" in question.content and "4" in question.content
    assert "De Regenboog CoP" in question.button_texts[0]  # keep the group title

    await sandbox.send(cop.fenna, cop.group, "CoP Gedrag <b>&amp;</b>", reply_to=question)
    theme_question = last(sandbox, cop.group)
    assert "Skip" in theme_question.button_texts

    await sandbox.send(cop.fenna, cop.group, "externaliserend gedrag", reply_to=theme_question)
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "Nederlands")
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "Europe/Amsterdam")
    summary = last(sandbox, cop.group)
    assert "CoP Gedrag <b>&amp;</b>" in summary.content  # shown literally, not as markup
    assert "externaliserend gedrag" in summary.content

    await sandbox.press(cop.fenna, summary, summary.buttons[0][0][0])
    await sandbox.send(cop.fenna, cop.group, "/members")
    assert "Fenna de Vries" in said(sandbox)
    assert "facilitator" in said(sandbox)


async def test_non_admin_cannot_set_up(cop: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(cop.teachers[0], cop.group, "/setup")
    assert "administrator" in said(sandbox).lower() or "beheerder" in said(sandbox).lower()
