"""Two timestamp expressions the dashboard's grouped queries need, written for SQLite and PostgreSQL.

Timestamps (commerce.db.UTCDateTime) are `timestamptz` on PostgreSQL and UTC text on SQLite
('YYYY-MM-DD HH:MM:SS.ffffff', SQLAlchemy's format), so:
- utc_day(ts): the UTC calendar day. PostgreSQL converts to UTC first: a bare cast to date would use the
  session's time zone. On SQLite it is the text's first ten characters: SQLite's date functions work in
  milliseconds, and date modifiers round 23:59:59.9995 up into the next day.
- plus_days(ts, n): ts + n days, exact to the microsecond. On SQLite, date() moves the day part alone and the
  time of day is copied from the text unchanged (a UTC day always has 24 hours); the result compares, as text,
  with the stored values.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Date, DateTime
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class utc_day(FunctionElement[Any]):  # noqa: N801 (an SQL function)
    type = Date()
    name = "utc_day"
    inherit_cache = True


@compiles(utc_day)
def _utc_day_sqlite(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 10)"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


class plus_days(FunctionElement[Any]):  # noqa: N801 (an SQL function)
    type = DateTime(timezone=True)
    name = "plus_days"
    inherit_cache = True


def _arguments(element: plus_days, compiler: Any, **kw: Any) -> tuple[str, str]:
    timestamp, days = element.clauses
    return compiler.process(timestamp, **kw), compiler.process(days, **kw)


@compiles(plus_days)
def _plus_days_sqlite(element: plus_days, compiler: Any, **kw: Any) -> str:
    timestamp, days = _arguments(element, compiler, **kw)
    return f"(date(substr({timestamp}, 1, 10), '+' || {days} || ' days') || substr({timestamp}, 11))"


@compiles(plus_days, "postgresql")
def _plus_days_postgresql(element: plus_days, compiler: Any, **kw: Any) -> str:
    timestamp, days = _arguments(element, compiler, **kw)
    # Whole days of 24 hours, as timedelta(days=n): '1 day' would follow the session's daylight-saving changes.
    return f"({timestamp} + CAST({days} AS INTEGER) * INTERVAL '24 hours')"


def after(timestamp: ColumnElement[Any], window: timedelta) -> plus_days:
    """timestamp + window, for a window of whole days."""
    if window.seconds or window.microseconds:
        raise ValueError(f"{window} is not a whole number of days")
    return plus_days(timestamp, window.days)
