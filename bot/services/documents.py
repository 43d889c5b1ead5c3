"""What goes into the collection document (and a member's portfolio): plain values.

This is the one place that decides what goes into which version: the CoP's own
version has everything; the team version (the boundary object for the school
team) has only what is shareable: adopted agreements nobody objected to, the
adopted shared issue, aggregated development, and the contributions members
marked shareable themselves, with names only of members who agreed to be named.
`bot.texts.documents` turns these values into the document model, in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput, NotAllowed
from bot.render.documents import Insight, ReadingEntry
from bot.services import (
    agenda,
    attendance,
    decisions,
    development,
    flows,
    literature,
    meetings,
    membership,
    qualities,
    shared_issue,
    sharing,
)
from bot.services.agenda import AgendaItem
from bot.services.development import PeriodShares
from bot.services.qualities import StatRow
from bot.services.shared_issue import Proposal
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from storage.repositories.codings import CodingRepository
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository

FORMATS = ("docx", "md", "html")
#: What the group gets from a plain /document: the Word file (HTML and Markdown on request).
DEFAULT_FORMATS = ("docx",)
LOCK = "document"
LOCK_AGE = timedelta(minutes=10)

Who = Callable[[int | None], str | None]


@dataclass(frozen=True)
class Request:
    """`/document [team] [docx|md|html]`: which version, in which formats."""

    team: bool
    formats: tuple[str, ...]


@dataclass(frozen=True)
class PersonRow:
    name: str
    role: str  # facilitator | cofacilitator | member
    title: str | None


@dataclass(frozen=True)
class ProfileRow:
    member: str
    title: str | None
    qualities: list[tuple[str, int]]


@dataclass(frozen=True)
class IssueRow:
    author: str | None
    meeting: int | None
    text: str
    reflection: str | None
    code: str | None  # a development code ("IE"), when coded


@dataclass(frozen=True)
class MeetingRow:
    number: int
    starts_at: datetime
    state: str  # planned | held | cancelled
    counts: dict[str, int]
    agenda: list[AgendaItem]
    notes: list[str]


@dataclass(frozen=True)
class AgreementRow:
    text: str
    state: str  # proposed | adopted | done
    owner: str | None
    due: date | None
    practice: bool
    followup: dict[str, int]
    remarks: list[str]


@dataclass(frozen=True)
class Collection:
    """Everything the document shows, already filtered for its version."""

    community: CommunityView
    team: bool
    made_at: datetime
    people: list[PersonRow]
    versions: list[Proposal]
    issues: list[IssueRow]
    development: list[PeriodShares]
    stats: list[StatRow]
    profiles: list[ProfileRow]
    reading: list[ReadingEntry]
    meetings: list[MeetingRow]
    agreements: list[AgreementRow]
    school: str = ""
    #: The team version: how many of each kind members kept in the CoP ("issues": 3, ...).
    withheld: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Portfolio:
    """A member's own record: the CoP version, narrowed to them by `bot.texts.documents`."""

    collection: Collection
    member: MemberView
    attended: frozenset[int]  # meeting numbers they said they would come to


@dataclass(frozen=True)
class Review:
    """After a team version: who reviewed what they share, who has not yet."""

    reviewed: list[str]
    waiting: list[str]


def request(args: list[str], member: MemberView) -> Request:
    """Reads the arguments; the team version is the facilitators' to hand out."""
    words = [a.lower() for a in args]
    if any(a not in (*FORMATS, "team") for a in words):
        raise InvalidInput("document_usage")
    team = "team" in words
    if team and not member.is_facilitator:
        raise NotAllowed("facilitator_only")
    return Request(team, tuple(a for a in words if a in FORMATS) or DEFAULT_FORMATS)


async def begin(
    unit: Unit, community: CommunityView, member: MemberView, args: list[str]
) -> Request | None:
    """Starts building a document; None while another one for this CoP is being built."""
    wanted = request(args, member)
    if not await flows.take_lock(unit, LOCK, community.chat_id, LOCK_AGE):
        return None
    return wanted


async def end(unit: Unit, community: CommunityView, wanted: Request) -> Review | None:
    """The document was sent: the lock goes; a team version reports who reviewed /share."""
    await flows.release_lock(unit, LOCK, community.chat_id)
    if not wanted.team:
        return None
    members = await membership.list_members(unit, community.id)
    done = await sharing.reviewed_members(unit, community.id)
    return Review(
        reviewed=[m.name for m in members if m.id in done],
        waiting=[m.name for m in members if m.id not in done],
    )


async def collection(unit: Unit, community: CommunityView, *, team: bool) -> Collection:
    """The whole document's content, for the CoP (team=False) or the school team (team=True)."""
    members = await membership.list_members(unit, community.id)
    named = await sharing.named_members(unit, community.id)

    def who(member_id: int | None) -> str | None:
        if member_id is None or (team and member_id not in named):
            return None
        return next((m.name for m in members if m.id == member_id), None)

    people = [m for m in members if not team or m.id in named]
    profiles = {m.id: await qualities.profile(unit, community.id, m, m.id) for m in people}
    names = {m.name for m in people}
    all_stats = await qualities.stats(unit, community.id)
    all_decisions = await decisions.listing(unit, community.id)
    issues = await _issues(unit, community, who, team=False)
    reading = await _reading(unit, community, who, team=False)
    shown_issues = await _issues(unit, community, who, team=True) if team else issues
    shown_reading = await _reading(unit, community, who, team=True) if team else reading
    stats = [
        r if not team else r.model_copy(update={"examples": []})
        for r in all_stats
        if not team or r.member in names
    ]
    agreements = [_agreement(d, who, team=team) for d in all_decisions if not team or d.shareable]
    withheld = {
        "members": len(members) - len(people),
        "issues": len(issues) - len(shown_issues),
        "insights": _insights(reading) - _insights(shown_reading),
        "qualities": len(all_stats) - len(stats),
        "agreements": len(all_decisions) - len(agreements),
    }
    return Collection(
        community=community,
        team=team,
        made_at=unit.now,
        people=[PersonRow(m.name, m.role, profiles[m.id].title) for m in people],
        versions=[
            p
            for p in await shared_issue.history(unit, community.id)
            if not team or p.status == "adopted"
        ],
        issues=shown_issues,
        development=await development.development(unit, community.id),
        stats=stats,
        profiles=[_profile(m, profiles[m.id]) for m in people if _visible(profiles[m.id])],
        reading=shown_reading,
        meetings=await _meetings(unit, community, team=team),
        agreements=agreements,
        school=await _school(unit, community),
        withheld={kind: n for kind, n in withheld.items() if n > 0} if team else {},
    )


def _insights(reading: list[ReadingEntry]) -> int:
    return sum(len(entry.insights) for entry in reading)


async def _school(unit: Unit, community: CommunityView) -> str:
    """The school's name, when the CoP has one set (``settings["school"]``)."""
    row = await CommunityRepository(unit.session).get(community.id)
    return str(row.settings.get("school", "")) if row else ""


async def portfolio(unit: Unit, community: CommunityView, member: MemberView) -> Portfolio:
    """A member's own record for their professional-development file."""
    full = await collection(unit, community, team=False)
    attended = frozenset(
        {
            row.number
            for row in full.meetings
            if await attendance.answered_yes(unit, community.id, row.number, member.id)
        }
    )
    return Portfolio(full, member, attended)


def stem(community: CommunityView, team: bool, now: datetime) -> str:
    """The file name (without suffix) of a collection document, in the CoP's local time
    (the time the document itself says it was made)."""
    local = now.astimezone(ZoneInfo(community.timezone))
    return slug(community.name) + ("-team" if team else "") + "-" + local.strftime("%Y%m%d-%H%M")


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:40] or "cop"


def _visible(view: qualities.ProfileView) -> bool:
    return bool(view.title) or any(q.count > q.hidden for q in view.qualities)


def _profile(member: MemberView, view: qualities.ProfileView) -> ProfileRow:
    shown = [(q.quality, q.count - q.hidden) for q in view.qualities if q.count > q.hidden]
    return ProfileRow(member=member.name, title=view.title, qualities=shown)


def _agreement(item: decisions.DecisionView, who: Who, *, team: bool) -> AgreementRow:
    state = "done" if item.done else "adopted" if item.status == "adopted" else "proposed"
    return AgreementRow(
        text=item.text,
        state=state,
        owner=who(item.owner_id),
        due=item.due,
        practice=item.practice,
        followup=item.followup,
        remarks=[] if team else item.remarks,
    )


async def _issues(unit: Unit, community: CommunityView, who: Who, *, team: bool) -> list[IssueRow]:
    contributions = ContributionRepository(unit.session, community.id)
    rows = await contributions.of_kinds(["issue", "issue_reflection"])
    counted = await CodingRepository(unit.session, community.id).counted_per_contribution()
    codes = {c.id: development.CODE_OF.get((k.scope, k.attribution)) for c, k in counted}
    numbers = {m.id: m.number for m in await meetings.schedule(unit, community.id)}
    reflections = {
        r.parent_id: r.text
        for r in rows
        if r.kind == "issue_reflection" and (not team or r.visibility == "team")
    }
    return [
        IssueRow(
            author=who(row.member_id),
            meeting=numbers.get(row.meeting_id) if row.meeting_id is not None else None,
            text=row.text,
            reflection=reflections.get(row.id),
            code=codes.get(row.id),
        )
        for row in rows
        if row.kind == "issue" and not (team and row.visibility != "team")
    ]


async def _reading(
    unit: Unit, community: CommunityView, who: Who, *, team: bool
) -> list[ReadingEntry]:
    shareable = await sharing.shareable_ids(unit, community.id) if team else None
    entries = []
    for item in await literature.reading_list(unit, community.id):
        insights = [
            Insight(author=who(i.author_id), insight=i.insight, practice=i.practice)
            for i in item.insights
            if shareable is None or i.id in shareable
        ]
        if team and not insights:
            continue
        entries.append(
            ReadingEntry(
                source=item.source.title,
                authors=item.source.authors,
                year=item.source.year,
                link=item.source.link
                or (f"https://doi.org/{item.source.doi}" if item.source.doi else None),
                shared_by=item.shared_by if not team else None,
                insights=insights,
            )
        )
    return entries


async def _meetings(unit: Unit, community: CommunityView, *, team: bool) -> list[MeetingRow]:
    contributions = ContributionRepository(unit.session, community.id)
    rows = []
    for meeting in await meetings.schedule(unit, community.id):
        items = await agenda.build(unit, meeting)
        # What members tried between meetings, also what came after the agenda went out.
        items += [i for i in await agenda.weekly_shares(unit, meeting) if i not in items]
        notes = await contributions.of_meeting(meeting.id, "meeting_note")
        rows.append(
            MeetingRow(
                number=meeting.number,
                starts_at=meeting.starts_at,
                state=meeting.state(unit.now),
                counts=await attendance.counts(unit, community.id, meeting.id),
                # What was on the table, not the template's fixed lines ("opening").
                agenda=[
                    i
                    for i in items
                    if not i.template
                    and i.label != "more_agreements"
                    and not (team and (i.by or i.label))
                ],
                notes=[] if team else [r.text for r in notes],
            )
        )
    return rows
