"""Agendas: the cycle template, the facilitator's own items, and what is open.

The template follows the study's design: practice issues at meeting 1, a quality
round early (by meeting 2), literature insights and "using qualities" at meeting 3
and the last, agreements and the collection document at the last. Every feature
adds its open items through `SOURCES`, so the agenda grows with the bot.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pydantic import BaseModel

from bot.i18n import N_
from bot.services.meetings import MeetingView
from bot.services.unit import Unit
from storage.models import Contribution
from storage.repositories.contributions import ContributionRepository
from storage.repositories.meetings import MeetingRepository
from storage.repositories.members import MemberRepository

AGENDA_POINT = "agenda_point"
POINT_LIMIT = 300

OPENING = N_("Opening and round: how are things in your class?")
ISSUES = N_("Practice issues in view: everyone brings their own issue, and a possible shared one")
CONFIDENTIALITY = N_("Agreements on confidentiality and our rhythm")
QUALITIES = N_("Quality round: name each other's qualities")
SHARED = N_("From individual issues to one shared issue")
LITERATURE = N_("Literature insights: what did you read, what does it mean for practice?")
USING = N_("Using qualities: when did you use your own or a colleague's quality?")
WORKING = N_("Working on the shared issue: a small next step")
AGREEMENTS = N_("Agreements and new practices: what do we keep doing?")
DOCUMENT = N_("The collection document: what do we share with the school team?")
CLOSING = N_("Closing: what do you take with you?")


class AgendaItem(BaseModel):
    """One line of an agenda; `translate` says whether `text` is a catalog msgid, and
    `label` (a msgid) says what kind of open item it is ("Agreement to decide")."""

    text: str
    translate: bool = False
    by: str | None = None
    label: str | None = None


def template(number: int, total: int) -> list[str]:
    """The study's cycle, stretched or shrunk to the number of meetings planned."""
    items = [OPENING]
    last = number == max(total, 1)
    if number == 1:
        items += [ISSUES, CONFIDENTIALITY]
    if number == 2 or (number == 1 and total == 1):
        items += [QUALITIES, SHARED]
    if number == 3 or (last and number > 1):
        items += [LITERATURE, USING]
    if number not in (1, 2, 3) and not last:
        items += [WORKING]
    if last and number > 1:
        items += [AGREEMENTS, DOCUMENT]
    return [*items, CLOSING]


async def _member_points(unit: Unit, meeting: MeetingView) -> list[AgendaItem]:
    rows = await ContributionRepository(unit.session, meeting.community_id).of_meeting(
        meeting.id, AGENDA_POINT
    )
    members = MemberRepository(unit.session, meeting.community_id)
    items = []
    for row in rows:
        author = await members.get(row.member_id) if row.member_id else None
        items.append(AgendaItem(text=row.text, by=author.display_name if author else None))
    return items


OPEN_ROUND = N_("Issue round still open")
SHARED_TO_DECIDE = N_("Shared issue to decide")
AGREEMENT_TO_DECIDE = N_("Agreement to decide")
AGREEMENT_DUE = N_("Agreement due for review")
LITERATURE_SHARED = N_("Literature shared since the last meeting")


async def _open_items(unit: Unit, meeting: MeetingView) -> list[AgendaItem]:
    """What is open in the CoP: every feature's unfinished business, in one place."""
    from bot.services import decisions, issues, literature, shared_issue

    items: list[AgendaItem] = []
    community_id = meeting.community_id
    round_ = await issues.open_round(unit, community_id)
    if round_ is not None:
        state = await issues.progress(unit, community_id, round_)
        answered, total = len(state.answered), len(state.answered) + len(state.waiting)
        items.append(AgendaItem(text=f"{answered}/{total}", label=OPEN_ROUND))
    for proposal in await shared_issue.history(unit, community_id):
        if proposal.status == "proposed":
            items.append(AgendaItem(text=proposal.text, label=SHARED_TO_DECIDE))
    for agreement in await decisions.listing(unit, community_id):
        if agreement.status == "proposed":
            items.append(AgendaItem(text=agreement.text, label=AGREEMENT_TO_DECIDE))
        elif not agreement.done and agreement.due and agreement.due <= meeting.starts_at.date():
            items.append(
                AgendaItem(text=agreement.text, label=AGREEMENT_DUE, by=agreement.owner_name)
            )
    previous = [
        m
        for m in await MeetingRepository(unit.session, community_id).all()
        if m.status != "cancelled" and m.starts_at < meeting.starts_at
    ]
    since = previous[-1].starts_at if previous else None
    for entry in await literature.reading_list(unit, community_id):
        if since is None or entry.latest > since:
            items.append(AgendaItem(text=entry.source.title, label=LITERATURE_SHARED))
    return items


Source = Callable[[Unit, MeetingView], Awaitable[list[AgendaItem]]]

#: What each feature contributes to an agenda, in the order shown.
SOURCES: tuple[Source, ...] = (_member_points, _open_items)


async def build(unit: Unit, meeting: MeetingView) -> list[AgendaItem]:
    """The agenda of a meeting: own items or the template, then everything open."""
    if meeting.agenda.get("items"):
        items = [AgendaItem(text=text) for text in meeting.agenda["items"]]
    else:
        total = len(
            [
                m
                for m in await MeetingRepository(unit.session, meeting.community_id).all()
                if m.status != "cancelled"
            ]
        )
        items = [AgendaItem(text=text, translate=True) for text in template(meeting.number, total)]
    for source in SOURCES:
        items += await source(unit, meeting)
    return items


async def add_point(
    unit: Unit, community_id: int, member_id: int, meeting: MeetingView, text: str
) -> AgendaItem:
    """A member's own agenda point (their contribution, erased with them unless kept)."""
    from bot.errors import InvalidInput

    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput(N_("An agenda point needs some text."))
    if len(cleaned) > POINT_LIMIT:
        raise InvalidInput(
            N_("Please keep an agenda point under {limit} characters."), limit=POINT_LIMIT
        )
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
    return AgendaItem(text=cleaned)
