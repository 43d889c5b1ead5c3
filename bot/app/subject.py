"""Data-subject requests for the operator: everything about one person, or erase it."""

from __future__ import annotations

from typing import Any

from bot.services import membership
from bot.services.unit import Unit
from storage.repositories.contributions import ContributionRepository
from storage.repositories.members import MemberRepository


async def export_user(unit: Unit, telegram_user_id: int) -> dict[str, Any]:
    """Every row about the person, per CoP, as plain JSON-ready data."""
    result: dict[str, Any] = {"telegram_user_id": telegram_user_id, "communities": []}
    for community, member in await membership.memberships(unit, telegram_user_id):
        contributions = await ContributionRepository(unit.session, community.id).by_member(
            member.id
        )
        row = await MemberRepository(unit.session, community.id).get(member.id)
        assert row is not None
        result["communities"].append(
            {
                "community": {"id": community.id, "name": community.name},
                "member": member.model_dump(mode="json"),
                "contributions": [
                    {
                        "id": c.id,
                        "kind": c.kind,
                        "text": c.text,
                        "data": c.data,
                        "visibility": c.visibility,
                        "created_at": c.created_at.isoformat(),
                    }
                    for c in contributions
                ],
            }
        )
    return result


async def erase_user(unit: Unit, telegram_user_id: int) -> list[dict[str, Any]]:
    """Withdraws the person from every CoP, with the same rules as /leave."""
    reports = []
    for community, _member in await membership.memberships(unit, telegram_user_id):
        report = await membership.leave(unit, community.id, telegram_user_id)
        reports.append(report.model_dump())
    return reports
