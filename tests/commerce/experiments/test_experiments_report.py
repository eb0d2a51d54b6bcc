"""The report's maths against published values and independent implementations (scipy), and its guards."""
from __future__ import annotations

import pytest
from scipy.stats import chi2_contingency
from scipy.stats.contingency import relative_risk

from commerce.experiments import report
from commerce.experiments.report import Arm


def test_wilson_interval_matches_newcombe_1998() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 -> 0.2553 to 0.3662.
    low, high = report.wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_difference_interval_matches_newcombe_1998_method_10() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 - 48/80 -> +0.0524 to +0.3339.
    low, high = report.newcombe_difference(48, 80, 56, 70)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_z_test_equals_the_uncorrected_chi_square_test() -> None:
    expected = chi2_contingency([[56, 14], [48, 32]], correction=False).pvalue
    assert report.z_test(48, 80, 56, 70) == pytest.approx(expected, rel=1e-9)
    assert report.z_test(48, 80, 56, 70) == pytest.approx(0.00805, abs=1e-5)
    assert report.z_test(0, 50, 0, 60) == 1.0


def test_relative_lift_interval_is_the_katz_interval() -> None:
    expected = relative_risk(56, 70, 48, 80).confidence_interval(0.95)
    low, high = report.relative_lift_interval(48, 80, 56, 70)  # type: ignore[misc]
    assert (low + 1, high + 1) == pytest.approx((expected.low, expected.high), rel=1e-9)
    assert report.relative_lift_interval(0, 80, 5, 70) is None


def test_sample_size_matches_the_textbook_figure() -> None:
    # 10% -> 12% at alpha 0.05 (two-sided), power 0.8: 3,841 per group (Fleiss, no continuity correction).
    assert report.sample_size_per_arm(0.10, 0.20) == 3841
    assert report.sample_size_per_arm(0.10, 0.10) > 4 * 3841 * 0.9  # half the effect, about four times the units
    with pytest.raises(ValueError):
        report.sample_size_per_arm(0.6, 1.0)


def _arms(units: int, xa: int, xb: int) -> list[Arm]:
    return [Arm("a", 50, units, xa), Arm("b", 50, units, xb)]


def test_no_verdict_before_the_horizon_however_small_the_p_value() -> None:
    early = report.build(_arms(500, 50, 100), horizon_per_arm=1000)
    assert early.comparisons[0].p_value is not None and early.comparisons[0].p_value < 1e-4
    assert early.comparisons[0].verdict == "too_early" and early.winner is None and not early.horizon_reached
    assert any("Interim" in n for n in early.notes)

    final = report.build(_arms(1000, 100, 200), horizon_per_arm=1000)
    assert final.horizon_reached and final.comparisons[0].verdict == "better" and final.winner == "b"
    assert final.comparisons[0].relative_lift == pytest.approx(1.0)


def test_a_non_significant_result_keeps_the_control() -> None:
    result = report.build(_arms(1000, 100, 105), horizon_per_arm=1000)
    assert result.comparisons[0].verdict == "no_significant_difference" and result.winner == "a"
    worse = report.build(_arms(1000, 200, 100), horizon_per_arm=1000)
    assert worse.comparisons[0].verdict == "worse" and worse.winner == "a"


def test_a_split_that_does_not_match_the_configuration_blocks_the_verdict() -> None:
    arms = [Arm("a", 50, 1000, 100), Arm("b", 50, 1300, 200)]
    result = report.build(arms, horizon_per_arm=1000)
    assert result.srm_p_value is not None and result.srm_p_value < 0.001
    assert result.comparisons[0].verdict == "sample_ratio_mismatch" and result.winner is None


def test_more_treatments_share_alpha_and_the_sample_size_grows() -> None:
    # 100 -> 130 of 1000: p = 0.036, significant alone but not at alpha / 2.
    two = report.build(_arms(1000, 100, 130), horizon_per_arm=1000)
    three = report.build([Arm("a", 34, 1000, 100), Arm("b", 33, 1000, 130), Arm("c", 33, 1000, 100)], 1000)
    assert two.comparisons[0].verdict == "better"
    assert three.comparisons[0].verdict == "no_significant_difference"
    assert three.required_per_arm is not None and two.required_per_arm is not None
    assert three.required_per_arm > two.required_per_arm
