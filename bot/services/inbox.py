"""Free text a member sends to the bot outside a prompt reply.

Later features (issue rounds, insights, ...) register what is open; until one
is, the bot says nothing is asked and stores nothing.
"""

from __future__ import annotations

from enum import Enum

from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView


class InboxResult(Enum):
    NOTHING_OPEN = "nothing_open"


async def route(unit: Unit, community: CommunityView, member: MemberView, text: str) -> InboxResult:
    """Decides where a private message goes; nothing is stored without an open prompt."""
    del unit, community, member, text
    return InboxResult.NOTHING_OPEN
