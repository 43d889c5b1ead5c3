"""The cycle plan survives change: cancelled, moved, added and dropped meetings."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Meeting, Reminder
from tests.conftest import Cop, Ticker, rows, said

AMS = ZoneInfo("Europe/Amsterdam")
QUALITY = "Quality round"
SHARED = "From individual issues to one shared issue"
LITERATURE = "Literature insights"
USING = "Using qualities"
DOCUMENT = "The collection document"
ISSUES = "Practice issues: everyone brings"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)  # type: ignore[misc]


async def plan_five(cop: Cop, sandbox: Sandbox) -> None:
    """Five meetings, every two weeks from Wednesday 2 December, by the /plan dialogue."""
    await cop.plan("2026-12-02 15:00", "5")
    assert "Planned 5 meetings:" in said(sandbox)


async def agenda_of(cop: Cop, sandbox: Sandbox, number: int) -> str:
    await sandbox.send(cop.anna, cop.group, f"/agenda {number}")
    return said(sandbox)


async def test_a_cancelled_meeting_hands_its_steps_to_the_next(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await plan_five(ready, sandbox)
    assert QUALITY in await agenda_of(ready, sandbox, 2)

    await sandbox.send(ready.fenna, ready.group, "/meeting cancel 2")
    reply = said(sandbox)
    assert "Meeting 2 on Wednesday 16 December 2026, 15:00 is cancelled" in reply
    assert "Its steps move to meeting 3: quality round, from individual to shared" in reply

    third = await agenda_of(ready, sandbox, 3)
    assert QUALITY in third and SHARED in third and LITERATURE in third
    fifth = await agenda_of(ready, sandbox, 5)
    assert DOCUMENT in fifth  # the closing step stays on the last meeting
    fourth = await agenda_of(ready, sandbox, 4)
    assert QUALITY not in fourth and DOCUMENT not in fourth

    await sandbox.send(ready.fenna, ready.group, "/meetings")
    schedule = said(sandbox)
    assert "2. Wednesday 16 December 2026, 15:00 (60 min) \u00b7 cancelled" in schedule


async def test_with_meeting_3_cancelled_meeting_4_carries_literature_and_using(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await plan_five(ready, sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting cancel 3")
    assert "Its steps move to meeting 4: literature insights, using qualities" in said(sandbox)
    fourth = await agenda_of(ready, sandbox, 4)
    assert LITERATURE in fourth and USING in fourth
    # The reminders follow the steps: the literature prompt now comes before meeting 4.
    meetings = {m.number: m.id for m in await rows(services, Meeting)}
    literature = {r.meeting_id for r in await rows(services, Reminder) if r.kind == "literature"}
    assert literature == {meetings[4], meetings[5]}


async def test_the_last_meeting_cancelled_hands_the_closing_to_the_one_before(
    ready: Cop, sandbox: Sandbox
) -> None:
    await plan_five(ready, sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting cancel 5")
    assert "Its steps move to meeting 4" in said(sandbox)
    assert DOCUMENT in await agenda_of(ready, sandbox, 4)


async def test_adding_a_meeting_respreads_the_closing_onto_the_new_last(
    ready: Cop, sandbox: Sandbox
) -> None:
    await plan_five(ready, sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2027-02-10 15:00")
    reply = said(sandbox)
    assert "Planned 1 meeting:" in reply
    assert "moved from meeting 5 to meeting 6:" in reply and "collection document" in reply
    assert DOCUMENT in await agenda_of(ready, sandbox, 6)
    assert DOCUMENT not in await agenda_of(ready, sandbox, 5)


async def test_a_moved_meeting_leaves_the_steps_in_the_cycles_order(
    ready: Cop, sandbox: Sandbox
) -> None:
    await plan_five(ready, sandbox)
    # Meeting 2 moves past meeting 3: the second meeting still carries the quality round.
    await sandbox.send(ready.fenna, ready.group, "/meeting move 2 2027-01-06 15:00")
    assert "Meeting moved:" in said(sandbox)
    second = await agenda_of(ready, sandbox, 2)
    assert "30 December 2026" in second and QUALITY in second
    assert QUALITY not in await agenda_of(ready, sandbox, 3)


async def test_shortening_the_series_and_its_bad_input(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await plan_five(ready, sandbox)
    await tick.at(local(2026, 12, 17, 9, 0))  # meetings 1 and 2 have been held
    await sandbox.send(ready.fenna, ready.group, "/meeting shorten 1")
    assert "2 meetings have already been held" in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting shorten 5")
    assert "The series already has 5 meetings" in said(sandbox)
    assert [m.status for m in await rows(services, Meeting)] == ["planned"] * 5

    await sandbox.send(ready.fenna, ready.group, "/meeting shorten 3")
    reply = said(sandbox)
    assert "The series now has 3 meetings; cancelled: 4, 5." in reply
    assert "moved from meeting 5 to meeting 3" in reply
    third = await agenda_of(ready, sandbox, 3)
    assert LITERATURE in third and DOCUMENT in third
    statuses = {m.number: m.status for m in await rows(services, Meeting)}
    assert statuses == {1: "planned", 2: "planned", 3: "planned", 4: "cancelled", 5: "cancelled"}

    await sandbox.send(ready.fenna, ready.group, "/meeting cancel 4")
    assert "already cancelled" in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting cancel 1")
    assert "has already started" in said(sandbox)


async def test_the_facilitator_edits_a_meetings_steps(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await plan_five(ready, sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting steps 4 qualities literature")
    assert "Meeting 4 now carries: quality round, literature insights." in said(sandbox)
    fourth = await agenda_of(ready, sandbox, 4)
    assert QUALITY in fourth and LITERATURE in fourth

    await sandbox.send(ready.fenna, ready.group, "/meeting steps 4 kwaliteiten")  # Dutch too
    assert "Meeting 4 now carries: quality round." in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting steps 4 -")
    assert "Meeting 4 now carries no step of the cycle" in said(sandbox)
    assert "Working on the shared issue" in await agenda_of(ready, sandbox, 4)

    await sandbox.send(ready.fenna, ready.group, "/meeting steps 4 dancing")
    reply = said(sandbox)
    assert "I do not know the step \u201cdancing\u201d" in reply and "qualities" in reply
    await sandbox.send(ready.anna, ready.group, "/meeting steps 4 qualities")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    steps = {m.number: m.steps for m in await rows(services, Meeting)}
    assert steps[4] == []


async def test_held_meetings_keep_their_steps(ready: Cop, sandbox: Sandbox, tick: Ticker) -> None:
    await plan_five(ready, sandbox)
    await tick.at(local(2026, 12, 3, 9, 0))  # meeting 1 was held
    await sandbox.send(ready.fenna, ready.group, "/meeting steps 1 qualities")
    assert "Meeting 1 has already started" in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2027-02-10 15:00")
    assert ISSUES in await agenda_of(ready, sandbox, 1)
    second = await agenda_of(ready, sandbox, 2)
    assert ISSUES not in second and QUALITY in second


async def test_a_document_after_meeting_3_shows_meeting_1_as_it_was_sent(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    from io import BytesIO
    from zipfile import ZipFile

    await plan_five(ready, sandbox)
    await sandbox.send(ready.fenna, ready.group, "/issues")
    await tick.at(local(2026, 12, 1, 15, 0))  # the day before meeting 1: its agenda
    [sent] = [m for m in sandbox.last_replies if "Tomorrow: meeting 1" in m.content]
    lines = [line.removeprefix("\u2022 ") for line in sent.content.splitlines() if "\u2022" in line]
    assert len(lines) >= 4 and "Issue round still open" in sent.content

    await tick.at(local(2026, 12, 3, 9, 0))  # after meeting 1 the round closes, a book comes
    await sandbox.send(ready.fenna, ready.group, "/issues close")
    await sandbox.send(ready.bram, ready.group, "/insight Gedrag in de klas; Jansen; 2019")
    await tick.at(local(2026, 12, 31, 9, 0))  # meeting 3 has been held
    await sandbox.send(ready.anna, ready.group, "/document md")
    [archive] = [m.document for m in sandbox.last_replies if m.document]
    with ZipFile(BytesIO(archive.data)) as files:
        markdown = files.read("document.md").decode("utf-8")
    # The log's meeting 1 is what was sent then; only the template's fixed lines are left
    # out (what happened, not the plan every meeting has).
    log = markdown.split("### Meeting 1 ", 1)[1].split("###", 1)[0]
    [open_round] = [line for line in lines if line.startswith("Issue round still open")]
    assert open_round in log  # as it stood when the agenda went out
    assert "Opening" not in log and "Closing" not in log
    assert "Literature shared" not in log and "Gedrag in de klas" not in log


async def test_a_move_into_the_past_or_onto_another_meeting_changes_nothing(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await ready.plan("2026-12-02 15:00", "5")
    before = {m.number: (m.starts_at, m.steps) for m in await rows(services, Meeting)}
    await sandbox.send(ready.fenna, ready.group, "/meeting move 2 2026-11-01 15:00")
    assert "is in the past" in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting move 2 2026-12-30 15:30")
    assert "That overlaps meeting 3" in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/meeting verplaats 2 someday 15:00")
    assert "I cannot read" in said(sandbox)
    after = {m.number: (m.starts_at, m.steps) for m in await rows(services, Meeting)}
    assert after == before
