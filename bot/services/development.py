"""The development of the practice issue over the cycle (the study's Table 3).

Per meeting period: the share of each combination of codes among the coded
contributions about a practice issue. Computed here, not in a handler.
"""

from __future__ import annotations

from pydantic import BaseModel

from bot.services.coding import COMBOS
from bot.services.unit import Unit
from storage.repositories.codings import CodingRepository
from storage.repositories.meetings import MeetingRepository

ORDER = ("ie", "ii", "se", "si")
#: (scope, attribution) -> code, for the codes about a practice issue (the code book's).
CODE_OF = {axes: code for code, axes in COMBOS.items() if code in ORDER}


class PeriodShares(BaseModel):
    meeting_number: int | None
    total: int
    counts: dict[str, int]
    percent: dict[str, int]


async def development(unit: Unit, community_id: int) -> list[PeriodShares]:
    """Shares per meeting, in meeting order; contributions coded "not an issue" are left out.

    Each contribution counts once: with its resolved code if a disagreement was
    resolved, else with its primary coder's code; a second coder's never counts.
    """
    numbers = {m.id: m.number for m in await MeetingRepository(unit.session, community_id).all()}
    counts: dict[int | None, dict[str, int]] = {}
    for contribution, coding in await CodingRepository(
        unit.session, community_id
    ).counted_per_contribution():
        code = CODE_OF.get((coding.scope, coding.attribution))
        if code is None:
            continue
        period = numbers.get(contribution.meeting_id) if contribution.meeting_id else None
        counts.setdefault(period, dict.fromkeys(ORDER, 0))[code] += 1
    rows = []
    for period in sorted(counts, key=lambda p: (p is not None, p or 0)):
        row = counts[period]
        total = sum(row.values())
        rows.append(
            PeriodShares(
                meeting_number=period,
                total=total,
                counts=row,
                percent={code: (200 * n + total) // (2 * total) for code, n in row.items()},
            )
        )
    return rows
