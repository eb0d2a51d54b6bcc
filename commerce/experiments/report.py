"""The A/B report's statistics, as pure functions of counts.

Each variant is compared with the control (the first variant) on the share of exposed units that converted:
- absolute lift p_B - p_A with Newcombe's hybrid score interval (method 10 of Newcombe 1998), which keeps its
  95% coverage at small rates where the Wald interval does not;
- relative lift p_B / p_A - 1 with the Katz log interval (the delta method on log p_B / p_A);
- a two-sided pooled two-proportion z-test;
- the units per arm needed to detect a relative lift `mde` with power 0.8 at alpha 0.05;
- a sample-ratio check (chi-square of units against the configured split): a broken split invalidates all else.

Peeking guard: a fixed horizon. The admin plans `horizon_per_arm` units per variant (the sample-size estimate
here says how many) and no verdict is given until every arm has reached it; estimates are shown meanwhile, but
marked interim. Chosen over a sequential test (mSPRT) because its numbers are the textbook ones a shop owner can
check elsewhere, and the planned size doubles as the run length; the price is not stopping early on a big effect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from scipy import stats

ALPHA = 0.05
POWER = 0.8
SRM_ALPHA = 0.001  # a split this unlikely is a bug in assignment or logging, not chance

Verdict = Literal["too_early", "better", "worse", "no_significant_difference", "sample_ratio_mismatch"]


@dataclass(frozen=True)
class Arm:
    variant: str
    weight: int  # percent of units configured
    units: int  # exposed
    conversions: int

    @property
    def rate(self) -> float | None:
        return self.conversions / self.units if self.units else None


@dataclass(frozen=True)
class Comparison:
    variant: str
    absolute_lift: float | None
    absolute_ci: tuple[float, float] | None
    relative_lift: float | None
    relative_ci: tuple[float, float] | None
    p_value: float | None
    verdict: Verdict


@dataclass(frozen=True)
class Report:
    arms: list[Arm]
    comparisons: list[Comparison]
    horizon_per_arm: int
    horizon_reached: bool
    srm_p_value: float | None
    required_per_arm: int | None  # for the given minimum detectable effect, from the control's rate
    mde: float
    alpha: float
    winner: str | None  # only once the horizon is reached
    notes: list[str] = field(default_factory=list)


def _z(alpha: float) -> float:
    return float(stats.norm.ppf(1 - alpha / 2))


def wilson(conversions: int, units: int, alpha: float = ALPHA) -> tuple[float, float]:
    if units <= 0:
        raise ValueError("units must be positive")
    z = _z(alpha)
    p = conversions / units
    centre = (p + z * z / (2 * units)) / (1 + z * z / units)
    half = z * math.sqrt(p * (1 - p) / units + z * z / (4 * units * units)) / (1 + z * z / units)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_difference(xa: int, na: int, xb: int, nb: int, alpha: float = ALPHA) -> tuple[float, float]:
    """Interval for p_B - p_A from the two Wilson intervals (Newcombe's hybrid score method)."""
    pa, pb = xa / na, xb / nb
    la, ua = wilson(xa, na, alpha)
    lb, ub = wilson(xb, nb, alpha)
    d = pb - pa
    return d - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2), d + math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)


def relative_lift_interval(xa: int, na: int, xb: int, nb: int, alpha: float = ALPHA) -> tuple[float, float] | None:
    """Katz log interval for p_B / p_A - 1; None while either arm has no conversion (the ratio is unbounded)."""
    if xa == 0 or xb == 0:
        return None
    log_ratio = math.log((xb / nb) / (xa / na))
    se = math.sqrt(1 / xb - 1 / nb + 1 / xa - 1 / na)
    z = _z(alpha)
    return math.exp(log_ratio - z * se) - 1, math.exp(log_ratio + z * se) - 1


def z_test(xa: int, na: int, xb: int, nb: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test (1.0 when nothing or everything converted)."""
    pooled = (xa + xb) / (na + nb)
    se = math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    if se == 0:
        return 1.0
    z = (xb / nb - xa / na) / se
    return float(2 * stats.norm.sf(abs(z)))


def sample_size_per_arm(baseline: float, mde: float, alpha: float = ALPHA, power: float = POWER) -> int:
    """Units per arm for a two-sided z-test to detect baseline -> baseline * (1 + mde) (Fleiss, no continuity
    correction)."""
    if not 0 < baseline < 1:
        raise ValueError("baseline rate must be between 0 and 1")
    target = baseline * (1 + mde)
    if mde == 0 or not 0 < target < 1:
        raise ValueError("mde must be non-zero and keep the rate between 0 and 1")
    mean = (baseline + target) / 2
    numerator = (_z(alpha) * math.sqrt(2 * mean * (1 - mean))
                 + float(stats.norm.ppf(power)) * math.sqrt(baseline * (1 - baseline) + target * (1 - target)))
    return math.ceil(numerator**2 / (target - baseline) ** 2)


def sample_ratio_p_value(arms: list[Arm]) -> float | None:
    total = sum(a.units for a in arms)
    if total == 0:
        return None
    expected = [total * a.weight / 100 for a in arms]
    return float(stats.chisquare([a.units for a in arms], expected).pvalue)


def compare(control: Arm, treatment: Arm, alpha: float, final: bool) -> Comparison:
    if not control.units or not treatment.units:
        return Comparison(treatment.variant, None, None, None, None, None, "too_early")
    xa, na, xb, nb = control.conversions, control.units, treatment.conversions, treatment.units
    absolute = xb / nb - xa / na
    relative = absolute / (xa / na) if xa else None
    p_value = z_test(xa, na, xb, nb)
    verdict: Verdict = "too_early"
    if final:
        verdict = "no_significant_difference" if p_value >= alpha else ("better" if absolute > 0 else "worse")
    return Comparison(treatment.variant, absolute, newcombe_difference(xa, na, xb, nb, alpha), relative,
                      relative_lift_interval(xa, na, xb, nb, alpha), p_value, verdict)


def build(arms: list[Arm], horizon_per_arm: int, mde: float = 0.1, alpha: float = ALPHA) -> Report:
    """The report for arms[0] (control) against every other arm. With more than one treatment, each test runs
    at alpha / (number of treatments) (Bonferroni), so the chance of any false winner stays at alpha."""
    if len(arms) < 2:
        raise ValueError("an experiment has at least two variants")
    notes: list[str] = []
    per_test_alpha = alpha / (len(arms) - 1)
    reached = all(a.units >= horizon_per_arm for a in arms)
    srm = sample_ratio_p_value(arms)
    broken = srm is not None and srm < SRM_ALPHA
    comparisons = [compare(arms[0], arm, per_test_alpha, reached and not broken) for arm in arms[1:]]
    if broken:
        comparisons = [Comparison(c.variant, c.absolute_lift, c.absolute_ci, c.relative_lift, c.relative_ci,
                                  c.p_value, "sample_ratio_mismatch") for c in comparisons]
        notes.append(f"The units per variant do not match the configured split (p = {srm:.2g}): "
                     "check assignment and exposure logging before reading anything else.")
    if not reached:
        smallest = min(a.units for a in arms)
        notes.append(f"Interim: {smallest} of {horizon_per_arm} planned units in the smallest arm. No verdict "
                     "before the horizon, whatever the p-value says now (stopping on an early low p-value "
                     "inflates false winners).")
    baseline = arms[0].rate
    required = None
    if baseline is not None and 0 < baseline < 1 and 0 < baseline * (1 + mde) < 1:
        required = sample_size_per_arm(baseline, mde, per_test_alpha)
    better = [c for c in comparisons if c.verdict == "better"]
    winner = None
    if reached and not broken:
        winner = max(better, key=lambda c: c.absolute_lift or 0.0).variant if better else arms[0].variant
    return Report(arms, comparisons, horizon_per_arm, reached, srm, required, mde, alpha, winner, notes)
