"""Teachers join with consent, see who is in, and leave with their data erased."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app.context import Services
from bot.clock import ManualClock
from bot.sandbox import Sandbox
from storage.models import Attendance, ConsentRecord, Contribution, Member
from tests.conftest import Cop, last, rows, said
from tests.support.stored import snapshot


async def test_join_shows_the_letter_and_stores_nothing_before_consent(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    chantal = ready.teachers[2]
    await sandbox.send(chantal, ready.group, "/join")
    letter = last(sandbox, ready.group)
    assert "Information letter" in letter.content
    assert "What I store" in letter.content and "/leave" in letter.content
    assert letter.button_texts == ["I agree, join", "No thanks"]
    assert chantal.id not in {m.telegram_user_id for m in await rows(services, Member)}

    pressed = await sandbox.press(chantal, letter, "I agree, join")
    assert (
        pressed.answer_text == "Welcome, Chantal! You are now a member of CoP Gedrag (4 members)."
    )
    # The group sees one welcome line on the letter, not a message for each who joins.
    assert sandbox.last_replies == [] and letter.edited
    assert "\U0001f44b Welcome, Chantal! CoP Gedrag now has 4 members." in letter.content
    dirk = ready.teachers[3]
    await sandbox.press(dirk, letter, "I agree, join")
    assert "Welcome, Chantal and Dirk! CoP Gedrag now has 5 members." in letter.content
    assert sandbox.last_replies == []
    member = next(m for m in await rows(services, Member) if m.telegram_user_id == chantal.id)
    consent = [r for r in await rows(services, ConsentRecord) if r.member_id == member.id]
    assert [(r.action, r.letter_version) for r in consent] == [("given", "2026-1")]


async def test_each_press_on_the_letter_counts_for_the_presser_only(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    chantal, dirk = ready.teachers[2], ready.teachers[3]
    await sandbox.send(chantal, ready.group, "/join")
    letter = last(sandbox, ready.group)
    declined = await sandbox.press(chantal, letter, "No thanks")
    assert declined.answer_text == "Okay. Nothing about you was stored."
    await sandbox.press(dirk, letter, "I agree, join")
    assert "Welcome, Dirk!" in letter.content
    ids = {m.telegram_user_id for m in await rows(services, Member)}
    assert dirk.id in ids and chantal.id not in ids
    twice = await sandbox.press(dirk, letter, "I agree, join")
    assert twice.answer_text == "You are already a member of this CoP."
    assert sandbox.last_replies == []


async def test_join_twice_and_join_before_setup(cop: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(cop.anna, cop.group, "/join")
    assert "nog geen CoP" in said(sandbox) and "/setup" in said(sandbox)
    await cop.setup()
    await cop.join(cop.anna)
    await sandbox.send(cop.anna, cop.group, "/join")
    assert said(sandbox) == "You are already a member of this CoP."


async def test_a_non_member_replying_to_the_bot_is_told_how_to_join_and_nothing_is_stored(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    emre = ready.teachers[4]
    before = len(await rows(services, Member))
    await sandbox.send(
        emre, ready.group, "Pupil J. Jansen hits others", reply_to=last(sandbox, ready.group)
    )
    assert "You are not a member of this CoP (yet). Send /join" in said(sandbox)
    await sandbox.dm(emre, "Here is my practice issue about pupil A")
    assert "You are not a member of a CoP yet" in said(sandbox)
    assert len(await rows(services, Member)) == before
    assert await rows(services, Contribution) == []


@pytest.mark.parametrize("sees_all", ["administrator", "privacy mode off"])
async def test_group_chatter_not_addressed_to_the_bot_is_never_seen(
    sees_all: str, ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    """As group administrator, or with privacy mode off, the bot receives every message
    (as Telegram delivers them): it still acts only on commands to it and replies to its
    own messages."""
    if sees_all == "administrator":
        await sandbox.set_admin(ready.group, sandbox.bot)
    else:
        sandbox.privacy_mode = False
    await sandbox.send(ready.fenna, ready.group, "/issues")  # an open round takes free text
    round_prompt = last(sandbox, ready.group)
    before = await snapshot(services)
    chatter = await sandbox.send(ready.anna, ready.group, "Who brings coffee tomorrow?")
    assert chatter.delivered and sandbox.last_replies == []
    reply = await sandbox.send(ready.bram, ready.group, "See you at lunch", reply_to=chatter)
    assert reply.delivered and sandbox.last_replies == []
    stranger = await sandbox.send(ready.teachers[4], ready.group, "Me too!", reply_to=reply)
    assert stranger.delivered and sandbox.last_replies == []
    other_bot = await sandbox.send(ready.anna, ready.group, "/agenda@some_other_bot")
    assert other_bot.delivered and sandbox.last_replies == []
    assert await snapshot(services) == before  # nothing stored, not even a held text

    await sandbox.send(ready.anna, ready.group, "Pupil A tears up his work", reply_to=round_prompt)
    assert "your practice issue" in said(sandbox)  # a reply to the bot is still an answer


async def test_members_lists_roles_and_co_facilitators_can_be_toggled(
    ready: Cop, sandbox: Sandbox
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/facilitator @anna")
    assert said(sandbox) == "Anna is now a co-facilitator."
    await sandbox.send(ready.bram, ready.group, "/members")
    assert said(sandbox).splitlines() == [
        "CoP Gedrag: 3 members",
        "\u2022 Fenna de Vries (facilitator)",
        "\u2022 Anna (co-facilitator)",
        "\u2022 Bram",
    ]
    await sandbox.send(ready.anna, ready.group, "/facilitator @bram")  # co-facilitators may too
    assert said(sandbox) == "Bram is now a co-facilitator."
    bram_message = await sandbox.send(ready.bram, ready.group, "/members")
    await sandbox.send(ready.fenna, ready.group, "/facilitator", reply_to=bram_message)
    assert said(sandbox) == "Bram is no longer a co-facilitator."


async def test_facilitator_command_refusals(ready: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(ready.bram, ready.group, "/facilitator @anna")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(ready.teachers[4], ready.group, "/facilitator @anna")
    assert "You are not a member of this CoP (yet)" in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/facilitator @emre")
    assert said(sandbox) == "@emre is not a member of this CoP. They can join first with /join."
    await sandbox.send(ready.fenna, ready.group, "/facilitator anna bram")
    assert said(sandbox).startswith("Use /facilitator @name")
    await sandbox.send(ready.fenna, ready.group, "/facilitator @fenna")
    assert said(sandbox) == "Fenna de Vries is the CoP's facilitator already."
    await sandbox.dm(ready.fenna, "/facilitator @anna")
    assert said(sandbox) == "/facilitator works in your CoP's group chat, not here."


async def test_leave_erases_personal_data_and_keeps_shared_outcomes_anonymously(
    ready: Cop, sandbox: Sandbox, services: Services, clock: ManualClock
) -> None:
    anna_row = next(m for m in await rows(services, Member) if m.telegram_user_id == ready.anna.id)
    await sandbox.send(ready.fenna, ready.group, "/issues nudge off")
    await sandbox.send(ready.fenna, ready.group, "/issues")
    round_prompt = last(sandbox, ready.group)
    await sandbox.send(ready.anna, ready.group, "Pupil A walks out", reply_to=round_prompt)
    await sandbox.send(ready.anna, ready.group, "Pupil B waits for me", reply_to=round_prompt)
    await sandbox.press(ready.anna, last(sandbox, ready.group), "Add")
    await sandbox.send(ready.anna, ready.group, "/decide We use a tally sheet")
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    await sandbox.send(ready.anna, ready.group, "/absent at the dentist with my son")
    anna_message = await sandbox.send(ready.anna, ready.group, "/members")
    await sandbox.send(ready.bram, ready.group, "/nominate", reply_to=anna_message)
    await sandbox.send(
        ready.bram, ready.group, "Listens: she let me finish", reply_to=last(sandbox, ready.group)
    )
    kinds = sorted(c.kind for c in await rows(services, Contribution))
    assert kinds == ["decision", "issue", "issue", "nomination"]  # made through the features
    clock.advance(timedelta(days=1))
    await sandbox.send(ready.anna, ready.group, "/leave")
    question = last(sandbox, ready.group)
    assert "Do you want to leave CoP Gedrag?" in question.content
    refused = await sandbox.press(ready.bram, question, "Yes, leave and erase")
    assert refused.answer_text == "This question was meant for someone else."

    await sandbox.press(ready.anna, question, "Yes, leave and erase")
    report = said(sandbox)
    assert "You have left CoP Gedrag" in report
    assert (
        "Erased: your name and username, and 1 nomination about you, 1 attendance answer, "
        "2 practice issues." in report
    )
    assert "Kept without your name (the group's shared outcomes): 1 agreement." in report
    left = next(m for m in await rows(services, Member) if m.id == anna_row.id)
    assert (left.telegram_user_id, left.display_name, left.username, left.status) == (
        None,
        None,
        None,
        "left",
    )
    kept = await rows(services, Contribution)
    assert [(c.kind, c.member_id) for c in kept] == [("decision", None)]
    assert await rows(services, Attendance) == []
    actions = [r.action for r in await rows(services, ConsentRecord) if r.member_id == anna_row.id]
    assert actions == ["given", "withdrawn"]

    await sandbox.send(ready.anna, ready.group, "/leave")
    assert "You are not a member of this CoP (yet)" in said(sandbox)
    await sandbox.send(ready.bram, ready.group, "/members")
    assert "Anna" not in said(sandbox)
    await ready.join(ready.anna)  # welcome back: a new, fresh membership
    assert "Welcome, Anna!" in last(sandbox, ready.group).content


async def test_staying_changes_nothing(ready: Cop, sandbox: Sandbox, services: Services) -> None:
    await sandbox.send(ready.bram, ready.group, "/leave")
    answer = await sandbox.press(ready.bram, last(sandbox, ready.group), "No, stay")
    assert answer.answer_text == "Good, you stay a member. Nothing changed."
    assert ready.bram.id in {m.telegram_user_id for m in await rows(services, Member)}


async def test_last_facilitator_leaving_is_told_how_the_cop_continues(
    ready: Cop, sandbox: Sandbox
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/leave")
    await sandbox.press(ready.fenna, last(sandbox, ready.group), "Yes, leave and erase")
    assert "The CoP has no facilitator now" in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/setup")  # the admin can take over again
    assert "step 1 of 4" in said(sandbox)
