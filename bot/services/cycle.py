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


def ordered(steps: list[str]) -> list[str]:
    """Steps once each, in the cycle's order."""
    return [step for step in STEPS if step in steps]


@dataclass(frozen=True)
class Moved:
    """Steps that changed meeting: `to` None when no meeting is left to carry them."""

    steps: tuple[str, ...]
    to: int | None
