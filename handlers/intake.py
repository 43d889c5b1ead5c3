"""The intake guard's answer: the writer of a held text chooses what happens to it.

`handlers.base.submit` screens every free text; a text that may name a pupil waits
in a dialogue (nothing is stored) until its writer presses one of these buttons.
"""

from __future__ import annotations

from bot.render.callbacks import Button
from bot.services import flows
from bot.services.flows import FlowKind
from bot.services.intake import Release
from bot.texts import issues as issue_texts
from handlers.base import Turn, button, submit


@button(Button.GUARD)
async def guard_pressed(turn: Turn) -> None:
    """Use the pseudonymised suggestion, keep the text as written, or drop it."""
    flow_id, choice = turn.pressed(int, str)
    person = turn.require_person()
    state = await flows.current(turn.unit, flow_id, person.user_id, FlowKind.INTAKE, "confirm")
    community, member = await turn.pair_for(state.community_id)
    await flows.end(turn.unit, state)
    await turn.answer()
    await turn.remove_buttons()
    if choice == "drop":
        await turn.reply(issue_texts.guard_dropped(turn.tr), quote=False)
        return
    text = state.data["suggestion"] if choice == "use" else state.data["text"]
    release = Release(state.data["action"])
    await submit(turn, community, member, text, release, state.data["data"], confirmed=True)
