from __future__ import annotations

import pytest

from experiments.calibration import CalibrationError, choose_threshold


def test_threshold_separates_cleanly_separated_scores() -> None:
    threshold, balanced, kept, refused = choose_threshold([0.9, 0.8, 0.7], [0.1, 0.2])
    assert (balanced, kept, refused) == (1.0, 1.0, 1.0)
    assert threshold == pytest.approx(0.45)  # the midpoint between 0.2 and 0.7


def test_overlapping_scores_trade_off_by_balanced_accuracy() -> None:
    # Candidates 0, 0.25, 0.45, 0.525, 0.575 give balanced 0.5, 0.75, 0.58, 0.42, 0.67.
    threshold, balanced, kept, refused = choose_threshold([0.6, 0.5, 0.4], [0.55, 0.1])
    assert threshold == pytest.approx(0.25)
    assert (balanced, kept, refused) == pytest.approx((0.75, 1.0, 0.5))


def test_ties_take_the_candidate_nearest_the_middle_of_the_tied_range() -> None:
    # 0.15 and 0.325 and 0.5 ... : answerable 0.9, 0.6, 0.35; unanswerable 0.1, 0.3, 0.4.
    # Candidates: 0.2 (b=0.67), 0.325 (0.83), 0.375 (0.67), 0.5 (0.83), 0.75 (0.67).
    # Ties at 0.325 and 0.5: the middle of [0.325, 0.5] is 0.4125, nearest candidate 0.325
    # and 0.5 are equally far, so the lower one.
    threshold, balanced, _, _ = choose_threshold([0.9, 0.6, 0.35], [0.1, 0.3, 0.4])
    assert balanced == pytest.approx(5 / 6)
    assert threshold == pytest.approx(0.325)


def test_one_sided_labels_are_an_error() -> None:
    with pytest.raises(CalibrationError, match="answerable and unanswerable"):
        choose_threshold([0.5], [])
