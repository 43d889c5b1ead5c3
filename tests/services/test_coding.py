"""Coding: facilitators only, one code per coder, and the shares per meeting it feeds."""

from __future__ import annotations

import pytest

from bot.errors import NotAllowed, NotFound, StaleAction
from bot.services import coding, contributions_log, development
from bot.services.unit import Unit
from tests.services.conftest import Cop


async def _contributions(unit: Unit, cop: Cop, *texts: str) -> list[int]:
    return [
        await contributions_log.add(unit, cop.id, cop.teachers[0].id, "issue", text)
        for text in texts
    ]


async def test_only_facilitators_code(unit: Unit, cop: Cop) -> None:
    (first,) = await _contributions(unit, cop, "Ouders helpen niet")
    with pytest.raises(NotAllowed):
        await coding.items(unit, cop.id, cop.teachers[0], coded_too=False)
    with pytest.raises(NotAllowed):
        await coding.code(unit, cop.id, cop.teachers[0], first, "ie")


async def test_a_code_is_set_changed_and_counted(unit: Unit, cop: Cop) -> None:
    first, second = await _contributions(unit, cop, "Ouders helpen niet", "Mijn geduld")
    items, uncoded = await coding.items(unit, cop.id, cop.facilitator, coded_too=False)
    assert [i.contribution_id for i in items] == [first, second] and uncoded == 2
    assert (await coding.code(unit, cop.id, cop.facilitator, first, "ie")).code == "ie"
    assert (await coding.code(unit, cop.id, cop.facilitator, first, "ii")).code == "ii"
    items, uncoded = await coding.items(unit, cop.id, cop.facilitator, coded_too=False)
    assert [i.contribution_id for i in items] == [second] and uncoded == 1
    items, _ = await coding.items(unit, cop.id, cop.facilitator, coded_too=True)
    assert len(items) == 2
    with pytest.raises(StaleAction):
        await coding.code(unit, cop.id, cop.facilitator, second, "zz")
    with pytest.raises(NotFound):
        await coding.code(unit, cop.id, cop.facilitator, second + 100, "ie")


async def test_development_leaves_out_what_is_not_an_issue(unit: Unit, cop: Cop) -> None:
    assert await development.development(unit, cop.id) == []
    ids = await _contributions(unit, cop, "een", "twee", "drie", "vier")
    for contribution_id, combo in zip(ids, ["ie", "ie", "si", "x"], strict=True):
        await coding.code(unit, cop.id, cop.facilitator, contribution_id, combo)
    (row,) = await development.development(unit, cop.id)
    assert row.meeting_number is None and row.total == 3
    assert row.percent == {"ie": 67, "ii": 0, "se": 0, "si": 33}
