"""Bounds for timestamps sent by clients: aware, and within a range every database can store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
CLOCK_SKEW = timedelta(days=1)


def check_client_time(value: datetime) -> datetime:
    now = datetime.now(timezone.utc)
    if value.tzinfo is None:
        raise ValueError("Give the time zone, e.g. 2026-11-28T10:15:00Z.")
    if not EARLIEST <= value <= now + CLOCK_SKEW:
        raise ValueError("The time must lie between the year 2000 and now.")
    return value.astimezone(timezone.utc)
