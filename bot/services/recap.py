"""The recap after a meeting: a short draft for the group that a facilitator checks,
may rewrite, and posts once.

The draft is built from what the CoP stored: the agreements adopted at that meeting, the
shared issue when it changed since the meeting before, who brings what next time (agenda
points for the next meeting and agreements due by then, with their owners) and the next
meeting's date. `bot.texts.recap` says it. What the facilitator wrote instead, and what was
posted, are kept with the meeting (`meeting.agenda["recap"]`): a second Post posts nothing,
and a member who drifts away can be sent the last recap (`bot.services.rhythm.checkins`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services import attendance, communities, decisions, membership, shared_issue
from bot.services.decisions import DecisionView
from bot.services.meetings import MeetingView
from bot.services.shared_issue import Proposal
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from storage.models import Meeting
from storage.repositories.contributions import ContributionRepository
from storage.repositories.meetings import MeetingRepository

KEY = "recap"
TEXT_LIMIT = 1500
AGENDA_POINT = "agenda_point"  # as `bot.services.agenda` stores a member's point


@dataclass(frozen=True)
class Bring:
    """Something for the next meeting: an agenda point (by its author) or an agreement
    due by then (by its owner)."""

    text: str
    by: str | None
    due: date | None = None  # an agreement's due date


@dataclass(frozen=True)
class Draft:
    """The recap of one held meeting, as built, edited or posted."""

    community: CommunityView
    meeting: MeetingView
    agreed: list[DecisionView]
    shared: Proposal | None  # the shared issue, when it changed since the meeting before
    bring: list[Bring]
    following: MeetingView | None
    text: str | None  # the facilitator's own text (plain), once edited
    posted: str | None  # what went to the group (Telegram HTML), once posted


@dataclass(frozen=True)
class Posted:
    """Post pressed: the draft and what the group got; `first` is False for a second press."""

    draft: Draft
    text: str
    first: bool


#: How the handler turns a draft into the group's message (services say no sentences).
Render = Callable[[Draft], str]


async def draft(unit: Unit, community_id: int, member: MemberView, number: int | None) -> Draft:
    """/recap [N]: the recap of meeting N (default: the last one held), for a facilitator."""
    sheet = await attendance.reopen(unit, community_id, member, number)
    return await _draft(unit, community_id, sheet.meeting)


async def draft_of(
    unit: Unit,
    user_id: int,
    meeting_id: int,
    *,
    community_id: int | None,
    editing: bool = False,
) -> Draft:
    """The Recap button (on the presence message, in the group or privately), and Edit
    (`editing`: refused once the recap was posted, which is never changed)."""
    community, member, meeting = await attendance.locate(unit, user_id, meeting_id, community_id)
    await _may_close(unit, community.id, member, meeting)
    _held(meeting, unit)
    shown = await _draft(unit, community.id, meeting)
    if editing and shown.posted is not None:
        raise InvalidInput("recap_posted", number=meeting.number)
    return shown


def admit(text: str) -> str:
    """The facilitator's own recap, checked before the pupil-name guard sees it (and again
    when it is stored): empty or overlong text keeps the draft as it was."""
    cleaned = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not cleaned.strip():
        raise InvalidInput("recap_empty")
    if len(cleaned) > TEXT_LIMIT:
        raise InvalidInput("recap_too_long", length=len(cleaned), limit=TEXT_LIMIT)
    return cleaned


async def edit(
    unit: Unit, community_id: int, member: MemberView, meeting_id: int, text: str
) -> Draft:
    """The facilitator's reply to Edit (once screened): the draft's new text."""
    cleaned = admit(text)
    row = await _row(unit, community_id, meeting_id)
    meeting = MeetingView.model_validate(row)
    await _may_close(unit, community_id, member, meeting)
    _held(meeting, unit)
    kept = _kept(meeting)
    if kept.get("posted"):
        raise InvalidInput("recap_posted", number=meeting.number)
    row.agenda = {**row.agenda, KEY: {**kept, "text": cleaned, "by": member.id}}
    await unit.session.flush()
    return await _draft(unit, community_id, MeetingView.model_validate(row))


async def post(
    unit: Unit, user_id: int, meeting_id: int, render: Render, *, community_id: int | None
) -> Posted:
    """Post: the recap goes to the group once; a second press says it went already."""
    community, member, meeting = await attendance.locate(unit, user_id, meeting_id, community_id)
    await _may_close(unit, community.id, member, meeting)
    _held(meeting, unit)
    current = await _draft(unit, community.id, meeting)
    if current.posted:
        return Posted(current, current.posted, first=False)
    text = render(current)
    row = await _row(unit, community.id, meeting.id)
    kept = _kept(MeetingView.model_validate(row))
    row.agenda = {
        **row.agenda,
        KEY: {**kept, "posted": text, "posted_at": unit.now.isoformat(), "by": member.id},
    }
    await unit.session.flush()
    return Posted(await _draft(unit, community.id, MeetingView.model_validate(row)), text, True)


async def _draft(unit: Unit, community_id: int, meeting: MeetingView) -> Draft:
    (community,) = await communities.by_ids(unit, [community_id])
    series = [
        MeetingView.model_validate(m)
        for m in await MeetingRepository(unit.session, community_id).all()
        if m.status != "cancelled"
    ]
    before = [m for m in series if m.starts_at < meeting.starts_at]
    after = [m for m in series if m.starts_at > meeting.starts_at]
    following = after[0] if after else None
    agreements = await decisions.listing(unit, community_id)
    agreed = [d for d in agreements if d.meeting_id == meeting.id and d.status == "adopted"]
    since = before[-1].ends_at if before else None
    shared = None
    for proposal in await shared_issue.history(unit, community_id):
        adopted = proposal.adopted_at
        if proposal.status != "adopted" or adopted is None or adopted > unit.now:
            continue
        if since is None or adopted > since:
            shared = proposal
    kept = _kept(meeting)
    return Draft(
        community=community,
        meeting=meeting,
        agreed=agreed,
        shared=shared,
        bring=await _bring(unit, community, [d for d in agreements if d not in agreed], following),
        following=following,
        text=str(kept["text"]) if kept.get("text") else None,
        posted=str(kept["posted"]) if kept.get("posted") else None,
    )


async def _bring(
    unit: Unit,
    community: CommunityView,
    agreements: list[DecisionView],
    following: MeetingView | None,
) -> list[Bring]:
    """Who brings what to the next meeting: its agenda points, and agreements due by then
    (`agreements` leaves out those the recap lists as agreed already, owner and date shown)."""
    if following is None:
        return []
    names = {m.id: m.name for m in await membership.list_members(unit, community.id)}
    points = await ContributionRepository(unit.session, community.id).of_meeting(
        following.id, AGENDA_POINT
    )
    bring = [
        Bring(p.text, names.get(p.member_id) if p.member_id is not None else None) for p in points
    ]
    day = following.starts_at.astimezone(ZoneInfo(community.timezone)).date()
    bring += [
        Bring(d.text, d.owner_name, d.due)
        for d in agreements
        if d.status == "adopted" and not d.done and d.due is not None and d.due <= day
    ]
    return bring


def _kept(meeting: MeetingView) -> dict[str, Any]:
    kept = meeting.agenda.get(KEY)
    return dict(kept) if isinstance(kept, dict) else {}


async def _may_close(
    unit: Unit, community_id: int, member: MemberView, meeting: MeetingView
) -> None:
    """A facilitator, or the meeting's chair in a self-running CoP, writes its recap."""
    try:
        await attendance.may_close(unit, community_id, member, meeting)
    except NotAllowed:
        raise NotAllowed("recap_facilitators") from None


def _held(meeting: MeetingView, unit: Unit) -> None:
    state = meeting.state(unit.now)
    if state == "cancelled":
        raise InvalidInput("presence_cancelled", number=meeting.number)
    if state != "held":
        raise InvalidInput("presence_not_held", number=meeting.number)


async def _row(unit: Unit, community_id: int, meeting_id: int) -> Meeting:
    row = await MeetingRepository(unit.session, community_id).get(meeting_id)
    if row is None:
        raise NotFound("stale_button")
    return row
