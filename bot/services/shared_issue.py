"""The shared issue: proposed, reacted to, adopted when the CoP's rule is met, revisable.

Every version is kept with its date and the reactions it had; only the newest
proposal can be voted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.services import contributions_log, meetings, membership, prompts
from bot.services.prompts import PromptKind, PromptView
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Contribution
from storage.repositories.codings import VoteRepository
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.members import MemberRepository

KIND = "shared_issue"
COMMENT = "shared_comment"
CHOICES = ("agree", "not_yet")
RULES = ("majority", "all")
TEXT_LIMIT = 1000
#: /shared lists this many of the members' suggestions (one button each).
PICKABLE = 20


class Proposal(BaseModel):
    id: int
    version: int
    text: str
    status: str  # proposed | adopted | superseded
    created_at: datetime
    adopted_at: datetime | None
    counts: dict[str, int]
    members: int
    chat_id: int | None
    message_id: int | None
    rule: str = "majority"


@dataclass(frozen=True)
class Voted:
    """The proposal after a reaction; `adopted_now` when this reaction met the rule."""

    proposal: Proposal
    adopted_now: bool


@dataclass(frozen=True)
class Suggestion:
    """A possible shared issue a member gave in an issue round."""

    id: int
    text: str
    author: str


async def propose(unit: Unit, community_id: int, member: MemberView, text: str) -> Proposal:
    """A new version; an older proposal not yet adopted is superseded by it.

    Checked here, not only in the command table: a suggestion's button proposes too.
    """
    if not member.is_facilitator:
        raise NotAllowed("facilitator_only")
    cleaned = contributions_log.clean(text)
    if len(cleaned) > TEXT_LIMIT:
        raise InvalidInput("shared_too_long", limit=TEXT_LIMIT)
    contributions = ContributionRepository(unit.session, community_id)
    versions = await contributions.of_kinds([KIND])
    for old in versions:
        if old.data.get("status") == "proposed":
            old.data = {**old.data, "status": "superseded"}
    row = await contributions.add(
        Contribution(
            member_id=member.id,
            kind=KIND,
            # The meeting period it belongs to, as an issue's: the development table
            # (the study's Table 3) shows per meeting how the issue became a shared one.
            meeting_id=await meetings.period_of(unit, community_id, unit.now),
            text=cleaned,
            data={"version": len(versions) + 1, "status": "proposed"},
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return await _view(unit, community_id, row)


async def attach_message(
    unit: Unit, community_id: int, proposal_id: int, chat_id: int, message_id: int
) -> None:
    """The sent proposal: its message is the version's, and a reply to it is a comment."""
    row = await ContributionRepository(unit.session, community_id).get(proposal_id)
    assert row is not None
    row.source_chat_id, row.source_message_id = chat_id, message_id
    await unit.session.flush()
    await prompts.remember(
        unit,
        community_id,
        chat_id,
        message_id,
        PromptKind.SHARED_ISSUE,
        data={"proposal_id": proposal_id},
    )


async def vote(
    unit: Unit, community_id: int, member: MemberView, proposal_id: int, choice: str
) -> Voted:
    """Records (or changes) a reaction; returns the proposal and whether it was just adopted."""
    if choice not in CHOICES:
        raise StaleAction("stale_button")
    contributions = ContributionRepository(unit.session, community_id)
    row = await contributions.get(proposal_id)
    if row is None or row.kind != KIND:
        raise NotFound("stale_button")
    status = row.data.get("status")
    if status == "superseded":
        raise InvalidInput("shared_superseded")
    if status == "adopted":
        raise InvalidInput("shared_adopted")
    await VoteRepository(unit.session, community_id).cast(proposal_id, member.id, choice, unit.now)
    proposal = await _view(unit, community_id, row)
    if _rule_met(proposal, proposal.rule):
        for other in await contributions.of_kinds([KIND]):
            if other.id != row.id and other.data.get("status") == "adopted":
                other.data = {**other.data, "status": "superseded"}
        row.data = {**row.data, "status": "adopted", "adopted_at": unit.now.isoformat()}
        await unit.session.flush()
        return Voted(await _view(unit, community_id, row), adopted_now=True)
    return Voted(proposal, adopted_now=False)


def proposal_of(prompt: PromptView) -> int:
    """The proposal a reply to its message comments on."""
    return int(prompt.data["proposal_id"])


async def comment(
    unit: Unit, community_id: int, member: MemberView, proposal_id: int, text: str
) -> None:
    """A reply to a proposal's message (once screened): a comment on that version."""
    row = await ContributionRepository(unit.session, community_id).get(proposal_id)
    if row is None or row.kind != KIND:
        raise NotFound("stale_button")
    await ContributionRepository(unit.session, community_id).add(
        Contribution(
            member_id=member.id,
            kind=COMMENT,
            parent_id=proposal_id,
            meeting_id=await meetings.period_of(unit, community_id, unit.now),
            text=contributions_log.clean(text),
            created_at=unit.now,
            updated_at=unit.now,
        )
    )


async def history(unit: Unit, community_id: int) -> list[Proposal]:
    rows = await ContributionRepository(unit.session, community_id).of_kinds([KIND])
    return [await _view(unit, community_id, row) for row in rows]


async def suggestions(unit: Unit, community_id: int) -> list[Suggestion]:
    """The possible shared issues members gave in issue rounds, the first `PICKABLE`."""
    rows = await ContributionRepository(unit.session, community_id).of_kinds(["shared_suggestion"])
    members = MemberRepository(unit.session, community_id)
    result = []
    for row in rows[:PICKABLE]:
        author = await members.get(row.member_id) if row.member_id else None
        name = (author.display_name or "?") if author else "\u2013"
        result.append(Suggestion(row.id, row.text, name))
    return result


async def suggestion_text(unit: Unit, community_id: int, suggestion_id: int) -> str:
    row = await ContributionRepository(unit.session, community_id).get(suggestion_id)
    if row is None or row.kind != "shared_suggestion":
        raise NotFound("stale_button")
    return row.text


async def set_rule(unit: Unit, community_id: int, rule: str) -> None:
    if rule not in RULES:
        raise InvalidInput("shared_rule_usage")
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    issues = dict(community.settings.get("issues", {}))
    issues["agreement"] = rule
    community.settings = {**community.settings, "issues": issues}
    await unit.session.flush()


async def _rule(unit: Unit, community_id: int) -> str:
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    return str(community.settings.get("issues", {}).get("agreement", "majority"))


def _rule_met(proposal: Proposal, rule: str) -> bool:
    agree = proposal.counts.get("agree", 0)
    if rule == "all":
        return proposal.members > 0 and agree >= proposal.members
    return agree * 2 > proposal.members


async def _view(unit: Unit, community_id: int, row: Contribution) -> Proposal:
    counts = await VoteRepository(unit.session, community_id).counts(row.id)
    members = len(await membership.participants(unit, community_id))
    adopted = row.data.get("adopted_at")
    return Proposal(
        id=row.id,
        version=int(row.data.get("version", 1)),
        text=row.text,
        status=str(row.data.get("status", "proposed")),
        created_at=row.created_at,
        adopted_at=datetime.fromisoformat(adopted) if adopted else None,
        counts=counts,
        members=members,
        chat_id=row.source_chat_id,
        message_id=row.source_message_id,
        rule=await _rule(unit, community_id),
    )
