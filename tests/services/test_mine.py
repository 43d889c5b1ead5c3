"""A member's own contributions: only their own, and not what belongs to the group."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.services import contributions_log, mine, shared_issue
from bot.services.prompts import PromptView
from bot.services.unit import Unit
from tests.services.conftest import GROUP_CHAT, Cop


async def test_a_member_edits_and_deletes_only_their_own(unit: Unit, cop: Cop) -> None:
    anouk, bas = cop.teachers[0], cop.teachers[1]
    own = await contributions_log.add(unit, cop.id, anouk.id, "issue", "Eerste versie")
    with pytest.raises(StaleAction):
        await mine.own_item(unit, cop.id, bas, own)
    with pytest.raises(NotFound) as refused:
        await mine.edit(unit, cop.id, bas, own, "Van Bas")
    assert refused.value.msgid == "contribution_not_yours"
    with pytest.raises(InvalidInput) as empty:
        await mine.edit(unit, cop.id, anouk, own, "   ")
    assert empty.value.msgid == "text_empty"
    assert (await mine.edit(unit, cop.id, anouk, own, " Tweede versie ")).text == "Tweede versie"
    await mine.delete(unit, cop.id, anouk, own)
    assert await mine.recent(unit, cop.id, anouk) == []
    with pytest.raises(StaleAction):  # a second press on "Yes, delete"
        await mine.delete(unit, cop.id, anouk, own)


async def test_what_the_group_owns_stays(unit: Unit, cop: Cop) -> None:
    proposal = await shared_issue.propose(unit, cop.id, cop.facilitator, "Rust in de gang")
    with pytest.raises(InvalidInput) as refused:
        await mine.delete(unit, cop.id, cop.facilitator, proposal.id)
    assert refused.value.msgid == "contribution_group_owned"
    assert [i.id for i in await mine.recent(unit, cop.id, cop.facilitator)] == [proposal.id]


async def test_mine_shows_the_newest_and_edits_answer_their_asker(unit: Unit, cop: Cop) -> None:
    anouk = cop.teachers[0]
    for n in range(mine.SHOWN + 2):
        await contributions_log.add(unit, cop.id, anouk.id, "weekly_share", f"Week {n}")
    shown = await mine.recent(unit, cop.id, anouk)
    assert len(shown) == mine.SHOWN and shown[-1].text == f"Week {mine.SHOWN + 1}"
    prompt = PromptView(
        id=1,
        community_id=cop.id,
        chat_id=GROUP_CHAT,
        message_id=5,
        kind="edit",
        flow_id=None,
        meeting_id=None,
        data={"contribution_id": shown[0].id, "member_id": anouk.id},
    )
    assert mine.edit_target(prompt, anouk) == shown[0].id
    with pytest.raises(NotAllowed):
        mine.edit_target(prompt, cop.teachers[1])
