"""Who will come: answers to the attendance question, and apologies."""

from __future__ import annotations

from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from bot.services.meetings import MeetingView
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Attendance
from storage.repositories.meetings import AttendanceRepository, MeetingRepository

ANSWERS = ("y", "m", "n")
NOTE_LIMIT = 500


async def counts(unit: Unit, community_id: int, meeting_id: int) -> dict[str, int]:
    return await AttendanceRepository(unit.session, community_id).counts(meeting_id)


async def record(
    unit: Unit, community_id: int, member: MemberView, meeting_id: int, answer: str, note: str = ""
) -> MeetingView:
    """Stores (or changes) a member's answer; only for meetings still to come."""
    if answer not in ANSWERS:
        raise InvalidInput("stale_button")
    meeting = await MeetingRepository(unit.session, community_id).get(meeting_id)
    if meeting is None:
        raise NotFound("stale_button")
    if meeting.status == "cancelled" or meeting.starts_at <= unit.now:
        raise InvalidInput(N_("This meeting has already started or was cancelled."))
    repository = AttendanceRepository(unit.session, community_id)
    row = await repository.of_member(meeting_id, member.id)
    if row is None:
        row = await repository.add(
            Attendance(
                meeting_id=meeting_id,
                member_id=member.id,
                answer=answer,
                note="",
                updated_at=unit.now,
            )
        )
    row.answer = answer
    row.note = " ".join(note.split())[:NOTE_LIMIT]
    row.updated_at = unit.now
    await unit.session.flush()
    return MeetingView.model_validate(meeting)


async def answer(
    unit: Unit,
    community_id: int,
    member: MemberView,
    *,
    number: int | None,
    answer: str,
    note: str = "",
) -> MeetingView:
    """An answer by command (/absent [N]): the next meeting unless a number is given."""
    repository = MeetingRepository(unit.session, community_id)
    if number is None:
        upcoming = await repository.upcoming(unit.now)
        if not upcoming:
            raise NotFound(N_("There is no upcoming meeting. See /meetings."))
        meeting = upcoming[0]
    else:
        found = await repository.by_number(number)
        if found is None:
            raise NotFound(N_("There is no meeting {number}. See /meetings."), number=number)
        meeting = found
    return await record(unit, community_id, member, meeting.id, answer, note)


async def answered_yes(unit: Unit, community_id: int, meeting_number: int, member_id: int) -> bool:
    """Whether the member said they would come (the portfolio's "meetings attended")."""
    meeting = await MeetingRepository(unit.session, community_id).by_number(meeting_number)
    if meeting is None:
        return False
    row = await AttendanceRepository(unit.session, community_id).of_member(meeting.id, member_id)
    return row is not None and row.answer == "y"
