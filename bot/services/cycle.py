"""The cycle plan: which of the study's steps each meeting carries.

The study's cycle has steps (the issue round, from individual issues to a shared one,
the quality round, literature insights, using qualities, agreements, the collection
document). They are spread over the series when it is planned and stored per meeting
(`meetings.steps`), so the plan survives change: a cancelled meeting hands its steps to
the next one, a moved meeting leaves the steps in the cycle's order, an added meeting or a
shorter series re-spreads the steps still to come, and the closing steps stay on the last
meeting. A meeting with no step of its own works on the shared issue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.errors import InvalidInput

#: The steps in the cycle's order. "confidentiality" travels with the issue round.
STEPS = (
    "issues",
    "confidentiality",
    "qualities",
    "shared",
    "literature",
    "using",
    "agreements",
    "document",
)
#: What `/meeting steps 4 qualities literature` names: the canonical keywords, which the
#: handler reads from either language (`bot.texts.keywords`); "none" (or "-") for a
#: meeting without a step of its own.
NONE_WORDS = ("-", "none")
#: Steps that belong on the last meeting, wherever the series ends.
CLOSING = ("agreements", "document")


def spread(count: int) -> list[list[str]]:
    """The study's cycle stretched or shrunk to `count` meetings: meeting 1 the issue
    round, 2 qualities and the shared issue, 3 literature and using qualities, the last
    literature, using qualities, agreements and the document (one meeting: the first two)."""
    plans: list[list[str]] = []
    for number in range(1, count + 1):
        last = number == count
        steps: list[str] = []
        if number == 1:
            steps += ["issues", "confidentiality"]
        if number == 2 or (number == 1 and count == 1):
            steps += ["qualities", "shared"]
        if number == 3 or (last and number > 1):
            steps += ["literature", "using"]
        if last and number > 1:
            steps += list(CLOSING)
        plans.append(steps)
    return plans


def parse_steps(words: list[str]) -> list[str]:
    """The steps a facilitator typed, in the cycle's order; raises on an unknown word."""
    if len(words) == 1 and words[0].lower() in NONE_WORDS:
        return []
    steps = []
    for word in words:
        step = word.lower().strip(",;")
        if step not in STEPS:
            raise InvalidInput("unknown_step", word=word[:40])
        steps.append(step)
    return ordered(steps)


def ordered(steps: list[str]) -> list[str]:
    """Steps once each, in the cycle's order."""
    return [step for step in STEPS if step in steps]


@dataclass(frozen=True)
class Moved:
    """Steps that changed meeting (`frm` to `to`): `to` None when no meeting is left to
    carry them."""

    steps: tuple[str, ...]
    to: int | None
    frm: int | None = None


#: Steps a series may carry twice: literature and using qualities come at meeting 3 and
#: again at the last one; the others are done once.
REPEATING = ("literature", "using")


class Slot(Protocol):
    """A meeting as the plan sees it (`storage.models.Meeting` is one)."""

    number: int
    starts_at: datetime
    duration_minutes: int
    status: str
    steps: list[str] | None


def _started(meeting: Slot, now: datetime) -> bool:
    return meeting.starts_at <= now


def _open(series: list[Slot], now: datetime) -> list[Slot]:
    return [m for m in series if m.status != "cancelled" and not _started(m, now)]


def hand_over(series: list[Slot], cancelled: Slot, now: datetime) -> Moved | None:
    """A cancelled meeting's steps go to the next meeting still to come; when it was the
    last one, to the one before it (the closing steps stay on the last meeting). With no
    meeting left to carry them they stay with the cancelled one, for the next meeting
    planned (`respread`)."""
    steps = list(cancelled.steps or [])
    if not steps:
        return None
    candidates = [m for m in _open(series, now) if m is not cancelled]
    later = [m for m in candidates if m.starts_at > cancelled.starts_at]
    target = later[0] if later else (candidates[-1] if candidates else None)
    if target is None:
        return Moved(tuple(steps), None, cancelled.number)
    target.steps = ordered([*(target.steps or []), *steps])
    cancelled.steps = []
    return Moved(tuple(steps), target.number, cancelled.number)


def positions(series: list[Slot], now: datetime) -> list[list[str]]:
    """The steps of the meetings still to come, in calendar order (before a move)."""
    return [list(m.steps or []) for m in _open(series, now)]


def keep_order(series: list[Slot], before: list[list[str]], now: datetime) -> None:
    """After a move the steps stay in the cycle's order: the second meeting still to come
    carries what the second one carried, whichever meeting that now is."""
    for meeting, steps in zip(_open(series, now), before, strict=False):
        meeting.steps = steps


def respread(series: list[Slot], now: datetime) -> list[Moved]:
    """Spreads the steps still to come over the meetings still to come, as the study's
    template would for the series' new length (meetings added, or the series shortened).

    Held meetings keep theirs. Every step not yet done is placed where `spread` puts it
    for the new length (literature and using qualities may come twice); what the template
    would have put on a meeting already held goes to the next meeting to come. Call it
    after `renumber`, so the numbers it reports are the new ones.
    """
    kept = [m for m in series if m.status != "cancelled"]
    open_ = _open(series, now)
    if not open_:
        return []
    before = _where(series)
    held = [m for m in kept if _started(m, now)]
    done = {step for m in held for step in (m.steps or [])}
    target = spread(len(kept))
    for index, meeting in enumerate(open_, start=len(held)):
        meeting.steps = [s for s in target[index] if s in REPEATING or s not in done]
    placed = {step for m in open_ for step in m.steps or []}
    missed = {step for steps in target[: len(held)] for step in steps}
    overdue = [s for s in STEPS if s in missed and s not in done and s not in placed]
    if overdue:
        open_[0].steps = ordered([*overdue, *(open_[0].steps or [])])
    for meeting in series:
        if meeting.status == "cancelled":
            meeting.steps = []
    after = _where(series)
    changes: dict[tuple[int | None, int], list[str]] = {}
    for step, number in after.items():
        was = before.get(step)
        if was is not None and was != number:
            changes.setdefault((was, number), []).append(step)
    return [Moved(tuple(steps), to, frm) for (frm, to), steps in changes.items()]


def _where(series: list[Slot]) -> dict[str, int]:
    """Each step's last meeting (literature and using: where they come last)."""
    found: dict[str, int] = {}
    for meeting in series:
        for step in meeting.steps or []:
            found[step] = meeting.number
    return found
