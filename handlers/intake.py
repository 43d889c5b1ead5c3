"""The intake guard in the chat: every free-text contribution passes here before storing.

When a text may name a pupil, the writer is warned and offered a pseudonymised
version; the text waits in a dialogue (nothing is stored) until they choose.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.errors import StaleAction
from bot.render.callbacks import as_int
from bot.services import flows, issues, membership
from bot.services.intake import check, mask
from bot.services.values import CommunityView, MemberView
from bot.texts import issues as issue_texts
from handlers.base import Turn, turn_callback
from handlers.keyboards import keyboard

GUARD = "ig"

Action = Callable[[Turn, CommunityView, MemberView, str, dict[str, Any]], Awaitable[None]]


def _actions() -> dict[str, Action]:
    """What each kind of text does once it passed the guard (imported late: no cycles)."""
    from handlers import issues as issue_handlers
    from handlers import literature, qualities

    return {
        "issue_answer": issue_handlers.save_answer,
        "reflection": issue_handlers.save_reflection,
        "edit": issue_handlers.save_edit,
        "nomination": qualities.save_nomination,
        "use": qualities.save_use,
        "insight": literature.save_insight,
    }


async def submit(
    turn: Turn,
    community: CommunityView,
    member: MemberView,
    text: str,
    action: str,
    data: dict[str, Any],
    *,
    confirmed: bool = False,
) -> None:
    """Stores a member's text through `action`, after the guard when it is on."""
    settings = await issues.switches(turn.unit, community.id)
    if not confirmed and settings["guard"]:
        names = [m.name for m in await membership.list_members(turn.unit, community.id)]
        findings = check(text, known_names=names)
        if findings:
            person = turn.require_person()
            suggestion = mask(text, findings)
            state = await flows.start(
                turn.unit,
                kind="intake",
                chat_id=turn.chat.id,
                user_id=person.user_id,
                step="confirm",
                community_id=community.id,
                data={"action": action, "text": text, "data": data, "suggestion": suggestion},
            )
            labels = issue_texts.guard_labels(turn.tr)
            markup = keyboard(
                [(labels["use"], (GUARD, state.flow_id, "use"))],
                [(labels["keep"], (GUARD, state.flow_id, "keep"))],
                [(labels["drop"], (GUARD, state.flow_id, "drop"))],
            )
            await turn.reply(issue_texts.guard_warning(turn.tr, findings, suggestion), markup)
            return
    await _actions()[action](turn, community, member, text, data)


@turn_callback
async def guard_pressed(turn: Turn) -> None:
    """Use the pseudonymised suggestion, keep the text as written, or drop it."""
    _, flow_ref, choice = turn.button(3)
    flow_id = as_int(flow_ref)
    if flow_id is None:
        raise StaleAction("stale_button")
    person = turn.require_person()
    state = await flows.current(turn.unit, flow_id, person.user_id, "intake", "confirm")
    pairs = await membership.memberships(turn.unit, person.user_id)
    pair = next((p for p in pairs if p[0].id == state.community_id), None)
    if pair is None:
        raise StaleAction("stale_button")
    await flows.end(turn.unit, state)
    await turn.answer()
    if turn.query and turn.query.message:
        await turn.query.message.edit_reply_markup(None)
    if choice == "drop":
        await turn.reply(issue_texts.guard_dropped(turn.tr), quote=False)
        return
    text = state.data["suggestion"] if choice == "use" else state.data["text"]
    await submit(turn, *pair, text, state.data["action"], state.data["data"], confirmed=True)
