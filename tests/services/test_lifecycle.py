"""The data lifecycle: held texts expire, erased text leaves no trace in the SQLite files,
an ended CoP set up again starts its retention over, rights hold in every CoP state."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ManualClock
from bot.errors import NotAMember
from bot.services import communities, contributions_log, flows, intake, lifecycle, membership, setup
from bot.services.intake import Release
from bot.services.setup import SetupSaved, SetupStep
from bot.services.unit import Unit
from storage.models import Attendance, Community, Flow
from storage.repositories.meetings import AttendanceRepository
from tests.services.conftest import GROUP_CHAT, Cop, person


def _later(unit: Unit, delta: timedelta) -> Unit:
    return Unit(unit.session, unit.now + delta)


async def _flow_kinds(unit: Unit) -> list[str]:
    return sorted((await unit.session.scalars(select(Flow.kind))).all())


async def test_texts_held_behind_an_unanswered_question_expire_after_a_day(
    unit: Unit, cop: Cop
) -> None:
    await membership.hold(unit, 2, "Mijn leerling Jan Jansen")  # waits for "which CoP?"
    await membership.choose(unit, 2, cop.id)  # a choice, not a text: it stays
    held = await intake.screen(
        unit, cop.community, 3, GROUP_CHAT, "Leerling Sem de Boer", Release.ISSUE_ANSWER, {}
    )
    assert held is not None
    assert await flows.take_lock(unit, "document", GROUP_CHAT, timedelta(minutes=10))
    assert await lifecycle.expire_held(_later(unit, timedelta(hours=23))) == 0
    assert await _flow_kinds(unit) == ["context", "document", "intake", "pending"]

    assert await lifecycle.expire_held(_later(unit, lifecycle.HELD_FOR + timedelta(minutes=1)))
    assert await _flow_kinds(unit) == ["context", "document"]
    assert await membership.release(unit, 2) is None


async def test_leaving_erases_the_reasons_given_for_an_absence(unit: Unit, cop: Cop) -> None:
    from bot.services import attendance, meeting_args
    from bot.services.holidays import HolidayCalendar

    change = await meeting_args.change(
        unit, cop.community, HolidayCalendar(), ["add", "2026-12-02", "15:00"]
    )
    assert change.planned is not None
    meeting = change.planned.meetings[0]
    anouk = cop.teachers[0]
    await attendance.record(unit, cop.id, anouk, meeting.id, "n", "Bij de tandarts met Jan")
    report = await membership.leave(unit, cop.id, 2)
    assert report.deleted == {"attendance": 1}
    assert await AttendanceRepository(unit.session, cop.id).by_member(anouk.id) == []
    assert (await unit.session.scalars(select(Attendance.note))).all() == []


async def test_a_member_of_an_ended_cop_can_still_leave_it(unit: Unit, cop: Cop) -> None:
    await lifecycle.archive(unit, cop.id)
    assert await membership.memberships(unit, 2) == []  # not a CoP for private messages
    resolution = await membership.leave_choices(unit, 2)
    assert resolution.chosen is not None and resolution.chosen[0].id == cop.id
    assert (await membership.leaving(unit, cop.id, 2)).id == cop.id
    assert (await membership.leave(unit, cop.id, 2)).community_name == "CoP De Regenboog"

    await communities.bot_removed(unit, GROUP_CHAT)
    assert (await membership.leaving(unit, cop.id, 3)).status == "removed"
    await membership.leave(unit, cop.id, 3)
    with pytest.raises(NotAMember):
        await membership.leave_choices(unit, 3)


async def _setup_again(unit: Unit, user_id: int) -> SetupSaved:
    fenna = person(user_id, "Fenna", "de Vries")
    step = await setup.start(
        unit,
        chat_id=GROUP_CHAT,
        person=fenna,
        group_title="Groep",
        default_language="nl",
        default_timezone="Europe/Amsterdam",
    )
    outcome: SetupStep | object = step
    while isinstance(outcome, SetupStep) and outcome.step != "confirm":
        outcome = await setup.press(
            unit, outcome.flow_id, fenna, outcome.step, "keep", chat_type="group"
        )
    assert isinstance(outcome, SetupStep)
    saved = await setup.press(unit, outcome.flow_id, fenna, "confirm", "save", chat_type="group")
    assert isinstance(saved, SetupSaved)
    return saved


async def test_an_archived_cop_set_up_again_is_warned_again_before_a_later_purge(
    unit: Unit, cop: Cop
) -> None:
    await membership.started(unit, 1)  # the facilitator can be written to privately
    await lifecycle.archive(unit, cop.id)
    assert len(await lifecycle.due_warnings(_later(unit, timedelta(days=174)), 180)) == 1

    saved = await _setup_again(unit, 1)
    assert saved.community.status == "active"
    row = await unit.session.get(Community, cop.id)
    assert row is not None and row.removed_at is None
    assert "purge_warned" not in row.settings

    await lifecycle.archive(unit, cop.id)
    assert len(await lifecycle.due_warnings(_later(unit, timedelta(days=174)), 180)) == 1


async def test_a_cop_back_in_its_group_is_warned_again_before_a_later_purge(
    unit: Unit, cop: Cop
) -> None:
    await membership.started(unit, 1)
    await communities.bot_removed(unit, GROUP_CHAT)
    assert len(await lifecycle.due_warnings(_later(unit, timedelta(days=174)), 180)) == 1
    await communities.bot_added(unit, GROUP_CHAT)
    await communities.bot_removed(unit, GROUP_CHAT)
    assert len(await lifecycle.due_warnings(_later(unit, timedelta(days=174)), 180)) == 1


async def test_erased_text_leaves_no_trace_in_the_sqlite_files(
    sessions: async_sessionmaker[AsyncSession], clock: ManualClock, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("about SQLite's own files")
    path = Path(database_url.split("///", 1)[1])
    marker = b"qzxwalmarker"

    def on_disk() -> bytes:
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    async with sessions.begin() as session:
        unit = Unit(session, clock())
        row = await communities.create(
            unit,
            chat_id=GROUP_CHAT,
            chat_type="group",
            name="CoP",
            theme="",
            language="nl",
            timezone="Europe/Amsterdam",
        )
        member = await membership.join(unit, row.id, person(2, "Anouk"))
        await contributions_log.add(unit, row.id, member.id, "weekly_share", marker.decode())
    assert marker in on_disk()
    async with sessions.begin() as session:
        await membership.leave(Unit(session, clock()), row.id, 2)
    assert marker not in on_disk()
