"""The paired t-test implemented without scipy, against published values."""

from __future__ import annotations

import math

import pytest

from lift.training.stats import betainc, paired_t_test, t_cdf, t_quantile


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [(0.975, 1, 12.7062), (0.975, 10, 2.2281), (0.975, 30, 2.0423), (0.95, 5, 2.0150)],
)
def test_t_quantiles_match_tables(p: float, df: int, expected: float) -> None:
    assert t_quantile(p, df) == pytest.approx(expected, abs=1e-4)


def test_t_cdf_symmetry_and_beta() -> None:
    assert t_cdf(0.0, 7) == pytest.approx(0.5)
    assert t_cdf(-2.0, 7) == pytest.approx(1 - t_cdf(2.0, 7))
    assert betainc(2, 3, 0.4) == pytest.approx(0.5248, abs=1e-4)


def test_paired_t_test_known_example() -> None:
    # Differences 1,2,0,1,3,1,2,1,0,2: t(9) = 4.333, p = 0.0019 (as scipy.stats.ttest_rel).
    d = [1, 2, 0, 1, 3, 1, 2, 1, 0, 2]
    result = paired_t_test(n=len(d), sum_diff=sum(d), sum_diff_sq=sum(x * x for x in d))
    assert result.t == pytest.approx(4.3333, abs=1e-4)
    assert result.p_value == pytest.approx(0.001896, abs=1e-5)
    assert result.ci_low == pytest.approx(0.6214, abs=1e-4)
    assert result.ci_high == pytest.approx(1.9786, abs=1e-4)
    assert result.significant
    assert "t(9) = 4.33" in result.summary()


def test_paired_t_test_edge_cases() -> None:
    assert paired_t_test(n=1, sum_diff=2, sum_diff_sq=4).p_value is None
    assert "there is no test" in paired_t_test(n=0, sum_diff=0, sum_diff_sq=0).summary()
    assert "too few" in paired_t_test(n=1, sum_diff=2, sum_diff_sq=4).summary()
    same = paired_t_test(n=3, sum_diff=3, sum_diff_sq=3)  # every difference is 1
    assert same.sd_change == 0 and math.isinf(same.t or 0) and same.p_value == 0.0
