"""Issue rounds: every member brings an individual practice issue (and maybe a shared one).

A round is a prompt in the group; answers come as replies there or privately.
Each answer is stored in the meeting period it was given in, so the development
over the cycle can be shown (Table 3 of the study).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.services import contributions_log, flows, meetings, membership, prompts, reminders
from bot.services.flows import FlowKind
from bot.services.prompts import PromptKind, PromptView
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Contribution, Prompt
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.flows import PromptRepository

ROUND = PromptKind.ISSUE_ROUND
REFLECTION_PROMPT = PromptKind.ISSUE_REFLECTION
ISSUE = "issue"
SHARED_SUGGESTION = "shared_suggestion"
REFLECTION = "issue_reflection"
#: "b)" (or "(b)", "b.", "gezamenlijk:", "shared:") starts the possible shared issue.
SHARED_MARKER = re.compile(
    r"(?im)^\s*(?:\(?b[).:]|gezamenlijk(?: vraagstuk)?\s*:|shared(?: issue)?\s*:)\s*"
)
FIRST_MARKER = re.compile(
    r"(?im)^\s*(?:\(?a[).:]|individueel(?: vraagstuk)?\s*:|individual(?: issue)?\s*:)\s*"
)


class RoundView(BaseModel):
    model_config = ConfigDict(frozen=True)

    prompt_id: int
    chat_id: int
    message_id: int
    meeting_id: int | None
    closes_at: datetime | None
    closed: bool


@dataclass(frozen=True)
class Progress:
    answered: list[str]
    waiting: list[str]


@dataclass(frozen=True)
class Saved:
    contribution_id: int
    replaced: bool
    has_shared: bool


class AnswerRef(BaseModel):
    """What an answer answers: the round's prompt (kept while the guard holds the text)."""

    model_config = ConfigDict(frozen=True)

    prompt_id: int


class DuplicateState(BaseModel):
    """The second-answer dialogue (`FlowKind.DUPLICATE`): the new text waits for a choice.

    Stored in `FlowState.data` under the keys "text" and "data", as earlier versions did.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    data: AnswerRef


class DuplicateChoice(StrEnum):
    """The buttons under "you already answered": their values are in sent messages."""

    REPLACE = "r"
    ADD = "a"
    CANCEL = "c"


@dataclass(frozen=True)
class NeedsChoice:
    """A second answer in the round: held in a dialogue until its writer chooses."""

    flow_id: int


@dataclass(frozen=True)
class AnswerSaved:
    """The answer is stored; `nudge`: ask the reflection question about it next."""

    community_id: int
    member_id: int
    name: str
    contribution_id: int
    progress: Progress
    replaced: bool
    has_shared: bool
    nudge: bool
    round_: RoundView  # its prompt shows the progress, edited in place
    language: str | None  # the CoP's: the prompt in the group is in it
    timezone: str


@dataclass(frozen=True)
class AnswerCancelled:
    """The writer of a second answer chose to keep only the first."""


AnswerOutcome = NeedsChoice | AnswerSaved | AnswerCancelled


async def switches(unit: Unit, community_id: int) -> dict[str, bool]:
    """The CoP's switches: the reflection nudge and the intake guard (both on by default)."""
    community = await CommunityRepository(unit.session).get(community_id)
    values = community.settings.get("issues", {}) if community else {}
    return {"nudge": bool(values.get("nudge", True)), "guard": bool(values.get("guard", True))}


async def set_switch(unit: Unit, community_id: int, name: str, on: bool) -> None:
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    values = dict(community.settings.get("issues", {}))
    values[name] = on
    community.settings = {**community.settings, "issues": values}
    await unit.session.flush()


async def open_round(unit: Unit, community_id: int) -> RoundView | None:
    """The round still taking answers, if any (closed by command or by its closing time)."""
    prompts = await PromptRepository(unit.session).of_kind(community_id, ROUND)
    for prompt in prompts:
        if prompt.closed_at is None and (prompt.closes_at is None or prompt.closes_at > unit.now):
            return _view(prompt, unit.now)
    return None


async def any_round(unit: Unit, community_id: int) -> bool:
    return bool(await PromptRepository(unit.session).of_kind(community_id, ROUND))


async def require_no_open_round(unit: Unit, community_id: int) -> None:
    if await open_round(unit, community_id) is not None:
        raise InvalidInput("issue_round_open")


async def start_round(
    unit: Unit, community_id: int, chat_id: int, message_id: int, closes_at: datetime | None
) -> RoundView:
    """Registers the posted round prompt; answers are replies to it (or private)."""
    await require_no_open_round(unit, community_id)
    period = await meetings.period_of(unit, community_id, unit.now)
    prompt = await PromptRepository(unit.session).add(
        Prompt(
            community_id=community_id,
            chat_id=chat_id,
            message_id=message_id,
            kind=ROUND,
            meeting_id=period,
            created_at=unit.now,
            closes_at=closes_at,
            data={},
        )
    )
    await reminders.replan(unit, community_id)  # its private reminder, before it matters
    return _view(prompt, unit.now)


async def close(unit: Unit, community_id: int) -> Progress:
    """/issues close: the open round stops taking answers; who answered, who not."""
    return await progress(unit, community_id, await close_round(unit, community_id))


async def close_round(unit: Unit, community_id: int) -> RoundView:
    current = await open_round(unit, community_id)
    if current is None:
        raise InvalidInput("issue_round_none")
    prompt = await unit.session.get(Prompt, current.prompt_id)
    assert prompt is not None
    prompt.closed_at = unit.now
    await unit.session.flush()
    await reminders.replan(unit, community_id)  # a closed round is chased no more
    return _view(prompt, unit.now)


async def round_by_prompt(unit: Unit, community_id: int, prompt_id: int) -> RoundView:
    prompt = await unit.session.get(Prompt, prompt_id)
    if prompt is None or prompt.community_id != community_id or prompt.kind != ROUND:
        raise StaleAction("stale_button")
    return _view(prompt, unit.now)


@dataclass(frozen=True)
class Chase:
    """One member a round's private reminder goes to, and what it asks: their practice
    issue, or (`reflection_on`, the issue) the reflection question they left open."""

    member: MemberView
    round_: RoundView
    reflection_on: int | None = None


async def chase(unit: Unit, community_id: int, prompt_id: int) -> list[Chase]:
    """At send time, for the round's one private reminder: the counted members we may
    write to privately who have not answered the open round, or answered it but not the
    reflection question asked about their answer (at least `reminders.CHASE_AFTER` ago).
    Nobody else; nothing when the round is closed."""
    prompt = await unit.session.get(Prompt, prompt_id)
    if prompt is None or prompt.community_id != community_id or prompt.kind != ROUND:
        return []
    round_ = _view(prompt, unit.now)
    if round_.closed:
        return []
    contributions = ContributionRepository(unit.session, community_id)
    answers = await contributions.of_prompt(prompt_id, ISSUE)
    reflected = {r.parent_id for r in await contributions.of_prompt(prompt_id, REFLECTION)}
    asked = {
        int(p.data.get("issue_id", 0))
        for p in await PromptRepository(unit.session).of_kind(community_id, REFLECTION_PROMPT)
        if p.created_at <= unit.now - reminders.CHASE_AFTER
    }
    chased: list[Chase] = []
    for member in await membership.reachable(unit, community_id):
        theirs = [a.id for a in answers if a.member_id == member.id]
        if not theirs:
            chased.append(Chase(member, round_))
        elif not reflected & set(theirs):
            open_ = [issue for issue in theirs if issue in asked]
            if open_:
                chased.append(Chase(member, round_, reflection_on=open_[-1]))
    return chased


@dataclass(frozen=True)
class RoundStatus:
    """What a round's status message shows, read afresh (for a gathered edit)."""

    round_: RoundView
    progress: Progress


async def status(unit: Unit, community_id: int, prompt_id: int) -> RoundStatus:
    round_ = await round_by_prompt(unit, community_id, prompt_id)
    return RoundStatus(round_, await progress(unit, community_id, round_))


async def progress(unit: Unit, community_id: int, round_: RoundView) -> Progress:
    """Who answered and who not yet: names only, never content."""
    answers = await ContributionRepository(unit.session, community_id).of_prompt(
        round_.prompt_id, ISSUE
    )
    authors = {a.member_id for a in answers}
    members = await membership.participants(unit, community_id)
    return Progress(
        answered=[m.display_name or "?" for m in members if m.id in authors],
        waiting=[m.display_name or "?" for m in members if m.id not in authors],
    )


async def existing_answer(
    unit: Unit, community_id: int, round_: RoundView, member: MemberView
) -> int | None:
    answers = await ContributionRepository(unit.session, community_id).of_prompt(
        round_.prompt_id, ISSUE
    )
    return next((a.id for a in answers if a.member_id == member.id), None)


async def answer(
    unit: Unit,
    community_id: int,
    member: MemberView,
    text: str,
    data: Mapping[str, Any],
    *,
    user_id: int,
    chat_id: int,
) -> AnswerOutcome:
    """A member's answer to a round (`data` names its prompt): stored, or held if it is
    their second one in this round, until they choose to replace, add or cancel."""
    ref = AnswerRef.model_validate(data)
    round_ = await round_by_prompt(unit, community_id, ref.prompt_id)
    if await existing_answer(unit, community_id, round_, member) is None:
        return await _store(unit, community_id, member, round_, text, replace=False)
    state = await flows.start(
        unit,
        kind=FlowKind.DUPLICATE,
        chat_id=chat_id,
        user_id=user_id,
        step="choose",
        community_id=community_id,
        data=DuplicateState(text=text, data=ref).model_dump(),
    )
    return NeedsChoice(state.flow_id)


async def settle_duplicate(unit: Unit, flow_id: int, user_id: int, choice: str) -> AnswerOutcome:
    """The writer of a held second answer chose: replace the first, add it, or cancel."""
    try:
        chosen = DuplicateChoice(choice)
    except ValueError:
        raise StaleAction("stale_button") from None
    flow = await flows.current(unit, flow_id, user_id, FlowKind.DUPLICATE, "choose")
    try:
        state = DuplicateState.model_validate(flow.data)
    except ValidationError:
        raise StaleAction("stale_button") from None
    member = await _member_in(unit, flow.community_id, user_id)
    await flows.end(unit, flow)
    if chosen is DuplicateChoice.CANCEL:
        return AnswerCancelled()
    round_ = await round_by_prompt(unit, member.community_id, state.data.prompt_id)
    replace = chosen is DuplicateChoice.REPLACE
    return await _store(unit, member.community_id, member, round_, state.text, replace=replace)


async def remember_reflection(
    unit: Unit, saved: AnswerSaved, chat_id: int, message_id: int
) -> None:
    """The sent reflection question: a reply to it is kept with the saved answer."""
    await prompts.remember(
        unit,
        saved.community_id,
        chat_id,
        message_id,
        REFLECTION_PROMPT,
        data={"issue_id": saved.contribution_id, "member_id": saved.member_id},
    )


def reflection_target(prompt: PromptView, member: MemberView) -> int:
    """The issue a reflection question asked about; only the member it asked may answer."""
    if prompt.data.get("member_id") != member.id:
        raise NotAllowed("not_your_flow")
    return int(prompt.data["issue_id"])


async def _store(
    unit: Unit,
    community_id: int,
    member: MemberView,
    round_: RoundView,
    text: str,
    *,
    replace: bool,
) -> AnswerSaved:
    saved = await save_answer(unit, community_id, round_, member, text, replace=replace)
    community = await CommunityRepository(unit.session).get(community_id)
    return AnswerSaved(
        community_id=community_id,
        member_id=member.id,
        name=member.name,
        contribution_id=saved.contribution_id,
        progress=await progress(unit, community_id, round_),
        replaced=saved.replaced,
        has_shared=saved.has_shared,
        nudge=(await switches(unit, community_id))["nudge"],
        round_=round_,
        language=community.language if community else None,
        timezone=community.timezone if community else "Europe/Amsterdam",
    )


async def _member_in(unit: Unit, community_id: int | None, user_id: int) -> MemberView:
    """The person's membership of a dialogue's CoP (still active, in an active CoP)."""
    for community, member in await membership.memberships(unit, user_id):
        if community.id == community_id:
            return member
    raise StaleAction("stale_button")


async def save_answer(
    unit: Unit,
    community_id: int,
    round_: RoundView,
    member: MemberView,
    text: str,
    *,
    replace: bool,
) -> Saved:
    """Stores an answer: (a) the individual issue and (b) a possible shared one.

    A second answer replaces the first (with its shared part) or is added next to it.
    """
    if round_.closed:
        raise InvalidInput("issue_round_closed")
    individual, shared = split_answer(text)
    contributions = ContributionRepository(unit.session, community_id)
    replaced = False
    if replace:
        previous = await existing_answer(unit, community_id, round_, member)
        if previous is not None:
            for old in await contributions.of_prompt(round_.prompt_id, SHARED_SUGGESTION):
                if old.member_id == member.id:
                    await contributions.remove(old)
            row = await contributions.get(previous)
            assert row is not None
            await contributions.remove(row)
            replaced = True
    issue = await _add(unit, community_id, member, ISSUE, individual, round_)
    if shared:
        await _add(unit, community_id, member, SHARED_SUGGESTION, shared, round_)
    return Saved(contribution_id=issue, replaced=replaced, has_shared=bool(shared))


async def save_reflection(
    unit: Unit, community_id: int, member: MemberView, issue_id: int, text: str
) -> int:
    """The answer to "what part can you or the school change?", kept with the issue."""
    contributions = ContributionRepository(unit.session, community_id)
    issue = await contributions.get(issue_id)
    if issue is None:
        raise NotFound("issue_gone")
    if issue.member_id != member.id:
        raise NotAllowed("not_your_flow")
    row = await contributions.add(
        Contribution(
            member_id=member.id,
            kind=REFLECTION,
            parent_id=issue.id,
            meeting_id=issue.meeting_id,
            prompt_id=issue.prompt_id,
            text=contributions_log.clean(text),
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return row.id


def split_answer(text: str) -> tuple[str, str]:
    """("a) my issue … b) a shared one") -> (individual, shared); no marker: all individual."""
    match = SHARED_MARKER.search(text)
    individual, shared = (text[: match.start()], text[match.end() :]) if match else (text, "")
    individual = FIRST_MARKER.sub("", individual, count=1)
    return contributions_log.clean(individual), shared.strip()


async def _add(
    unit: Unit, community_id: int, member: MemberView, kind: str, text: str, round_: RoundView
) -> int:
    row = await ContributionRepository(unit.session, community_id).add(
        Contribution(
            member_id=member.id,
            kind=kind,
            meeting_id=round_.meeting_id,
            prompt_id=round_.prompt_id,
            text=contributions_log.clean(text),
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return row.id


def _view(prompt: Prompt, now: datetime) -> RoundView:
    closed = prompt.closed_at is not None or (
        prompt.closes_at is not None and prompt.closes_at <= now
    )
    return RoundView(
        prompt_id=prompt.id,
        chat_id=prompt.chat_id,
        message_id=prompt.message_id,
        meeting_id=prompt.meeting_id,
        closes_at=prompt.closes_at,
        closed=closed,
    )
