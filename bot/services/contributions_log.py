"""Free-text contributions of members (shares, notes), checked once on the way in."""

from __future__ import annotations

from bot.errors import InvalidInput
from bot.services.meetings import MeetingView
from bot.services.unit import Unit
from storage.models import Contribution
from storage.repositories.contributions import ContributionRepository

TEXT_LIMIT = 4000


def clean(text: str) -> str:
    """Trims and checks a member's text; refuses empty and overlong text."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("text_empty")
    if len(cleaned) > TEXT_LIMIT:
        raise InvalidInput("text_too_long", length=len(cleaned), limit=TEXT_LIMIT)
    return cleaned


async def add(
    unit: Unit,
    community_id: int,
    member_id: int,
    kind: str,
    text: str,
    *,
    meeting: MeetingView | None = None,
) -> int:
    row = await ContributionRepository(unit.session, community_id).add(
        Contribution(
            member_id=member_id,
            kind=kind,
            meeting_id=meeting.id if meeting else None,
            text=clean(text),
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return row.id
