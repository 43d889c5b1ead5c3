"""Who will come: answers to the attendance question, and apologies."""

from __future__ import annotations

from typing import Any

from bot.errors import InvalidInput, NotFound
from bot.services import membership
from bot.services.meetings import MeetingView
from bot.services.prompts import PromptKind
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Attendance
from storage.repositories.flows import PromptRepository
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
        raise InvalidInput("meeting_closed")
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
            raise NotFound("no_upcoming_meeting")
        meeting = upcoming[0]
    else:
        found = await repository.by_number(number)
        if found is None:
            raise NotFound("no_such_meeting", number=number)
        meeting = found
    return await record(unit, community_id, member, meeting.id, answer, note)


async def apologise(
    unit: Unit, community_id: int, member: MemberView, data: dict[str, Any], reason: str
) -> MeetingView:
    """Apologies with a (screened) reason: for the meeting a reply's question was about
    (`meeting_id`), else by /absent's number or for the next meeting."""
    if data.get("meeting_id") is not None:
        return await record(unit, community_id, member, int(data["meeting_id"]), "n", reason)
    number = data.get("number")
    return await answer(
        unit,
        community_id,
        member,
        number=int(number) if number is not None else None,
        answer="n",
        note=reason,
    )


async def answered_yes(unit: Unit, community_id: int, meeting_number: int, member_id: int) -> bool:
    """Whether the member said they would come (the portfolio's "meetings attended")."""
    meeting = await MeetingRepository(unit.session, community_id).by_number(meeting_number)
    if meeting is None:
        return False
    row = await AttendanceRepository(unit.session, community_id).of_member(meeting.id, member_id)
    return row is not None and row.answer == "y"


async def asked(unit: Unit, community_id: int, meeting_id: int) -> bool:
    """Whether the group was asked already (only the first reminder carries the buttons)."""
    return await PromptRepository(unit.session).exists(
        community_id, PromptKind.ATTENDANCE, meeting_id
    )


async def question(unit: Unit, community_id: int, meeting_id: int) -> tuple[int, int] | None:
    """Where the group's attendance question of a meeting is (chat id, message id)."""
    for prompt in await PromptRepository(unit.session).of_kind(community_id, PromptKind.ATTENDANCE):
        if prompt.meeting_id == meeting_id and prompt.message_id is not None:
            return prompt.chat_id, prompt.message_id
    return None


async def answered(unit: Unit, community_id: int, meeting_id: int) -> set[int]:
    """The member ids that answered the attendance question of a meeting."""
    rows = await AttendanceRepository(unit.session, community_id).for_meeting(meeting_id)
    return {row.member_id for row in rows}


async def silent(unit: Unit, community_id: int, meeting_id: int) -> list[MemberView]:
    """The members who did not say whether they come."""
    said = await answered(unit, community_id, meeting_id)
    return [m for m in await membership.participants(unit, community_id) if m.id not in said]
