"""Data-subject requests for the operator: everything about one person, or erase it.

Both hold for every CoP the person is in, whatever its state (active, archived, or
removed from its group), until the CoP's data is purged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import inspect

from bot.errors import NotAMember
from bot.services import membership, roster, sharing, updates
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from storage.repositories.codings import CodingRepository, VoteRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.flows import FlowRepository
from storage.repositories.meetings import AttendanceRepository
from storage.repositories.members import MemberRepository


async def export_user(unit: Unit, telegram_user_id: int) -> dict[str, Any]:
    """Every row about the person, per CoP, as plain JSON-ready data.

    Rows are given whole (every column, so a new one is exported too), except the
    author of what others wrote about the person: that is the other person's data.
    """
    result: dict[str, Any] = {
        "telegram_user_id": telegram_user_id,
        "communities": [],
        "dialogues": [
            _row(flow) for flow in await FlowRepository(unit.session).of_user(telegram_user_id)
        ],
    }
    for community, member in await _everywhere(unit, telegram_user_id):
        members = MemberRepository(unit.session, community.id)
        contributions = ContributionRepository(unit.session, community.id)
        row = await members.get(member.id)
        assert row is not None
        result["communities"].append(
            {
                "community": {
                    "id": community.id,
                    "name": community.name,
                    "status": community.status,
                },
                "member": _row(row),
                "consent_records": [_row(r) for r in await members.consents(member.id)],
                "contributions": [_row(c) for c in await contributions.by_member(member.id)],
                "about_you": [
                    _row(c, without=("member_id",))
                    for c in await contributions.about_member(member.id)
                ],
                "attendance": [
                    _row(a)
                    for a in await AttendanceRepository(unit.session, community.id).by_member(
                        member.id
                    )
                ],
                "votes": [
                    _row(v)
                    for v in await VoteRepository(unit.session, community.id).by_member(member.id)
                ],
                "codings": [
                    _row(c)
                    for c in await CodingRepository(unit.session, community.id).by_coder(member.id)
                ],
                "sharing": {
                    "name_in_team_version": member.id
                    in await sharing.named_members(unit, community.id),
                    "reviewed": member.id in await sharing.reviewed_members(unit, community.id),
                },
            }
        )
    return result


async def erase_user(unit: Unit, telegram_user_id: int) -> list[dict[str, Any]]:
    """Withdraws the person from every CoP, with the same rules as /leave; their
    unfinished dialogues outside any CoP (a /setup never saved) go too."""
    reports = []
    for community, _member in await _everywhere(unit, telegram_user_id):
        report = await membership.leave(unit, community.id, telegram_user_id)
        reports.append(report.model_dump())
    await FlowRepository(unit.session).remove_for_user(None, telegram_user_id)
    await updates.forget_user(unit, telegram_user_id)
    return reports


async def _everywhere(unit: Unit, telegram_user_id: int) -> list[tuple[CommunityView, MemberView]]:
    """Every CoP with data of the person: any CoP state, and those whose group they left."""
    try:
        return list((await roster.erasable(unit, telegram_user_id)).choices)
    except NotAMember:
        return []


def _row(row: object, *, without: tuple[str, ...] = ()) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for attribute in inspect(row).mapper.column_attrs:
        if attribute.key in without:
            continue
        value = getattr(row, attribute.key)
        values[attribute.key] = value.isoformat() if isinstance(value, datetime) else value
    return values
