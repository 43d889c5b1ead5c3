"""After a meeting (issue 14): the facilitator ticks who was there, the rhythm check notices
a member who drifts, and the group gets one short recap the facilitator checked first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO
from zipfile import ZipFile
from zoneinfo import ZoneInfo

from bot.app.context import Services
from bot.sandbox import Sandbox, SandboxMessage, SandboxUser
from storage.models import Attendance, Meeting, Member
from tests.conftest import Cop, Ticker, last, rows, said

AMS = ZoneInfo("Europe/Amsterdam")
FIRST = datetime(2026, 12, 2, 15, 0, tzinfo=AMS).astimezone(UTC)
SECOND = datetime(2026, 12, 16, 15, 0, tzinfo=AMS).astimezone(UTC)
AFTER = timedelta(minutes=75)  # the meeting (60 minutes) is over, its after-question due


async def _two_meetings(cop: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(cop.fenna, cop.group, "/meeting add 2026-12-02 15:00 60 Room 4")
    await sandbox.send(cop.fenna, cop.group, "/meeting add 2026-12-16 15:00 60 Room 4")


async def _answer(
    sandbox: Sandbox, tick: Ticker, cop: Cop, start: datetime, answers: dict[str, str]
) -> None:
    """The reminder two days before asks who comes; each named teacher presses a button."""
    await tick.at(start - timedelta(days=2))
    question = last(sandbox, cop.group)
    by_name = {user.first_name: user for user in [cop.fenna, *cop.teachers]}
    for name, label in answers.items():
        await sandbox.press(by_name[name], question, label)


async def _member_id(services: Services, user: SandboxUser) -> int:
    return next(m.id for m in await rows(services, Member) if m.telegram_user_id == user.id)


async def _meeting_id(services: Services, number: int) -> int:
    return next(m.id for m in await rows(services, Meeting) if m.number == number)


async def test_the_facilitator_ticks_who_was_there_and_the_log_shows_it(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await ready.join(*ready.teachers[2:])  # five teachers and Fenna: six counted members
    await sandbox.dm(ready.fenna, "/start")  # so the presence message comes privately
    await _two_meetings(ready, sandbox)
    coming = dict.fromkeys(["Anna", "Bram", "Chantal", "Dirk"], "I'll come")
    await _answer(sandbox, tick, ready, FIRST, {**coming, "Emre": "I can't come"})
    group_before = len(sandbox.bot_messages(ready.group))

    await tick.at(FIRST + AFTER)
    private = sandbox.private_chat(ready.fenna)
    sheet = last(sandbox, private)
    assert "Meeting 1 of CoP Gedrag has ended. What did you agree?" in sheet.content
    assert "Who was there?" in sheet.content and "present 4 of 6" in sheet.content
    assert sheet.button_texts == [
        "\u2b1c Fenna de Vries",
        "\u2705 Anna",
        "\u2705 Bram",
        "\u2705 Chantal",
        "\u2705 Dirk",
        "\u2b1c Emre",
        "Done",
    ]
    # ONE message, to her: the group gets nothing of it.
    assert not any("Who was there" in m.content for m in sandbox.bot_messages(ready.group))
    assert len(sandbox.bot_messages(ready.group)) == group_before

    pressed = await sandbox.press(ready.fenna, sheet, "\u2705 Dirk")  # Dirk had to leave
    assert pressed.answer_text == "Noted: present 3 of 6."
    await sandbox.press(ready.fenna, sheet, "\u2b1c Dirk")  # no: he stayed after all
    await sandbox.press(ready.fenna, sheet, "\u2b1c Fenna de Vries")
    assert last(sandbox, private) is sheet  # each press edits the same message
    assert "\u2705 Fenna de Vries" in sheet.button_texts and "\u2b1c Emre" in sheet.button_texts
    await sandbox.press(ready.fenna, sheet, "Done")
    assert "Meeting 1 of CoP Gedrag</b>: present 5 of 6." in sheet.html
    assert "Not there: Emre." in sheet.content
    assert sheet.button_texts == ["Recap", "Change"]

    # Fenna never answered the question: her row has no answer, and no count counts it.
    stored = {row.member_id: (row.answer, row.present) for row in await rows(services, Attendance)}
    assert stored[await _member_id(services, ready.fenna)] == ("", True)
    assert stored[await _member_id(services, ready.teachers[4])] == ("n", False)

    await sandbox.send(ready.anna, ready.group, "/meetings")
    listing = last(sandbox, ready.group)  # opens at the next meeting; the held one is back
    await sandbox.press(ready.anna, listing, listing.button_texts[0])
    log = listing.content
    assert "1. Wednesday 2 December 2026, 15:00 (60 min) \u00b7 Room 4 \u00b7 held" in log
    assert "held \u00b7 present 5 of 6" in log
    await sandbox.send(ready.anna, ready.group, "/document md")  # the meeting log there too
    [zipped] = [m.document.data for m in sandbox.last_replies if m.document]
    with ZipFile(BytesIO(zipped)) as archive:
        assert "*held · present 5 of 6*" in archive.read("document.md").decode("utf-8")

    # Replying to the presence message still notes what was agreed, privately too.
    await sandbox.dm(ready.fenna, "We start with the tally sheet", reply_to=sheet)
    assert said(sandbox) == "Saved in the log of meeting 1."

    # /presence re-opens it (with the ticks as stored) for the facilitator.
    await sandbox.send(ready.fenna, ready.group, "/presence")
    reopened = last(sandbox, ready.group)
    assert "present 5 of 6" in reopened.content and "\u2705 Fenna de Vries" in (
        reopened.button_texts
    )


async def test_a_member_or_a_meeting_still_to_come_cannot_tick(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await _two_meetings(ready, sandbox)
    await _answer(sandbox, tick, ready, FIRST, {"Anna": "I'll come"})
    await tick.at(FIRST + AFTER)
    sheet = last(sandbox, ready.group)  # Fenna has no private chat: it is in the group
    assert "Who was there?" in sheet.content
    before = sheet.content, sheet.button_texts

    refused = await sandbox.press(ready.anna, sheet, "\u2b1c Bram")
    assert refused.answer_text == (
        "Only the CoP's facilitators tick who was there. Nothing was changed."
    )
    assert (sheet.content, sheet.button_texts) == before
    assert all(row.present is None for row in await rows(services, Attendance))

    second = await _meeting_id(services, 2)
    bram = await _member_id(services, ready.bram)
    future = await sandbox.press_data(ready.fenna, sheet, f"pr:{second}:{bram}")
    assert future.answer_text == (
        "Meeting 2 has not taken place yet: presence is ticked after the meeting."
    )
    await sandbox.send(ready.fenna, ready.group, "/presence 2")
    assert said(sandbox) == (
        "Meeting 2 has not taken place yet: presence is ticked after the meeting."
    )
    await sandbox.send(ready.fenna, ready.group, "/meeting cancel 2")
    cancelled = await sandbox.press_data(ready.fenna, sheet, f"pr:{second}:done")
    assert cancelled.answer_text == "Meeting 2 was cancelled: there is no presence to tick."
    await sandbox.send(ready.anna, ready.group, "/presence")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    assert all(row.present is None for row in await rows(services, Attendance))
    assert (sheet.content, sheet.button_texts) == before


async def _bram_drifts(ready: Cop, sandbox: Sandbox, tick: Ticker) -> SandboxMessage:
    """Bram says he cannot come to meeting 1 and is not ticked present at meeting 2;
    returns the presence message of meeting 2, closed with Done."""
    await _two_meetings(ready, sandbox)
    await _answer(sandbox, tick, ready, FIRST, {"Anna": "I'll come", "Bram": "I can't come"})
    await tick.at(FIRST + AFTER)  # presence of meeting 1 not ticked: the answers count
    await tick.at(FIRST + timedelta(days=1, hours=2))  # meeting 1's rhythm check
    await _answer(sandbox, tick, ready, SECOND, {"Anna": "I'll come", "Bram": "I'll come"})
    await tick.at(SECOND + AFTER)
    sheet = last(sandbox, sandbox.private_chat(ready.fenna))
    await sandbox.press(ready.fenna, sheet, "\u2705 Bram")  # he did not turn up after all
    await sandbox.press(ready.fenna, sheet, "Done")
    assert "present 1 of 3" in sheet.content  # Fenna was not ticked either
    return sheet


async def test_a_member_absent_twice_is_named_in_the_facilitators_note_the_next_day(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await sandbox.dm(ready.fenna, "/start")
    await sandbox.dm(ready.bram, "/start")
    await _bram_drifts(ready, sandbox, tick)
    private = sandbox.private_chat(ready.fenna)
    seen = len(sandbox.bot_messages(private))

    await tick.at(SECOND + timedelta(days=1, hours=2))
    [note] = sandbox.bot_messages(private)[seen:]
    assert "Rhythm check for CoP Gedrag" in note.content
    assert (
        "Bram was not there at the last two meetings. Ask Bram privately how things are, "
        "and share the recap."
    ) in note.content
    assert "Anna" not in note.content
    # The CoP's check-in is off by default: Bram hears nothing from the bot.
    bram = sandbox.last_bot_message(sandbox.private_chat(ready.bram))
    assert bram is None or "we missed you" not in bram.content


async def test_with_checkin_on_the_drifting_member_gets_one_warm_message(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await sandbox.dm(ready.fenna, "/start")
    await sandbox.dm(ready.bram, "/start")
    await sandbox.send(ready.fenna, ready.group, "/checkin maybe")
    assert said(sandbox) == "Use /checkin on or /checkin off."
    await sandbox.send(ready.bram, ready.group, "/checkin on")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(ready.fenna, ready.group, "/checkin on")
    assert said(sandbox).startswith("Check-in is on")
    await sandbox.send(ready.fenna, ready.group, "/reminders")
    assert "Check-in with members who miss two meetings: on." in said(sandbox)

    sheet = await _bram_drifts(ready, sandbox, tick)
    await sandbox.press(ready.fenna, sheet, "Recap")
    await sandbox.press(ready.fenna, last(sandbox, sandbox.private_chat(ready.fenna)), "Post")
    bram_chat = sandbox.private_chat(ready.bram)
    seen = len(sandbox.bot_messages(bram_chat))

    await tick.at(SECOND + timedelta(days=1, hours=2))
    [warm] = sandbox.bot_messages(bram_chat)[seen:]
    assert warm.content.startswith(
        "Hi Bram, we missed you at the last two meetings of CoP Gedrag. How are things?"
    )
    assert "What we did last time:\n\U0001f4dd Recap of meeting 2" in warm.content
    assert (await tick()).sent == 0  # and only once
    assert sandbox.bot_messages(bram_chat)[seen:] == [warm]


async def test_the_recap_is_drafted_checked_edited_and_posted_once(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.dm(ready.fenna, "/start")
    await _two_meetings(ready, sandbox)
    tick.clock.set(FIRST + timedelta(minutes=30))  # at the meeting
    await sandbox.send(ready.anna, ready.group, "/decide We use a tally sheet @bram by 2026-12-10")
    await tick.at(FIRST + AFTER)  # nobody objected: adopted at the end; then the presence
    await sandbox.send(ready.bram, ready.group, "/agenda")  # the next meeting's agenda
    await sandbox.send(
        ready.bram, ready.group, "What the tally sheet showed", reply_to=last(sandbox, ready.group)
    )
    private = sandbox.private_chat(ready.fenna)
    sheet = next(m for m in sandbox.bot_messages(private) if "Who was there?" in m.content)
    await sandbox.press(ready.fenna, sheet, "Done")
    await sandbox.press(ready.fenna, sheet, "Recap")
    draft = last(sandbox, private)
    assert "Draft recap (only you see this)" in draft.content
    assert "Recap of meeting 1 (Wednesday 2 December 2026)" in draft.content
    assert "Agreed\n\u2022 We use a tally sheet (Bram, by Thursday 10 December 2026)" in (
        draft.content
    )
    assert "Next time: meeting 2, Wednesday 16 December 2026, 15:00" in draft.content
    assert "\u2022 What the tally sheet showed (Bram)" in draft.content
    assert draft.button_texts == ["Post", "Edit"]

    await sandbox.send(ready.bram, ready.group, "/recap")
    assert said(sandbox) == "Only the CoP's facilitators can do this."

    await sandbox.press(ready.fenna, draft, "Edit")
    question = last(sandbox, private)
    assert "Reply to this message with the recap of meeting 1" in question.content
    await sandbox.dm(ready.fenna, "   ", reply_to=question)
    assert said(sandbox) == "The recap cannot be empty. The draft is kept as it was."
    await sandbox.dm(ready.fenna, "x" * 5000, reply_to=question)
    assert said(sandbox).startswith("That is 5000 characters")
    assert "The draft is kept as it was." in said(sandbox)
    [first] = [m for m in await rows(services, Meeting) if m.number == 1]
    assert "recap" not in first.agenda  # nothing stored half

    text = "We use a tally sheet from now on; Bram shows the results on 16 December."
    await sandbox.dm(ready.fenna, text, reply_to=question)
    edited = last(sandbox, private)
    assert text in edited.content and edited.button_texts == ["Post", "Edit"]

    group_before = len(sandbox.bot_messages(ready.group))
    await sandbox.press(ready.fenna, edited, "Post")
    [posted] = sandbox.bot_messages(ready.group)[group_before:]
    assert posted.content == f"\U0001f4dd Recap of meeting 1 (Wednesday 2 December 2026)\n{text}"
    assert len(posted.content.splitlines()) <= 8  # phone-sized
    assert edited.content == "The recap of meeting 1 is posted in the group."
    again = await sandbox.press_data(ready.fenna, edited, f"rc:{first.id}:post")
    assert again.answer_text == "This recap was posted already; it is not posted twice."
    assert sandbox.bot_messages(ready.group)[group_before:] == [posted]
    [first] = [m for m in await rows(services, Meeting) if m.number == 1]
    assert first.agenda["recap"]["posted"] == posted.html

    late = await sandbox.press_data(ready.fenna, edited, f"rc:{first.id}:edit")
    assert late.answer_text == "The recap of meeting 1 was posted already; it is not changed."

    await sandbox.dm(ready.fenna, "/recap 1")
    assert "The recap of meeting 1 is posted in the group:" in said(sandbox)
    await sandbox.dm(ready.fenna, "/recap first")
    assert said(sandbox) == (
        "Give the meeting's number (for example 2), or nothing for the last meeting."
    )
