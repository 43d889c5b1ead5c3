"""The /setup dialogue: name, theme, language, time zone, then one save.

Answers collect in the flow row; the community is written only by `finish`, so a
cancelled or abandoned setup stores nothing half.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

from bot.errors import InvalidInput, NotAllowed, StaleAction
from bot.i18n import LANGUAGE_NAMES, LANGUAGES
from bot.services import communities, membership
from bot.services.unit import Unit
from bot.services.values import CommunityView, Person
from storage.models import Flow, Prompt
from storage.repositories.communities import CommunityRepository
from storage.repositories.flows import FlowRepository, PromptRepository
from storage.repositories.members import MemberRepository

KIND = "setup"
STEPS = ("name", "theme", "language", "timezone", "confirm")
NAME_LIMIT = 100
THEME_LIMIT = 300


@dataclass(frozen=True)
class SetupState:
    flow_id: int
    step: str
    answers: dict[str, Any]
    editing: bool

    @property
    def number(self) -> int:
        return STEPS.index(self.step) + 1


async def start(
    unit: Unit,
    *,
    chat_id: int,
    person: Person,
    group_title: str,
    default_language: str,
    default_timezone: str,
) -> SetupState:
    """Starts (or restarts) the dialogue, pre-filled with current or default values."""
    flows = FlowRepository(unit.session)
    existing = await communities.by_chat(unit, chat_id)
    answers = {
        "name": existing.name if existing else group_title.strip()[:NAME_LIMIT],
        "theme": existing.theme if existing else "",
        "language": existing.language if existing else default_language,
        "timezone": existing.timezone if existing else default_timezone,
    }
    flow = await flows.get(chat_id, person.user_id, KIND)
    if flow is None:
        flow = Flow(chat_id=chat_id, user_id=person.user_id, kind=KIND)
    flow.community_id = existing.id if existing else None
    flow.step = STEPS[0]
    flow.data = {"answers": answers, "editing": existing is not None}
    flow.updated_at = unit.now
    await flows.save(flow)
    return _state(flow)


async def attach_prompt(unit: Unit, state: SetupState, chat_id: int, message_id: int) -> None:
    """Remembers which bot message asks this step, so a reply to it finds the flow."""
    await PromptRepository(unit.session).add(
        Prompt(
            chat_id=chat_id,
            message_id=message_id,
            kind=KIND,
            flow_id=state.flow_id,
            community_id=None,
            created_at=unit.now,
            data={"step": state.step},
        )
    )


async def current(unit: Unit, flow_id: int, user_id: int, step: str) -> SetupState:
    """The flow behind a button or reply, refusing stale steps and other people."""
    flow = await FlowRepository(unit.session).by_id(flow_id)
    if flow is None or flow.kind != KIND or flow.step != step:
        raise StaleAction("stale_button")
    if flow.user_id != user_id:
        raise NotAllowed("not_your_flow")
    return _state(flow)


async def answer(unit: Unit, state: SetupState, value: str | None) -> SetupState:
    """Validates an answer to the current step (None keeps the current value) and moves on."""
    flow = await FlowRepository(unit.session).by_id(state.flow_id)
    assert flow is not None  # `current` checked it in this same unit
    answers = dict(flow.data["answers"])
    if value is not None:
        answers[state.step] = _validate(state.step, value)
    flow.data = {**flow.data, "answers": answers}
    flow.step = STEPS[STEPS.index(state.step) + 1]
    flow.updated_at = unit.now
    await unit.session.flush()
    return _state(flow)


async def finish(
    unit: Unit, state: SetupState, *, chat_type: str, person: Person
) -> tuple[CommunityView, bool]:
    """Writes the CoP in one go; the first setup makes its runner the facilitator."""
    flows = FlowRepository(unit.session)
    flow = await flows.by_id(state.flow_id)
    assert flow is not None
    answers = flow.data["answers"]
    repository = CommunityRepository(unit.session)
    community = await repository.by_chat(flow.chat_id)
    created = community is None
    if community is None:
        community = await communities.create(
            unit, chat_id=flow.chat_id, chat_type=chat_type, **answers
        )
    else:
        for key, value in answers.items():
            setattr(community, key, value)
        community.status = "active"
        community.updated_at = unit.now
    member = await MemberRepository(unit.session, community.id).by_user(person.user_id)
    if member is None:
        await membership.join(unit, community.id, person, role="facilitator")
    elif member.role == "member":
        member.role = "facilitator"
    await flows.remove(flow)
    await unit.session.flush()
    return CommunityView.model_validate(community), created


async def cancel(unit: Unit, chat_id: int, user_id: int) -> bool:
    """Drops the person's unfinished dialogues in this chat; True if there was one."""
    return await FlowRepository(unit.session).remove_for_user(chat_id, user_id) > 0


def _validate(step: str, raw: str) -> str:
    value = " ".join(raw.split())
    if step == "name":
        if not value:
            raise InvalidInput("name_empty")
        if len(value) > NAME_LIMIT:
            raise InvalidInput("name_too_long", limit=NAME_LIMIT, length=len(value))
        return value
    if step == "theme":
        if len(value) > THEME_LIMIT:
            raise InvalidInput("theme_too_long", limit=THEME_LIMIT, length=len(value))
        return value
    if step == "language":
        return parse_language(value)
    if step == "timezone":
        return parse_timezone(value)
    raise StaleAction("stale_button")


def parse_language(value: str) -> str:
    lowered = value.strip().lower()
    for code in LANGUAGES:
        if lowered in (code, LANGUAGE_NAMES[code].lower()):
            return code
    raise InvalidInput("language_unknown")


def parse_timezone(value: str) -> str:
    wanted = value.strip().replace(" ", "_").lower()
    zones = {zone.lower(): zone for zone in available_timezones()}
    if wanted in zones:
        return zones[wanted]
    by_city = [zone for zone in zones.values() if zone.lower().endswith("/" + wanted)]
    if len(by_city) == 1:
        return by_city[0]
    raise InvalidInput("timezone_unknown", value=value.strip()[:64])


def _state(flow: Flow) -> SetupState:
    return SetupState(
        flow_id=flow.id,
        step=flow.step,
        answers=dict(flow.data["answers"]),
        editing=bool(flow.data.get("editing")),
    )
