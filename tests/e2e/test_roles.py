"""A facilitator who does not take part as a teacher: not asked, not listed, not counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Member
from tests.conftest import Cop, Ticker, last, rows, said

AMS = ZoneInfo("Europe/Amsterdam")


async def four(cop: Cop) -> Cop:
    """Fenna facilitates only; Anna, Bram and Chantal are the teachers."""
    await cop.setup()
    await cop.join(cop.anna, cop.bram, cop.teachers[2])
    await cop.sandbox.send(cop.fenna, cop.group, "/facilitator participate no")
    assert "you facilitate without taking part as a teacher" in said(cop.sandbox)
    return cop


async def test_the_setting_and_its_bad_input(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await four(cop)
    await sandbox.send(cop.fenna, cop.group, "/members")
    assert "Fenna de Vries (facilitator, facilitates only)" in said(sandbox)
    members = sorted(await rows(services, Member), key=lambda m: m.id)  # Fenna joined first
    assert [m.participates for m in members] == [False, True, True, True]

    await sandbox.send(cop.fenna, cop.group, "/facilitator participate maybe")
    assert "Use /facilitator participate yes" in said(sandbox)
    await sandbox.send(cop.anna, cop.group, "/facilitator participate no")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(cop.fenna, cop.group, "/facilitator meedoen ja")  # Dutch words too
    assert "you take part as a teacher too" in said(sandbox)
    assert [m.participates for m in await rows(services, Member)] == [True] * 4


async def test_not_counted_in_rounds_or_votes(cop: Cop, sandbox: Sandbox) -> None:
    await four(cop)
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    await sandbox.send(cop.anna, cop.group, "Pupil A walks out of class", reply_to=round_prompt)
    assert round_prompt.content.endswith("Answered so far: 1 of 3.")

    # Two of the three teachers agree: a majority, without counting the facilitator.
    await sandbox.send(cop.anna, cop.group, "/decide We observe with a tally sheet")
    proposal = last(sandbox, cop.group)
    await sandbox.press(cop.anna, proposal, "Agree")
    await sandbox.press(cop.bram, proposal, "Agree")
    assert said(sandbox).startswith("\u2705 Agreement 1 is adopted")


async def test_not_asked_whether_she_comes(cop: Cop, sandbox: Sandbox, tick: Ticker) -> None:
    await four(cop)
    await sandbox.send(cop.fenna, cop.group, "/meeting add 2026-12-02 15:00")
    start = datetime(2026, 12, 2, 15, 0, tzinfo=AMS).astimezone(UTC)
    await tick.at(start - timedelta(days=2))
    await sandbox.press(cop.anna, last(sandbox, cop.group), "I'll come")
    await tick.at(start - timedelta(days=1) + timedelta(minutes=5))
    nudge = [m.content for m in sandbox.last_replies if "will you come" in m.content]
    assert nudge == ["Bram, Chantal: will you come to meeting 1? Please press a button below."]
