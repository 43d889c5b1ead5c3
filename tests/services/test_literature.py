"""The literature rules: reading a source, the /insight dialogue, one source per reference."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput, NotFound
from bot.services import flows, literature
from bot.services.flows import FlowKind
from bot.services.intake import Release
from bot.services.literature import InsightQuestion, InsightState, InsightStep, Source
from bot.services.qualities import Draft
from bot.services.unit import Unit
from tests.services.conftest import Cop


def test_a_source_is_read_from_title_authors_year_or_a_link() -> None:
    assert literature.parse_source("Gedrag in de klas; Jansen, P.; 2019") == Source(
        title="Gedrag in de klas", authors="Jansen, P.", year="2019"
    )
    doi = literature.parse_source("HTTPS://DOI.ORG/10.1037/ABC.123")
    assert (doi.doi, doi.link, doi.key) == ("10.1037/abc.123", None, "doi:10.1037/abc.123")
    assert literature.parse_source("www.example.org/a").link == "https://www.example.org/a"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("  ", "source_missing"),
        ("www.example", "link_invalid"),
        ("x" * 301, "source_title_too_long"),
    ],
)
def test_unusable_sources_are_refused(text: str, code: str) -> None:
    with pytest.raises(InvalidInput, match=code):
        literature.parse_source(text)


async def _answer(unit: Unit, asked: InsightQuestion, text: str) -> InsightQuestion | Draft:
    return await literature.insight_replied(unit, asked.flow, text)


async def test_the_dialogue_asks_source_insight_practice_then_hands_all_to_the_guard(
    unit: Unit, cop: Cop
) -> None:
    first = await literature.begin_insight(unit, cop.id, chat_id=2, user_id=2)
    assert (first.step, first.source) == (InsightStep.SOURCE, None)
    asked = await _answer(unit, first, "Gedrag in de klas; Jansen; 2019")
    assert isinstance(asked, InsightQuestion) and asked.step is InsightStep.INSIGHT
    assert asked.source is not None and asked.source.title == "Gedrag in de klas"
    practice = await _answer(unit, asked, "Gedrag is communicatie")
    assert isinstance(practice, InsightQuestion) and practice.step is InsightStep.PRACTICE
    draft = await _answer(unit, practice, "Eerst kijken wat de leerling nodig heeft")
    assert isinstance(draft, Draft) and draft.release is Release.INSIGHT
    assert draft.text == "Gedrag is communicatie\nEerst kijken wat de leerling nodig heeft"
    assert await flows.find(unit, practice.flow.flow_id, 2, FlowKind.INSIGHT) is None

    source = await literature.save_insight(unit, cop.id, cop.teachers[0], draft.text, draft.data)
    assert source.title == "Gedrag in de klas"
    (item,) = await literature.reading_list(unit, cop.id)
    assert (item.shared_by, item.insights[0].practice) == (
        cop.teachers[0].name,
        "Eerst kijken wat de leerling nodig heeft",
    )


async def test_the_same_source_twice_is_one_source_and_a_listed_one_can_be_added_to(
    unit: Unit, cop: Cop
) -> None:
    anouk, bas = cop.teachers[0], cop.teachers[1]
    reference = literature.parse_source("https://doi.org/10.1037/abc.123")
    first, _ = await literature.save(unit, cop.id, anouk, reference, "a", "b")
    again, _ = await literature.save(
        unit, cop.id, bas, literature.parse_source("doi: 10.1037/ABC.123"), "c", "d"
    )
    assert first == again
    asked = await literature.begin_insight(unit, cop.id, chat_id=3, user_id=3, source_id=first)
    assert asked.step is InsightStep.INSIGHT and asked.source == reference
    with pytest.raises(NotFound, match="source_gone"):
        await literature.begin_insight(unit, cop.id, chat_id=3, user_id=3, source_id=first + 99)
    (item,) = await literature.reading_list(unit, cop.id)
    assert sorted(i.insight for i in item.insights) == ["a", "c"]


def test_a_dialogue_stored_by_the_first_version_loads() -> None:
    old = {"source_id": None, "source": {"title": "T", "authors": "", "year": ""}, "insight": "i"}
    state = InsightState.model_validate(old)
    assert (state.source, state.insight) == (Source(title="T"), "i")
