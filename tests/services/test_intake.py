"""The guard's dialogue: a held text is released as suggested or as written, or dropped."""

from __future__ import annotations

import pytest

from bot.errors import NotAllowed, StaleAction
from bot.services import flows, intake
from bot.services.intake import Release
from bot.services.unit import Unit
from tests.services.conftest import GROUP_CHAT, Cop

NAMING = "Pietje Puk slaat in de klas."


async def _held(unit: Unit, cop: Cop) -> int:
    held = await intake.screen(
        unit, cop.community, 2, GROUP_CHAT, NAMING, Release.ISSUE_ANSWER, {"prompt_id": 7}
    )
    assert held is not None
    return held.flow_id


async def test_the_suggestion_or_the_own_text_is_released(unit: Unit, cop: Cop) -> None:
    settled = await intake.settle(unit, await _held(unit, cop), 2, "use")
    assert settled.release is Release.ISSUE_ANSWER and settled.community_id == cop.id
    assert "Pietje Puk" not in settled.text and settled.data == {"prompt_id": 7}
    settled = await intake.settle(unit, await _held(unit, cop), 2, "keep")
    assert settled.text == NAMING


async def test_dropped_or_pressed_twice_stores_nothing(unit: Unit, cop: Cop) -> None:
    flow_id = await _held(unit, cop)
    with pytest.raises(NotAllowed):  # someone else's warning
        await intake.settle(unit, flow_id, 3, "keep")
    with pytest.raises(StaleAction):  # forged button data
        await intake.settle(unit, flow_id, 2, "publish")
    assert (await intake.settle(unit, flow_id, 2, "drop")).release is None
    assert await flows.find(unit, flow_id, 2, flows.FlowKind.INTAKE) is None
    with pytest.raises(StaleAction):
        await intake.settle(unit, flow_id, 2, "keep")
