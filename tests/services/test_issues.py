"""Issue rounds: an answer is stored once per member, a second one waits for a choice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import InvalidInput, NotAllowed, StaleAction
from bot.services import flows, issues
from bot.services.issues import AnswerCancelled, AnswerSaved, NeedsChoice, RoundView
from bot.services.prompts import PromptView
from bot.services.unit import Unit
from storage.models import Contribution
from storage.repositories.contributions import ContributionRepository
from tests.services.conftest import GROUP_CHAT, Cop


async def _round(unit: Unit, cop: Cop) -> RoundView:
    return await issues.start_round(unit, cop.id, GROUP_CHAT, 100, None)


async def _answer(unit: Unit, cop: Cop, round_: RoundView, text: str) -> issues.AnswerOutcome:
    teacher = cop.teachers[0]
    data = {"prompt_id": round_.prompt_id}
    return await issues.answer(unit, cop.id, teacher, text, data, user_id=2, chat_id=GROUP_CHAT)


async def _issues(unit: Unit, cop: Cop, kind: str = issues.ISSUE) -> list[Contribution]:
    return await ContributionRepository(unit.session, cop.id).of_kinds([kind])


async def test_a_first_answer_is_stored_with_who_answered(unit: Unit, cop: Cop) -> None:
    round_ = await _round(unit, cop)
    saved = await _answer(unit, cop, round_, "a) Mijn klas is onrustig\nb) Samen pauzes regelen")
    assert isinstance(saved, AnswerSaved)
    assert saved.has_shared and not saved.replaced and saved.nudge
    assert saved.progress.answered == [cop.teachers[0].name]
    assert len(saved.progress.waiting) == 3
    assert [c.text for c in await _issues(unit, cop)] == ["Mijn klas is onrustig"]
    assert [c.text for c in await _issues(unit, cop, issues.SHARED_SUGGESTION)] == [
        "Samen pauzes regelen"
    ]


async def test_a_second_answer_waits_then_replaces(unit: Unit, cop: Cop) -> None:
    round_ = await _round(unit, cop)
    await _answer(unit, cop, round_, "Eerste\nb) gedeeld")
    held = await _answer(unit, cop, round_, "Tweede")
    assert isinstance(held, NeedsChoice)
    assert [c.text for c in await _issues(unit, cop)] == ["Eerste"]  # nothing stored yet
    saved = await issues.settle_duplicate(unit, held.flow_id, 2, "r")
    assert isinstance(saved, AnswerSaved) and saved.replaced
    assert [c.text for c in await _issues(unit, cop)] == ["Tweede"]
    assert await _issues(unit, cop, issues.SHARED_SUGGESTION) == []  # its shared part went too
    with pytest.raises(StaleAction):  # the dialogue is over: a second press is stale
        await issues.settle_duplicate(unit, held.flow_id, 2, "a")


async def test_a_second_answer_can_be_added_or_cancelled(unit: Unit, cop: Cop) -> None:
    round_ = await _round(unit, cop)
    await _answer(unit, cop, round_, "Eerste")
    held = await _answer(unit, cop, round_, "Tweede")
    assert isinstance(held, NeedsChoice)
    with pytest.raises(NotAllowed):  # someone else's dialogue
        await issues.settle_duplicate(unit, held.flow_id, 3, "a")
    assert isinstance(await issues.settle_duplicate(unit, held.flow_id, 2, "c"), AnswerCancelled)
    assert [c.text for c in await _issues(unit, cop)] == ["Eerste"]
    held = await _answer(unit, cop, round_, "Tweede")
    assert isinstance(held, NeedsChoice)
    saved = await issues.settle_duplicate(unit, held.flow_id, 2, "a")
    assert isinstance(saved, AnswerSaved) and not saved.replaced
    assert sorted(c.text for c in await _issues(unit, cop)) == ["Eerste", "Tweede"]


async def test_the_duplicate_dialogue_keeps_its_stored_keys(unit: Unit, cop: Cop) -> None:
    round_ = await _round(unit, cop)
    await _answer(unit, cop, round_, "Eerste")
    held = await _answer(unit, cop, round_, "Tweede")
    assert isinstance(held, NeedsChoice)
    state = await flows.find(unit, held.flow_id, 2, flows.FlowKind.DUPLICATE)
    assert state is not None
    assert state.data == {"text": "Tweede", "data": {"prompt_id": round_.prompt_id}}


async def test_a_closed_round_stores_nothing(unit: Unit, cop: Cop) -> None:
    past = await issues.start_round(unit, cop.id, GROUP_CHAT, 99, unit.now - timedelta(hours=1))
    with pytest.raises(InvalidInput) as refused:
        await _answer(unit, cop, past, "Te laat")
    assert refused.value.msgid == "issue_round_closed"
    with pytest.raises(InvalidInput) as none_open:
        await issues.close(unit, cop.id)
    assert none_open.value.msgid == "issue_round_none"
    closed = await _round(unit, cop)
    await issues.close(unit, cop.id)
    with pytest.raises(InvalidInput):
        await _answer(unit, cop, closed, "Ook te laat")
    assert await _issues(unit, cop) == []


async def test_one_open_round_at_a_time_and_the_nudge_switch(unit: Unit, cop: Cop) -> None:
    round_ = await _round(unit, cop)
    with pytest.raises(InvalidInput) as refused:
        await _round(unit, cop)
    assert refused.value.msgid == "issue_round_open"
    await issues.set_switch(unit, cop.id, "nudge", False)
    saved = await _answer(unit, cop, round_, "Mijn vraag")
    assert isinstance(saved, AnswerSaved) and not saved.nudge
    progress = await issues.close(unit, cop.id)
    assert progress.answered == [cop.teachers[0].name]


async def test_only_the_asked_member_reflects(unit: Unit, cop: Cop) -> None:
    round_ = await _round(unit, cop)
    saved = await _answer(unit, cop, round_, "Mijn vraag")
    assert isinstance(saved, AnswerSaved)
    await issues.remember_reflection(unit, saved, GROUP_CHAT, 101)
    prompt = PromptView(
        id=1,
        community_id=cop.id,
        chat_id=GROUP_CHAT,
        message_id=101,
        kind="issue_reflection",
        flow_id=None,
        meeting_id=None,
        data={"issue_id": saved.contribution_id, "member_id": saved.member_id},
    )
    assert issues.reflection_target(prompt, cop.teachers[0]) == saved.contribution_id
    with pytest.raises(NotAllowed):
        issues.reflection_target(prompt, cop.teachers[1])
    await issues.save_reflection(unit, cop.id, cop.teachers[0], saved.contribution_id, "Ik")
    assert [c.parent_id for c in await _issues(unit, cop, issues.REFLECTION)] == [
        saved.contribution_id
    ]
