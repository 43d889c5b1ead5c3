"""The intake guard's answer: the writer of a held text chooses what happens to it.

`handlers.base.submit` screens every free text; a text that may name a pupil waits
in a dialogue (nothing is stored) until its writer presses one of these buttons.
"""

from __future__ import annotations

from bot.render.callbacks import Button
from bot.services import intake
from bot.texts import issues as issue_texts
from handlers.base import Turn, button, submit


@button(Button.GUARD)
async def guard_pressed(turn: Turn) -> None:
    """Use the pseudonymised suggestion, keep the text as written, or drop it."""
    flow_id, choice = turn.pressed(int, str)
    person = turn.require_person()
    settled = await intake.settle(turn.unit, flow_id, person.user_id, choice)
    community, member = await turn.pair_for(settled.community_id)
    await turn.answer()
    await turn.remove_buttons()
    if settled.release is None:
        await turn.reply(issue_texts.guard_dropped(turn.tr), quote=False)
        return
    await submit(
        turn, community, member, settled.text, settled.release, settled.data, confirmed=True
    )
