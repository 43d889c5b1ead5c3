"""Krippendorff's alpha through the `krippendorff` package, on published examples."""

from __future__ import annotations

import pytest

from bot.services.agreement import agreement, nominal_alpha

_ = None


def _codes(*rows: list[int | None]) -> list[list[str | None]]:
    return [[None if value is None else f"c{value}" for value in row] for row in rows]


def test_krippendorffs_2011_four_coder_nominal_example_with_missing_values() -> None:
    """Krippendorff (2011), Computing Krippendorff's alpha-reliability, section C: .743."""
    data = _codes(
        [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
        [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    )
    assert nominal_alpha(data) == pytest.approx(0.743, abs=0.0005)


def test_the_krippendorff_packages_three_coder_nominal_example() -> None:
    """The example in the package's documentation: nominal alpha 0.691358."""
    data = _codes(
        [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
        [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
        [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
    )
    assert nominal_alpha(data) == pytest.approx(0.691358, abs=0.0000005)


def test_two_coders_percent_agreement_and_alpha() -> None:
    pairs = [("ie", "ie"), ("ii", "ii"), ("si", "si"), ("si", "se"), ("se", "se")]
    result = agreement(pairs)
    assert (result.double_coded, result.agreed, result.enough) == (5, 4, True)
    assert result.percent == pytest.approx(80.0)
    # Independently: observed disagreement 2 of 10 pairable values; expected disagreement
    # from the 10 values given (ie 2, ii 2, si 3, se 3).
    observed = 2 / 10
    expected = 1 - (2 * 1 + 2 * 1 + 3 * 2 + 3 * 2) / (10 * 9)
    assert result.alpha == pytest.approx(1 - observed / expected)


@pytest.mark.parametrize(
    "pairs",
    [
        [],
        [("ie", "ii")],  # one double-coded fragment
        [("si", "si"), ("si", "si"), ("si", "si")],  # one category only
    ],
)
def test_too_little_data_gives_no_alpha(pairs: list[tuple[str, str]]) -> None:
    result = agreement(pairs)
    assert not result.enough and result.alpha is None and result.percent is None
    assert result.double_coded == len(pairs)
