"""Free text a member sends to the bot outside a prompt reply.

It goes to what is open in the member's CoP (an issue round); when nothing is,
the bot says so and stores nothing.
"""

from __future__ import annotations

from bot.services import issues
from bot.services.issues import RoundView
from bot.services.unit import Unit
from bot.services.values import CommunityView


async def route(unit: Unit, community: CommunityView) -> RoundView | None:
    """The open prompt a private message answers, or None (then nothing is stored)."""
    return await issues.open_round(unit, community.id)
