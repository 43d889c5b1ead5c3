"""The qualities rules: the private round's state machine, counting, hiding, merging."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.services import flows, qualities
from bot.services.flows import FlowKind
from bot.services.intake import Release
from bot.services.qualities import Draft, RoundEnd, RoundQuestion, RoundState, RoundStep
from bot.services.unit import Unit
from tests.services.conftest import GROUP_CHAT, Cop

ANOUK_CHAT = 2  # Anouk's private chat (user 2)


async def _open(unit: Unit, cop: Cop) -> int:
    return await qualities.start_round(unit, cop.id, GROUP_CHAT, 500)


async def _begin(unit: Unit, cop: Cop) -> RoundQuestion:
    asked = await qualities.begin_part(unit, cop.id, cop.teachers[0], chat_id=ANOUK_CHAT, user_id=2)
    assert isinstance(asked, RoundQuestion)
    return asked


async def _reply(unit: Unit, cop: Cop, asked: RoundQuestion, text: str) -> RoundQuestion | Draft:
    outcome = await qualities.round_replied(unit, asked.flow, cop.teachers[0], text)
    assert not isinstance(outcome, RoundEnd)
    return outcome


async def _saved(unit: Unit, cop: Cop, draft: Draft) -> RoundQuestion:
    assert draft.release is Release.NOMINATION
    saved = await qualities.save_nomination(
        unit, cop.id, cop.teachers[0], 2, draft.text, draft.data
    )
    assert isinstance(saved.next, RoundQuestion)
    return saved.next


async def test_no_round_and_nobody_else(unit: Unit, cop: Cop) -> None:
    anouk = cop.teachers[0]
    begin = qualities.begin_part(unit, cop.id, anouk, chat_id=ANOUK_CHAT, user_id=2)
    assert await begin is RoundEnd.NO_ROUND
    await _open(unit, cop)
    with pytest.raises(InvalidInput, match="round_already_open"):
        await _open(unit, cop)


async def test_a_quality_with_example_then_another_then_a_title(unit: Unit, cop: Cop) -> None:
    await _open(unit, cop)
    asked = await _begin(unit, cop)
    assert (asked.step, asked.nominee, asked.position, asked.total) == (
        RoundStep.QUALITY,
        cop.facilitator.name,
        1,
        3,
    )
    draft = await _reply(unit, cop, asked, "summarises well: she summarised our issues")
    assert isinstance(draft, Draft)
    assert (draft.text, draft.data["quality"]) == ("she summarised our issues", "summarises well")
    again = await _saved(unit, cop, draft)
    assert (again.step, again.again, again.nominee) == (
        RoundStep.QUALITY,
        True,
        cop.facilitator.name,
    )
    assert again.suggestions == ()  # never what she just named in this colleague (issue 15)

    title = await qualities.round_pressed(unit, again.flow.flow_id, 2, "quality", qualities.NEXT)
    assert isinstance(title, RoundQuestion) and title.step is RoundStep.TITLE
    following = await _reply(unit, cop, title, "Caretaker")
    assert isinstance(following, RoundQuestion)
    assert (following.step, following.nominee, following.position, following.again) == (
        RoundStep.QUALITY,
        cop.teachers[1].name,
        2,
        False,
    )
    assert following.suggestions == ()  # a quality of another colleague invites copying
    profile = await qualities.profile(unit, cop.id, cop.facilitator, cop.facilitator.id)
    assert profile.title == "Caretaker" and profile.qualities[0].count == 1


async def test_a_quality_without_example_and_a_suggestion_ask_for_the_example(
    unit: Unit, cop: Cop
) -> None:
    await _open(unit, cop)
    await qualities.nominate(unit, cop.id, cop.teachers[1], cop.facilitator.id, "patient", "")
    asked = await _begin(unit, cop)
    example = await _reply(unit, cop, asked, "asks good questions")
    assert isinstance(example, RoundQuestion)
    assert (example.step, example.pending) == (RoundStep.EXAMPLE, "asks good questions")
    draft = await _reply(unit, cop, example, "she asked why")
    assert isinstance(draft, Draft) and draft.data["quality"] == "asks good questions"

    asked = await _begin(unit, cop)  # starts over at the same person (nothing saved yet)
    assert asked.suggestions == ("patient",)
    picked = await qualities.round_pressed(
        unit, asked.flow.flow_id, 2, "quality", qualities.suggestion_action(0)
    )
    assert isinstance(picked, RoundQuestion)
    assert (picked.step, picked.pending) == (RoundStep.EXAMPLE, "patient")


async def test_skipping_and_the_end_of_the_round(unit: Unit, cop: Cop) -> None:
    await _open(unit, cop)
    asked = await _begin(unit, cop)
    for expected in (cop.facilitator, cop.teachers[1], cop.teachers[2]):
        assert asked.nominee == expected.name
        title = await qualities.round_pressed(unit, asked.flow.flow_id, 2, "quality", "next")
        assert isinstance(title, RoundQuestion)
        skipped = await qualities.round_pressed(unit, title.flow.flow_id, 2, "title", "skip")
        if expected is cop.teachers[2]:
            assert skipped is RoundEnd.FINISHED
        else:
            assert isinstance(skipped, RoundQuestion)
            asked = skipped
    assert await flows.find(unit, asked.flow.flow_id, 2, FlowKind.QUALITIES) is None


async def test_stop_and_go_on_skips_who_was_named(unit: Unit, cop: Cop) -> None:
    await _open(unit, cop)
    asked = await _begin(unit, cop)
    draft = await _reply(unit, cop, asked, "kind: she helped")
    assert isinstance(draft, Draft)
    await _saved(unit, cop, draft)
    stopped = await qualities.round_pressed(unit, asked.flow.flow_id, 2, "quality", "stop")
    assert stopped is RoundEnd.PAUSED
    resumed = await _begin(unit, cop)
    assert (resumed.nominee, resumed.position, resumed.total) == (cop.teachers[1].name, 2, 3)


async def test_stale_and_forged_presses_are_refused(unit: Unit, cop: Cop) -> None:
    await _open(unit, cop)
    asked = await _begin(unit, cop)
    flow_id = asked.flow.flow_id
    with pytest.raises(StaleAction):  # a button of an earlier step
        await qualities.round_pressed(unit, flow_id, 2, "title", "skip")
    with pytest.raises(StaleAction):  # a suggestion that was never offered
        await qualities.round_pressed(unit, flow_id, 2, "quality", "s7")
    with pytest.raises(StaleAction):
        await qualities.round_pressed(unit, flow_id, 2, "quality", "bogus")
    with pytest.raises(NotAllowed, match="not_your_flow"):
        await qualities.round_pressed(unit, flow_id, 3, "quality", "stop")


def test_a_round_state_stored_by_the_first_version_loads() -> None:
    old = {"round": 9, "queue": [4, 5], "index": 1, "total": 3, "done": 1, "again": True}
    state = RoundState.model_validate({**old, "suggestions": ["kind"], "pending": "kind"})
    assert (state.nominee_id, state.pending) == (5, "kind")
    assert RoundState.model_validate(old).next_person().nominee_id is None


async def test_the_same_quality_again_counts_once(unit: Unit, cop: Cop) -> None:
    anouk, bas = cop.teachers[0], cop.teachers[1]
    _, new = await qualities.nominate(unit, cop.id, anouk, bas.id, "Summarises well", "one")
    _, again = await qualities.nominate(unit, cop.id, anouk, bas.id, "summarises well!", "two")
    assert (new, again) == (True, False)
    view = await qualities.profile(unit, cop.id, bas, bas.id)
    assert [(q.quality, q.count, q.examples) for q in view.qualities] == [
        ("Summarises well", 1, ["one", "two"])
    ]


async def test_quality_and_title_limits(unit: Unit, cop: Cop) -> None:
    with pytest.raises(InvalidInput, match="quality_missing"):
        qualities.check_quality(" ?! ")
    with pytest.raises(InvalidInput, match="quality_too_long"):
        qualities.check_quality("x" * 81)
    anouk, bas = cop.teachers[0], cop.teachers[1]
    with pytest.raises(InvalidInput, match="quality_title_too_long"):
        await qualities.propose_title(unit, cop.id, anouk, bas.id, "x" * 61)
    with pytest.raises(InvalidInput, match="quality_example_too_long"):
        await qualities.nominate(unit, cop.id, anouk, bas.id, "kind", "x" * 501)


async def test_others_profiles_wait_for_the_round_and_hidden_ones_stay_hidden(
    unit: Unit, cop: Cop
) -> None:
    anouk, bas = cop.teachers[0], cop.teachers[1]
    nomination_id, _ = await qualities.nominate(unit, cop.id, anouk, bas.id, "kind", "a")
    await _open(unit, cop)
    with pytest.raises(NotAllowed, match="profiles_after_round"):
        await qualities.profile(unit, cop.id, anouk, bas.id)
    await qualities.set_hidden(unit, cop.id, bas, nomination_id, True)
    with pytest.raises(NotFound):  # only about oneself
        await qualities.set_hidden(unit, cop.id, anouk, nomination_id, False)
    closed = await qualities.close_round(unit, cop.id, cop.facilitator)
    assert {p.name: p.qualities for p in closed}[bas.name] == []
    assert (await qualities.profile(unit, cop.id, bas, bas.id)).qualities[0].hidden == 1
    with pytest.raises(InvalidInput, match="no_open_round"):
        await qualities.close_round(unit, cop.id, cop.facilitator)


async def test_use_merge_and_stats(unit: Unit, cop: Cop) -> None:
    anouk, bas = cop.teachers[0], cop.teachers[1]
    draft = await qualities.read_use(unit, cop.id, anouk, "@bas veel kennis: he explained")
    assert (draft.text, draft.release, draft.data) == (
        "he explained",
        Release.USE,
        {"whose": bas.id, "quality": "veel kennis"},
    )
    saved = await qualities.save_use(unit, cop.id, anouk, draft.text, draft.data)
    assert (saved.quality, saved.whose) == ("veel kennis", bas.name)
    await qualities.nominate(unit, cop.id, anouk, bas.id, "kennis van zaken", "")
    with pytest.raises(InvalidInput, match="qualities_usage"):
        await qualities.merge_named(unit, cop.id, "kennis van zaken")
    with pytest.raises(NotFound, match="quality_unknown"):
        await qualities.merge_named(unit, cop.id, "nothing = veel kennis")
    assert await qualities.merge_named(unit, cop.id, "kennis van zaken = Veel kennis") == 1
    rows = await qualities.stats(unit, cop.id)
    assert [(r.member, r.named, r.used) for r in rows] == [(bas.name, 1, 1)]
    with pytest.raises(NotFound, match="not_member_any_more"):
        await qualities.read_use(unit, cop.id, anouk, "@nobody kind: yes")
