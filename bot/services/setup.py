"""The /setup dialogue: name, theme, language, time zone, then one save.

Answers collect in the flow (typed as `SetupState`); the community is written only
when the runner saves, so a cancelled or abandoned setup stores nothing half.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import available_timezones

from pydantic import BaseModel

from bot.errors import InvalidInput, StaleAction
from bot.i18n import LANGUAGE_NAMES, LANGUAGES
from bot.services import communities, flows, lifecycle, membership
from bot.services.flows import FlowKind, FlowState
from bot.services.unit import Unit
from bot.services.values import CommunityView, Person
from storage.repositories.communities import CommunityRepository
from storage.repositories.members import MemberRepository

KIND = FlowKind.SETUP
MAIN = "facilitator"
STEPS = ("name", "theme", "language", "timezone", "confirm")
NAME_LIMIT = 100
THEME_LIMIT = 300


class SetupAnswers(BaseModel):
    name: str
    theme: str
    language: str
    timezone: str


class SetupState(BaseModel):
    """What the dialogue keeps in `FlowState.data` (the stored keys of the first version)."""

    answers: SetupAnswers
    editing: bool = False
    starter: int | None = None  # the admin who started it (the only one who can save it)


@dataclass(frozen=True)
class SetupStep:
    """The step to ask next, with what is known so far."""

    flow: FlowState
    answers: SetupAnswers
    editing: bool
    needs_consent: bool = False  # the saver is no member yet: the letter and "I agree"

    @property
    def flow_id(self) -> int:
        return self.flow.flow_id

    @property
    def step(self) -> str:
        return self.flow.step

    @property
    def number(self) -> int:
        return STEPS.index(self.step) + 1

    @property
    def current(self) -> str:
        """The current answer of this step ("" for none or for the confirm step)."""
        return str(getattr(self.answers, self.step, "") or "")


@dataclass(frozen=True)
class SetupSaved:
    community: CommunityView
    created: bool


@dataclass(frozen=True)
class SetupCancelled:
    pass


SetupOutcome = SetupStep | SetupSaved | SetupCancelled


async def start(
    unit: Unit,
    *,
    chat_id: int,
    person: Person,
    group_title: str,
    default_language: str,
    default_timezone: str,
) -> SetupStep:
    """Starts (or restarts) the dialogue, pre-filled with current or default values."""
    existing = await communities.by_chat(unit, chat_id)
    answers = SetupAnswers(
        name=existing.name if existing else group_title.strip()[:NAME_LIMIT],
        theme=existing.theme if existing else "",
        language=existing.language if existing else default_language,
        timezone=existing.timezone if existing else default_timezone,
    )
    state = await flows.start(
        unit,
        kind=KIND,
        chat_id=chat_id,
        user_id=person.user_id,
        step=STEPS[0],
        data=SetupState(
            answers=answers, editing=existing is not None, starter=person.user_id
        ).model_dump(),
        community_id=existing.id if existing else None,
    )
    return _step(state)


async def answer(unit: Unit, state: FlowState, value: str | None) -> SetupStep:
    """Validates an answer to the current step (None keeps the current value) and moves on."""
    data = SetupState.model_validate(state.data)
    if value is not None:
        setattr(data.answers, state.step, _validate(state.step, value))
    next_step = STEPS[STEPS.index(state.step) + 1]
    advanced = await flows.advance(unit, state, next_step, data.model_dump())
    if next_step == "confirm":
        return _step(advanced, needs_consent=not await _is_member(unit, advanced))
    return _step(advanced)


async def press(
    unit: Unit, flow_id: int, person: Person, step: str, value: str, *, chat_type: str
) -> SetupOutcome:
    """A button of the dialogue: keep, skip, a language; on the last step save or cancel.

    Only the admin who started the dialogue can press its buttons (the flow is theirs);
    "agree" saves and records their consent to the letter the summary showed them;
    "save" is for a saver who is a member already (who consented when they joined).
    """
    state = await flows.current(unit, flow_id, person.user_id, KIND, step)
    if step != "confirm":
        return await answer(unit, state, {"keep": None, "skip": ""}.get(value, value))
    if value == "cancel":
        await flows.end(unit, state)
        return SetupCancelled()
    if value not in SAVES:
        raise StaleAction("stale_button")
    if value != "agree" and not await _is_member(unit, state):
        return _step(state, needs_consent=True)  # no consent was asked: show the letter
    return await _finish(unit, state, chat_type=chat_type, person=person)


SAVES = ("save", "agree")


async def _is_member(unit: Unit, state: FlowState) -> bool:
    community = await communities.by_chat(unit, state.chat_id)
    starter = SetupState.model_validate(state.data).starter
    if community is None or starter is None:
        return False
    return await membership.member_of(unit, community.id, starter) is not None


async def _finish(unit: Unit, state: FlowState, *, chat_type: str, person: Person) -> SetupSaved:
    """Writes the CoP in one go; a saver who was no member joins, with the consent they gave.

    The saver facilitates: as the main facilitator when the CoP has none (a first setup,
    or an administrator taking over a CoP whose facilitator is gone), else as co-facilitator.
    """
    answers = SetupState.model_validate(state.data).answers.model_dump()
    community = await CommunityRepository(unit.session).by_chat(state.chat_id)
    created = community is None
    if community is None:
        community = await communities.create(
            unit, chat_id=state.chat_id, chat_type=chat_type, **answers
        )
    else:
        for key, value in answers.items():
            setattr(community, key, value)
        lifecycle.reopened(community, unit.now)
    members = MemberRepository(unit.session, community.id)
    role = "cofacilitator" if any(m.role == MAIN for m in await members.active()) else MAIN
    member = await members.by_user(person.user_id)
    if member is None or member.status != "active":
        await membership.join(unit, community.id, person, role=role)
    elif member.role == "member":
        member.role = role
    await flows.end(unit, state)
    await unit.session.flush()
    return SetupSaved(CommunityView.model_validate(community), created)


def _step(state: FlowState, *, needs_consent: bool = False) -> SetupStep:
    data = SetupState.model_validate(state.data)
    return SetupStep(state, data.answers, data.editing, needs_consent)


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
