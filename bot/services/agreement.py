"""Agreement between coders: percent agreement and Krippendorff's alpha (nominal).

The study reports alpha (.712, .714 and .869; .80 counts as good) for a second coder
who coded about 20% of the fragments. Alpha comes from the `krippendorff` package, not
our own arithmetic. Alpha on too little data says nothing, so below two double-coded
fragments, or when every code given is the same one, the answer is "not enough data"
rather than a number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import krippendorff
from pydantic import BaseModel

from bot.errors import NotAllowed, StaleAction
from bot.services import coding
from bot.services.coding import BY_CODE, CodingItem
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Coding
from storage.repositories.codings import CodingRepository

#: Fewer double-coded fragments than this give no alpha.
MINIMUM_DOUBLE_CODED = 2


class Agreement(BaseModel):
    """The figures for one code book. `alpha` and `percent` are None when `enough` is False."""

    double_coded: int
    agreed: int
    percent: float | None
    alpha: float | None
    enough: bool


def nominal_alpha(reliability: Sequence[Sequence[str | None]]) -> float | None:
    """Krippendorff's alpha, nominal, for coders x fragments; None marks a missing code.

    None when it cannot be computed: fewer than two fragments with two codes or more, or
    one category only.
    """
    values = sorted({code for row in reliability for code in row if code is not None})
    pairable = sum(
        1 for unit in zip(*reliability, strict=True) if sum(c is not None for c in unit) >= 2
    )
    if len(values) < 2 or pairable < MINIMUM_DOUBLE_CODED:
        return None
    index = {code: float(number) for number, code in enumerate(values)}
    data = [[math.nan if code is None else index[code] for code in row] for row in reliability]
    result = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return None if math.isnan(result) else result


def agreement(pairs: Sequence[tuple[str, str]]) -> Agreement:
    """Two coders' codes per double-coded fragment (first coder's, second coder's)."""
    agreed = sum(1 for first, second in pairs if first == second)
    alpha = nominal_alpha([[first for first, _ in pairs], [second for _, second in pairs]])
    if alpha is None:
        return Agreement(
            double_coded=len(pairs), agreed=agreed, percent=None, alpha=None, enough=False
        )
    return Agreement(
        double_coded=len(pairs),
        agreed=agreed,
        percent=100 * agreed / len(pairs),
        alpha=alpha,
        enough=True,
    )


class Disagreement(BaseModel):
    """A fragment the two coders coded differently, still to resolve."""

    item: CodingItem
    first: str
    second: str


class AgreementReport(BaseModel):
    """One code book's agreement: before discussion (the coders' own codes) and after
    (resolved fragments count as agreed on the resolved code), with what is left open."""

    code_book: str
    before: Agreement
    after: Agreement
    resolved: int
    open: list[Disagreement]


async def report(unit: Unit, community_id: int, coder: MemberView) -> list[AgreementReport]:
    """Per code book the figures and the open disagreements (coders only).

    Nothing is overwritten by resolving (the resolution is a coding of its own), so the
    alpha before discussion stays what it was and both are always shown.
    """
    if not coder.is_facilitator:
        raise NotAllowed("facilitator_only")
    pairs = await _pairs(unit, community_id)
    resolved = {
        c.contribution_id: _combo(c)
        for c in await CodingRepository(unit.session, community_id).of_role("resolved")
    }
    after = [
        (resolved[i], resolved[i]) if i in resolved else (first, second)
        for i, (first, second) in pairs.items()
    ]
    open_ = [
        Disagreement(
            item=await coding.item(unit, community_id, coder, i), first=first, second=second
        )
        for i, (first, second) in pairs.items()
        if first != second and i not in resolved
    ]
    return [
        AgreementReport(
            code_book="issue",
            before=agreement(list(pairs.values())),
            after=agreement(after),
            resolved=len([i for i in pairs if i in resolved]),
            open=open_,
        )
    ]


async def resolve(
    unit: Unit, community_id: int, coder: MemberView, contribution_id: int, combo: str
) -> str:
    """Resolves a disagreement as one of the two codes; the table then counts it."""
    if not coder.is_facilitator:
        raise NotAllowed("facilitator_only")
    pairs = await _pairs(unit, community_id)
    if contribution_id not in pairs or combo not in pairs[contribution_id]:
        raise StaleAction("stale_button")
    repository = CodingRepository(unit.session, community_id)
    if any(c.contribution_id == contribution_id for c in await repository.of_role("resolved")):
        raise StaleAction("already_resolved")
    await coding.store(unit, repository, contribution_id, coder.id, combo, "resolved")
    return combo


async def _pairs(unit: Unit, community_id: int) -> dict[int, tuple[str, str]]:
    """The double-coded fragments: the primary code and the (first) second code."""
    repository = CodingRepository(unit.session, community_id)
    primary = {c.contribution_id: _combo(c) for c in await repository.of_role("primary")}
    pairs: dict[int, tuple[str, str]] = {}
    for second in await repository.of_role("second"):
        if second.contribution_id in primary and second.contribution_id not in pairs:
            pairs[second.contribution_id] = (primary[second.contribution_id], _combo(second))
    return dict(sorted(pairs.items()))


def _combo(coding: Coding) -> str:
    return BY_CODE.get((coding.scope, coding.attribution), "x")
