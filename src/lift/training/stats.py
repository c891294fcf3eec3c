"""A paired t-test of before/after scores, computed from sums the database returns.

scipy is not installed, so the Student t distribution is implemented here: its CDF through
the regularised incomplete beta function (continued fraction, as in Numerical Recipes
6.4), and its quantile by bisection on the CDF. The test needs only n, the sum of the
differences and the sum of their squares, so a million pairs cost one aggregate query.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache


def _betacf(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    ln_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(ln_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom."""
    x = df / (df + t * t)
    tail = 0.5 * betainc(df / 2.0, 0.5, x)
    return 1.0 - tail if t > 0 else tail


@lru_cache(maxsize=512)
def t_quantile(p: float, df: float) -> float:
    """The t value with P(T <= t) = p (bisection on the CDF, to 1e-10)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be between 0 and 1")
    if p == 0.5:
        return 0.0
    lo, hi = -1e3, 1e3
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10:
            break
    return (lo + hi) / 2.0


@dataclass(frozen=True)
class PairedTest:
    n: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float
    sd_change: float
    t: float | None
    df: int
    p_value: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float = 0.95

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < 1 - self.confidence

    def summary(self) -> str:
        if self.n == 0:
            return "No learner answered both before and after, so there is no test."
        if self.n < 2 or self.t is None or self.p_value is None:
            return (
                f"Only {self.n} {'learner' if self.n == 1 else 'learners'} answered before "
                "and after: too few for a test."
            )
        p = "p < 0.001" if self.p_value < 0.001 else f"p = {self.p_value:.3f}"
        return (
            f"Mean change {self.mean_change:+.2f} points (95% confidence interval "
            f"{self.ci_low:+.2f} to {self.ci_high:+.2f}); paired t-test t({self.df}) = "
            f"{self.t:.2f}, {p}; {self.n} learners answered before and after."
        )


def paired_t_test(
    *,
    n: int,
    sum_diff: float,
    sum_diff_sq: float,
    sum_before: float | None = None,
    sum_after: float | None = None,
    confidence: float = 0.95,
) -> PairedTest:
    """The paired t-test of after minus before, from n, the sum of the differences and the
    sum of their squares, with a two-sided p-value and the confidence interval of the mean
    change."""
    mean_before = sum_before / n if n and sum_before is not None else None
    mean_after = sum_after / n if n and sum_after is not None else None
    if n < 2:
        mean = sum_diff / n if n else 0.0
        return PairedTest(n, mean_before, mean_after, mean, 0.0, None, 0, None, None, None)
    mean = sum_diff / n
    var = max((sum_diff_sq - n * mean * mean) / (n - 1), 0.0)
    sd = math.sqrt(var)
    df = n - 1
    se = sd / math.sqrt(n)
    crit = t_quantile(1 - (1 - confidence) / 2, df)
    if se == 0.0:
        t = math.inf if mean > 0 else (-math.inf if mean < 0 else 0.0)
        p = 0.0 if mean != 0 else 1.0
        return PairedTest(n, mean_before, mean_after, mean, sd, t, df, p, mean, mean, confidence)
    t = mean / se
    p = 2.0 * (1.0 - t_cdf(abs(t), df))
    return PairedTest(
        n,
        mean_before,
        mean_after,
        mean,
        sd,
        t,
        df,
        max(p, 0.0),
        mean - crit * se,
        mean + crit * se,
        confidence,
    )
