"""The words of a CoP's calendar file: each meeting's title and its agenda as sent.

The file goes into teachers' private calendars (and from there to phones, shared
calendars, assistants), so an event carries the agenda only: no member names ("(Anouk)"
after an item someone added) and no live status of the CoP ("issue round still open",
what a member tried this week), which would also go stale in the calendar.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator
from bot.render.calendar import CalendarEvent, event_uid
from bot.services.agenda import AgendaItem, Briefing
from bot.texts.common import plain
from bot.texts.meetings import agenda_lines, event_title

#: Agenda lines that are the CoP's state of the moment rather than a point to discuss.
LIVE = frozenset({"open_round", "weekly_share", "more_agreements"})


def calendar_events(
    tr: Translator, installation: str, community_id: int, name: str, meetings: Sequence[Briefing]
) -> list[CalendarEvent]:
    """The schedule as calendar events; ids stay the same, so a re-import updates."""
    return [
        CalendarEvent(
            uid=event_uid(installation, community_id, b.meeting.id),
            sequence=b.meeting.sequence,
            start=b.meeting.starts_at,
            end=b.meeting.ends_at,
            summary=plain(event_title(tr, name, b.meeting.number)),
            description="\n".join(plain(line) for line in agenda_lines(tr, _public(b.items))),
            location=b.meeting.location,
            cancelled=b.meeting.status == "cancelled",
            last_modified=b.meeting.updated_at,
        )
        for b in meetings
    ]


def _public(items: Sequence[AgendaItem]) -> list[AgendaItem]:
    return [item.model_copy(update={"by": None}) for item in items if item.label not in LIVE]
