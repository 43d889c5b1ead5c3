"""Agreements: recorded, adopted, assigned, followed up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Contribution
from tests.conftest import Cop, Ticker, acked, last, rows, said

AMS = ZoneInfo("Europe/Amsterdam")


async def five(cop: Cop) -> Cop:
    await cop.setup()
    await cop.join(*cop.teachers[:4])
    return cop


async def test_record_adopt_by_majority_and_mark_as_practice(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    await sandbox.send(
        cop.anna, cop.group, "/decide We observe with a tally sheet @bram by 2026-12-10"
    )
    message = last(sandbox, cop.group)
    assert "Agreement 1</b> (proposed)" in message.html
    assert "Owner: Bram" in message.content and "Due: Thursday 10 December 2026" in message.content
    for teacher in (cop.anna, cop.bram):
        await sandbox.press(teacher, message, "Agree")
    assert "Agree: 2" in message.content
    await sandbox.press(cop.teachers[2], message, "Agree")  # 3 of 5
    assert said(sandbox).startswith("\u2705 Agreement 1 is adopted")
    late = await sandbox.press_data(cop.teachers[3], message, "dc:1:object")
    assert late.answer_text is not None and "already adopted" in late.answer_text
    await sandbox.press(cop.anna, message, "New practice")
    assert "new practice" in message.content
    await sandbox.send(cop.fenna, cop.group, "/decisions")
    assert "1. We observe with a tally sheet (new practice \u00b7 Bram \u00b7" in said(sandbox)


async def test_decide_bad_input(cop: Cop, sandbox: Sandbox, services: Services) -> None:
    await five(cop)
    await sandbox.send(cop.anna, cop.group, "/decide")
    assert "Write the agreement after /decide" in said(sandbox)
    await sandbox.send(cop.anna, cop.group, "/decide Use a notebook @emre")
    assert "@emre is not a member of this CoP" in said(sandbox)
    await sandbox.send(cop.anna, cop.group, "/decide Use a notebook by 2026-01-05")
    assert "2026-01-05 is in the past" in said(sandbox)
    await sandbox.send(cop.anna, cop.group, "/decide " + "x" * 4000)
    assert "under 1000 characters" in said(sandbox)
    await sandbox.send(cop.teachers[4], cop.group, "/decide Something")
    assert "not a member of this CoP (yet)" in said(sandbox)
    assert [c for c in await rows(services, Contribution) if c.kind == "decision"] == []
    question = await sandbox.send(cop.bram, cop.group, "/decisions")
    await sandbox.send(cop.anna, cop.group, "/decide", reply_to=last(sandbox, cop.group))
    assert "Write the agreement" not in said(sandbox)
    del question


async def test_unopposed_at_the_meeting_end_owner_reminders_and_follow_up(
    cop: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await five(cop)
    await sandbox.dm(cop.bram, "/start")
    await sandbox.send(cop.fenna, cop.group, "/meeting add 2026-12-02 15:00")
    start = datetime(2026, 12, 2, 15, 0, tzinfo=AMS).astimezone(UTC)
    tick.clock.set(start + timedelta(minutes=30))
    await sandbox.send(
        cop.anna, cop.group, "/decide A communication notebook for pupil A @bram by 2026-12-16"
    )
    decision = last(sandbox, cop.group)
    await sandbox.press(cop.anna, decision, "New practice")
    await sandbox.send(cop.fenna, cop.group, "/decide Nobody likes this one")
    await sandbox.press(cop.bram, last(sandbox, cop.group), "Object")

    await tick.at(start + timedelta(minutes=65))  # the meeting has ended
    assert "Nobody objected, so these agreements are adopted:" in said(sandbox)
    assert "A communication notebook" in said(sandbox) and "Nobody likes" not in said(sandbox)

    await tick.at(datetime(2026, 12, 14, 9, 0, tzinfo=AMS).astimezone(UTC))
    soon = sandbox.last_bot_message(sandbox.private_chat(cop.bram))
    assert soon is not None and "agreement 1 is due on" in soon.content  # privately to Bram
    await tick.at(datetime(2026, 12, 16, 9, 0, tzinfo=AMS).astimezone(UTC))
    ask = sandbox.last_bot_message(sandbox.private_chat(cop.bram))
    assert ask is not None and "is due today" in ask.content
    answered = await sandbox.press(cop.bram, ask, "Done")
    assert answered.answer_text == "Marked as done. Thank you!"

    report = await tick.at(datetime(2026, 12, 23, 10, 0, tzinfo=AMS).astimezone(UTC))
    assert report.sent == 1
    follow = last(sandbox, cop.group)
    assert "Do you use it?" in follow.content
    await sandbox.press(cop.anna, follow, "Yes")
    await sandbox.press(cop.bram, follow, "Sometimes")
    assert "In use: yes 1 \u00b7 sometimes 1 \u00b7 not yet 0" in follow.content
    sent = await sandbox.send(cop.bram, cop.group, "Only on Mondays", reply_to=follow)
    assert acked(sandbox, sent)  # a 👍 on the message, not one more message
    # A remark without a press is no answer (issue 14): it is kept, and the buttons asked.
    chantal = cop.teachers[2]
    await sandbox.send(chantal, cop.group, "Not yet, after the autumn break", reply_to=follow)
    asked = last(sandbox, cop.group)
    assert asked.content.startswith("Thanks, your remark is saved. Do you use it already?")
    assert "In use: yes 1 \u00b7 sometimes 1 \u00b7 not yet 0" in follow.content  # not a yes
    await sandbox.press(chantal, asked, "Not yet")
    assert "In use: yes 1 \u00b7 sometimes 1 \u00b7 not yet 1" in asked.content
    await sandbox.send(cop.fenna, cop.group, "/decisions")
    listing = said(sandbox)
    assert "Done" in listing and "A communication notebook" in listing


async def test_what_was_understood_can_be_fixed(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    await sandbox.send(cop.anna, cop.group, "/decide We make a plan for newcomers bram 10 dec")
    proposal = last(sandbox, cop.group)
    assert "Owner:" not in proposal.content  # nothing was understood as owner or date
    assert "\u270f\ufe0f Owner and date" in proposal.button_texts

    refused = await sandbox.press(cop.teachers[2], proposal, "\u270f\ufe0f Owner and date")
    assert refused.answer_text is not None and "Only who proposed" in refused.answer_text
    await sandbox.press(cop.anna, proposal, "\u270f\ufe0f Owner and date")
    question = last(sandbox, cop.group)
    assert "Who takes agreement 1 on, and by when?" in question.content

    await sandbox.send(cop.anna, cop.group, "next week sometime", reply_to=question)
    assert "I could not read an owner or a date" in said(sandbox)
    await sandbox.send(cop.anna, cop.group, "uiterlijk 10 december @bram", reply_to=question)
    assert said(sandbox) == ("Agreement 1: owner Bram, due Thursday 10 December 2026.")
    assert "Owner: Bram" in proposal.content and proposal.edited
    [row] = [c for c in await rows(services, Contribution) if c.kind == "decision"]
    assert (
        row.data["due"] == "2026-12-10" and row.text == "We make a plan for newcomers bram 10 dec"
    )
