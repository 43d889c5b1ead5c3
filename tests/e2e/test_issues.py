"""Practice issues: from individual issues to one shared, internally attributed issue."""

from __future__ import annotations

from datetime import timedelta

from bot.app.context import Services
from bot.clock import ManualClock
from bot.sandbox import Sandbox
from storage.models import Coding, Contribution, Member, Vote
from tests.conftest import Cop, acked, last, rows, said


async def five(cop: Cop) -> Cop:
    await cop.setup()
    await cop.join(*cop.teachers[:4])  # Fenna + Anna, Bram, Chantal, Dirk = 5 members
    return cop


async def test_an_issue_round_in_the_group_and_in_private(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    anna, bram = cop.anna, cop.bram
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    assert "Issue round: your practice issue" in round_prompt.content

    await sandbox.send(
        anna,
        cop.group,
        "a) Pupil A walks out of class when he gets angry\nb) How do we respond as a school?",
        reply_to=round_prompt,
    )
    saved = said(sandbox)
    assert "your practice issue and your possible shared issue are saved" in saved
    # No public "not yet" list under every answer (issue 14): the round's prompt is one
    # status message, edited in place.
    assert "Not yet" not in saved and "Bram" not in saved
    assert round_prompt.content.endswith("Answered so far: 1 of 5.")
    assert round_prompt.edited
    reflection = last(sandbox, cop.group)
    assert "what part of this can you or the school change?" in reflection.content

    await sandbox.send(bram, cop.group, "Not mine to answer", reply_to=reflection)
    assert said(sandbox) == "This question was meant for someone else."
    sent = await sandbox.send(anna, cop.group, "I can plan a calm corner", reply_to=reflection)
    assert acked(sandbox, sent)  # a 👍 on the message, not one more message

    await sandbox.dm(bram, "Pupil B does not start his work\nand waits for me to come")
    assert "Thanks, Bram: your practice issue is saved." in said(sandbox)
    assert round_prompt.content.endswith("Answered so far: 2 of 5.")  # a private answer too

    await sandbox.send(anna, cop.group, "Pupil A hits others", reply_to=round_prompt)
    choice = last(sandbox, cop.group)
    assert choice.content.startswith("You already answered in this round.")
    await sandbox.press(anna, choice, "Replace")
    assert "your earlier answer is replaced" in said(sandbox)

    kinds = sorted((c.kind, c.text) for c in await rows(services, Contribution))
    assert kinds == [
        ("issue", "Pupil A hits others"),
        ("issue", "Pupil B does not start his work\nand waits for me to come"),
    ]  # the replaced answer took its shared part and reflection with it

    await sandbox.send(cop.fenna, cop.group, "/issues close")
    assert "The issue round is closed." in said(sandbox)
    await sandbox.send(cop.teachers[2], cop.group, "Late answer", reply_to=round_prompt)
    assert said(sandbox) == "This issue round is closed, so your answer was not saved."
    await sandbox.dm(cop.teachers[2], "Late answer in private")
    assert "no open question" in said(sandbox)


async def test_round_bad_input(cop: Cop, sandbox: Sandbox, services: Services) -> None:
    await five(cop)
    await sandbox.send(cop.anna, cop.group, "/issues")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(cop.fenna, cop.group, "/issues close")
    assert "There is no open issue round" in said(sandbox)
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    await sandbox.send(cop.fenna, cop.group, "/issues")
    assert "already open" in said(sandbox)
    await sandbox.send(cop.anna, cop.group, "x" * 10_000, reply_to=round_prompt)
    assert "more than the 4000 I can keep, so nothing was saved" in said(sandbox)
    await sandbox.send(cop.teachers[4], cop.group, "I am not a member", reply_to=round_prompt)
    assert "not a member of this CoP" in said(sandbox)
    assert await rows(services, Contribution) == []


async def test_the_intake_guard_offers_a_pseudonym_before_storing(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    await sandbox.send(
        cop.anna, cop.group, "Mijn leerling Jan Jansen slaat andere kinderen", reply_to=round_prompt
    )
    warning = last(sandbox, cop.group)
    assert "\u201cJan Jansen\u201d" in warning.content
    assert "Mijn leerling A slaat andere kinderen" in warning.content
    assert await rows(services, Contribution) == []  # nothing stored before the choice
    other = await sandbox.press(cop.bram, warning, "Use the suggestion")
    assert other.answer_text == "This question was meant for someone else."
    await sandbox.press(cop.anna, warning, "Use the suggestion")
    [issue] = [c for c in await rows(services, Contribution) if c.kind == "issue"]
    assert issue.text == "Mijn leerling A slaat andere kinderen"

    await sandbox.send(
        cop.bram, cop.group, "Leerling Sem van der Berg is boos", reply_to=round_prompt
    )
    await sandbox.press(cop.bram, last(sandbox, cop.group), "Cancel, I'll rewrite")
    assert said(sandbox) == "Not saved. Send your rewritten text when you are ready."
    await sandbox.send(cop.fenna, cop.group, "/issues guard off")
    await sandbox.send(
        cop.bram, cop.group, "Leerling Sem van der Berg is boos", reply_to=round_prompt
    )
    assert "your practice issue is saved" in said(sandbox)


async def test_mine_shows_edits_and_deletes_own_contributions(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/issues nudge off")
    await sandbox.send(cop.fenna, cop.group, "/issues")
    await sandbox.send(cop.anna, cop.group, "First version", reply_to=last(sandbox, cop.group))
    assert "what part of this" not in said(sandbox)
    await sandbox.dm(cop.anna, "/mine")
    listing = last(sandbox, sandbox.private_chat(cop.anna))
    assert "[practice issue] First version" in listing.content
    await sandbox.press(cop.anna, listing, "Edit 1")
    question = last(sandbox, sandbox.private_chat(cop.anna))
    await sandbox.dm(cop.anna, "Second version", reply_to=question)
    assert said(sandbox) == "Changed."
    await sandbox.send(cop.bram, cop.group, "/mine")
    assert "You have no contributions" in said(sandbox)
    await sandbox.dm(cop.anna, "/mine")
    listing = last(sandbox, sandbox.private_chat(cop.anna))
    assert "Second version" in listing.content
    await sandbox.press(cop.anna, listing, "Delete 1")
    await sandbox.press(cop.anna, last(sandbox, sandbox.private_chat(cop.anna)), "Yes, delete")
    assert said(sandbox) == "Deleted."
    assert await rows(services, Contribution) == []


async def test_facilitator_codes_privately_and_development_shows_the_shares(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/development")
    assert "There is no coded data yet" in said(sandbox)
    await sandbox.send(cop.fenna, cop.group, "/issues nudge off")
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    for teacher, text in zip(
        cop.teachers[:4],
        ["Parents do not help", "I lose my patience", "What can we do as a school?", "Luck"],
        strict=True,
    ):
        await sandbox.send(teacher, cop.group, text, reply_to=round_prompt)
    await sandbox.dm(cop.anna, "/code")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(cop.fenna, cop.group, "/code")
    assert "works in a private chat" in said(sandbox)

    await sandbox.dm(cop.fenna, "/code")
    messages = sandbox.last_replies
    assert "Code book" in messages[0].content and "External attribution" in messages[0].content
    items = messages[1:-1]
    assert len(items) == 4 and "4 contributions still have no code." in messages[-1].content
    for item, code in zip(
        items,
        [
            "individual / external",
            "individual / internal",
            "shared / internal",
            "individual / external",
        ],
        strict=True,
    ):
        await sandbox.press(cop.fenna, item, code)
    await sandbox.press(cop.fenna, items[3], "not about an issue")  # changed
    assert "Code: not about an issue" in items[3].content
    assert len(await rows(services, Coding)) == 4

    await sandbox.send(cop.anna, cop.group, "/development")
    table = sandbox.last_replies[0].content
    assert "\u2013" in table and "33%" in table and "0%" in table and "3" in table
    photo = sandbox.last_replies[1]
    assert photo.photo is not None and photo.photo.data.startswith(b"\x89PNG")


async def test_development_gives_back_the_studys_table_3(
    cop: Cop, sandbox: Sandbox, services: Services, clock: ManualClock
) -> None:
    await five(cop)
    for week in range(5):
        day = 2 + 7 * week
        await sandbox.send(cop.fenna, cop.group, f"/meeting add 2026-12-{day:02d} 15:00")
    table_3 = {
        1: (11, 44, 11, 34),
        2: (0, 1, 1, 8),
        3: (0, 1, 0, 5),
        4: (0, 1, 0, 2),
        5: (0, 0, 0, 3),
    }
    members = await rows(services, Member)
    async with services.sessions.begin() as session:
        meetings = {
            m.number: m.id
            for m in await session.scalars(
                __import__("sqlalchemy").select(
                    __import__("storage.models", fromlist=["Meeting"]).Meeting
                )
            )
        }
        for number, counts in table_3.items():
            for combo, count in zip(("ie", "ii", "se", "si"), counts, strict=True):
                for _ in range(count):
                    row = Contribution(
                        community_id=1,
                        member_id=members[0].id,
                        kind="issue",
                        meeting_id=meetings[number],
                        text="...",
                        created_at=clock(),
                        updated_at=clock(),
                    )
                    session.add(row)
                    await session.flush()
                    scope, attribution = {
                        "ie": ("individual", "external"),
                        "ii": ("individual", "internal"),
                        "se": ("shared", "external"),
                        "si": ("shared", "internal"),
                    }[combo]
                    session.add(
                        Coding(
                            community_id=1,
                            contribution_id=row.id,
                            coder_member_id=members[0].id,
                            scope=scope,
                            attribution=attribution,
                            coded_at=clock(),
                        )
                    )
    await sandbox.send(cop.anna, cop.group, "/development")
    lines = sandbox.last_replies[0].content.splitlines()
    rows_shown = [line.split() for line in lines if line[:1].isdigit()]
    # The study's shares, each with its count beside it (issue 16).
    assert rows_shown == [
        ["1", "11%", "(11)", "44%", "(44)", "11%", "(11)", "34%", "(34)", "100"],
        ["2", "0%", "(0)", "10%", "(1)", "10%", "(1)", "80%", "(8)", "10"],
        ["3", "0%", "(0)", "17%", "(1)", "0%", "(0)", "83%", "(5)", "6"],
        ["4", "0%", "(0)", "33%", "(1)", "0%", "(0)", "67%", "(2)", "3"],
        ["5", "0%", "(0)", "0%", "(0)", "0%", "(0)", "100%", "(3)", "3"],
    ]
    assert "Shares are rounded, so a row may add up to 99% or 101%." in lines[-1]


async def test_a_shared_issue_is_proposed_revised_and_adopted(
    cop: Cop, sandbox: Sandbox, services: Services, clock: ManualClock
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/issues nudge off")
    await sandbox.send(cop.fenna, cop.group, "/issues")
    await sandbox.send(
        cop.anna,
        cop.group,
        "a) Pupil A\nb) How do we as a school prevent escalation?",
        reply_to=last(sandbox, cop.group),
    )
    await sandbox.send(cop.anna, cop.group, "/shared We do this")
    assert said(sandbox) == "Only the CoP's facilitators can do this."

    await sandbox.send(cop.fenna, cop.group, "/shared")
    suggestions = last(sandbox, cop.group)
    assert "How do we as a school prevent escalation? (Anna)" in suggestions.content
    await sandbox.press(cop.fenna, suggestions, "1")
    first = last(sandbox, cop.group)
    assert "Shared issue, version 1" in first.content
    await sandbox.press(cop.anna, first, "Agree")
    sent = await sandbox.send(cop.bram, cop.group, "Too broad for me", reply_to=first)
    assert acked(sandbox, sent)  # a 👍 on the message, not one more message

    clock.advance(timedelta(days=7))
    await sandbox.send(
        cop.fenna,
        cop.group,
        "/shared What can we do as a team so that pupils with angry outbursts stay in class?",
    )
    second = last(sandbox, cop.group)
    assert "version 2" in second.content
    old = await sandbox.press(cop.bram, first, "Agree")
    assert old.answer_text == "A newer version of the shared issue exists; react to that one."

    for teacher in (cop.anna, cop.bram):
        await sandbox.press(teacher, second, "Agree")
    twice = await sandbox.press(cop.bram, second, "Agree")  # counted once
    assert "Agree: 2" in second.content
    assert twice.answered
    await sandbox.press(cop.teachers[2], second, "Agree")  # 3 of 5: adopted
    announcement = sandbox.last_replies[-1]  # no extra message about pinning
    assert "Our shared issue" in announcement.content and "version 2" in announcement.content
    assert not announcement.pinned
    assert second.buttons == []

    await sandbox.send(cop.anna, cop.group, "/shared history")
    history = said(sandbox)
    assert "1." in history and "replaced" in history and "adopted" in history
    assert "3 agree, 0 not yet" in history and "+3/0" not in history  # plain words
    votes = await rows(services, Vote)
    assert len(votes) == 4  # Anna on v1; Anna, Bram, Chantal on v2


async def test_leaving_erases_answers_but_keeps_the_adopted_issue_anonymously(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/issues")
    await sandbox.send(cop.anna, cop.group, "Pupil A runs away", reply_to=last(sandbox, cop.group))
    await sandbox.send(cop.anna, cop.group, "I can stay calm", reply_to=last(sandbox, cop.group))
    await sandbox.set_admin(cop.group, sandbox.bot)  # an admin bot can pin
    await sandbox.send(cop.fenna, cop.group, "/shared Staying calm as a team")
    proposal = last(sandbox, cop.group)
    for teacher in (cop.anna, cop.bram, cop.teachers[2]):
        await sandbox.press(teacher, proposal, "Agree")
    assert last(sandbox, cop.group).pinned
    await sandbox.send(cop.anna, cop.group, "/leave")
    await sandbox.press(cop.anna, last(sandbox, cop.group), "Yes, leave and erase")
    assert "1 practice issue" in said(sandbox)
    remaining = [(c.kind, c.member_id) for c in await rows(services, Contribution)]
    assert ("shared_issue", 1) in [(k, m) for k, m in remaining] or (
        "shared_issue",
        None,
    ) in remaining
    assert all(kind not in ("issue", "issue_reflection") for kind, _ in remaining)
    assert sum(1 for v in await rows(services, Vote) if v.member_id is None) == 1


async def test_status_edits_are_gathered_at_a_peak(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    """Each edit costs a Bot API call out of Telegram's 30 a second: within
    `status_edit_seconds` of one edit the next is gathered, and shows the fresh count."""
    import asyncio

    await five(cop)
    services.settings.status_edit_seconds = 3  # far more than the two answers take
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    edits = sandbox.calls["editMessageText"]
    await sandbox.send(cop.anna, cop.group, "Pupil A walks out", reply_to=round_prompt)
    await sandbox.dm(cop.bram, "Pupil B waits for me")
    await sandbox.dm(cop.teachers[2], "Pupil C is new in Dutch")
    assert sandbox.calls["editMessageText"] == edits  # gathered, not yet sent
    async with asyncio.timeout(30):
        while not round_prompt.content.endswith("Answered so far: 3 of 5."):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    assert sandbox.calls["editMessageText"] == edits + 1  # one edit for both answers
