"""A/B tests (issue 11): a simulated week with a known effect, and repeated A/A and A/B tests (backend env):
    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.ab_simulation [--seed 1]

Shoppers: each visitor has their own click-through probability p ~ Beta(1.5, 8.5) (mean 0.15, a product-card
list the shopper asked the assistant for); variant B multiplies every p by 1.1, so the true effect is +10%
relative CTR (+1.5 points on average); an A/A test leaves p alone. Visitors arrive over 7 days, busier at the
weekend, in the number the experiment's fixed horizon needs (sample_size_per_arm for +10%, planned at power 0.9
by the admin, plus 5% traffic slack), split 50/50.

1. The week, through the shipped code on a fresh SQLite database built by the real migrations: the experiment is
   created and started by commerce.experiments.service, every visitor is assigned (`assign`), exposed
   (`log_exposure`) and, if they click, their outcome logged (`log_outcome`) at their simulated time; the report
   (`build_report`) is read at the end of every day (interim: the guard must refuse a verdict) and at the end.
   Run for the +10% effect and for A/A. The database's counts are checked against a recount in memory.
2. Repetitions, in memory with the same assignment (commerce.experiments.assignment) and report
   (commerce.experiments.report.build) functions, each with a new salt and new shoppers: --aa-reps A/A weeks
   (share with no significant effect at the horizon: the target is >= 95%; also what a daily peeker, who stops
   at the first p < 0.05, would have concluded) and --ab-reps +10% weeks (detections with the right sign, and how
   often the 95% intervals cover the true relative and absolute effects).
Writes docs/img/ab_simulation.png and prints a JSON summary.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

from commerce.experiments import assignment, report

REPO_ROOT = Path(__file__).resolve().parent.parent
WEEK_START = datetime(2026, 12, 7, tzinfo=timezone.utc)  # a Monday
DAY_WEIGHTS = np.array([1.0, 0.95, 0.95, 1.0, 1.1, 1.3, 1.2])  # Monday .. Sunday
BETA = (1.5, 8.5)
BASELINE = BETA[0] / sum(BETA)
TRUE_RELATIVE = 0.10
MDE = 0.10
PLANNING_POWER = 0.9
SLACK = 1.05
VARIANTS = [{"name": "a", "weight": 50, "config": {"model": "current"}},
            {"name": "b", "weight": 50, "config": {"model": "popularity"}}]


@dataclass
class Week:
    units: list[str]
    day: np.ndarray  # 0..6 per visitor, ascending
    hour: np.ndarray  # arrival within the day
    p: np.ndarray  # click probability without treatment
    u: np.ndarray  # uniform draw deciding the click


def horizon() -> int:
    return report.sample_size_per_arm(BASELINE, MDE, power=PLANNING_POWER)


def week(rng: np.random.Generator, tag: str) -> Week:
    n = math.ceil(2 * horizon() * SLACK)
    day = np.sort(rng.choice(7, size=n, p=DAY_WEIGHTS / DAY_WEIGHTS.sum()))
    return Week([f"visit:{tag}-{i:06d}" for i in range(n)], day, rng.random(n) * 24, rng.beta(*BETA, n), rng.random(n))


def clicks(w: Week, in_b: np.ndarray, effect: float) -> np.ndarray:
    return w.u < np.minimum(1.0, w.p * np.where(in_b, 1 + effect, 1.0))


def in_b_of(key: str, salt: str, units: list[str]) -> np.ndarray:
    return np.array([assignment.variant_for(VARIANTS, assignment.bucket(key, salt, u))["name"] == "b" for u in units])


def build(in_b: np.ndarray, clicked: np.ndarray, upto: int, h: int) -> report.Report:
    b, c = in_b[:upto], clicked[:upto]
    arms = [report.Arm("a", 50, int((~b).sum()), int((c & ~b).sum())), report.Arm("b", 50, int(b.sum()), int((c & b).sum()))]
    return report.build(arms, h, MDE)


# --- 1. the week through the service and the database -------------------------------------------------------

def database(directory: Path) -> Any:
    from alembic import command
    from alembic.config import Config

    from commerce.db import build_engine

    engine = build_engine(f"sqlite:///{directory / 'ab.db'}")
    config = Config(str(REPO_ROOT / "commerce" / "alembic.ini"))
    config.attributes["configure_logger"] = False
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return engine


def service_week(engine: Any, key: str, w: Week, effect: float) -> dict[str, Any]:
    from sqlalchemy.orm import Session

    from commerce.experiments import service
    from commerce.experiments.models import Status
    from commerce.experiments.schemas import ExperimentIn, ExperimentUpdate

    h = horizon()
    started = time.perf_counter()
    daily: list[dict[str, Any]] = []
    with Session(engine, expire_on_commit=False) as session:
        body = ExperimentIn(key=key, name=f"Simulated week {key}", subject="recommendation_model", metric="click",
                            variants=VARIANTS, horizon_per_arm=h)  # type: ignore[arg-type]
        service.create(session, body)
        service.update(session, key, ExperimentUpdate(status=Status.RUNNING))
        for d in range(7):
            for i in np.flatnonzero(w.day == d):
                at = WEEK_START + timedelta(days=d, hours=float(w.hour[i]))
                experiment = service.get(session, key)  # read per request, as the consumer does
                arm = service.log_exposure(session, experiment, w.units[i], at=at)
                p = min(1.0, w.p[i] * (1 + effect if arm.variant == "b" else 1.0))
                if w.u[i] < p:
                    service.log_outcome(session, experiment, w.units[i], at=at + timedelta(minutes=2))
            session.commit()
            _, _, result = service.build_report(session, key, MDE, report.ALPHA)
            daily.append(summary(result, day=d + 1))
        salt = service.get(session, key).salt
        service.update(session, key, ExperimentUpdate(status=Status.STOPPED))  # one running test per subject
    return {"daily": daily, "final": daily[-1], "salt": salt, "seconds": round(time.perf_counter() - started, 1)}


def summary(result: report.Report, **extra: Any) -> dict[str, Any]:
    c = result.comparisons[0]
    return {**extra, "units": [a.units for a in result.arms], "conversions": [a.conversions for a in result.arms],
            "rates": [round(a.rate or 0.0, 5) for a in result.arms], "absolute_lift": c.absolute_lift,
            "absolute_ci": c.absolute_ci, "relative_lift": c.relative_lift, "relative_ci": c.relative_ci,
            "p_value": c.p_value, "verdict": c.verdict, "winner": result.winner, "srm_p_value": result.srm_p_value,
            "horizon_reached": result.horizon_reached}


# --- 2. repetitions in memory ------------------------------------------------------------------------------

def repetitions(rng: np.random.Generator, reps: int, effect: float, tag: str) -> dict[str, Any]:
    h = horizon()
    true_absolute = TRUE_RELATIVE * BASELINE if effect else 0.0
    significant = peeked = reached = covered_rel = covered_abs = right_sign = 0
    p_values: list[float] = []
    intervals: list[tuple[float, float]] = []
    for r in range(reps):
        w = week(rng, f"{tag}{r}")
        in_b = in_b_of(f"sim-{tag}", f"salt{r}", w.units)
        clicked = clicks(w, in_b, effect)
        # A peeker reads the report every evening and stops at the first p < 0.05.
        ends = np.searchsorted(w.day, np.arange(1, 8))
        peeked += any((build(in_b, clicked, int(e), h).comparisons[0].p_value or 1.0) < report.ALPHA for e in ends)
        final = build(in_b, clicked, len(w.units), h)
        c = final.comparisons[0]
        reached += final.horizon_reached
        significant += c.verdict in ("better", "worse")
        right_sign += c.verdict == "better"
        p_values.append(float(c.p_value or 1.0))
        if c.relative_ci is not None and c.absolute_ci is not None:
            intervals.append(c.relative_ci)
            covered_rel += c.relative_ci[0] <= (TRUE_RELATIVE if effect else 0.0) <= c.relative_ci[1]
            covered_abs += c.absolute_ci[0] <= true_absolute <= c.absolute_ci[1]
    return {"reps": reps, "horizon_reached": reached, "significant_share": significant / reps,
            "no_effect_share": 1 - significant / reps, "no_effect_share_ci": wilson_share(reps - significant, reps),
            "detected_right_sign_share": right_sign / reps, "peeking_false_or_true_calls_share": peeked / reps,
            "relative_ci_coverage": covered_rel / reps, "absolute_ci_coverage": covered_abs / reps,
            "coverage_ci": wilson_share(covered_rel, reps), "p_values": p_values, "intervals": intervals}


def wilson_share(x: int, n: int) -> tuple[float, float]:
    low, high = report.wilson(x, n)
    return round(low, 4), round(high, 4)


# --- the plot ----------------------------------------------------------------------------------------------

def plot(path: Path, weekly: dict[str, Any], aa: dict[str, Any], ab: dict[str, Any], h: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4))
    ax = axes[0]
    days = [d["day"] for d in weekly["daily"]]
    lift = [100 * (d["relative_lift"] or 0) for d in weekly["daily"]]
    low = [100 * d["relative_ci"][0] for d in weekly["daily"]]
    high = [100 * d["relative_ci"][1] for d in weekly["daily"]]
    ax.fill_between(days, low, high, alpha=0.25, label="95% CI (Katz)")
    ax.plot(days, lift, marker="o", label="estimated lift of B")
    ax.axhline(100 * TRUE_RELATIVE, color="green", linestyle="--", label="true +10%")
    ax.axhline(0, color="grey", linewidth=0.8)
    for d in weekly["daily"]:
        ax.annotate("verdict" if d["horizon_reached"] else "too early", (d["day"], 100 * d["relative_ci"][1]),
                    fontsize=7, ha="center", va="bottom")
    ax.set(title=f"Simulated week through the service (horizon {h:,}/arm)", xlabel="day",
           ylabel="relative CTR lift, % (cumulative)")
    ax.legend(fontsize=8, loc="lower right")

    ax = axes[1]
    ax.hist(aa["p_values"], bins=20, range=(0, 1), color="tab:blue", edgecolor="white")
    ax.axhline(aa["reps"] / 20, color="black", linestyle="--", linewidth=0.8, label="uniform")
    ax.set(title=f"A/A: p-values at the horizon ({aa['reps']} weeks)\n"
                 f"no effect {100 * aa['no_effect_share']:.1f}%; daily peeking calls one in "
                 f"{100 * aa['peeking_false_or_true_calls_share']:.1f}%", xlabel="p-value", ylabel="weeks")
    ax.legend(fontsize=8)

    ax = axes[2]
    shown = sorted(ab["intervals"][:100], key=lambda ci: (ci[0] + ci[1]) / 2)
    for i, (lo, hi) in enumerate(shown):
        covers = lo <= TRUE_RELATIVE <= hi
        ax.plot([100 * lo, 100 * hi], [i, i], color="tab:blue" if covers else "tab:red", linewidth=1)
    ax.axvline(100 * TRUE_RELATIVE, color="green", linestyle="--", label="true +10%")
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set(title=f"+10% weeks: 95% CIs of the first {len(shown)} (red: miss)\n"
                 f"coverage {100 * ab['relative_ci_coverage']:.1f}%, detected {100 * ab['detected_right_sign_share']:.1f}%",
           xlabel="relative CTR lift, %", ylabel="week (sorted)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ab_simulation", description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--aa-reps", type=int, default=1000)
    parser.add_argument("--ab-reps", type=int, default=500)
    parser.add_argument("--plot", type=Path, default=REPO_ROOT / "docs" / "img" / "ab_simulation.png")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    h = horizon()
    out: dict[str, Any] = {"baseline_ctr": BASELINE, "true_relative_effect": TRUE_RELATIVE, "horizon_per_arm": h,
                           "visitors_per_week": math.ceil(2 * h * SLACK)}
    with tempfile.TemporaryDirectory() as directory:
        engine = database(Path(directory))
        for name, effect in (("ab_week", TRUE_RELATIVE), ("aa_week", 0.0)):
            w = week(rng, name)
            result = service_week(engine, f"sim-{name.replace('_', '-')}", w, effect)
            # The database's counts must be exactly what the same assignment and clicks give in memory.
            in_b = in_b_of(f"sim-{name.replace('_', '-')}", result["salt"], w.units)
            recount = summary(build(in_b, clicks(w, in_b, effect), len(w.units), h))
            result["matches_memory_recount"] = (recount["units"], recount["conversions"]) == (
                result["final"]["units"], result["final"]["conversions"])
            out[name] = result
        engine.dispose()
    started = time.perf_counter()
    aa = repetitions(rng, args.aa_reps, 0.0, "aa")
    ab = repetitions(rng, args.ab_reps, TRUE_RELATIVE, "ab")
    out["repetitions_seconds"] = round(time.perf_counter() - started, 1)
    plot(args.plot, out["ab_week"], aa, ab, h)
    out["aa_repeated"] = {k: v for k, v in aa.items() if k not in ("p_values", "intervals")}
    out["ab_repeated"] = {k: v for k, v in ab.items() if k not in ("p_values", "intervals")}
    json.dump(out, sys.stdout, indent=2, default=lambda o: round(float(o), 6))
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
