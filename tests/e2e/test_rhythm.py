"""The meeting rhythm: planning, reminders at the right local time, attendance."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.app.context import Services
from bot.app.sender import TelegramSender
from bot.outbox import housekeeping
from bot.sandbox import Sandbox
from bot.services.reminders import KEEP_SETTLED, spread
from storage.models import Attendance, Community, Contribution, Delivery, Meeting, Reminder
from tests.conftest import Cop, Ticker, acked, last, rows, said

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)  # type: ignore[misc]


async def test_plan_a_series_by_dialogue(ready: Cop, sandbox: Sandbox, services: Services) -> None:
    await sandbox.send(ready.fenna, ready.group, "/holidays north")
    assert "school holidays of the northern region" in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/plan")
    assert "When is the first meeting?" in said(sandbox)
    await sandbox.send(
        ready.fenna, ready.group, "2026-12-02 15:00", reply_to=last(sandbox, ready.group)
    )
    await sandbox.press(ready.fenna, last(sandbox, ready.group), "5")
    await sandbox.press(ready.fenna, last(sandbox, ready.group), "every 2 weeks")
    await sandbox.press(ready.fenna, last(sandbox, ready.group), "60 min")
    await sandbox.send(
        ready.fenna, ready.group, "Lokaal 4 & <b>", reply_to=last(sandbox, ready.group)
    )
    summary = said(sandbox)
    assert "1. Wednesday 2 December 2026, 15:00" in summary
    assert "3. Wednesday 30 December 2026, 15:00" in summary
    assert "Meeting 3 falls in a holiday: Christmas holiday" in summary
    assert await rows(services, Meeting) == []  # nothing before Save

    await sandbox.press(ready.fenna, last(sandbox, ready.group), "Save")
    assert "Planned 5 meetings:" in said(sandbox)
    assert len(await rows(services, Meeting)) == 5
    await sandbox.send(ready.anna, ready.group, "/meetings")
    schedule = said(sandbox)
    assert (
        "1. Wednesday 2 December 2026, 15:00 (60 min) \u00b7 Lokaal 4 & <b> \u00b7 planned"
        in schedule
    )
    assert "Practice issues: everyone brings" in schedule  # the cycle template's meeting 1
    listing = last(sandbox, ready.group)  # a page at a time in the group (issue 15)
    pages = [schedule]
    while listing.button_texts[-1].startswith("More"):
        await sandbox.press(ready.anna, listing, listing.button_texts[-1])
        pages.append(listing.content)
    assert "Quality round" in pages[1]  # by meeting 2
    assert "The collection document" in pages[-1]  # the last meeting


async def test_meeting_commands_and_their_bad_input(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    async def meeting(text: str) -> str:
        await sandbox.send(ready.fenna, ready.group, text)
        return said(sandbox)

    assert "Planned 1 meeting:" in await meeting('/meeting add 2026-12-02 15:00 60 "Room 4"')
    assert "2027-02-31 does not exist" in await meeting("/meeting add 31-02-2027 15:00")
    assert "is in the past" in await meeting("/meeting add 2026-11-01 15:00")
    assert "more than two years away" in await meeting("/meeting add 2029-12-01 15:00")
    assert "overlaps meeting 1" in await meeting("/meeting add 2026-12-02 15:30")
    assert "A meeting can last from 10 to 480 minutes" in await meeting(
        "/meeting add 2026-12-09 15:00 0"
    )
    assert "I cannot read" in await meeting("/meeting add someday 15:00")
    assert "clocks go forward" in await meeting("/meeting add 2027-03-28 02:30")
    assert "There is no meeting 99" in await meeting("/meeting cancel 99")
    assert "Use /meeting add" in await meeting("/meeting")
    assert "is cancelled" in await meeting("/meeting cancel 1")
    assert "Add a new meeting instead" in await meeting("/meeting move 1 2026-12-09 15:00")
    assert len(await rows(services, Meeting)) == 1

    await sandbox.send(ready.anna, ready.group, "/meeting add 2026-12-09 15:00")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(ready.anna, ready.group, "/plan")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    assert len(await rows(services, Meeting)) == 1


async def test_reminders_attendance_and_follow_ups_fire_at_local_times(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00 60 Room 4")
    await sandbox.dm(ready.bram, "/start")  # Bram may be written to privately
    start = local(2026, 12, 2, 15, 0)

    assert (await tick.at(start - timedelta(days=2, minutes=5))).sent == 0
    report = await tick.at(start - timedelta(days=2))
    assert report.sent == 1
    reminder = last(sandbox, ready.group)
    assert "meeting 1</b> is on Wednesday 2 December 2026, 15:00" in reminder.html
    assert reminder.button_texts == ["I'll come", "Maybe", "I can't come"]
    # The agenda has its own message the day before: this one does not repeat it.
    assert "On the agenda:" not in reminder.content
    assert "The agenda comes the day before" in reminder.content

    answer = await sandbox.press(ready.anna, reminder, "I'll come")
    assert answer.answer_text == "Noted: you will come."
    assert "Coming: 1 \u00b7 maybe: 0 \u00b7 not: 0" in reminder.content
    await sandbox.press(ready.anna, reminder, "Maybe")  # changing one's mind
    assert "Coming: 0 \u00b7 maybe: 1 \u00b7 not: 0" in reminder.content
    outsider = await sandbox.press(ready.teachers[4], reminder, "I'll come")
    assert outsider.answer_text is not None and "not a member" in outsider.answer_text

    await tick.at(start - timedelta(days=1))
    texts = [m.content for m in sandbox.last_replies]
    await tick.at(start - timedelta(days=1) + timedelta(minutes=5))
    texts += [m.content for m in sandbox.last_replies]
    assert any("Tomorrow: meeting 1" in t for t in texts)
    # Fenna did not answer and never started the bot: one mention in the group.
    assert any(t.startswith("Fenna de Vries: will you come to meeting 1?") for t in texts)
    # Bram did not answer but started the bot: privately. Anna answered: nothing.
    bram_private = sandbox.last_bot_message(sandbox.private_chat(ready.bram))
    assert bram_private is not None and "Are you coming to meeting 1" in bram_private.content
    assert not any("Anna" in t for t in texts)

    # The cycle template opens the issue round before meeting 1.
    await tick.at(start - timedelta(days=1) + timedelta(minutes=10))
    assert "Issue round: your practice issue" in said(sandbox)

    report = await tick.at(start - timedelta(hours=1))
    assert report.sent == 1 and "Are you coming?" not in said(sandbox)
    # The last call is one short message: the agenda went out already.
    assert said(sandbox) == (
        "\u23f0 CoP Gedrag: meeting 1 starts at 15:00 \u00b7 Room 4.\n"
        "Coming: 0 \u00b7 maybe: 1 \u00b7 not: 0"
    )

    await tick.at(start + timedelta(minutes=75))
    ask = last(sandbox, ready.group)
    assert "Meeting 1 of CoP Gedrag has ended. What did you agree?" in ask.content
    await sandbox.send(ready.fenna, ready.group, "We use a tally sheet from now on", reply_to=ask)
    assert said(sandbox) == "Saved in the log of meeting 1."
    [note] = [c for c in await rows(services, Contribution) if c.kind == "meeting_note"]
    assert note.text == "We use a tally sheet from now on"

    assert (await tick()).sent == 0  # nothing is ever sent twice
    statuses = sorted((r.kind, r.status) for r in await rows(services, Reminder) if r.meeting_id)
    assert ("before", "sent") in statuses and ("after", "sent") in statuses


async def test_a_member_sends_apologies_and_replies_add_agenda_points(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    sent = await sandbox.send(ready.anna, ready.group, "/absent sick child at home")
    assert acked(sandbox, sent)  # a 👍 on the message, not one more message
    [row] = await rows(services, Attendance)
    assert (row.answer, row.note) == ("n", "sick child at home")

    await sandbox.send(ready.bram, ready.group, "/agenda")
    agenda = last(sandbox, ready.group)
    assert "Agenda of meeting 1" in agenda.content and "Facilitators:" not in agenda.content
    sent = await sandbox.send(
        ready.bram, ready.group, "The tally sheet from school B", reply_to=agenda
    )
    assert acked(sandbox, sent)  # a 👍 on the message, not one more message
    await sandbox.send(ready.bram, ready.group, "/agenda 1\nOnly this")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(ready.fenna, ready.group, "/agenda 1\nWelcome\nCase of pupil A")
    listing = said(sandbox)
    assert "The agenda of meeting 1 is updated." in listing
    assert (
        "\u2022 Welcome\n\u2022 Case of pupil A\n\u2022 The tally sheet from school B (Bram)"
        in listing
    )


async def test_weekly_question_keeps_8_local_across_daylight_saving_and_skips_holidays(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/weekly thu 08:00")
    assert said(sandbox) == "The weekly question now comes on Thursday at 08:00."
    await sandbox.send(ready.fenna, ready.group, "/holidays south")
    seen: list[datetime] = []
    skipped: list[datetime] = []
    for _ in range(110):  # two years of Thursdays: two March and two October changes
        planned = [
            r
            for r in await rows(services, Reminder)
            if r.kind == "weekly" and r.status == "planned"
        ]
        assert len(planned) == 1
        report = await tick.at(planned[0].due_at)
        # (the weekly question's private reminders, two days later, are due by now too)
        [outcome] = [done for reminder_id, done in report.outcomes if reminder_id == planned[0].id]
        (seen if outcome == "sent" else skipped).append(planned[0].due_at.astimezone(AMS))
        if outcome == "sent":
            assert "what did you try in your class this week?" in said(sandbox)
    assert len(seen) > 80 and len(skipped) > 15  # about 12 holiday weeks a year in the south
    # Exactly 08:00 in Amsterdam, winter and summer, less only the CoP's fixed spreading
    # offset (reminders go out up to four minutes early so CoPs do not all send at once).
    [community] = await rows(services, Community)
    early = spread(community.id)
    for moment in seen:
        promised = (moment + early).astimezone(AMS)
        assert (promised.weekday(), promised.time()) == (3, time(8, 0)), moment
    offsets = {moment.utcoffset() for moment in seen}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    calendar = services.holidays
    for moment in skipped:
        assert calendar.on(moment.date(), "south") is not None


async def test_pause_and_resume(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    await sandbox.send(ready.fenna, ready.group, "/pause")
    assert "paused" in said(sandbox)
    start = local(2026, 12, 2, 15, 0)
    assert (await tick.at(start - timedelta(days=2))).sent == 0
    await sandbox.send(ready.fenna, ready.group, "/resume")
    assert said(sandbox) == "Reminders are back on."
    report = await tick.at(start - timedelta(hours=1))
    assert report.sent >= 1 and "meeting 1" in said(sandbox)


async def test_a_cancelled_meeting_sends_no_reminders(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    await sandbox.send(ready.fenna, ready.group, "/meeting cancel 1")
    assert "Its reminders will not be sent" in said(sandbox)
    report = await tick.at(local(2026, 12, 2, 14, 0))
    assert report.sent == 0


async def test_the_reminder_settings_can_be_seen_and_changed(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/reminders")
    assert "Before each meeting: 2 days, 1 hour." in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/reminders 3d 2h 15m")
    assert said(sandbox) == "Reminders before each meeting: 3 days, 2 hours, 15 minutes."
    await sandbox.send(ready.fenna, ready.group, "/reminders soon")
    assert "I cannot read" in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    report = await tick.at(local(2026, 11, 29, 15, 0))
    assert report.sent == 1
    await sandbox.send(ready.fenna, ready.group, "/reminders")
    listing = last(sandbox, ready.group)
    await sandbox.press(ready.fenna, listing, listing.button_texts[-1])  # the next page
    assert "Sent lately:" in listing.content
    await sandbox.send(ready.bram, ready.group, "/reminders off")
    assert said(sandbox) == "Only the CoP's facilitators can do this."


async def test_housekeeping_prunes_what_was_sent_long_ago(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    sent_at = local(2026, 11, 30, 15, 0)  # two days before: the first reminder
    assert (await tick.at(sent_at)).sent == 1
    [sent] = [r for r in await rows(services, Reminder) if r.status == "sent"]
    sender = TelegramSender(tick.app.bot)
    tick.clock.set(sent_at + KEEP_SETTLED - timedelta(hours=1))
    await housekeeping(services, sender)  # still within the retention: /reminders shows it
    assert sent.id in {r.id for r in await rows(services, Reminder)}
    tick.clock.set(sent_at + KEEP_SETTLED + timedelta(hours=1))
    await housekeeping(services, sender)
    left = await rows(services, Reminder)
    assert sent.id not in {r.id for r in left} and any(r.status == "planned" for r in left)
    assert [d for d in await rows(services, Delivery) if d.reminder_id == sent.id] == []


async def test_the_agenda_collects_what_is_open(ready: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    await sandbox.send(ready.fenna, ready.group, "/issues")
    await sandbox.send(ready.fenna, ready.group, "/shared How do we keep pupils in class?")
    await sandbox.send(ready.anna, ready.group, "/decide We use a tally sheet")
    await sandbox.send(ready.bram, ready.group, "/insight Gedrag in de klas; Jansen; 2019")
    await sandbox.send(
        ready.bram, ready.group, "Gedrag is taal", reply_to=last(sandbox, ready.group)
    )
    await sandbox.send(ready.bram, ready.group, "Eerst kijken", reply_to=last(sandbox, ready.group))
    await sandbox.send(ready.anna, ready.group, "/agenda")
    agenda = said(sandbox)
    assert "Issue round still open: 0/3" in agenda
    assert "Shared issue to decide: How do we keep pupils in class?" in agenda
    assert "Agreement to decide: We use a tally sheet" in agenda
    assert "Literature shared since the last meeting: Gedrag in de klas" in agenda


async def test_a_late_agenda_says_what_is_true_and_never_comes_with_the_hour_reminder(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    """The bot was down when the agenda was due (issue 14): it says "today", not "tomorrow";
    and once the hour-before reminder is due, that one message replaces it."""
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00 60 Room 4")
    start = local(2026, 12, 2, 15, 0)
    await tick.at(start - timedelta(days=2))  # the first reminder; then the bot is down
    await tick.at(start - timedelta(hours=5))  # back on the meeting day's morning
    posted = [m.content for m in sandbox.last_replies]
    assert any(t.startswith("\U0001f4cb Today: meeting 1 of") for t in posted), posted
    assert not any("Tomorrow" in t for t in posted)


async def test_a_late_agenda_is_left_out_once_the_hour_reminder_is_due(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00 60 Room 4")
    start = local(2026, 12, 2, 15, 0)
    await tick.at(start - timedelta(days=2))
    before = len(sandbox.bot_messages(ready.group))
    await tick.at(start - timedelta(minutes=55))  # down until after the hour-before moment
    group = sandbox.bot_messages(ready.group)[before:]
    assert len(group) == 1, [m.content for m in group]  # one reminder, not two together
    assert "Tomorrow" not in group[0].content


async def test_absent_updates_the_counts_the_group_sees(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    """/absent changes the attendance question's counts as a press would (issue 14)."""
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00 60 Room 4")
    await tick.at(local(2026, 12, 2, 15, 0) - timedelta(days=2))
    question = last(sandbox, ready.group)
    await sandbox.press(ready.anna, question, "I'll come")
    await sandbox.send(ready.bram, ready.group, "/absent 1 a course that afternoon")
    assert "Coming: 1 \u00b7 maybe: 0 \u00b7 not: 1" in question.content
    assert question.button_texts == ["I'll come", "Maybe", "I can't come"]


async def test_weekly_answers_are_on_the_next_agenda(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    """ "Shared for the next meeting" is kept: the answers are on that meeting's agenda."""
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-10 15:00 60 Room 4")
    await sandbox.send(ready.fenna, ready.group, "/weekly thu 08:00")
    planned = [
        r for r in await rows(services, Reminder) if r.kind == "weekly" and r.status == "planned"
    ]
    await tick.at(planned[0].due_at)
    question = last(sandbox, ready.group)
    assert "what did you try in your class this week?" in question.content
    assert "Your answer goes on the next meeting's agenda." in question.content
    sent = await sandbox.send(
        ready.anna, ready.group, "A calm corner after the break", reply_to=question
    )
    assert acked(sandbox, sent)
    await sandbox.send(ready.bram, ready.group, "/agenda")
    assert "Tried this week: A calm corner after the break (Anna)" in said(sandbox)


async def test_where_reactions_are_off_the_confirmation_is_said(
    ready: Cop, sandbox: Sandbox
) -> None:
    ready.group.reactions = False  # the group's settings allow no reactions
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    sent = await sandbox.send(ready.anna, ready.group, "/absent sick child at home")
    assert sent.bot_reaction is None
    assert said(sandbox) == "Your apologies for meeting 1 are noted."


async def test_nothing_comes_at_the_weekend_before_a_monday_meeting(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-07 15:00")  # a Monday
    planned = [r for r in await rows(services, Reminder) if r.status == "planned"]
    days = {r.kind: r.due_at.astimezone(AMS).strftime("%a") for r in planned}
    assert "Sat" not in days.values() and "Sun" not in days.values(), days
    assert "agenda" not in days  # moved onto Friday with the first reminder, which has it
    assert days["before"] in ("Fri", "Mon") and "nudge" not in days  # none before an answer

    await tick.at(local(2026, 12, 4, 16, 0))  # Friday afternoon
    reminder, *_rest = [m for m in sandbox.last_replies if m.chat == ready.group]
    assert "meeting 1</b> is on Monday 7 December 2026, 15:00" in reminder.html
    assert "On the agenda:" in reminder.content
    await tick.at(local(2026, 12, 6, 15, 0))  # Sunday: nothing
    assert sandbox.last_replies == []
