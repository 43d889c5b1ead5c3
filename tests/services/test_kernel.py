"""The kernel's rules: sub-command rights and the guard's screening of free text."""

from __future__ import annotations

from bot.commands import BY_NAME, Where, Who
from bot.services import flows, intake, issues
from bot.services.intake import Release
from bot.services.unit import Unit
from tests.services.conftest import Cop


def test_sub_command_rights_come_from_the_table() -> None:
    shared = BY_NAME["shared"]
    assert shared.rule_for(["history"], Where.GROUP) is Who.MEMBER
    assert shared.rule_for(["rule", "all"], Where.GROUP) is Who.FACILITATOR
    assert shared.rule_for([], Where.GROUP) is Who.FACILITATOR
    qualities = BY_NAME["qualities"]
    assert qualities.rule_for(["stats"], Where.GROUP) is Who.MEMBER
    assert qualities.rule_for(["close"], Where.GROUP) is Who.FACILITATOR
    assert qualities.rule_for([], Where.PRIVATE) is Who.MEMBER  # doing one's own part


async def test_a_text_naming_a_pupil_is_held_unstored(unit: Unit, cop: Cop) -> None:
    teacher = cop.teachers[0]
    held = await intake.screen(
        unit, cop.community, 2, -1001, "Pietje Puk (BSN 111222333) slaat.", Release.INSIGHT, {}
    )
    assert held is not None
    assert "leerling" in held.suggestion
    state = await flows.find(unit, held.flow_id, 2, flows.FlowKind.INTAKE)
    assert state is not None and state.data["action"] == "insight"
    assert teacher.name not in [f.excerpt for f in held.findings]


async def test_colleagues_names_and_a_switched_off_guard_pass(unit: Unit, cop: Cop) -> None:
    text = f"{cop.teachers[1].name} hielp me met de dagplanning."
    assert await intake.screen(unit, cop.community, 2, -1001, text, Release.INSIGHT, {}) is None
    await issues.set_switch(unit, cop.id, "guard", False)
    naming = "Pietje Puk slaat in de klas."
    assert await intake.screen(unit, cop.community, 2, -1001, naming, Release.INSIGHT, {}) is None
