"""Quality nominations, titles and "using qualities" (the study's appendix F, Figure 2).

Qualities are free text, counted by a normalised key, so "summarises well" and
"Summarises well." are one quality; the bot suggests qualities already named in
the CoP and a facilitator can merge two.

The private quality round is a small state machine (`RoundState`, kept as the
dialogue's data): for each colleague in turn a quality (with an example), then a
title, each step skippable; `begin_part`, `round_pressed`, `round_replied` and
`save_nomination` each take one step and return what to ask next (`RoundQuestion`)
or why the part ended (`RoundEnd`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.services import flows, membership, reminders
from bot.services.flows import FlowKind, FlowState
from bot.services.intake import Draft, Release
from bot.services.prompts import PromptKind, PromptView
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Contribution, Prompt
from storage.repositories.contributions import ContributionRepository
from storage.repositories.flows import PromptRepository
from storage.repositories.members import MemberRepository

NOMINATION = "nomination"
TITLE = "title"
USE = "quality_use"
ROUND = "quality_round"
QUALITY_LIMIT = 80
EXAMPLE_LIMIT = 500
TITLE_LIMIT = 60
MEMBER_GONE = "not_member_any_more"


def key_of(quality: str) -> str:
    """The counting key: case, punctuation and spacing do not make another quality."""
    return " ".join(re.sub(r"[^\w\s]", " ", quality.casefold()).split())


def split_quality(text: str) -> tuple[str, str]:
    """ "summarises well: she summarised our issues" -> (quality, example)."""
    for separator in (":", " - ", " \u2013 "):
        if separator in text:
            quality, example = text.split(separator, 1)
            return quality.strip(), example.strip()
    return text.strip(), ""


def check_quality(quality: str) -> str:
    cleaned = " ".join(quality.split()).strip(" .!?")
    if not cleaned or not key_of(cleaned):
        raise InvalidInput("quality_missing")
    if len(cleaned) > QUALITY_LIMIT:
        raise InvalidInput("quality_too_long", limit=QUALITY_LIMIT)
    return cleaned


class Named(BaseModel):
    quality: str
    count: int
    examples: list[str]
    hidden: int = 0


class ProfileView(BaseModel):
    member_id: int
    name: str
    title: str | None
    qualities: list[Named]
    nominations: list[tuple[int, str, str, bool, bool]]  # id, quality, example, hidden, self


class StatRow(BaseModel):
    member: str
    quality: str
    named: int
    used: int
    examples: list[str] = []


async def open_round(unit: Unit, community_id: int) -> int | None:
    for prompt in await PromptRepository(unit.session).of_kind(community_id, ROUND):
        if prompt.closed_at is None:
            return prompt.id
    return None


async def start_round(unit: Unit, community_id: int, chat_id: int, message_id: int) -> int:
    await require_no_round(unit, community_id)
    prompt = await PromptRepository(unit.session).add(
        Prompt(
            community_id=community_id,
            chat_id=chat_id,
            message_id=message_id,
            kind=ROUND,
            created_at=unit.now,
            data={},
        )
    )
    await reminders.replan(unit, community_id)  # its private reminder, before it matters
    return prompt.id


async def any_round(unit: Unit, community_id: int) -> bool:
    """Whether a quality round has run (or runs): then nobody is prompted to start one."""
    return bool(await PromptRepository(unit.session).of_kind(community_id, ROUND))


async def chase(unit: Unit, community_id: int, round_id: int) -> list[MemberView]:
    """At send time, for the round's one private reminder: the counted members we may write
    to privately who have named nobody in the open round yet (someone who started and
    stopped has answered: /qualities takes them on where they left off)."""
    prompt = await unit.session.get(Prompt, round_id)
    if (
        prompt is None
        or prompt.community_id != community_id
        or prompt.kind != ROUND
        or prompt.closed_at is not None
    ):
        return []
    named = {
        row.member_id
        for row in await ContributionRepository(unit.session, community_id).of_kinds([NOMINATION])
        if row.data.get("round") == round_id
    }
    members = await membership.list_members(unit, community_id)
    return [
        member
        for member in await membership.reachable(unit, community_id)
        if member.id not in named and any(other.id != member.id for other in members)
    ]


async def require_no_round(unit: Unit, community_id: int) -> None:
    if await open_round(unit, community_id) is not None:
        raise InvalidInput("round_already_open")


async def close_round(unit: Unit, community_id: int, viewer: MemberView) -> list[ProfileView]:
    """Closes the open round; returns every member's profile for the group to see."""
    round_id = await open_round(unit, community_id)
    if round_id is None:
        raise InvalidInput("no_open_round")
    prompt = await unit.session.get(Prompt, round_id)
    assert prompt is not None
    prompt.closed_at = unit.now
    await unit.session.flush()
    await reminders.replan(unit, community_id)  # a closed round is chased no more
    return [
        await profile(unit, community_id, viewer, m.id)
        for m in await membership.participants(unit, community_id)
    ]


async def nominate(
    unit: Unit,
    community_id: int,
    nominator: MemberView,
    nominee_id: int,
    quality: str,
    example: str,
    *,
    round_id: int | None = None,
) -> tuple[int, bool]:
    """Names a quality of a colleague (or of oneself, as self-assessment).

    Naming the same quality of the same person again counts once; the new example is
    added to the first nomination. Returns (nomination id, whether it was new).
    """
    nominee = await MemberRepository(unit.session, community_id).get(nominee_id)
    if nominee is None or nominee.status != "active":
        raise NotFound(MEMBER_GONE)
    cleaned = check_quality(quality)
    example = " ".join(example.split())
    if len(example) > EXAMPLE_LIMIT:
        raise InvalidInput("quality_example_too_long", limit=EXAMPLE_LIMIT)
    contributions = ContributionRepository(unit.session, community_id)
    earlier = await _nomination_of(contributions, nominator.id, nominee_id, key_of(cleaned))
    if earlier is not None:
        examples = list(earlier.data.get("examples", []))
        if example and example not in examples:
            examples.append(example)
        earlier.data = {**earlier.data, "examples": examples}
        earlier.updated_at = unit.now
        await unit.session.flush()
        return earlier.id, False
    row = await contributions.add(
        Contribution(
            member_id=nominator.id,
            about_member_id=nominee_id,
            kind=NOMINATION,
            text=cleaned,
            data={
                "key": key_of(cleaned),
                "examples": [example] if example else [],
                "self": nominee_id == nominator.id,
                "hidden": False,
                "round": round_id,
            },
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return row.id, True


async def _nomination_of(
    contributions: ContributionRepository, nominator_id: int, nominee_id: int, key: str
) -> Contribution | None:
    """The nominator's earlier nomination of this quality of this person, if any."""
    for row in await contributions.by_member(nominator_id):
        if (
            row.kind == NOMINATION
            and row.about_member_id == nominee_id
            and row.data.get("key") == key
        ):
            return row
    return None


async def propose_title(
    unit: Unit, community_id: int, proposer: MemberView, nominee_id: int, title: str
) -> None:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise InvalidInput("quality_title_empty")
    if len(cleaned) > TITLE_LIMIT:
        raise InvalidInput("quality_title_too_long", limit=TITLE_LIMIT)
    await ContributionRepository(unit.session, community_id).add(
        Contribution(
            member_id=proposer.id,
            about_member_id=nominee_id,
            kind=TITLE,
            text=cleaned,
            data={"key": key_of(cleaned)},
            created_at=unit.now,
            updated_at=unit.now,
        )
    )


async def log_use(
    unit: Unit,
    community_id: int,
    writer: MemberView,
    whose_id: int,
    quality: str,
    situation: str,
) -> int:
    """ "Using qualities": a situation in which one's own or a colleague's quality helped."""
    whose = await MemberRepository(unit.session, community_id).get(whose_id)
    if whose is None or whose.status != "active":
        raise NotFound(MEMBER_GONE)
    cleaned = check_quality(quality)
    row = await ContributionRepository(unit.session, community_id).add(
        Contribution(
            member_id=writer.id,
            about_member_id=whose_id,
            kind=USE,
            text=cleaned,
            data={"key": key_of(cleaned), "situation": " ".join(situation.split())[:2000]},
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return row.id


async def suggestions(
    unit: Unit,
    community_id: int,
    limit: int = 6,
    *,
    about: int | None = None,
    by: int | None = None,
) -> list[str]:
    """Qualities already named in this CoP, most named first (so counting works).

    With `about`, only those seen in that colleague: a quality given to someone else is
    no suggestion for this one (offering it invites copying one word to everyone). With
    `by`, not those that member already named in them (no quality twice).
    """
    rows = await ContributionRepository(unit.session, community_id).of_kinds([NOMINATION, USE])
    if about is not None:
        rows = [r for r in rows if r.about_member_id == about]
    given = {str(r.data.get("key", "")) for r in rows if by is not None and r.member_id == by}
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for row in rows:
        key = str(row.data.get("key", ""))
        if key in given:
            continue
        counts[key] += 1
        shown.setdefault(key, row.text)
    return [shown[key] for key, _ in counts.most_common(limit)]


async def profile(unit: Unit, community_id: int, viewer: MemberView, member_id: int) -> ProfileView:
    """A member's profile. Others see it only outside a running round, without hidden items."""
    members = MemberRepository(unit.session, community_id)
    member = await members.get(member_id)
    if member is None or member.status != "active":
        raise NotFound(MEMBER_GONE)
    own = member.id == viewer.id
    if not own and await open_round(unit, community_id) is not None:
        raise NotAllowed("profiles_after_round")
    rows = await ContributionRepository(unit.session, community_id).of_kinds([NOMINATION, TITLE])
    about = [r for r in rows if r.about_member_id == member.id]
    nominations = [r for r in about if r.kind == NOMINATION and (own or not r.data.get("hidden"))]
    grouped: dict[str, Named] = {}
    for row in nominations:
        named = grouped.setdefault(
            str(row.data["key"]), Named(quality=row.text, count=0, examples=[])
        )
        named.count += 1
        named.examples += list(row.data.get("examples", []))
        named.hidden += int(bool(row.data.get("hidden")))
    titles = Counter(r.text for r in about if r.kind == TITLE)
    return ProfileView(
        member_id=member.id,
        name=member.display_name or "?",
        title=titles.most_common(1)[0][0] if titles else None,
        qualities=sorted(grouped.values(), key=lambda n: (-n.count, n.quality.casefold())),
        nominations=[
            (
                r.id,
                r.text,
                "; ".join(r.data.get("examples", [])),
                bool(r.data.get("hidden")),
                bool(r.data.get("self")),
            )
            for r in nominations
        ]
        if own
        else [],
    )


async def set_hidden(
    unit: Unit, community_id: int, member: MemberView, nomination_id: int, hidden: bool
) -> None:
    """A member may hide a nomination about themselves from the group view."""
    row = await ContributionRepository(unit.session, community_id).get(nomination_id)
    if row is None or row.kind != NOMINATION or row.about_member_id != member.id:
        raise NotFound("stale_button")
    row.data = {**row.data, "hidden": hidden}
    await unit.session.flush()


async def stats(unit: Unit, community_id: int) -> list[StatRow]:
    """How often each quality of each member was named and used (Figure 2 of the study)."""
    rows = await ContributionRepository(unit.session, community_id).of_kinds([NOMINATION, USE])
    names = {
        m.id: m.display_name or "?"
        for m in await MemberRepository(unit.session, community_id).active()
    }
    table: dict[tuple[int, str], StatRow] = {}
    for row in rows:
        if row.about_member_id not in names or (row.kind == NOMINATION and row.data.get("hidden")):
            continue
        key = (row.about_member_id, str(row.data["key"]))
        stat = table.setdefault(
            key, StatRow(member=names[row.about_member_id], quality=row.text, named=0, used=0)
        )
        if row.kind == NOMINATION:
            stat.named += 1
            stat.examples += [e for e in row.data.get("examples", []) if e]
        else:
            stat.used += 1
            if row.data.get("situation"):
                stat.examples.append(str(row.data["situation"]))
    return sorted(table.values(), key=lambda s: (s.member.casefold(), -(s.named + s.used)))


async def merge_named(unit: Unit, community_id: int, spec: str) -> int:
    """`/qualities merge old name = new name`: both names are needed."""
    source, _, target = spec.partition("=")
    if not source.strip() or not target.strip():
        raise InvalidInput("qualities_usage")
    return await merge(unit, community_id, source, target)


async def merge(unit: Unit, community_id: int, source: str, target: str) -> int:
    """Counts quality `source` as `target` from now on; returns how many items changed."""
    source_key, target_text = key_of(source), check_quality(target)
    rows = await ContributionRepository(unit.session, community_id).of_kinds([NOMINATION, USE])
    changed = 0
    for row in rows:
        if row.data.get("key") == source_key:
            row.text = target_text
            row.data = {**row.data, "key": key_of(target_text)}
            changed += 1
    if not changed:
        raise NotFound("quality_unknown", quality=source.strip()[:80])
    await unit.session.flush()
    return changed


async def done_in_round(
    unit: Unit, community_id: int, nominator: MemberView, round_id: int
) -> set[int]:
    rows = await ContributionRepository(unit.session, community_id).by_member(nominator.id)
    return {
        r.about_member_id
        for r in rows
        if r.kind == NOMINATION and r.data.get("round") == round_id and r.about_member_id
    }


# ------------------------------------------------------- texts on their way in


class NominationDraft(BaseModel):
    """A nomination waiting for its example to pass the guard."""

    nominee: int
    quality: str
    round: int | None = None
    flow: int | None = None


class UseDraft(BaseModel):
    """A "using qualities" entry waiting for its situation to pass the guard."""

    whose: int
    quality: str


@dataclass(frozen=True)
class NominationSaved:
    quality: str
    nominee: str
    new: bool
    own: bool  # a self-assessment
    next: RoundTurn | None = None  # in the round: what to ask next
    progress: RoundProgress | None = None  # the member's first in the round: the count grew


@dataclass(frozen=True)
class RoundProgress:
    """How far the open round is, for its announcement in the group (edited in place):
    how many of the participants named someone so far."""

    chat_id: int
    message_id: int
    named: int
    total: int


@dataclass(frozen=True)
class UseSaved:
    quality: str
    whose: str


async def nominee_of_user(unit: Unit, community_id: int, user_id: int) -> MemberView:
    """/nominate as a reply: the member who wrote the replied-to message."""
    found = await membership.member_of(unit, community_id, user_id)
    if found is None:
        raise NotFound(MEMBER_GONE)
    return found


async def member_named(unit: Unit, community_id: int, username: str) -> MemberView:
    found = await membership.member_by_username(unit, community_id, username)
    if found is None:
        raise NotFound(MEMBER_GONE)
    return found


async def profile_of(
    unit: Unit, community_id: int, viewer: MemberView, username: str | None
) -> ProfileView:
    """/profile (one's own) or /profile @name."""
    target = await member_named(unit, community_id, username) if username else viewer
    return await profile(unit, community_id, viewer, target.id)


def _check_owner(prompt: PromptView, member: MemberView) -> None:
    if prompt.data.get("member_id") != member.id:
        raise NotAllowed("not_your_flow")


def read_nomination(prompt: PromptView, member: MemberView, text: str) -> Draft:
    """A reply to "Which quality of X?": only from who asked, a quality and its example."""
    _check_owner(prompt, member)
    quality, example = split_quality(text)
    check_quality(quality)
    draft = NominationDraft(nominee=int(prompt.data["nominee"]), quality=quality)
    return Draft(example, Release.NOMINATION, draft.model_dump(exclude_none=True))


async def save_nomination(
    unit: Unit,
    community_id: int,
    member: MemberView,
    user_id: int,
    example: str,
    data: dict[str, Any],
) -> NominationSaved:
    """Stores a released nomination; in the round, asks for another quality of the same person."""
    draft = NominationDraft.model_validate(data)
    first = draft.round is not None and not await done_in_round(
        unit, community_id, member, draft.round
    )
    _, new = await nominate(
        unit, community_id, member, draft.nominee, draft.quality, example, round_id=draft.round
    )
    nominee = await membership.member_by_id(unit, community_id, draft.nominee)
    following = None
    if draft.flow:
        flow = await flows.find(unit, draft.flow, user_id, FlowKind.QUALITIES)
        if flow is not None:
            state = RoundState.model_validate(flow.data).model_copy(update={"again": True})
            following = await _go(unit, flow, RoundStep.QUALITY, state)
    progress = await round_progress(unit, community_id) if first else None
    return NominationSaved(
        draft.quality, nominee.name, new, nominee.id == member.id, following, progress
    )


async def round_progress(unit: Unit, community_id: int) -> RoundProgress | None:
    """The open round's announcement and its count (None without an open round)."""
    round_id = await open_round(unit, community_id)
    prompt = await unit.session.get(Prompt, round_id) if round_id is not None else None
    if prompt is None or prompt.message_id is None:
        return None
    named = {
        row.member_id
        for row in await ContributionRepository(unit.session, community_id).of_kinds([NOMINATION])
        if row.data.get("round") == round_id
    }
    counted = await membership.participants(unit, community_id)
    return RoundProgress(
        prompt.chat_id, prompt.message_id, len(named & {m.id for m in counted}), len(counted)
    )


async def read_use(
    unit: Unit, community_id: int, member: MemberView, text: str, prompt: PromptView | None = None
) -> Draft:
    """ "[@name] quality: situation" (by /used, or a reply to the form or the prompt)."""
    if prompt is not None and prompt.kind == PromptKind.USED:
        _check_owner(prompt, member)
    whose = member
    words = text.split(maxsplit=1)
    if words and words[0].startswith("@"):
        whose = await member_named(unit, community_id, words[0])
        text = words[1] if len(words) > 1 else ""
    quality, situation = split_quality(text)
    check_quality(quality)
    draft = UseDraft(whose=whose.id, quality=quality)
    return Draft(situation or quality, Release.USE, draft.model_dump())


async def save_use(
    unit: Unit, community_id: int, member: MemberView, situation: str, data: dict[str, Any]
) -> UseSaved:
    draft = UseDraft.model_validate(data)
    await log_use(unit, community_id, member, draft.whose, draft.quality, situation)
    whose = await membership.member_by_id(unit, community_id, draft.whose)
    return UseSaved(draft.quality, whose.name)


# ------------------------------------------------------------ the private round


class RoundStep(StrEnum):
    """The round's question about one colleague. Stored in `flows.step`: never rename."""

    QUALITY = "quality"
    EXAMPLE = "example"
    TITLE = "title"


class RoundEnd(StrEnum):
    """Why a member's part of the round stopped."""

    FINISHED = "finished"  # everyone named (or nothing left to name)
    PAUSED = "paused"  # "stop for now"
    NO_ROUND = "no_round"
    NOBODY_ELSE = "nobody_else"


# Button actions of a round question; a suggestion is `s<index>`.
STOP, NEXT, SKIP = "stop", "next", "skip"


def suggestion_action(index: int) -> str:
    return f"s{index}"


class RoundState(BaseModel):
    """A member's place in the round, kept as the dialogue's data.

    The field names are the keys the first version stored, so an unfinished part
    started before still loads.
    """

    round: int
    queue: list[int]  # the colleagues still to name, in order
    index: int = 0  # who in `queue` the current question is about
    total: int  # colleagues in the whole round (named before + queue)
    done: int  # colleagues named before this part started
    again: bool = False  # the question asks for another quality of the same person
    suggestions: list[str] = []  # offered as buttons
    pending: str | None = None  # the quality waiting for its example
    nominator: int | None = None  # the member doing this part (absent in older parts)

    @property
    def nominee_id(self) -> int | None:
        return self.queue[self.index] if self.index < len(self.queue) else None

    def next_person(self) -> RoundState:
        return self.model_copy(update={"index": self.index + 1, "again": False})


@dataclass(frozen=True)
class RoundQuestion:
    """The next question of the round (its message becomes the step's prompt)."""

    flow: FlowState
    step: RoundStep
    nominee: str
    position: int  # "person {position} of {total}"
    total: int
    again: bool = False
    suggestions: tuple[str, ...] = ()
    pending: str = ""


RoundTurn = RoundQuestion | RoundEnd


async def begin_part(
    unit: Unit, community_id: int, member: MemberView, *, chat_id: int, user_id: int
) -> RoundTurn:
    """/qualities in private: the member's part of the open round, skipping whom they named."""
    round_id = await open_round(unit, community_id)
    if round_id is None:
        return RoundEnd.NO_ROUND
    done = await done_in_round(unit, community_id, member, round_id)
    others = [
        m.id
        for m in await membership.participants(unit, community_id)
        if m.id != member.id and m.id not in done
    ]
    if not others:
        return RoundEnd.FINISHED if done else RoundEnd.NOBODY_ELSE
    state = RoundState(
        round=round_id,
        queue=others,
        total=len(others) + len(done),
        done=len(done),
        nominator=member.id,
    )
    flow = await flows.start(
        unit,
        kind=FlowKind.QUALITIES,
        chat_id=chat_id,
        user_id=user_id,
        step=RoundStep.QUALITY,
        community_id=community_id,
        data=_dump(state),
    )
    return await _ask(unit, flow, state)


async def round_pressed(
    unit: Unit, flow_id: int, user_id: int, step: str, action: str
) -> RoundTurn:
    """A button of a round question: a suggestion, the title question, skip, or stop."""
    flow = await flows.current(unit, flow_id, user_id, FlowKind.QUALITIES, step)
    state = RoundState.model_validate(flow.data)
    if action == STOP:
        await flows.end(unit, flow)
        return RoundEnd.PAUSED
    if action == NEXT:
        return await _go(unit, flow, RoundStep.TITLE, state)
    if action == SKIP:
        return await _go(unit, flow, RoundStep.QUALITY, state.next_person())
    index = int(action[1:]) if action[:1] == "s" and action[1:].isdigit() else None
    if index is None or index >= len(state.suggestions):
        raise StaleAction("stale_button")
    pending = state.model_copy(update={"pending": state.suggestions[index]})
    return await _go(unit, flow, RoundStep.EXAMPLE, pending)


async def round_replied(
    unit: Unit, flow: FlowState, member: MemberView, text: str
) -> RoundTurn | Draft:
    """A reply to a round question: a title, an example, or a quality (with its example).

    A nomination is not stored here: it goes through the guard first (the `Draft`),
    and `save_nomination` takes the round on from there.
    """
    state = RoundState.model_validate(flow.data)
    nominee_id = state.nominee_id
    if nominee_id is None or flow.community_id is None:
        raise StaleAction("stale_button")
    step = RoundStep(flow.step)
    if step is RoundStep.TITLE:
        await propose_title(unit, flow.community_id, member, nominee_id, text)
        return await _go(unit, flow, RoundStep.QUALITY, state.next_person())
    if step is RoundStep.EXAMPLE:
        quality, example = state.pending or "", text
    else:
        quality, example = split_quality(text)
        check_quality(quality)
        if not example:
            pending = state.model_copy(update={"pending": quality})
            return await _go(unit, flow, RoundStep.EXAMPLE, pending)
    draft = NominationDraft(
        nominee=nominee_id, quality=quality, round=state.round, flow=flow.flow_id
    )
    return Draft(example, Release.NOMINATION, draft.model_dump())


async def _go(unit: Unit, flow: FlowState, step: RoundStep, state: RoundState) -> RoundTurn:
    return await _ask(unit, await flows.advance(unit, flow, step, _dump(state)), state)


async def _ask(unit: Unit, flow: FlowState, state: RoundState) -> RoundTurn:
    """The question of the flow's step, or the end of the part when nobody is left."""
    nominee_id = state.nominee_id
    if nominee_id is None or flow.community_id is None:
        await flows.end(unit, flow)
        return RoundEnd.FINISHED
    nominee = await membership.member_by_id(unit, flow.community_id, nominee_id)
    step = RoundStep(flow.step)
    if step is RoundStep.QUALITY:
        offered = await suggestions(
            unit, flow.community_id, 4, about=nominee_id, by=state.nominator
        )
        state = state.model_copy(update={"suggestions": offered})
        flow = await flows.advance(unit, flow, step, _dump(state))
    return RoundQuestion(
        flow=flow,
        step=step,
        nominee=nominee.name,
        position=state.done + state.index + 1,
        total=state.total,
        again=state.again,
        suggestions=tuple(state.suggestions),
        pending=state.pending or "",
    )


def _dump(state: RoundState) -> dict[str, Any]:
    return state.model_dump(exclude_none=True)
