"""Agreements (decisions) and new practices, with owners, due dates and follow-up.

A decision is adopted when the CoP's rule is met: by default a majority agrees,
or nobody objected by the end of the meeting it was made in. It may become a new
practice; some weeks later members are asked whether they use it (the study's
third recommendation). Objections after adoption are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.services import communities, contributions_log, meetings, membership, prompts
from bot.services.prompts import PromptKind
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.services.when import parse_date
from storage.models import Contribution
from storage.repositories.codings import VoteRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.flows import PromptRepository
from storage.repositories.members import MemberRepository

KIND = "decision"
FOLLOWUP = "followup_answer"
TEXT_LIMIT = 1000
CHOICES = ("agree", "object")
ANSWERS = ("yes", "sometimes", "not_yet")
OWNER = re.compile(r"(?:^|\s)@(\w{3,64})\b")
#: Words that may introduce the due date; the date is the part after the last one that
#: reads as a date, since the same words occur inside agreements ("voor nieuwkomers").
DUE = re.compile(r"\s(?:by|before|voor|uiterlijk|tot)\s+", re.IGNORECASE)


class DecisionView(BaseModel):
    id: int
    number: int
    text: str
    status: str  # proposed | adopted
    practice: bool
    owner_id: int | None
    owner_name: str | None
    due: date | None
    done: bool
    counts: dict[str, int]
    followup: dict[str, int]
    remarks: list[str]
    members: int
    created_at: datetime
    adopted_at: datetime | None
    meeting_id: int | None
    chat_id: int | None
    message_id: int | None
    shareable: bool


@dataclass(frozen=True)
class Reaction:
    """A press on an agreement's buttons: the agreement now, and whether it was just adopted."""

    item: DecisionView
    choice: str  # agree | object | practice
    adopted_now: bool = False


def adopted_by_vote(counts: dict[str, int], members: int) -> bool:
    """The majority rule: more than half of the members agree."""
    return counts.get("agree", 0) * 2 > members


def adopted_by_consent(counts: dict[str, int]) -> bool:
    """The consent rule, at the end of the meeting: nobody objected."""
    return counts.get("object", 0) == 0


def parse(text: str, today: date) -> tuple[str, str | None, date | None]:
    """ "/decide We use a tally sheet @anna by 2026-12-10" -> (text, "anna", date).

    Owner and date are read from the end: the due date is what follows the last marker
    word ("by", "voor", "uiterlijk", ...) when that reads as a whole date, and the owner an
    `@name` just before it (or at the very end).
    """
    body = " ".join(text.split())
    due = None
    for match in reversed(list(DUE.finditer(body))):
        try:
            due = parse_date(body[match.end() :].strip(), today=today)
        except InvalidInput:
            continue
        body = body[: match.start()]
        break
    owner = None
    owner_match = next(reversed(list(OWNER.finditer(body))), None)  # the last @name
    if owner_match and body.rstrip().endswith("@" + owner_match.group(1)):
        owner = owner_match.group(1)
        body = body[: owner_match.start()].strip()
    return body.strip(), owner, due


async def decide(
    unit: Unit, community: CommunityView, member: MemberView, body: str
) -> DecisionView:
    """/decide <text> [@owner] [by <date>]: the agreement as proposed, dated in the CoP's zone."""
    if not body.strip():
        raise InvalidInput("decide_usage")
    today = unit.now.astimezone(ZoneInfo(community.timezone)).date()
    agreement, owner, due = parse(body, today)
    return await propose(
        unit, community.id, member, agreement, owner_username=owner, due=due, today=today
    )


async def propose(
    unit: Unit,
    community_id: int,
    member: MemberView,
    text: str,
    *,
    owner_username: str | None = None,
    due: date | None = None,
    today: date,
) -> DecisionView:
    cleaned = contributions_log.clean(text)
    if len(cleaned) > TEXT_LIMIT:
        raise InvalidInput("agreement_too_long", limit=TEXT_LIMIT)
    owner_id = await _owner_id(unit, community_id, owner_username)
    if due is not None and due < today:
        raise InvalidInput("due_in_past", date=due.isoformat())
    row = await ContributionRepository(unit.session, community_id).add(
        Contribution(
            member_id=member.id,
            kind=KIND,
            text=cleaned,
            meeting_id=await meetings.period_of(unit, community_id, unit.now),
            data={
                "status": "proposed",
                "practice": False,
                "owner": owner_id,
                "due": due.isoformat() if due else None,
                "done": False,
            },
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return await view(unit, community_id, row.id)


async def _owner_id(unit: Unit, community_id: int, username: str | None) -> int | None:
    if not username:
        return None
    owner = await MemberRepository(unit.session, community_id).by_username(username)
    if owner is None:
        raise NotFound("target_not_member", name="@" + username)
    return owner.id


NONE_WORDS = ("-", "none", "geen", "niemand")


async def may_fix(unit: Unit, community_id: int, member: MemberView, decision_id: int) -> int:
    """Whether the member may correct an agreement's owner and date: who proposed it, or a
    facilitator. Returns the agreement's number, for the question."""
    row = await _row(unit, community_id, decision_id)
    if row.member_id != member.id and not member.is_facilitator:
        raise InvalidInput("fix_not_yours")
    return (await view(unit, community_id, row.id)).number


async def fix_owner_due(
    unit: Unit, community: CommunityView, member: MemberView, decision_id: int, text: str
) -> DecisionView:
    """The owner and due date typed again ("@bram by 8 October", or "-" for neither):
    what /decide misread is corrected without proposing the agreement anew."""
    await may_fix(unit, community.id, member, decision_id)
    row = await _row(unit, community.id, decision_id)
    today = unit.now.astimezone(ZoneInfo(community.timezone)).date()
    words = " ".join(text.split())
    if words.lower() in NONE_WORDS:
        owner, due = None, None
    else:
        owner, due = _owner_and_due(words, today)
    if due is not None and due < today:
        raise InvalidInput("due_in_past", date=due.isoformat())
    row.data = {
        **row.data,
        "owner": await _owner_id(unit, community.id, owner),
        "due": due.isoformat() if due else None,
    }
    row.updated_at = unit.now
    await unit.session.flush()
    await _replan(unit, community.id)
    return await view(unit, community.id, row.id)


def _owner_and_due(words: str, today: date) -> tuple[str | None, date | None]:
    """ "@bram by 8 October", "uiterlijk 8 oktober @bram", "@bram", "by 8 October"."""
    found = OWNER.search(words)
    owner = found.group(1) if found else None
    rest = (words[: found.start()] + " " + words[found.end() :]).strip() if found else words
    rest = DUE.sub(" ", " " + rest, count=1).strip() if DUE.match(" " + rest) else rest
    due = None
    if rest:
        try:
            due = parse_date(rest, today=today)
        except InvalidInput:
            raise InvalidInput("fix_unreadable") from None
    if owner is None and due is None:
        raise InvalidInput("fix_unreadable")
    return owner, due


async def attach_message(
    unit: Unit, community_id: int, decision_id: int, chat_id: int, message_id: int
) -> None:
    row = await _row(unit, community_id, decision_id)
    row.source_chat_id, row.source_message_id = chat_id, message_id
    await unit.session.flush()


async def vote(
    unit: Unit, community_id: int, member: MemberView, decision_id: int, choice: str
) -> tuple[DecisionView, bool]:
    if choice not in CHOICES:
        raise StaleAction("stale_button")
    row = await _row(unit, community_id, decision_id)
    if row.data.get("status") == "adopted":
        raise InvalidInput("already_adopted")
    await VoteRepository(unit.session, community_id).cast(decision_id, member.id, choice, unit.now)
    current = await view(unit, community_id, decision_id)
    if adopted_by_vote(current.counts, current.members):
        await _adopt(unit, row)
        return await view(unit, community_id, decision_id), True
    return current, False


async def adopt_unopposed(unit: Unit, community_id: int, meeting_id: int) -> list[DecisionView]:
    """At the end of a meeting: what nobody objected to is adopted (the consent rule)."""
    adopted = []
    contributions = ContributionRepository(unit.session, community_id)
    for row in await contributions.of_kinds([KIND]):
        if row.meeting_id != meeting_id or row.data.get("status") != "proposed":
            continue
        counts = await VoteRepository(unit.session, community_id).counts(row.id)
        if adopted_by_consent(counts):
            await _adopt(unit, row)
            adopted.append(await view(unit, community_id, row.id))
    return adopted


async def react(
    unit: Unit, community_id: int, member: MemberView, decision_id: int, choice: str
) -> Reaction:
    """Agree, object, or (un)mark as a new practice."""
    if choice == "practice":
        return Reaction(await set_practice(unit, community_id, member, decision_id), choice)
    item, adopted_now = await vote(unit, community_id, member, decision_id, choice)
    return Reaction(item, choice, adopted_now)


async def set_practice(
    unit: Unit, community_id: int, member: MemberView, decision_id: int
) -> DecisionView:
    """Marks an agreement as a new practice (facilitators or whoever proposed it)."""
    row = await _row(unit, community_id, decision_id)
    if not member.is_facilitator and row.member_id != member.id:
        raise NotAllowed("facilitator_only")
    row.data = {**row.data, "practice": not row.data.get("practice")}
    await unit.session.flush()
    await _replan(unit, community_id)
    return await view(unit, community_id, decision_id)


async def mark_done(
    unit: Unit, community_id: int, member: MemberView, decision_id: int, done: bool
) -> DecisionView:
    row = await _row(unit, community_id, decision_id)
    if row.data.get("owner") not in (member.id, None) and not member.is_facilitator:
        raise NotAllowed("not_your_flow")
    row.data = {**row.data, "done": done, "done_at": unit.now.isoformat() if done else None}
    await unit.session.flush()
    await _replan(unit, community_id)
    return await view(unit, community_id, decision_id)


async def answer_done(
    unit: Unit, user_id: int, decision_id: int, done: bool, *, community_id: int | None
) -> DecisionView:
    """The owner's answer to "is it done?", in the group or privately (any of their CoPs)."""
    community_id, member = await _locate(unit, user_id, decision_id, community_id)
    return await mark_done(unit, community_id, member, decision_id, done)


async def _locate(
    unit: Unit, user_id: int, decision_id: int, community_id: int | None
) -> tuple[int, MemberView]:
    """The CoP an agreement belongs to, and the person's membership there."""
    if community_id is not None:
        return community_id, await membership.require_member(unit, community_id, user_id)
    for community, member in await membership.memberships(unit, user_id):
        row = await ContributionRepository(unit.session, community.id).get(decision_id)
        if row is not None and row.kind == KIND:
            return community.id, member
    raise StaleAction("stale_button")


async def answer_followup(
    unit: Unit,
    community_id: int,
    member: MemberView,
    decision_id: int,
    answer: str,
    remark: str = "",
) -> DecisionView:
    """ "Do you use this practice?" yes / sometimes / not yet, one answer per member."""
    if answer not in ANSWERS:
        raise StaleAction("stale_button")
    await _keep_followup(unit, community_id, member, decision_id, answer, remark)
    return await view(unit, community_id, decision_id)


@dataclass(frozen=True)
class FollowupAnswered:
    """A follow-up answer given anywhere (the group, or a private reminder): the agreement
    now, and the group's follow-up question to show the new counts on (chat, message)."""

    item: DecisionView
    community: CommunityView
    question: tuple[int, int] | None


async def answer_followup_from(
    unit: Unit, user_id: int, decision_id: int, answer: str, *, community_id: int | None
) -> FollowupAnswered:
    """ "Do you use it?" answered with a button, in the group or privately (any of the
    person's CoPs), by a member who takes part."""
    community_id, member = await _locate(unit, user_id, decision_id, community_id)
    item = await answer_followup(unit, community_id, member, decision_id, answer)
    (community,) = await communities.by_ids(unit, [community_id])
    return FollowupAnswered(item, community, await _question(unit, community, decision_id))


async def _question(
    unit: Unit, community: CommunityView, decision_id: int
) -> tuple[int, int] | None:
    """The follow-up question about this agreement as posted in the group, if any."""
    for prompt in await PromptRepository(unit.session).of_kind(community.id, PromptKind.FOLLOWUP):
        if prompt.chat_id == community.chat_id and prompt.data.get("decision_id") == decision_id:
            return prompt.chat_id, prompt.message_id
    return None


async def followup_chase(
    unit: Unit, community_id: int, prompt_id: int
) -> tuple[DecisionView | None, list[MemberView]]:
    """At send time, for the follow-up's one private reminder: the agreement asked about and
    the counted members we may write to privately who pressed no answer yet (a remark
    alone is no answer); (None, []) when the agreement is gone."""
    prompt = await prompts.get(unit, prompt_id)
    if prompt is None or prompt.community_id != community_id or prompt.kind != PromptKind.FOLLOWUP:
        return None, []
    decision_id = int(prompt.data.get("decision_id", 0))
    try:
        item = await view(unit, community_id, decision_id)
    except NotFound:
        return None, []
    answered = {
        row.member_id
        for row in await ContributionRepository(unit.session, community_id).of_kinds([FOLLOWUP])
        if row.parent_id == decision_id and row.data.get("answer") in ANSWERS
    }
    reachable = await membership.reachable(unit, community_id)
    return item, [m for m in reachable if m.id not in answered]


@dataclass(frozen=True)
class Remarked:
    """A remark on the follow-up; `answered` is False while the member chose no answer yet."""

    item: DecisionView
    answered: bool


async def remark_followup(
    unit: Unit, community_id: int, member: MemberView, decision_id: int, remark: str
) -> Remarked:
    """A text reply to "do you use it?" is a remark, never an answer: it is kept with the
    member's answer, or on its own until they press yes / sometimes / not yet."""
    answer = await _keep_followup(unit, community_id, member, decision_id, None, remark)
    item = await view(unit, community_id, decision_id)
    return Remarked(item, answered=answer in ANSWERS)


async def _keep_followup(
    unit: Unit,
    community_id: int,
    member: MemberView,
    decision_id: int,
    answer: str | None,
    remark: str,
) -> str | None:
    """The member's one follow-up row: the answer (None keeps the one given, if any) and
    the remark (empty keeps the one given). Returns the answer it now holds."""
    await _row(unit, community_id, decision_id)
    contributions = ContributionRepository(unit.session, community_id)
    mine = next(
        (
            r
            for r in await contributions.by_member(member.id)
            if r.kind == FOLLOWUP and r.parent_id == decision_id
        ),
        None,
    )
    if mine is None:
        data = {"answer": answer} if answer else {}  # no answer: counted nowhere
        await contributions.add(
            Contribution(
                member_id=member.id,
                kind=FOLLOWUP,
                parent_id=decision_id,
                text=contributions_log.clean(remark) if remark else "",
                data=data,
                created_at=unit.now,
                updated_at=unit.now,
            )
        )
        return answer
    if answer:
        mine.data = {**mine.data, "answer": answer}
    if remark:
        mine.text = contributions_log.clean(remark)
    mine.updated_at = unit.now
    await unit.session.flush()
    held = mine.data.get("answer")
    return str(held) if held is not None else None


async def listing(unit: Unit, community_id: int) -> list[DecisionView]:
    rows = await ContributionRepository(unit.session, community_id).of_kinds([KIND])
    return [await view(unit, community_id, row.id) for row in rows]


async def view(unit: Unit, community_id: int, decision_id: int) -> DecisionView:
    row = await _row(unit, community_id, decision_id)
    contributions = ContributionRepository(unit.session, community_id)
    members = await MemberRepository(unit.session, community_id).active()
    names = {m.id: m.display_name for m in members}
    all_decisions = await contributions.of_kinds([KIND])
    answers = [r for r in await contributions.of_kinds([FOLLOWUP]) if r.parent_id == row.id]
    followup: dict[str, int] = {}
    for answer in answers:
        key = answer.data.get("answer")
        if key in ANSWERS:  # a remark without an answer counts nowhere
            followup[str(key)] = followup.get(str(key), 0) + 1
    counts = await VoteRepository(unit.session, community_id).counts(row.id)
    adopted = row.data.get("adopted_at")
    due = row.data.get("due")
    owner = row.data.get("owner")
    return DecisionView(
        id=row.id,
        number=[d.id for d in all_decisions].index(row.id) + 1,
        text=row.text,
        status=str(row.data.get("status")),
        practice=bool(row.data.get("practice")),
        owner_id=owner,
        owner_name=names.get(owner) if owner else None,
        due=date.fromisoformat(due) if due else None,
        done=bool(row.data.get("done")),
        counts=counts,
        followup=followup,
        remarks=[a.text for a in answers if a.text],
        members=len([m for m in members if MemberView.model_validate(m).counted]),
        created_at=row.created_at,
        adopted_at=datetime.fromisoformat(adopted) if adopted else None,
        meeting_id=row.meeting_id,
        chat_id=row.source_chat_id,
        message_id=row.source_message_id,
        shareable=row.data.get("status") == "adopted" and adopted_by_consent(counts),
    )


async def _adopt(unit: Unit, row: Contribution) -> None:
    row.data = {**row.data, "status": "adopted", "adopted_at": unit.now.isoformat()}
    await unit.session.flush()
    await _replan(unit, row.community_id)


async def _replan(unit: Unit, community_id: int) -> None:
    from bot.services import reminders

    await reminders.replan(unit, community_id)


async def _row(unit: Unit, community_id: int, decision_id: int) -> Contribution:
    row = await ContributionRepository(unit.session, community_id).get(decision_id)
    if row is None or row.kind != KIND:
        raise NotFound("agreement_gone")
    return row
