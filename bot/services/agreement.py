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
