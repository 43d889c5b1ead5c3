"""Data lifecycle: archiving a cycle, purging a CoP's data after the retention time,
and letting go of texts held behind a question nobody answered.

A CoP whose group removed the bot, or that was archived, keeps its data for
`retention_days`; its facilitators are warned a week before the data is deleted. A
text held in a dialogue (behind the pupil-name warning, a "which CoP?" question, a
second answer) is kept a day at most (`HELD_FOR`): it may name a pupil.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.services import reminders
from bot.services.membership import CONTEXT
from bot.services.unit import Unit
from storage.db import checkpoint_after
from storage.models import Community
from storage.repositories.communities import CommunityRepository
from storage.repositories.flows import FlowRepository
from storage.repositories.members import MemberRepository

WARN_BEFORE = timedelta(days=7)
HELD_FOR = timedelta(days=1)


async def archive(unit: Unit, community_id: int) -> None:
    """Ends the cycle: the CoP stops (no more reminders); its data waits for the purge."""
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    community.status = "archived"
    community.removed_at = unit.now
    community.updated_at = unit.now
    await unit.session.flush()
    await reminders.replan(unit, community_id)


def reopened(community: Community, now: datetime) -> None:
    """An ended CoP runs again: its retention clock and its purge warning start over."""
    community.status = "active"
    community.removed_at = None
    community.settings = {k: v for k, v in community.settings.items() if k != "purge_warned"}
    community.updated_at = now


async def expire_held(unit: Unit) -> int:
    """Drops every dialogue nobody touched for `HELD_FOR`, with the text it held.

    The CoP chosen for private messages (`membership.CONTEXT`) is a choice, not a text:
    it stays. Returns how many dialogues went.
    """
    expired = await FlowRepository(unit.session).remove_idle(unit.now - HELD_FOR, (CONTEXT,))
    if expired:
        await checkpoint_after(unit.session)
    return expired


def _ended(community: Community) -> datetime | None:
    return community.removed_at if community.status in ("removed", "archived") else None


async def due_warnings(unit: Unit, retention_days: int) -> list[tuple[int, str, str, int]]:
    """(chat id, CoP name, language, days left) for each facilitator to warn, once."""
    warnings = []
    for community in await CommunityRepository(unit.session).all():
        ended = _ended(community)
        if ended is None or community.settings.get("purge_warned"):
            continue
        purge_at = ended + timedelta(days=retention_days)
        if purge_at - unit.now > WARN_BEFORE:
            continue
        community.settings = {**community.settings, "purge_warned": unit.now.isoformat()}
        days = max((purge_at - unit.now).days, 0)
        for member in await MemberRepository(unit.session, community.id).active():
            if member.role != "member" and member.private_chat and member.telegram_user_id:
                warnings.append(
                    (
                        member.telegram_user_id,
                        community.name,
                        member.language or community.language,
                        days,
                    )
                )
    await unit.session.flush()
    return warnings


async def purge_expired(unit: Unit, retention_days: int) -> int:
    """Deletes every row of CoPs past their retention (cascades through all tables)."""
    purged = 0
    for community in await CommunityRepository(unit.session).all():
        ended = _ended(community)
        if ended is not None and unit.now - ended >= timedelta(days=retention_days):
            await unit.session.delete(community)
            purged += 1
    await unit.session.flush()
    if purged:
        await checkpoint_after(unit.session)
    return purged
