"""What leaves the CoP: members mark their own contributions, and say if their name may."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services import contributions_log, documents, sharing
from bot.services.unit import Unit
from tests.services.conftest import Cop


async def test_a_member_shares_only_their_own_personal_items(unit: Unit, cop: Cop) -> None:
    anouk, bas = cop.teachers[0], cop.teachers[1]
    share = await contributions_log.add(unit, cop.id, anouk.id, "weekly_share", "Goed gegaan.")
    point = await contributions_log.add(unit, cop.id, anouk.id, "agenda_point", "Pauzes")
    assert await sharing.toggle(unit, cop.id, anouk, share) is True
    assert await sharing.shareable_ids(unit, cop.id) == {share}
    with pytest.raises(NotFound, match="contribution_not_yours"):
        await sharing.toggle(unit, cop.id, bas, share)
    with pytest.raises(InvalidInput, match="shared_by_rule"):
        await sharing.toggle(unit, cop.id, anouk, point)
    overview = await sharing.overview(unit, cop.id, anouk)
    assert [i.id for i in overview.items] == [share] and overview.shared == {share}
    assert not overview.named
    assert await sharing.reviewed_members(unit, cop.id) == {anouk.id}


async def test_the_team_version_names_only_who_agreed(unit: Unit, cop: Cop) -> None:
    anouk = cop.teachers[0]
    await sharing.set_named(unit, cop.id, anouk, True)
    team = await documents.collection(unit, cop.community, team=True)
    assert [p.name for p in team.people] == ["Anouk"]
    full = await documents.collection(unit, cop.community, team=False)
    assert len(full.people) == 4


def test_the_team_version_is_the_facilitators(cop: Cop) -> None:
    with pytest.raises(NotAllowed, match="facilitator_only"):
        documents.request(["team"], cop.teachers[0])
    with pytest.raises(InvalidInput, match="document_usage"):
        documents.request(["pdf"], cop.facilitator)
    wanted = documents.request(["team", "HTML"], cop.facilitator)
    assert (wanted.team, wanted.formats) == (True, ("html",))
    assert documents.request([], cop.teachers[0]).formats == ("docx",)  # the Word file
