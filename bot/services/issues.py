"""Issue rounds: every member brings an individual practice issue (and maybe a shared one).

A round is a prompt in the group; answers come as replies there or privately.
Each answer is stored in the meeting period it was given in, so the development
over the cycle can be shown (Table 3 of the study).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.i18n import N_
from bot.services import contributions_log, meetings
from bot.services.prompts import PromptKind
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Contribution, Prompt
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.flows import PromptRepository
from storage.repositories.members import MemberRepository

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
        raise InvalidInput(N_("An issue round is already open. Close it first with /issues close."))


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
    return _view(prompt, unit.now)


async def close_round(unit: Unit, community_id: int) -> RoundView:
    current = await open_round(unit, community_id)
    if current is None:
        raise InvalidInput(N_("There is no open issue round. Start one with /issues."))
    prompt = await unit.session.get(Prompt, current.prompt_id)
    assert prompt is not None
    prompt.closed_at = unit.now
    await unit.session.flush()
    return _view(prompt, unit.now)


async def round_by_prompt(unit: Unit, community_id: int, prompt_id: int) -> RoundView:
    prompt = await unit.session.get(Prompt, prompt_id)
    if prompt is None or prompt.community_id != community_id or prompt.kind != ROUND:
        raise StaleAction("stale_button")
    return _view(prompt, unit.now)


async def progress(unit: Unit, community_id: int, round_: RoundView) -> Progress:
    """Who answered and who not yet: names only, never content."""
    answers = await ContributionRepository(unit.session, community_id).of_prompt(
        round_.prompt_id, ISSUE
    )
    authors = {a.member_id for a in answers}
    members = await MemberRepository(unit.session, community_id).active()
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
        raise InvalidInput(N_("This issue round is closed; your answer was not stored."))
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
        raise NotFound(N_("That practice issue no longer exists."))
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
