"""Chat etiquette and the smaller things a teacher trips over (issue 15): short lists in
the group, buttons where an answer is expected, and displays that say plainly what is
meant."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from bot.app.context import Services
from bot.render.pages import PHONE_LINES
from bot.sandbox import Sandbox
from storage.models import Member
from tests.conftest import Cop, Ticker, last, rows, said


async def five(cop: Cop) -> Cop:
    await cop.setup()
    await cop.join(*cop.teachers[:4])  # Fenna + Anna, Bram, Chantal, Dirk = 5 members
    return cop


async def test_a_source_given_only_as_a_link_is_printed_once(cop: Cop, sandbox: Sandbox) -> None:
    await five(cop)
    await sandbox.send(cop.anna, cop.group, "/insight https://example.org/gedrag")
    await sandbox.send(
        cop.anna, cop.group, "Gedrag is communicatie", reply_to=last(sandbox, cop.group)
    )
    await sandbox.send(cop.anna, cop.group, "Eerst kijken", reply_to=last(sandbox, cop.group))
    await sandbox.send(cop.bram, cop.group, "/insight 10.1037/abc.123")
    await sandbox.send(cop.bram, cop.group, "Voorspelbaarheid", reply_to=last(sandbox, cop.group))
    await sandbox.send(cop.bram, cop.group, "Dagritme", reply_to=last(sandbox, cop.group))

    await sandbox.send(cop.teachers[2], cop.group, "/reading")
    listing = said(sandbox)
    assert listing.count("https://example.org/gedrag") == 1
    assert listing.count("10.1037/abc.123") == 1
    assert "https://doi.org/10.1037/abc.123" in listing  # a DOI alone reads as its link


async def test_code_shows_numbers_names_and_dates_not_database_ids(
    cop: Cop, sandbox: Sandbox
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    for teacher, text in zip(
        cop.teachers[:2], ["Parents do not help", "I lose my patience"], strict=True
    ):
        await sandbox.send(teacher, cop.group, text, reply_to=round_prompt)
    await sandbox.dm(cop.fenna, "/code")
    first, second = sandbox.last_replies[1:3]
    assert "#" not in first.content and "#" not in second.content
    assert first.content.startswith("1. practice issue \u00b7 Anna \u00b7 Monday 23 November 2026")
    assert second.content.startswith("2. practice issue \u00b7 Bram")
    await sandbox.press(cop.fenna, second, "shared / internal")
    assert second.content.startswith("2. practice issue \u00b7 Bram")  # the same number after
    assert "Code: shared / internal" in second.content


def lines(text: str) -> int:
    return text.count("\n") + 1


async def test_meetings_in_the_group_fit_a_phone_and_page_in_place(
    cop: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await five(cop)
    await cop.plan("2 December 2026 15:00", "5")
    await sandbox.send(cop.anna, cop.group, "/meetings")
    [listing] = sandbox.last_replies  # one message, whatever the schedule's length
    assert lines(listing.content) <= PHONE_LINES
    assert "1. Wednesday 2 December 2026" in listing.content
    assert "Practice issues: everyone brings" in listing.content  # the next meeting's agenda
    assert "2. Wednesday 16 December" not in listing.content
    assert listing.button_texts == ["More \u25b8 (2 of 4)"]

    await sandbox.press(cop.bram, listing, "More \u25b8 (2 of 4)")  # anyone may read on
    assert sandbox.last_replies == [] and listing.edited  # the same message, no new one
    assert "2. Wednesday 16 December 2026" in listing.content
    assert "Quality round" in listing.content and lines(listing.content) <= PHONE_LINES
    assert listing.button_texts == ["\u25c2 Back", "More \u25b8 (3 of 4)"]
    await sandbox.press(cop.bram, listing, "\u25c2 Back")
    assert "1. Wednesday 2 December 2026" in listing.content
    await sandbox.press_data(cop.bram, listing, "mg:99")  # an old or forged page: the last
    assert "5. Wednesday 27 January 2027" in listing.content
    assert listing.button_texts == ["\u25c2 Back"]

    # After meeting 1, the list opens at the next meeting; the held one is one page back.
    await tick.at(datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    await sandbox.send(cop.anna, cop.group, "/meetings")
    listing = last(sandbox, cop.group)
    assert "2. Wednesday 16 December 2026" in listing.content
    assert "1. Wednesday" not in listing.content
    assert listing.button_texts == ["\u25c2 Back", "More \u25b8 (3 of 4)"]
    await sandbox.press(cop.anna, listing, "\u25c2 Back")
    assert "1. Wednesday 2 December 2026, 15:00 (60 min) \u00b7 held" in listing.content


async def test_help_in_the_group_is_a_page_of_the_askers_commands(
    cop: Cop, sandbox: Sandbox
) -> None:
    await five(cop)
    await sandbox.send(cop.anna, cop.group, "/help")
    listing = last(sandbox, cop.group)
    assert lines(listing.content) <= PHONE_LINES
    assert listing.content.endswith("Answer my questions by replying to my message.")
    more = listing.button_texts[-1]
    assert more.startswith("More \u25b8 (2 of ")
    await sandbox.press(cop.anna, listing, more)
    assert "/insight" in listing.content or "/mine" in listing.content
    assert lines(listing.content) <= PHONE_LINES
    await sandbox.dm(cop.anna, "/help")  # in private, all of it at once
    assert "/mine" in said(sandbox) and "/portfolio" in said(sandbox)
    assert last(sandbox, sandbox.private_chat(cop.anna)).buttons == []


async def test_reminders_say_what_comes_and_what_was_sent_at_the_promised_time(
    cop: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/meeting add 2 December 2026 16:00")
    await sandbox.send(cop.fenna, cop.group, "/reminders")
    listing = last(sandbox, cop.group)
    assert lines(listing.content) <= PHONE_LINES
    assert "Recent" not in listing.content
    assert "Coming up:\n\u2022 Thursday 26 November 2026, 16:00 \u00b7 weekly question" in (
        listing.content
    )  # the weekly question is at 16:00, as set: not 15:59 (the outbox's spread)
    assert "Monday 30 November 2026, 16:00 \u00b7 reminder" in listing.content
    assert ":59" not in listing.content

    await tick.at(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))  # 16:00 in Amsterdam
    await sandbox.send(cop.fenna, cop.group, "/reminders")
    listing = last(sandbox, cop.group)
    assert "weekly question" not in listing.content.split("Change:")[0].split("Coming up:")[1]
    more = listing.button_texts[-1]
    await sandbox.press(cop.fenna, listing, more)
    assert "Sent lately:\n\u2022 Thursday 26 November 2026, 16:00 \u00b7 weekly question" in (
        listing.content
    )
    refused = await sandbox.press(cop.anna, listing, "\u25c2 Back")
    assert refused.answer_text == "Only the CoP's facilitators can do this."


async def test_the_issue_round_opens_the_private_chat_in_one_tap(
    cop: Cop, sandbox: Sandbox
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    [(label, data)] = round_prompt.buttons[0]
    assert label == "\U0001f512 Answer privately" and data is None  # a link, no callback
    bot = sandbox.bot.username
    url = round_prompt.reply_markup["inline_keyboard"][0][0]["url"]  # type: ignore[index]
    assert url.startswith(f"https://t.me/{bot}?start=issue-")

    await sandbox.open_link(cop.anna, round_prompt, label)  # Telegram sends /start issue-N
    chat = sandbox.private_chat(cop.anna)
    question = last(sandbox, chat)
    assert question.content.startswith("Practice issue in view (CoP Gedrag)")
    await sandbox.dm(cop.anna, "Pupil A walks out when he is angry", reply_to=question)
    assert "Thanks, Anna: your practice issue is saved." in said(sandbox)
    assert round_prompt.content.endswith("Answered so far: 1 of 5.")
    assert round_prompt.buttons[0][0][0] == label  # the status edit keeps the link

    await sandbox.open_link(cop.teachers[4], round_prompt, label)  # not a member: /start
    assert "not a member" in said(sandbox).lower() or "/join" in said(sandbox)
    await sandbox.dm(cop.bram, "/start issue-x")  # an old or forged payload: a plain /start
    assert "CoP Gedrag" in said(sandbox)


async def test_the_quality_round_opens_ones_own_part_in_one_tap(cop: Cop, sandbox: Sandbox) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/qualities")
    announcement = last(sandbox, cop.group)
    await sandbox.open_link(cop.anna, announcement, "\U0001f512 Answer privately")
    question = last(sandbox, sandbox.private_chat(cop.anna))
    assert "Which quality do you see in <b>Fenna de Vries</b>" in (question.html or "")


async def test_share_updates_its_list_in_place(cop: Cop, sandbox: Sandbox) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/issues")
    await sandbox.send(cop.anna, cop.group, "Pupil A runs off", reply_to=last(sandbox, cop.group))
    await sandbox.dm(cop.anna, "/share")
    listing = last(sandbox, sandbox.private_chat(cop.anna))
    assert "\U0001f512 1. Pupil A runs off" in listing.content
    pressed = await sandbox.press(cop.anna, listing, "1")
    assert pressed.answer_text == "Now shared with the team."
    assert "\U0001f7e2 1. Pupil A runs off" in listing.content  # the list shows the change
    assert listing.button_texts == ["1"]
    await sandbox.press(cop.anna, listing, "1")
    assert "\U0001f512 1. Pupil A runs off" in listing.content


async def test_the_private_nudge_has_its_own_buttons(
    cop: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await five(cop)
    await sandbox.dm(cop.anna, "/start")  # Anna may be written to privately
    await sandbox.send(cop.fenna, cop.group, "/meeting add 3 December 2026 16:00")
    await tick.at(datetime(2026, 12, 1, 15, 5, tzinfo=UTC))  # two days before: who comes?
    question = last(sandbox, cop.group)
    assert "Are you coming? Press a button" in question.content
    await tick.at(datetime(2026, 12, 2, 15, 10, tzinfo=UTC))  # the day before: the nudge
    nudge = last(sandbox, sandbox.private_chat(cop.anna))
    assert nudge.content.startswith("Are you coming to meeting 1 of CoP Gedrag")
    assert "in the group" not in nudge.content
    assert nudge.button_texts == question.button_texts  # answered right here

    pressed = await sandbox.press(cop.anna, nudge, nudge.button_texts[0])
    assert pressed.answer_text == "Noted: you will come."
    assert nudge.content.endswith("Noted: you will come.") and nudge.buttons
    assert "Coming: 1" in question.content  # the group's question counts it too
    await sandbox.press(cop.anna, nudge, nudge.button_texts[-1])  # changed her mind
    assert "Coming: 0 \u00b7 maybe: 0 \u00b7 not: 1" in question.content

    # Bram has no private chat: the group's line names him, with buttons of its own.
    [line] = [m for m in sandbox.bot_messages(cop.group) if "will you come to" in m.content]
    assert line.content.startswith("Fenna de Vries, Bram, Chantal, Dirk: will you come to")
    assert line.content.endswith("Please press a button below.")
    before = line.content
    await sandbox.press(cop.bram, line, line.button_texts[1])  # maybe
    assert line.content == before  # the line stays as it is ...
    assert "Coming: 0 \u00b7 maybe: 1 \u00b7 not: 1" in question.content  # ... the question counts
    forged = await sandbox.press_data(cop.bram, line, str(line.buttons[0][0][1])[:-1] + "999")
    assert forged.answer_text == "This button is no longer active."


async def test_quality_suggestions_are_only_what_was_seen_in_that_colleague(
    cop: Cop, sandbox: Sandbox
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/qualities")
    anna_chat, bram_chat = sandbox.private_chat(cop.anna), sandbox.private_chat(cop.bram)
    await sandbox.dm(cop.anna, "/qualities")  # Fenna first
    await sandbox.dm(cop.anna, "Geduldig: ze wachtte rustig af", reply_to=last(sandbox, anna_chat))
    again = last(sandbox, anna_chat)
    assert "Geduldig" not in again.button_texts  # not what she just named herself
    await sandbox.dm(cop.bram, "/qualities")
    about_fenna = last(sandbox, bram_chat)
    assert "Fenna" in about_fenna.content and "Geduldig" in about_fenna.button_texts
    await sandbox.press(cop.bram, about_fenna, "Title \u2192")
    await sandbox.press(cop.bram, last(sandbox, bram_chat), "Skip")
    about_anna = last(sandbox, bram_chat)
    assert "Anna" in about_anna.content and "Geduldig" not in about_anna.button_texts


async def test_the_quality_round_shows_its_progress_in_its_announcement(
    cop: Cop, sandbox: Sandbox
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/qualities")
    announcement = last(sandbox, cop.group)
    chat = sandbox.private_chat(cop.anna)
    await sandbox.dm(cop.anna, "/qualities")
    await sandbox.dm(cop.anna, "Geduldig: ze wachtte rustig af", reply_to=last(sandbox, chat))
    assert announcement.content.endswith("Taken part so far: 1 of 5.")
    assert announcement.button_texts == ["\U0001f512 Answer privately"]  # the link stays
    assert all(m.chat is not cop.group for m in sandbox.last_replies)  # no roll call
    await sandbox.dm(cop.anna, "Luistert goed: ze liet me uitpraten", reply_to=last(sandbox, chat))
    assert announcement.content.endswith("Taken part so far: 1 of 5.")  # Anna counts once


async def test_an_answer_in_the_group_is_followed_up_privately_and_a_block_breaks_nothing(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    await sandbox.dm(cop.anna, "/start")
    await sandbox.dm(cop.bram, "/start")
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    answer = await sandbox.send(cop.anna, cop.group, "Pupil A walks out", reply_to=round_prompt)
    assert answer.bot_reaction == "\U0001f44d"  # the group hears no more than a 👍
    [asked] = sandbox.last_replies
    assert asked.chat is sandbox.private_chat(cop.anna) and "one more question" in asked.content

    await sandbox.block(cop.bram)  # Bram blocked the bot, and the bot missed hearing it:
    async with services.sessions.begin() as session:
        await session.execute(
            update(Member).where(Member.telegram_user_id == cop.bram.id).values(private_chat=True)
        )
    answer = await sandbox.send(cop.bram, cop.group, "Pupil B waits", reply_to=round_prompt)
    assert answer.bot_reaction == "\U0001f44d"
    assert round_prompt.content.endswith("Answered so far: 2 of 5.")
    [bram] = [m for m in await rows(services, Member) if m.telegram_user_id == cop.bram.id]
    assert not bram.private_chat  # noted: no more private messages to him
