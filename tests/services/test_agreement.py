"""A second coder's sample and codes, and resolving: against the real schema."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.services import agreement, coding, contributions_log, development, membership
from bot.services.unit import Unit
from tests.services.conftest import Cop, person


async def _coded(unit: Unit, cop: Cop, count: int) -> list[int]:
    ids = []
    for n in range(count):
        ids.append(
            await contributions_log.add(unit, cop.id, cop.teachers[0].id, "issue", f"Nr {n}")
        )
        await coding.code(unit, cop.id, cop.facilitator, ids[-1], ("ie", "si", "ii")[n % 3])
    return ids


async def test_the_sample_is_a_fifth_stable_and_never_counted(unit: Unit, cop: Cop) -> None:
    await _coded(unit, cop, 12)
    second = await membership.join(unit, cop.id, person(9, "Sanne"), role="cofacilitator")
    before = await development.development(unit, cop.id)
    items, left, size = await coding.second_items(unit, cop.id, second)
    assert (left, size, len(items)) == (2, 2, 2)  # 20% of 12, rounded
    assert all(item.code is None for item in items)  # blind
    again, _, _ = await coding.second_items(unit, cop.id, second)
    assert [i.contribution_id for i in again] == [i.contribution_id for i in items]
    for item in items:
        await coding.code_second(unit, cop.id, second, item.contribution_id, "se")
    assert await development.development(unit, cop.id) == before
    assert (await coding.second_items(unit, cop.id, second))[1:] == (0, 2)

    (report,) = await agreement.report(unit, cop.id, second)
    assert report.before.double_coded == 2 and report.before.agreed == 0
    assert len(report.open) == 2 and report.resolved == 0
    target = report.open[0]
    await agreement.resolve(unit, cop.id, second, target.item.contribution_id, "se")
    with pytest.raises(StaleAction):  # resolving twice
        await agreement.resolve(unit, cop.id, cop.facilitator, target.item.contribution_id, "se")
    with pytest.raises(StaleAction):  # a code neither coder gave
        await agreement.resolve(unit, cop.id, second, report.open[1].item.contribution_id, "x")
    (row,) = await development.development(unit, cop.id)
    assert row.counts["se"] == 1 and sum(row.counts.values()) == before[0].total


async def test_a_second_coders_bad_input(unit: Unit, cop: Cop) -> None:
    ids = await _coded(unit, cop, 4)
    second = await membership.join(unit, cop.id, person(9, "Sanne"), role="cofacilitator")
    with pytest.raises(InvalidInput):  # fewer than 5 coded
        await coding.second_items(unit, cop.id, second)
    ids += await _coded(unit, cop, 1)
    with pytest.raises(NotAllowed):  # the primary coder of every fragment
        await coding.second_items(unit, cop.id, cop.facilitator)
    with pytest.raises(NotAllowed):
        await coding.code_second(unit, cop.id, cop.facilitator, ids[0], "se")
    with pytest.raises(NotFound):
        await coding.code_second(unit, cop.id, second, ids[-1] + 100, "se")
    with pytest.raises(NotAllowed):  # a teacher is no coder
        await coding.second_items(unit, cop.id, cop.teachers[0])
    with pytest.raises(NotAllowed):
        await agreement.report(unit, cop.id, cop.teachers[0])
