"""A message to one person addresses one person ("kom je"), to several, several."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import Catalogs
from bot.services.meetings import MeetingView
from bot.services.values import MemberView
from bot.texts import outbox
from bot.texts.common import plain

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _member(member_id: int, name: str) -> MemberView:
    return MemberView(
        id=member_id,
        community_id=1,
        telegram_user_id=100 + member_id,
        display_name=name,
        username=None,
        language=None,
        role="member",
        status="active",
        private_chat=False,
        joined_at=NOW,
    )


def test_the_group_nudge_asks_one_person_as_one() -> None:
    dutch = Catalogs().get("nl")
    meeting = MeetingView(
        id=1,
        community_id=1,
        number=1,
        starts_at=NOW,
        duration_minutes=60,
        location="",
        status="planned",
        agenda={},
        sequence=0,
        updated_at=NOW,
    )
    one = plain(outbox.nudge_group(dutch, meeting, [_member(1, "Fenna")]))
    two = plain(outbox.nudge_group(dutch, meeting, [_member(1, "Fenna"), _member(2, "Bas")]))
    assert one == "Fenna: kom je naar bijeenkomst 1? Druk op een knop hieronder."
    assert two.startswith("Fenna, Bas: komen jullie naar bijeenkomst 1?")
