"""The /setup dialogue: name, theme, language, time zone, then one save.

Answers collect in the flow; the community is written only by `finish`, so a
cancelled or abandoned setup stores nothing half.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from bot.errors import InvalidInput, StaleAction
from bot.i18n import LANGUAGE_NAMES, LANGUAGES
from bot.services import communities, flows, membership
from bot.services.flows import FlowKind, FlowState
from bot.services.unit import Unit
from bot.services.values import CommunityView, Person
from storage.repositories.communities import CommunityRepository
from storage.repositories.members import MemberRepository

KIND = FlowKind.SETUP
STEPS = ("name", "theme", "language", "timezone", "confirm")
NAME_LIMIT = 100
THEME_LIMIT = 300


def step_number(state: FlowState) -> int:
    return STEPS.index(state.step) + 1


async def start(
    unit: Unit,
    *,
    chat_id: int,
    person: Person,
    group_title: str,
    default_language: str,
    default_timezone: str,
) -> FlowState:
    """Starts (or restarts) the dialogue, pre-filled with current or default values."""
    existing = await communities.by_chat(unit, chat_id)
    answers = {
        "name": existing.name if existing else group_title.strip()[:NAME_LIMIT],
        "theme": existing.theme if existing else "",
        "language": existing.language if existing else default_language,
        "timezone": existing.timezone if existing else default_timezone,
    }
    return await flows.start(
        unit,
        kind=KIND,
        chat_id=chat_id,
        user_id=person.user_id,
        step=STEPS[0],
        data={"answers": answers, "editing": existing is not None},
        community_id=existing.id if existing else None,
    )


async def answer(unit: Unit, state: FlowState, value: str | None) -> FlowState:
    """Validates an answer to the current step (None keeps the current value) and moves on."""
    answers = dict(state.data["answers"])
    if value is not None:
        answers[state.step] = _validate(state.step, value)
    next_step = STEPS[STEPS.index(state.step) + 1]
    return await flows.advance(unit, state, next_step, {**state.data, "answers": answers})


async def finish(
    unit: Unit, state: FlowState, *, chat_type: str, person: Person
) -> tuple[CommunityView, bool]:
    """Writes the CoP in one go; the first setup makes its runner the facilitator."""
    answers = state.data["answers"]
    community = await CommunityRepository(unit.session).by_chat(state.chat_id)
    created = community is None
    if community is None:
        community = await communities.create(
            unit, chat_id=state.chat_id, chat_type=chat_type, **answers
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
    await flows.end(unit, state)
    await unit.session.flush()
    return CommunityView.model_validate(community), created


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
