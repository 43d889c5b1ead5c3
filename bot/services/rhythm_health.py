"""The rhythm check: is participation falling, is the pace right?

The study found rhythm decisive: too slow and nothing happens, too fast and
members drop out. After each meeting the facilitator gets a private note when
something needs attention (and nothing when all is well).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator
from bot.services.meetings import MeetingView
from bot.services.reminders import rhythm_of
from bot.services.unit import Unit
from bot.services.values import MemberView
from bot.texts import rhythm as rhythm_texts
from storage.models import Community
from storage.repositories.contributions import ContributionRepository
from storage.repositories.meetings import AttendanceRepository, MeetingRepository

LOW_SHARE = 0.5


async def check(
    unit: Unit,
    community: Community,
    meeting: MeetingView,
    members: Sequence[MemberView],
    tr: Translator,
) -> list[str]:
    notes: list[str] = []
    meetings = [
        m
        for m in await MeetingRepository(unit.session, community.id).all()
        if m.status != "cancelled"
    ]
    held = [m for m in meetings if m.starts_at <= meeting.starts_at]
    attendance = AttendanceRepository(unit.session, community.id)
    if members and len(held) >= 2:
        shares = []
        for past in held[-2:]:
            answered = {a.member_id for a in await attendance.for_meeting(past.id)}
            shares.append(len(answered & {m.id for m in members}) / len(members))
        if all(share < LOW_SHARE for share in shares):
            notes.append(rhythm_texts.health_low_response(tr, round(100 * sum(shares) / 2)))
    if len(held) >= 3:
        later = held[1:]
        reacted: set[int] = set()
        for past in later:
            reacted |= {a.member_id for a in await attendance.for_meeting(past.id)}
        contributions = ContributionRepository(unit.session, community.id)
        silent = [
            m.name
            for m in members
            if m.id not in reacted and not await contributions.since(m.id, held[0].starts_at)
        ]
        if silent:
            notes.append(rhythm_texts.health_silent(tr, silent))
    interval = rhythm_of(community).interval_weeks
    upcoming = [m for m in meetings if m.starts_at > meeting.starts_at]
    if interval:
        if not upcoming:
            notes.append(rhythm_texts.health_nothing_planned(tr))
        else:
            days = (upcoming[0].starts_at - meeting.starts_at).days
            if days < interval * 7 / 2:
                notes.append(rhythm_texts.health_too_fast(tr, days))
            elif days > interval * 7 * 2:
                notes.append(rhythm_texts.health_too_slow(tr, days))
    return notes
