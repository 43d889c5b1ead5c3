"""After the series: the next one proposed, and a rotating chair so the CoP runs itself."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Meeting
from tests.conftest import Cop, Ticker, last, rows, said

AMS = ZoneInfo("Europe/Amsterdam")
PROPOSAL = "That was the last meeting of this series"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)  # type: ignore[misc]


async def two_meetings(cop: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(cop.fenna, cop.group, "/holidays north")
    await cop.plan("2026-12-02 15:00", "3")
    await sandbox.send(cop.fenna, cop.group, "/meeting shorten 2")
    assert "The series now has 2 meetings" in said(sandbox)


async def test_the_next_series_is_proposed_the_morning_after_the_last_meeting(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await two_meetings(ready, sandbox)
    await tick.at(local(2026, 12, 3, 10, 0))  # after meeting 1: more is planned, no proposal
    assert not [m for m in sandbox.last_replies if PROPOSAL in m.content]

    await tick.at(local(2026, 12, 17, 10, 0))
    [proposal] = [m for m in sandbox.last_replies if PROPOSAL in m.content]
    # Two weeks after the last meeting is in the Christmas holiday: the first school week.
    assert "Proposal: 2 meetings every 2 weeks from Wednesday 6 January 2027, 15:00" in (
        proposal.content
    )
    assert proposal.button_texts == ["Plan the next series", "Rotate the chair"]

    refused = await sandbox.press(ready.bram, proposal, "Plan the next series")
    assert refused.answer_text == "Only the CoP's facilitators can do this."
    await sandbox.press(ready.fenna, proposal, "Plan the next series")
    summary = last(sandbox, ready.group)
    assert "Wednesday 6 January 2027, 15:00" in summary.content
    assert "Wednesday 20 January 2027, 15:00" in summary.content
    await sandbox.press(ready.fenna, summary, "Save")
    assert "Planned 2 meetings:" in said(sandbox)
    assert len([m for m in await rows(services, Meeting) if m.status == "planned"]) == 4

    await tick.at(local(2026, 12, 18, 10, 0))  # sent once
    assert not [m for m in sandbox.last_replies if PROPOSAL in m.content]


async def test_plan_next_without_a_series(ready: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(ready.fenna, ready.group, "/plan next")
    assert said(sandbox) == "There is no series yet to continue. Plan one with /plan."


async def test_a_rotating_chair_keeps_the_rhythm(
    ready: Cop, sandbox: Sandbox, tick: Ticker
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/chair")
    assert "The facilitators chair the meetings." in said(sandbox)
    await sandbox.send(ready.anna, ready.group, "/chair rotate")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(ready.fenna, ready.group, "/facilitator participate no")
    await sandbox.send(ready.fenna, ready.group, "/chair rotate")
    assert "Anna chairs the next meeting you plan." in said(sandbox)

    await two_meetings(ready, sandbox)
    await sandbox.send(ready.bram, ready.group, "/chair")
    rota = said(sandbox)
    assert "Meeting 1 (Wednesday 2 December 2026, 15:00): Anna" in rota
    assert "Meeting 2 (Wednesday 16 December 2026, 15:00): Bram" in rota

    # The chair of the next meeting may plan; the other teacher may not.
    await sandbox.send(ready.bram, ready.group, "/meeting add 2027-01-13 15:00")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(ready.anna, ready.group, "/meeting add 2027-01-13 15:00")
    assert "Planned 1 meeting:" in said(sandbox)

    await tick.at(local(2026, 12, 1, 15, 0))  # the agenda, the day before meeting 1
    agenda = [m for m in sandbox.last_replies if "Tomorrow: meeting 1" in m.content]
    assert agenda and "Chair: Anna" in agenda[0].content

    await sandbox.send(ready.fenna, ready.group, "/chair off")
    assert "The facilitators chair the meetings." in said(sandbox)
    await sandbox.send(ready.fenna, ready.group, "/chair sometimes")
    assert "Use /chair to see who chairs" in said(sandbox)
