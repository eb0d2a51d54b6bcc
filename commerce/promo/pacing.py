"""Budget pacing: how much of today's budget a campaign may have committed by now.

Even pacing with a throttle: a campaign takes part in an auction only while its committed money today is
below the share of the daily cap that the elapsed share of the day allows (plus a little slack, so early
traffic is not starved). The daily cap spreads what is left of the total budget over the days left, so a
campaign neither exhausts its budget in the first hour nor ends with money unspent.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta

SLACK = 0.1  # share of the daily cap available at any moment on top of the even line


@dataclass(frozen=True)
class BudgetState:
    total_budget_cents: int
    daily_budget_cents: int
    spent_cents: int
    reserved_cents: int
    committed_today_cents: int
    ends_at: datetime


def daily_cap(state: BudgetState, now: datetime) -> int:
    """Today's cap: the daily budget, or less when the rest of the total budget must last the remaining days."""
    left = max(0, state.total_budget_cents - state.spent_cents - state.reserved_cents + state.committed_today_cents)
    days_left = max(1, math.ceil((state.ends_at - _midnight(now)).total_seconds() / 86400))
    return min(state.daily_budget_cents, left // days_left if days_left > 1 else left)


def allowance(state: BudgetState, now: datetime) -> int:
    """Money the campaign may commit right now (0: sit this auction out)."""
    elapsed = (now - _midnight(now)).total_seconds() / 86400
    target = daily_cap(state, now) * min(1.0, elapsed + SLACK)
    return max(0, int(target) - state.committed_today_cents)


def _midnight(now: datetime) -> datetime:
    return datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)


def day_fraction(now: datetime) -> float:
    return (now - _midnight(now)) / timedelta(days=1)
