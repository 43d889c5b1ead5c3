"""One private reminder for every open question (issue 14): the issue round and its
reflection question, the quality round, the weekly question and a new practice's
follow-up; by day only, never in a holiday, never twice; and "name qualities early"."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from bot.app.context import Services
from bot.clock import ManualClock
from bot.sandbox import Sandbox, SandboxMessage, SandboxUser
from storage.models import Contribution, Member, Reminder
from tests.conftest import Cop, Ticker, last, rows, said

AMS = ZoneInfo("Europe/Amsterdam")
REMINDER = "A short reminder from"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)  # type: ignore[misc]


def private(sandbox: Sandbox, user: SandboxUser, words: str) -> list[SandboxMessage]:
    """The bot's private messages to `user` that contain `words`."""
    chat = sandbox.private_chat(user)
    return [m for m in sandbox.bot_messages(chat) if words in m.content]


async def not_participating(services: Services, user: SandboxUser) -> None:
    """The facilitator takes part as a facilitator only (`/facilitator role` is the lead's)."""
    async with services.sessions.begin() as session:
        await session.execute(
            update(Member).where(Member.telegram_user_id == user.id).values(participates=False)
        )


async def test_an_open_issue_round_reminds_each_silent_member_once_privately(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker, clock: ManualClock
) -> None:
    fenna, anna, bram = ready.fenna, ready.anna, ready.bram
    chantal, dirk = ready.teachers[2], ready.teachers[3]
    await ready.join(chantal, dirk)
    await sandbox.send(fenna, ready.group, "/meeting add 2026-12-02 15:00 60 Room 4")
    for user in (fenna, anna, bram, chantal):  # Dirk never writes to the bot
        await sandbox.dm(user, "/start")
    await not_participating(services, fenna)

    clock.set(local(2026, 11, 27, 10, 0))
    await sandbox.send(fenna, ready.group, "/issues")
    round_prompt = last(sandbox, ready.group)
    answer = await sandbox.send(
        anna, ready.group, "Pupil A keeps walking out", reply_to=round_prompt
    )
    # Anna opened the private chat: a 👍 in the group, the question to her privately.
    assert answer.bot_reaction == "\U0001f44d"
    assert [m.chat for m in sandbox.last_replies] == [sandbox.private_chat(anna)]
    reflection = last(sandbox, sandbox.private_chat(anna))
    await sandbox.dm(anna, "I can change how my lesson starts", reply_to=reflection)
    assert said(sandbox) == "Thank you! Saved with your practice issue."
    await sandbox.send(bram, ready.group, "Pupil B does not start his work", reply_to=round_prompt)
    group_before = len(sandbox.bot_messages(ready.group))

    await tick.at(local(2026, 12, 1, 15, 50))  # not yet: the day before, at 16:00
    assert private(sandbox, chantal, REMINDER) == []
    await tick.at(local(2026, 12, 1, 16, 0))
    [to_chantal] = private(sandbox, chantal, REMINDER)
    assert "the issue round is open and your practice issue is not in yet" in to_chantal.content
    assert "Meeting 1 is on Wednesday 2 December 2026, 15:00." in to_chantal.content
    [to_bram] = private(sandbox, bram, "One question is still open")
    assert "what part of it can you or the school change?" in to_bram.content
    for quiet in (anna, fenna, dirk):  # answered; takes no part; no private chat
        assert private(sandbox, quiet, REMINDER) == []
        assert private(sandbox, quiet, "One question is still open") == []
    assert private(sandbox, bram, REMINDER) == []  # one reminder each, about one question

    for moment in (local(2026, 12, 1, 18, 0), local(2026, 12, 2, 8, 0), local(2026, 12, 2, 12, 0)):
        await tick.at(moment)
    assert len(private(sandbox, chantal, REMINDER)) == 1  # never a second one
    assert len(private(sandbox, bram, "One question is still open")) == 1
    group = [m.content for m in sandbox.bot_messages(ready.group)[group_before:]]
    assert not any("Not yet" in text or "Chantal" in text for text in group), group

    # A reply to the reminder is the answer, and the round's one status message shows it.
    await sandbox.dm(chantal, "Pupil C is silent in group work", reply_to=to_chantal)
    assert said(sandbox).startswith("Thanks, Chantal: your practice issue is saved.")
    assert "Answered so far: 3 of" in round_prompt.content
    await sandbox.dm(bram, "I can give him a start card", reply_to=to_bram)
    assert said(sandbox) == "Thank you! Saved with your practice issue."
    issues = [c.text for c in await rows(services, Contribution) if c.kind == "issue"]
    assert "Pupil C is silent in group work" in issues
    reflections = [c for c in await rows(services, Contribution) if c.kind == "issue_reflection"]
    assert sorted(r.text for r in reflections) == [
        "I can change how my lesson starts",
        "I can give him a start card",
    ]


async def test_a_round_opened_at_night_is_chased_in_the_morning_not_at_night(
    ready: Cop, sandbox: Sandbox, tick: Ticker, clock: ManualClock
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00 60 Room 4")
    await sandbox.dm(ready.anna, "/start")
    clock.set(local(2026, 12, 1, 21, 30))  # the evening before the meeting
    await sandbox.send(ready.fenna, ready.group, "/issues")
    night = [local(2026, 12, 1, 22, 0), local(2026, 12, 1, 23, 30)]
    night += [local(2026, 12, 2, hour, 0) for hour in range(7)] + [local(2026, 12, 2, 7, 59)]
    for moment in night:
        await tick.at(moment)
        assert private(sandbox, ready.anna, REMINDER) == [], moment
    await tick.at(local(2026, 12, 2, 8, 5))
    [reminder] = private(sandbox, ready.anna, REMINDER)
    assert reminder.date.astimezone(AMS).time() >= time(8, 0)


async def test_no_reminder_in_a_school_holiday(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker, clock: ManualClock
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/holidays north")
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2027-01-04 15:00 60 Room 4")
    await sandbox.dm(ready.anna, "/start")
    clock.set(local(2026, 12, 15, 10, 0))
    await sandbox.send(ready.fenna, ready.group, "/issues")
    # The day before the meeting is the last day of the Christmas holiday.
    for moment in (local(2027, 1, 3, 16, 0), local(2027, 1, 4, 8, 0), local(2027, 1, 4, 12, 0)):
        await tick.at(moment)
    assert private(sandbox, ready.anna, REMINDER) == []
    [chase] = [r for r in await rows(services, Reminder) if r.kind == "chase"]
    assert (chase.status, chase.note) == ("skipped", "holiday")


async def test_the_quality_round_reminder_leads_into_the_round(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker, clock: ManualClock
) -> None:
    fenna, anna, bram = ready.fenna, ready.anna, ready.bram
    await sandbox.send(fenna, ready.group, "/meeting add 2026-12-02 15:00 60 Room 4")
    await sandbox.dm(anna, "/start")
    await sandbox.dm(bram, "/start")
    clock.set(local(2026, 11, 27, 10, 0))
    await sandbox.send(fenna, ready.group, "/qualities")
    await sandbox.dm(anna, "/qualities")
    chat = sandbox.private_chat(anna)
    await sandbox.dm(anna, "Goed samenvatten: ze vatte alles samen", reply_to=last(sandbox, chat))
    assert said(sandbox).startswith("Saved:")

    await tick.at(local(2026, 12, 1, 16, 0))
    assert private(sandbox, anna, REMINDER) == []  # she named someone: she answered
    [reminder] = private(sandbox, bram, REMINDER)
    assert "the quality round is open" in reminder.content
    assert reminder.button_texts == ["Name qualities"]
    await sandbox.press(bram, reminder, "Name qualities")
    assert "Which quality do you see in <b>" in last(sandbox, sandbox.private_chat(bram)).html
    await tick.at(local(2026, 12, 2, 8, 0))
    assert len(private(sandbox, bram, REMINDER)) == 1


async def test_the_weekly_question_is_chased_once_a_school_day_later(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-17 15:00 60 Room 4")
    await sandbox.dm(ready.anna, "/start")
    await sandbox.dm(ready.bram, "/start")
    [weekly] = [
        r for r in await rows(services, Reminder) if r.kind == "weekly" and r.status == "planned"
    ]
    await tick.at(weekly.due_at)
    question = last(sandbox, ready.group)
    assert "what did you try in your class this week?" in question.content
    await sandbox.send(ready.anna, ready.group, "A calm corner", reply_to=question)

    # Two days after Thursday is Saturday: no messages at the weekend, so it comes Friday.
    await tick.at(weekly.due_at + timedelta(days=1) - timedelta(minutes=10))
    assert private(sandbox, ready.bram, "asked this week") == []
    await tick.at(weekly.due_at + timedelta(days=1))
    [reminder] = private(sandbox, ready.bram, "asked this week")
    assert "what did you try in your class? Reply to this message" in reminder.content
    assert private(sandbox, ready.anna, "asked this week") == []  # she shared already
    await sandbox.dm(ready.bram, "A tally sheet in the morning circle", reply_to=reminder)
    assert said(sandbox) == "Thank you, Bram: shared for the next meeting."
    await sandbox.send(ready.bram, ready.group, "/agenda")
    assert "Tried this week: A tally sheet in the morning circle (Bram)" in said(sandbox)
    await tick.at(weekly.due_at + timedelta(days=3))
    assert len(private(sandbox, ready.bram, "asked this week")) == 1


async def test_the_weekly_question_is_not_chased_when_the_meeting_is_near(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-11-29 15:00 60 Room 4")
    await sandbox.dm(ready.bram, "/start")
    [weekly] = [
        r for r in await rows(services, Reminder) if r.kind == "weekly" and r.status == "planned"
    ]
    await tick.at(weekly.due_at)  # Thursday 26 November, three days before the meeting
    assert "what did you try in your class this week?" in last(sandbox, ready.group).content
    await tick.at(weekly.due_at + timedelta(days=2, hours=1))
    assert private(sandbox, ready.bram, "asked this week") == []


async def test_the_follow_up_of_a_new_practice_is_chased_privately(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker, clock: ManualClock
) -> None:
    anna, bram = ready.anna, ready.bram
    await sandbox.dm(bram, "/start")
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-11-25 15:00")
    clock.set(local(2026, 11, 25, 15, 30))
    await sandbox.send(anna, ready.group, "/decide A communication notebook for pupil A")
    await sandbox.press(anna, last(sandbox, ready.group), "New practice")
    await tick.at(local(2026, 11, 25, 16, 5))  # the meeting ended: adopted
    assert "Nobody objected" in said(sandbox)

    await tick.at(local(2026, 12, 16, 10, 0))  # three weeks later: the follow-up
    follow = last(sandbox, ready.group)
    assert "Do you use it?" in follow.content
    await sandbox.press(anna, follow, "Yes")
    await tick.at(local(2026, 12, 18, 9, 50))
    assert private(sandbox, bram, "new practice") == []
    await tick.at(local(2026, 12, 18, 10, 0))  # two days later, privately to Bram only
    [reminder] = private(sandbox, bram, "new practice")
    assert "A communication notebook for pupil A" in reminder.content
    assert reminder.button_texts == ["Yes", "Sometimes", "Not yet"]
    assert private(sandbox, anna, "new practice") == []
    answered = await sandbox.press(bram, reminder, "Sometimes")
    assert answered.answer_text == "Thanks, your answer is noted."
    assert reminder.button_texts == []
    assert "In use: yes 1 \u00b7 sometimes 1 \u00b7 not yet 0" in follow.content  # the group's
    await tick.at(local(2026, 12, 19, 10, 0))
    assert len(private(sandbox, bram, "new practice")) == 1


async def plan_five(cop: Cop, sandbox: Sandbox) -> None:
    """Five meetings every two weeks from 2 December (meeting 2 on 16 December)."""
    await sandbox.send(cop.fenna, cop.group, "/plan")
    await sandbox.send(cop.fenna, cop.group, "2026-12-02 15:00", reply_to=last(sandbox, cop.group))
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "5")
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "every 2 weeks")
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "60 min")
    await sandbox.send(cop.fenna, cop.group, "Room 4", reply_to=last(sandbox, cop.group))
    await sandbox.press(cop.fenna, last(sandbox, cop.group), "Save")
    assert "Planned 5 meetings:" in said(sandbox)


async def test_qualities_early_the_facilitator_starts_the_round_with_one_press(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await plan_five(ready, sandbox)
    await sandbox.dm(ready.fenna, "/start")
    await sandbox.dm(ready.anna, "/start")
    await tick.at(local(2026, 12, 11, 15, 50))
    assert private(sandbox, ready.fenna, "meeting for qualities") == []
    # Three days before meeting 2 is Sunday 13 December: it comes on the Friday before.
    await tick.at(local(2026, 12, 11, 16, 0))
    [prompt] = private(sandbox, ready.fenna, "meeting for qualities")
    assert "meeting 2 (Wednesday 16 December 2026, 15:00)" in prompt.content
    assert "no quality round has run yet" in prompt.content
    assert private(sandbox, ready.anna, "meeting for qualities") == []  # facilitators only
    await sandbox.press(ready.fenna, prompt, "Start the quality round")
    assert said(sandbox).count("Quality round") == 1
    assert "send /qualities to me" in last(sandbox, ready.group).content
    assert "The quality round is posted in the group of CoP Gedrag." in said(sandbox)
    assert prompt.button_texts == []
    await sandbox.dm(ready.anna, "/qualities")
    assert "Which quality do you see in" in said(sandbox)
    await tick.at(local(2026, 12, 14, 16, 0))
    assert len(private(sandbox, ready.fenna, "meeting for qualities")) == 1


async def test_qualities_early_is_not_sent_when_a_round_has_run(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await plan_five(ready, sandbox)
    await sandbox.dm(ready.fenna, "/start")
    await sandbox.send(ready.fenna, ready.group, "/qualities")
    await sandbox.send(ready.fenna, ready.group, "/qualities close")
    await tick.at(local(2026, 12, 13, 16, 5))
    assert private(sandbox, ready.fenna, "meeting for qualities") == []
