"""Membership: consent, roles, withdrawal (what is erased, what is kept), private chats."""

from __future__ import annotations

import pytest

from bot.errors import AlreadyMember, InvalidInput, NotAMember, NotFound
from bot.services import contributions_log, lifecycle, membership
from bot.services.unit import Unit
from tests.services.conftest import Cop, person


async def test_consent_makes_a_member_once(unit: Unit, cop: Cop) -> None:
    joined = await membership.consent(unit, cop.community, person(5, "Daan"))
    assert (joined.member.name, joined.count) == ("Daan", 5)
    with pytest.raises(AlreadyMember):
        await membership.consent(unit, cop.community, person(5, "Daan"))


async def test_cofacilitator_toggles_but_never_the_facilitator(unit: Unit, cop: Cop) -> None:
    changed = await membership.toggle_cofacilitator(unit, cop.id, username="@anouk")
    assert changed.role == "cofacilitator" and changed.is_facilitator
    back = await membership.toggle_cofacilitator(unit, cop.id, user_id=2)
    assert back.role == "member"
    with pytest.raises(InvalidInput, match="target_is_facilitator"):
        await membership.toggle_cofacilitator(unit, cop.id, user_id=1)
    with pytest.raises(NotFound, match="target_not_member"):
        await membership.toggle_cofacilitator(unit, cop.id, username="@nobody")


async def test_leaving_erases_own_words_and_keeps_the_groups(unit: Unit, cop: Cop) -> None:
    anouk = cop.teachers[0]
    await contributions_log.add(unit, cop.id, anouk.id, "weekly_share", "Het ging goed.")
    await contributions_log.add(unit, cop.id, anouk.id, "agenda_point", "Pauzes")
    report = await membership.leave(unit, cop.id, anouk.telegram_user_id or 0)
    assert report.deleted == {"weekly_share": 1}
    assert report.anonymised == {"agenda_point": 1}
    assert report.facilitators_left == 1
    assert await membership.member_of(unit, cop.id, 2) is None
    with pytest.raises(NotAMember):
        await membership.leave(unit, cop.id, 2)


async def test_private_messages_wait_for_a_chosen_cop(unit: Unit, cop: Cop) -> None:
    assert (await membership.resolve(unit, 2)).chosen == (cop.community, cop.teachers[0])
    with pytest.raises(NotAMember, match="not_member_anywhere"):
        await membership.resolve(unit, 99)
    await membership.hold(unit, 2, "Een vraag")
    assert await membership.release(unit, 2) == "Een vraag"
    assert await membership.release(unit, 2) is None


async def test_start_opens_the_private_chat_of_a_member(unit: Unit, cop: Cop) -> None:
    assert await membership.started(unit, 3) == ["CoP De Regenboog"]
    assert (await membership.require_member(unit, cop.id, 3)).private_chat
    assert await membership.started(unit, 99) == []


async def test_archiving_keeps_the_data_until_the_retention_ends(unit: Unit, cop: Cop) -> None:
    await lifecycle.archive(unit, cop.id)
    assert await lifecycle.purge_expired(unit, retention_days=180) == 0
    assert await membership.memberships(unit, 2) == []  # an archived CoP is not active
