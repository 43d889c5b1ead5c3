"""Reading "/meeting add 2 dec 2026 15:00 60 Room 4" into its parts.

The date may be several words ("2 december 2026"), so the time is found first:
what stands before it is the date, what follows is an optional duration and
then the location.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput
from bot.i18n import N_
from bot.services.when import parse_duration_minutes, parse_when

TIME_TOKEN = re.compile(
    r"^\d{1,2}([:.]\d{2})?(u|uur|h)?$|^\d{1,2}([:.]\d{2})?(am|pm)$", re.IGNORECASE
)
DURATION_TOKEN = re.compile(r"^\d+([.,]\d+)?(m|min|h|u|uur)?$|^\d+u\d{2}$", re.IGNORECASE)
DEFAULT_DURATION = 60


@dataclass(frozen=True)
class MeetingArgs:
    starts_at: datetime
    duration_minutes: int | None
    location: str


def parse_moment(text: str, *, tz: ZoneInfo, now: datetime) -> datetime:
    """A date and time typed as one answer ("wednesday 15:00", "2026-12-02 15.00")."""
    parsed = parse_meeting(text.split(), tz=tz, now=now, allow_rest=False)
    return parsed.starts_at


def parse_meeting(
    tokens: list[str], *, tz: ZoneInfo, now: datetime, allow_rest: bool = True
) -> MeetingArgs:
    index = next(
        (
            i
            for i, token in enumerate(tokens)
            if (i > 0 and ":" in token) or ("." in token[1:3] and TIME_TOKEN.match(token))
        ),
        None,
    )
    if index is None:
        index = next((i for i, t in enumerate(tokens) if i > 0 and TIME_TOKEN.match(t)), None)
    if index is None:
        raise InvalidInput(
            N_("Give a date and a time, for example: 2026-12-02 15:00 (or: 2 december 15:00).")
        )
    starts_at = parse_when(" ".join(tokens[:index]), tokens[index], tz=tz, now=now)
    rest = tokens[index + 1 :]
    duration = None
    if rest and DURATION_TOKEN.match(rest[0]):
        duration = parse_duration_minutes(rest[0])
        rest = rest[1:]
    if rest and not allow_rest:
        raise InvalidInput(N_("Give only a date and a time, for example: 2026-12-02 15:00."))
    location = " ".join(rest).strip().strip("\"'\u201c\u201d")
    return MeetingArgs(starts_at=starts_at, duration_minutes=duration, location=location)
