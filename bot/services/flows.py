"""Multi-step dialogues kept in the database (one per person, chat and kind).

Each step's question is a bot message remembered as a prompt, so a reply to it
or a press on its buttons finds the dialogue again after a restart, on any
instance. Answers collect in `data`; the dialogue's owner applies them in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from bot.errors import NotAllowed, StaleAction
from bot.services.unit import Unit
from storage.models import Flow, Prompt
from storage.repositories.flows import FlowRepository, PromptRepository


class FlowKind(StrEnum):
    """Every kind of dialogue, declared once. Stored in `flows.kind`: values never change."""

    SETUP = "setup"
    PLAN = "plan"
    QUALITIES = "qualities"
    INSIGHT = "insight"
    INTAKE = "intake"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class FlowState:
    flow_id: int
    kind: str
    step: str
    data: dict[str, Any]
    chat_id: int
    community_id: int | None


async def start(
    unit: Unit,
    *,
    kind: str,
    chat_id: int,
    user_id: int,
    step: str,
    data: dict[str, Any],
    community_id: int | None = None,
) -> FlowState:
    """Starts a dialogue, replacing an unfinished one of the same kind."""
    flows = FlowRepository(unit.session)
    flow = await flows.get(chat_id, user_id, kind)
    if flow is None:
        flow = Flow(chat_id=chat_id, user_id=user_id, kind=kind)
    flow.community_id = community_id
    flow.step = step
    flow.data = data
    flow.updated_at = unit.now
    await flows.save(flow)
    return _state(flow)


async def current(unit: Unit, flow_id: int, user_id: int, kind: str, step: str) -> FlowState:
    """The dialogue behind a button or reply; refuses old steps and other people."""
    flow = await FlowRepository(unit.session).by_id(flow_id)
    if flow is None or flow.kind != kind or flow.step != step:
        raise StaleAction("stale_button")
    if flow.user_id != user_id:
        raise NotAllowed("not_your_flow")
    return _state(flow)


async def find(unit: Unit, flow_id: int, user_id: int, kind: str) -> FlowState | None:
    """The dialogue if it still exists (whatever its step), for the person who owns it."""
    flow = await FlowRepository(unit.session).by_id(flow_id)
    if flow is None or flow.kind != kind or flow.user_id != user_id:
        return None
    return _state(flow)


async def advance(unit: Unit, state: FlowState, step: str, data: dict[str, Any]) -> FlowState:
    flow = await FlowRepository(unit.session).by_id(state.flow_id)
    if flow is None:
        raise StaleAction("stale_button")
    flow.step = step
    flow.data = data
    flow.updated_at = unit.now
    await unit.session.flush()
    return _state(flow)


async def end(unit: Unit, state: FlowState) -> None:
    flows = FlowRepository(unit.session)
    flow = await flows.by_id(state.flow_id)
    if flow is not None:
        await flows.remove(flow)


async def attach_prompt(unit: Unit, state: FlowState, chat_id: int, message_id: int) -> None:
    """Remembers which bot message asks this step, so a reply to it finds the dialogue."""
    await PromptRepository(unit.session).add(
        Prompt(
            chat_id=chat_id,
            message_id=message_id,
            kind=state.kind,
            flow_id=state.flow_id,
            community_id=state.community_id,
            created_at=unit.now,
            data={"step": state.step},
        )
    )


async def cancel(unit: Unit, chat_id: int, user_id: int) -> bool:
    """Drops the person's unfinished dialogues in this chat; True if there was one."""
    return await FlowRepository(unit.session).remove_for_user(chat_id, user_id) > 0


def _state(flow: Flow) -> FlowState:
    return FlowState(
        flow_id=flow.id,
        kind=flow.kind,
        step=flow.step,
        data=dict(flow.data),
        chat_id=flow.chat_id,
        community_id=flow.community_id,
    )


async def take_lock(unit: Unit, name: str, chat_id: int, max_age: timedelta) -> bool:
    """A per-chat lock kept as a flow row (user 0): one long job at a time per CoP.

    A lock older than `max_age` is taken over: its holder died or hung.
    """
    flows = FlowRepository(unit.session)
    lock = await flows.get(chat_id, 0, name)
    if lock is not None and unit.now - lock.updated_at < max_age:
        return False
    if lock is None:
        lock = Flow(chat_id=chat_id, user_id=0, kind=name, step="busy", data={})
    lock.updated_at = unit.now
    await flows.save(lock)
    return True


async def release_lock(unit: Unit, name: str, chat_id: int) -> None:
    flows = FlowRepository(unit.session)
    lock = await flows.get(chat_id, 0, name)
    if lock is not None:
        await flows.remove(lock)
