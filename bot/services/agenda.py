"""Agendas: the cycle template, the facilitator's own items, and what is open.

The template follows the study's design through the steps each meeting carries
(`bot.services.cycle`: practice issues at meeting 1, a quality round early, literature
insights and "using qualities" at meeting 3 and the last, agreements and the collection
document at the last), stored per meeting so the plan survives cancelled meetings. Every feature
adds its open items through `SOURCES`, so the agenda grows with the bot.

Items are codes (`bot.texts.meetings` says them): a template line is `template=True`
with `text` its code, an open item has a `label` code and the item's own text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from bot.errors import InvalidInput
from bot.services import attendance, chair, meetings, reminders
from bot.services.meetings import MeetingView
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from storage.models import Contribution
from storage.repositories.contributions import ContributionRepository
from storage.repositories.meetings import MeetingRepository
from storage.repositories.members import MemberRepository

AGENDA_POINT = "agenda_point"
WEEKLY_SHARE = "weekly_share"  # an answer to the weekly question (`rhythm.share_weekly`)
POINT_LIMIT = 300
ITEM_LIMIT = 300
ITEMS_LIMIT = 20
# One member cannot crowd an agenda, and an agenda stays readable (and its reminder a few
# messages at most): points per member and per meeting are counted, not only their length.
POINTS_PER_MEMBER = 3
POINTS_PER_MEETING = 15
# Agreements listed on an agenda; the rest are one "and N more" line (see /decisions).
AGREEMENTS_SHOWN = 10


class AgendaItem(BaseModel):
    """One line of an agenda: a template code (`template`), or a text of the CoP's own,
    with who added it (`by`) and what kind of open item it is (`label`, a code)."""

    text: str
    template: bool = False
    by: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Briefing:
    """A meeting with its agenda and who said they come: what a meeting message shows."""

    meeting: MeetingView
    items: list[AgendaItem]
    counts: dict[str, int]
    chair: MemberView | None = None  # in a self-running CoP (`bot.services.chair`)
    agenda_posted: bool = False  # the agenda has a message of its own the day before


@dataclass(frozen=True)
class Shown:
    """What /agenda shows; `updated` when the facilitator just replaced the items."""

    meeting: MeetingView
    items: list[AgendaItem]
    can_edit: bool
    updated: bool


def template(steps: list[str]) -> list[str]:
    """A meeting's template lines: the opening, its steps of the cycle (or, with none of
    its own, working on the shared issue), the closing."""
    return ["opening", *(steps or ["working"]), "closing"]


async def build(unit: Unit, meeting: MeetingView) -> list[AgendaItem]:
    """The agenda of a meeting: own items or the template, then everything open.

    A held meeting's agenda is the one that was sent (`for_sending` keeps it): the log and
    the document show the meeting as it was, not as today's state would build it.
    """
    if meeting.state(unit.now) == "held" and meeting.agenda.get("sent"):
        return [AgendaItem.model_validate(item) for item in meeting.agenda["sent"]]
    if meeting.agenda.get("items"):
        items = [AgendaItem(text=text) for text in meeting.agenda["items"]]
    else:
        items = [AgendaItem(text=code, template=True) for code in template(meeting.steps or [])]
    closing = items.pop() if items and items[-1].template and items[-1].text == "closing" else None
    for source in SOURCES:
        items += await source(unit, meeting)
    return [*items, closing] if closing else items  # the closing round stays last


async def briefing(unit: Unit, meeting: MeetingView, *, sending: bool = False) -> Briefing:
    """A meeting with its agenda and counts; `sending`: the agenda goes out now and is kept."""
    counts = await attendance.counts(unit, meeting.community_id, meeting.id)
    items = await (for_sending(unit, meeting) if sending else build(unit, meeting))
    chaired = await chair.chair_of(unit, meeting.community_id, meeting)
    posted = await reminders.agenda_posted(unit, meeting.community_id, meeting.id)
    return Briefing(meeting, items, counts, chaired, posted)


async def for_sending(unit: Unit, meeting: MeetingView) -> list[AgendaItem]:
    """The agenda as it goes out to the group, kept with the meeting as sent (the last one
    sent before the meeting is what its log and the collection document show)."""
    items = await build(unit, meeting)
    row = await MeetingRepository(unit.session, meeting.community_id).get(meeting.id)
    if row is not None:
        row.agenda = {**row.agenda, "sent": [item.model_dump() for item in items]}
        await unit.session.flush()
    return items


async def attend(
    unit: Unit, community_id: int, member: MemberView, meeting_id: int, answer: str
) -> Briefing:
    """A press on the attendance buttons; the meeting message then shows the new count."""
    meeting = await attendance.record(unit, community_id, member, meeting_id, answer)
    return await briefing(unit, meeting)


@dataclass(frozen=True)
class Apologised:
    """Apologies noted; `asked_at` is the group's attendance question (chat, message) for
    that meeting, whose counts then change too."""

    shown: Briefing
    asked_at: tuple[int, int] | None


async def attend_from_nudge(
    unit: Unit, community_id: int, member: MemberView, meeting_id: int, answer: str
) -> Apologised:
    """A press on the buttons of a nudge: noted like one on the question, with the
    group's attendance question (chat, message), whose counts then change too."""
    shown = await attend(unit, community_id, member, meeting_id, answer)
    return Apologised(shown, await attendance.question(unit, community_id, meeting_id))


async def absent(
    unit: Unit, community_id: int, member: MemberView, data: dict[str, Any], reason: str
) -> Apologised:
    """Apologies (by /absent or a reply): stored, and the question's counts to show."""
    meeting = await attendance.apologise(unit, community_id, member, data, reason)
    asked = await attendance.question(unit, community_id, meeting.id)
    return Apologised(await briefing(unit, meeting), asked)


async def schedule(unit: Unit, community_id: int) -> list[Briefing]:
    """Every meeting with its agenda and attendance (/meetings, /calendar)."""
    return [await briefing(unit, m) for m in await meetings.schedule(unit, community_id)]


async def show(
    unit: Unit,
    community: CommunityView,
    member: MemberView | None,
    number: int | None,
    items: list[str],
) -> Shown | None:
    """/agenda [N]: the agenda of meeting N or the next one (None: nothing planned).

    With items (one per line after the command) a facilitator replaces the template.
    """
    if number is not None:
        meeting: MeetingView | None = await meetings.get(unit, community.id, number)
    else:
        meeting = await meetings.next_meeting(unit, community.id)
    if meeting is None:
        return None
    can_edit = bool(member and member.is_facilitator)
    updated = any(item.strip() for item in items)
    if updated:
        if not can_edit:
            raise InvalidInput("facilitator_only")
        meeting = await _set_items(unit, meeting, items)
    return Shown(meeting, await build(unit, meeting), can_edit=can_edit, updated=updated)


def replaces_items(member: MemberView | None, items: list[str]) -> bool:
    """Whether /agenda came with items of its own (only facilitators may give them)."""
    if not any(item.strip() for item in items):
        return False
    if not (member and member.is_facilitator):
        raise InvalidInput("facilitator_only")
    return True


async def admit_point(
    unit: Unit, community_id: int, member_id: int, meeting_id: int, text: str
) -> tuple[MeetingView, str]:
    """Whether a point may be added (before the guard sees it, and again when storing)."""
    meeting = await meetings.by_id(unit, community_id, meeting_id)
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput("agenda_point_empty")
    if len(cleaned) > POINT_LIMIT:
        raise InvalidInput("agenda_point_too_long", limit=POINT_LIMIT)
    points = await ContributionRepository(unit.session, community_id).of_meeting(
        meeting.id, AGENDA_POINT
    )
    if len(points) >= POINTS_PER_MEETING:
        raise InvalidInput("agenda_full", number=meeting.number, limit=POINTS_PER_MEETING)
    if sum(1 for p in points if p.member_id == member_id) >= POINTS_PER_MEMBER:
        raise InvalidInput("agenda_points_yours", number=meeting.number, limit=POINTS_PER_MEMBER)
    return meeting, cleaned


async def add_point(
    unit: Unit, community_id: int, member_id: int, meeting_id: int, text: str
) -> MeetingView:
    """A member's own agenda point (their contribution, erased with them unless kept)."""
    meeting, cleaned = await admit_point(unit, community_id, member_id, meeting_id, text)
    await ContributionRepository(unit.session, community_id).add(
        Contribution(
            member_id=member_id,
            kind=AGENDA_POINT,
            meeting_id=meeting.id,
            text=cleaned,
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return meeting


async def _set_items(unit: Unit, meeting: MeetingView, items: list[str]) -> MeetingView:
    """Replaces the template agenda of one meeting with the facilitator's own items."""
    row = await MeetingRepository(unit.session, meeting.community_id).get(meeting.id)
    assert row is not None
    cleaned = [" ".join(item.split())[:ITEM_LIMIT] for item in items if item.strip()]
    row.agenda = {"items": cleaned[:ITEMS_LIMIT]}
    row.sequence += 1
    row.updated_at = unit.now
    await unit.session.flush()
    return MeetingView.model_validate(row)


async def _member_points(unit: Unit, meeting: MeetingView) -> list[AgendaItem]:
    return await _by_members(unit, meeting, AGENDA_POINT, None)


async def weekly_shares(unit: Unit, meeting: MeetingView) -> list[AgendaItem]:
    """Answers to the weekly question were kept "for the next meeting": they are on it."""
    return await _by_members(unit, meeting, WEEKLY_SHARE, "weekly_share")


async def _by_members(
    unit: Unit, meeting: MeetingView, kind: str, label: str | None
) -> list[AgendaItem]:
    """The meeting's contributions of one kind, each with its author's name."""
    rows = await ContributionRepository(unit.session, meeting.community_id).of_meeting(
        meeting.id, kind
    )
    members = MemberRepository(unit.session, meeting.community_id)
    names: dict[int, str | None] = {}
    items = []
    for row in rows:
        if row.member_id is not None and row.member_id not in names:
            author = await members.get(row.member_id)
            names[row.member_id] = author.display_name if author else None
        by = names.get(row.member_id) if row.member_id is not None else None
        items.append(AgendaItem(text=row.text, by=by, label=label))
    return items


async def _open_items(unit: Unit, meeting: MeetingView) -> list[AgendaItem]:
    """What is open in the CoP: every feature's unfinished business, in one place."""
    from bot.services import decisions, issues, literature, shared_issue

    items: list[AgendaItem] = []
    community_id = meeting.community_id
    upcoming = await meetings.next_meeting(unit, community_id)
    if upcoming is None or upcoming.id != meeting.id:
        return items  # open business belongs on the next meeting's agenda, not on every one
    round_ = await issues.open_round(unit, community_id)
    if round_ is not None:
        state = await issues.progress(unit, community_id, round_)
        answered, total = len(state.answered), len(state.answered) + len(state.waiting)
        if state.waiting:  # everyone answered: nothing left to do about it at a meeting
            items.append(AgendaItem(text=f"{answered}/{total}", label="open_round"))
    for proposal in await shared_issue.history(unit, community_id):
        if proposal.status == "proposed":
            items.append(AgendaItem(text=proposal.text, label="shared_to_decide"))
    agreements: list[AgendaItem] = []
    for agreement in await decisions.listing(unit, community_id):
        if agreement.status == "proposed":
            agreements.append(AgendaItem(text=agreement.text, label="agreement_to_decide"))
        elif not agreement.done and agreement.due and agreement.due <= meeting.starts_at.date():
            agreements.append(
                AgendaItem(text=agreement.text, label="agreement_due", by=agreement.owner_name)
            )
    items += agreements[:AGREEMENTS_SHOWN]
    if len(agreements) > AGREEMENTS_SHOWN:
        more = str(len(agreements) - AGREEMENTS_SHOWN)
        items.append(AgendaItem(text=more, label="more_agreements"))
    previous = [
        m
        for m in await MeetingRepository(unit.session, community_id).all()
        if m.status != "cancelled" and m.starts_at < meeting.starts_at
    ]
    since = previous[-1].starts_at if previous else None
    for entry in await literature.reading_list(unit, community_id):
        if since is None or entry.latest > since:
            items.append(AgendaItem(text=entry.source.title, label="literature_shared"))
    return items


Source = Callable[[Unit, MeetingView], Awaitable[list[AgendaItem]]]

#: What each feature contributes to an agenda, in the order shown.
SOURCES: tuple[Source, ...] = (_member_points, weekly_shares, _open_items)
