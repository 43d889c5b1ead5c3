"""Private chats: which CoP a private message belongs to.

A teacher in several CoPs chooses one (`/cop`); until then a private message is
held (they are a consenting member) and routed once they have chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import NotAMember
from bot.services import membership
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from storage.models import Flow
from storage.repositories.flows import FlowRepository

CONTEXT = "context"
PENDING = "pending"
PENDING_LIMIT = 4096


@dataclass(frozen=True)
class Resolution:
    """Either one (community, member), or the choices to ask about."""

    chosen: tuple[CommunityView, MemberView] | None
    choices: list[tuple[CommunityView, MemberView]]


async def resolve(unit: Unit, user_id: int) -> Resolution:
    pairs = await membership.memberships(unit, user_id)
    if not pairs:
        raise NotAMember("not_member_anywhere")
    if len(pairs) == 1:
        return Resolution(chosen=pairs[0], choices=pairs)
    flow = await FlowRepository(unit.session).get(user_id, user_id, CONTEXT)
    wanted = flow.data.get("community_id") if flow else None
    for pair in pairs:
        if pair[0].id == wanted:
            return Resolution(chosen=pair, choices=pairs)
    return Resolution(chosen=None, choices=pairs)


async def choose(unit: Unit, user_id: int, community_id: int) -> tuple[CommunityView, MemberView]:
    """Makes one of the person's CoPs the target of their private messages."""
    pairs = await membership.memberships(unit, user_id)
    pair = next((p for p in pairs if p[0].id == community_id), None)
    if pair is None:
        raise NotAMember("not_member")
    await _put(unit, user_id, CONTEXT, {"community_id": community_id})
    return pair


async def hold(unit: Unit, user_id: int, text: str) -> None:
    """Keeps a member's message until they say which CoP it is for (one at a time)."""
    await _put(unit, user_id, PENDING, {"text": text[:PENDING_LIMIT]})


async def release(unit: Unit, user_id: int) -> str | None:
    flows = FlowRepository(unit.session)
    flow = await flows.get(user_id, user_id, PENDING)
    if flow is None:
        return None
    await flows.remove(flow)
    return str(flow.data.get("text", ""))


async def _put(unit: Unit, user_id: int, kind: str, data: dict[str, object]) -> None:
    flows = FlowRepository(unit.session)
    flow = await flows.get(user_id, user_id, kind)
    if flow is None:
        flow = Flow(chat_id=user_id, user_id=user_id, kind=kind, step=kind)
    flow.data = data
    flow.updated_at = unit.now
    await flows.save(flow)
