"""Who will come (answers to the attendance question, apologies) and who was there.

Before a meeting members answer yes / maybe / no (`answer`). After it, a facilitator
ticks who was present (`present`, on the same row: a member who never answered gets a
row with answer "" then, which no answer count ever counts). A meeting's presence is
"ticked" once any of its rows has `present` set; until then the sheet shows the "yes"
answers preselected, and the first press (or Done) stores the whole sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.errors import InvalidInput, NotAllowed, NotAMember, NotFound, StaleAction
from bot.services import chair, membership
from bot.services.meetings import MeetingView
from bot.services.prompts import PromptKind
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from storage.models import Attendance
from storage.repositories.flows import PromptRepository
from storage.repositories.meetings import AttendanceRepository, MeetingRepository

ANSWERS = ("y", "m", "n")
NOTE_LIMIT = 500
#: Keys `counts` adds for a meeting whose presence was ticked: present, of how many.
PRESENT, COUNTED = "present", "counted"


async def counts(unit: Unit, community_id: int, meeting_id: int) -> dict[str, int]:
    """The answers (y / m / n only: a row made by ticking presence is no answer) and, once
    presence is ticked, `PRESENT` of `COUNTED` (what the log and the document show)."""
    rows = await AttendanceRepository(unit.session, community_id).for_meeting(meeting_id)
    result: dict[str, int] = {}
    for row in rows:
        if row.answer in ANSWERS:
            result[row.answer] = result.get(row.answer, 0) + 1
    if any(row.present is not None for row in rows):
        meeting = await MeetingRepository(unit.session, community_id).get(meeting_id)
        assert meeting is not None
        sheet = await _sheet(unit, community_id, MeetingView.model_validate(meeting))
        result[PRESENT], result[COUNTED] = sheet.present, len(sheet.members)
    return result


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
    return {row.member_id for row in rows if row.answer in ANSWERS}


async def silent(unit: Unit, community_id: int, meeting_id: int) -> list[MemberView]:
    """The members who did not say whether they come."""
    said = await answered(unit, community_id, meeting_id)
    members = await membership.list_members(unit, community_id)
    return [m for m in members if m.counted and m.id not in said]


# --- presence: who was there, ticked by a facilitator after the meeting -------------------


@dataclass(frozen=True)
class Sheet:
    """A held meeting's presence: each counted member and whether they were there (as
    ticked, or before any tick: whether they said they would come)."""

    meeting: MeetingView
    members: list[tuple[MemberView, bool]]
    ticked: bool

    @property
    def present(self) -> int:
        return sum(1 for _, there in self.members if there)

    def absent(self) -> list[MemberView]:
        return [member for member, there in self.members if not there]


@dataclass(frozen=True)
class Ticked:
    """A press on the presence message: the CoP it is about, and the sheet now."""

    community: CommunityView
    sheet: Sheet
    done: bool  # Done was pressed: the message shows the summary (and offers the recap)


DONE, OPEN = "done", "open"


async def presence_sheet(unit: Unit, community_id: int, meeting_id: int) -> Sheet:
    """The sheet as the message after a meeting shows it (nothing is stored)."""
    meeting = await MeetingRepository(unit.session, community_id).get(meeting_id)
    if meeting is None:
        raise NotFound("stale_button")
    return await _sheet(unit, community_id, MeetingView.model_validate(meeting))


async def presence_of(unit: Unit, community_id: int, meeting: MeetingView) -> Sheet:
    """The sheet of a meeting (the rhythm check and the recap read it)."""
    return await _sheet(unit, community_id, meeting)


async def reopen(unit: Unit, community_id: int, member: MemberView, number: int | None) -> Sheet:
    """/presence [N]: the sheet of meeting N (default: the last held), for a facilitator
    (or, in a self-running CoP, its chair)."""
    meetings = [
        MeetingView.model_validate(m)
        for m in await MeetingRepository(unit.session, community_id).all()
    ]
    if number is None:
        held = [m for m in meetings if m.state(unit.now) == "held"]
        if not held:
            raise NotFound("presence_nothing_held")
        meeting = held[-1]
    else:
        found = next((m for m in meetings if m.number == number), None)
        if found is None:
            raise NotFound("no_such_meeting", number=number)
        meeting = found
    await may_close(unit, community_id, member, meeting)
    _held(meeting, unit.now)
    return await _sheet(unit, community_id, meeting)


async def tick(
    unit: Unit, user_id: int, meeting_id: int, choice: str, *, community_id: int | None
) -> Ticked:
    """A press on the presence message (in the group, or privately: the meeting says
    which CoP): `choice` is a member id to toggle, `DONE` or `OPEN`. Only facilitators
    tick, and only for a meeting that took place."""
    community, member, meeting = await locate(unit, user_id, meeting_id, community_id)
    await may_close(unit, community.id, member, meeting)
    _held(meeting, unit.now)
    sheet = await _sheet(unit, community.id, meeting)
    if choice == OPEN:
        return Ticked(community, sheet, done=False)
    toggled: int | None = None
    if choice != DONE:
        if not choice.isascii() or not choice.isdigit():
            raise StaleAction("stale_button")
        toggled = int(choice)
        if toggled not in {m.id for m, _ in sheet.members}:
            raise StaleAction("stale_button")
    repository = AttendanceRepository(unit.session, community.id)
    for listed, there in sheet.members:
        now_there = (not there) if listed.id == toggled else there
        row = await repository.of_member(meeting.id, listed.id)
        if row is None:
            row = await repository.add(
                Attendance(
                    meeting_id=meeting.id,
                    member_id=listed.id,
                    answer="",
                    note="",
                    updated_at=unit.now,
                )
            )
        if row.present is not now_there:
            row.present = now_there
            row.updated_at = unit.now
    await unit.session.flush()
    return Ticked(community, await _sheet(unit, community.id, meeting), done=choice == DONE)


async def recipient(unit: Unit, community_id: int) -> MemberView | None:
    """The one facilitator who gets the presence message privately (the main one first);
    None when no facilitator opened a private chat with the bot: then it goes to the group."""
    facilitators = [
        m
        for m in await membership.list_members(unit, community_id)
        if m.is_facilitator and m.private_chat and m.telegram_user_id
    ]
    facilitators.sort(key=lambda m: (m.role != "facilitator", m.joined_at, m.id))
    return facilitators[0] if facilitators else None


async def _sheet(unit: Unit, community_id: int, meeting: MeetingView) -> Sheet:
    rows = {
        row.member_id: row
        for row in await AttendanceRepository(unit.session, community_id).for_meeting(meeting.id)
    }
    ticked = any(row.present is not None for row in rows.values())
    listed: list[tuple[MemberView, bool]] = []
    for member in await membership.list_members(unit, community_id):
        row = rows.get(member.id)
        if not member.counted or (member.joined_at > meeting.ends_at and row is None):
            continue  # who joined after the meeting was not expected there
        if ticked:
            there = bool(row is not None and row.present)
        else:
            there = row is not None and row.answer == "y"
        listed.append((member, there))
    return Sheet(meeting, listed, ticked)


async def may_close(
    unit: Unit, community_id: int, member: MemberView, meeting: MeetingView
) -> None:
    """Who closes a meeting (presence, recap): a facilitator, or the meeting's chair in a
    self-running CoP (`bot.services.chair`)."""
    if member.is_facilitator:
        return
    chaired = await chair.chair_of(unit, community_id, meeting)
    if chaired is None or chaired.id != member.id:
        raise NotAllowed("presence_facilitators")


def _held(meeting: MeetingView, now: datetime) -> None:
    state = meeting.state(now)
    if state == "cancelled":
        raise InvalidInput("presence_cancelled", number=meeting.number)
    if state != "held":
        raise InvalidInput("presence_not_held", number=meeting.number)


async def locate(
    unit: Unit, user_id: int, meeting_id: int, community_id: int | None
) -> tuple[CommunityView, MemberView, MeetingView]:
    """The CoP a meeting belongs to, the person's membership there, and the meeting: a
    button pressed privately names only its meeting (`community_id` None)."""
    for community, member in await membership.memberships(unit, user_id):
        if community_id is not None and community.id != community_id:
            continue
        meeting = await MeetingRepository(unit.session, community.id).get(meeting_id)
        if meeting is not None:
            return community, member, MeetingView.model_validate(meeting)
    if community_id is not None and await membership.member_of(unit, community_id, user_id) is None:
        raise NotAMember("not_member")
    raise StaleAction("stale_button")
