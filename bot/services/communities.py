"""Communities: lookup, the chat they live in, and what happens when it changes."""

from __future__ import annotations

from bot.services import lifecycle
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from storage.models import Community
from storage.repositories.communities import CommunityRepository
from storage.repositories.flows import FlowRepository
from storage.repositories.members import FACILITATOR_ROLES, MemberRepository


async def by_chat(unit: Unit, chat_id: int) -> CommunityView | None:
    community = await CommunityRepository(unit.session).by_chat(chat_id)
    return CommunityView.model_validate(community) if community else None


async def by_ids(unit: Unit, ids: list[int]) -> list[CommunityView]:
    rows = await CommunityRepository(unit.session).by_ids(ids)
    return [CommunityView.model_validate(row) for row in rows]


async def migrate_chat(unit: Unit, old_chat_id: int, new_chat_id: int) -> bool:
    """Group upgraded to supergroup: every row follows the chat, in this one transaction."""
    return await CommunityRepository(unit.session).rekey_chat(old_chat_id, new_chat_id)


async def bot_removed(unit: Unit, chat_id: int) -> list[MemberView]:
    """Stops the CoP in this chat; returns the facilitators to tell privately."""
    community = await CommunityRepository(unit.session).by_chat(chat_id)
    if community is None or community.status == "removed":
        return []
    community.status = "removed"
    community.removed_at = unit.now
    community.updated_at = unit.now
    await _drop_flows(unit, chat_id)
    members = await MemberRepository(unit.session, community.id).active()
    return [MemberView.model_validate(m) for m in members if m.role in FACILITATOR_ROLES]


async def removed_from(unit: Unit, chat_id: int) -> tuple[CommunityView, list[MemberView]] | None:
    """The bot left this chat: its CoP (if any) stops; the facilitators to tell privately."""
    community = await by_chat(unit, chat_id)
    if community is None:
        return None
    return community, await bot_removed(unit, chat_id)


async def bot_added(unit: Unit, chat_id: int) -> CommunityView | None:
    """The bot is back in a chat whose CoP it had stopped: the CoP resumes."""
    community = await CommunityRepository(unit.session).by_chat(chat_id)
    if community is None:
        return None
    if community.status == "removed":
        lifecycle.reopened(community, unit.now)
    return CommunityView.model_validate(community)


async def create(
    unit: Unit,
    *,
    chat_id: int,
    chat_type: str,
    name: str,
    theme: str,
    language: str,
    timezone: str,
) -> Community:
    return await CommunityRepository(unit.session).add(
        Community(
            chat_id=chat_id,
            chat_type=chat_type,
            name=name,
            theme=theme,
            language=language,
            timezone=timezone,
            status="active",
            settings={},
            created_at=unit.now,
            updated_at=unit.now,
        )
    )


async def _drop_flows(unit: Unit, chat_id: int) -> None:
    await FlowRepository(unit.session).remove_for_chat(chat_id)


async def set_region(unit: Unit, community_id: int, region: str | None) -> None:
    """The school-holiday region (north, middle, south) the CoP's schools are in."""
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    community.region = region
    community.updated_at = unit.now
    await unit.session.flush()


async def all_communities(unit: Unit) -> list[CommunityView]:
    rows = await CommunityRepository(unit.session).all()
    return [CommunityView.model_validate(row) for row in rows]
