"""The /setup dialogue: answers are checked per step, nothing is stored before saving."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput, NotAllowed
from bot.services import communities, setup
from bot.services.setup import SetupCancelled, SetupSaved, SetupStep
from bot.services.unit import Unit
from tests.services.conftest import person

CHAT = -2002


async def _start(unit: Unit) -> SetupStep:
    return await setup.start(
        unit,
        chat_id=CHAT,
        person=person(7, "Fenna"),
        group_title="  Groep 7  ",
        default_language="nl",
        default_timezone="Europe/Amsterdam",
    )


async def test_a_first_setup_saves_once_and_makes_a_facilitator(unit: Unit) -> None:
    step = await _start(unit)
    assert (step.step, step.number, step.current, step.editing) == ("name", 1, "Groep 7", False)
    step = await setup.answer(unit, step.flow, "  CoP   Gedrag ")
    assert step.answers.name == "CoP Gedrag"
    outcome = await setup.press(
        unit, step.flow_id, person(7, "Fenna"), "theme", "skip", chat_type="group"
    )
    assert isinstance(outcome, SetupStep) and outcome.answers.theme == ""
    outcome = await setup.press(
        unit, outcome.flow_id, person(7, "Fenna"), "language", "en", chat_type="group"
    )
    assert isinstance(outcome, SetupStep)
    outcome = await setup.answer(unit, outcome.flow, "brussels")
    assert outcome.step == "confirm" and outcome.answers.timezone == "Europe/Brussels"
    assert await communities.by_chat(unit, CHAT) is None  # nothing stored before saving
    assert outcome.needs_consent  # no member yet: the summary shows the letter
    unasked = await setup.press(
        unit, outcome.flow_id, person(7, "Fenna"), "confirm", "save", chat_type="group"
    )
    assert isinstance(unasked, SetupStep) and unasked.needs_consent  # saving needs "I agree"
    assert await communities.by_chat(unit, CHAT) is None
    saved = await setup.press(
        unit, outcome.flow_id, person(7, "Fenna"), "confirm", "agree", chat_type="group"
    )
    assert isinstance(saved, SetupSaved) and saved.created
    assert (saved.community.name, saved.community.language) == ("CoP Gedrag", "en")
    again = await _start(unit)
    assert again.editing and again.current == "CoP Gedrag"


async def test_answers_are_checked_and_the_dialogue_is_the_starters(unit: Unit) -> None:
    step = await _start(unit)
    with pytest.raises(InvalidInput, match="name_empty"):
        await setup.answer(unit, step.flow, "   ")
    with pytest.raises(InvalidInput, match="name_too_long"):
        await setup.answer(unit, step.flow, "x" * 101)
    with pytest.raises(NotAllowed):
        await setup.press(unit, step.flow_id, person(8, "Bas"), "name", "keep", chat_type="group")
    with pytest.raises(InvalidInput, match="timezone_unknown"):
        setup.parse_timezone("Atlantis/Nowhere")
    assert setup.parse_language("English") == "en"


async def test_cancel_on_the_last_step_stores_nothing(unit: Unit) -> None:
    step = await _start(unit)
    for value in ("keep", "skip", "keep", "keep"):
        outcome = await setup.press(
            unit, step.flow_id, person(7, "Fenna"), step.step, value, chat_type="group"
        )
        assert isinstance(outcome, SetupStep)
        step = outcome
    cancelled = await setup.press(
        unit, step.flow_id, person(7, "Fenna"), "confirm", "cancel", chat_type="group"
    )
    assert isinstance(cancelled, SetupCancelled)
    assert await communities.by_chat(unit, CHAT) is None
