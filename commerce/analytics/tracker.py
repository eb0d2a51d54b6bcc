"""Reading Rasa's SQL tracker store (bot/endpoints.yml `tracker_store: type: SQL`).

Rasa 3.6's SQLTrackerStore keeps every event of every conversation in one table, `events` (id, sender_id,
type_name, timestamp, intent_name, action_name, data: the event as JSON text). We only read it, in id order,
with an engine of our own: Rasa's file or database is never created, migrated or locked for writing here.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

EVENTS = sa.Table(
    "events", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


@dataclass(frozen=True)
class EventRow:
    id: int
    sender_id: str
    type_name: str
    timestamp: float | None
    intent_name: str | None
    action_name: str | None
    data: str | None


def sqlalchemy_url(url: str) -> str:
    """Rasa's URL as this environment's SQLAlchemy reads it: `postgresql://` means psycopg 2 to SQLAlchemy,
    and the backend has psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def source_key(url: str) -> str:
    """A short stable name of a tracker store (its URL without the password), so the ingest position of one
    store is never applied to another."""
    parsed = make_url(sqlalchemy_url(url))
    shown = parsed.render_as_string(hide_password=True)
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
    return sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=2)


def _missing_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    database = parsed.database or ""
    return database in ("", ":memory:") or not Path(database).exists()


def read_events(url: str, after_id: int, limit: int) -> list[EventRow]:
    """Up to `limit` events with an id above `after_id`, in id order; none when the store does not exist yet
    (Rasa has not started, or has not stored a conversation)."""
    url = sqlalchemy_url(url)
    if _missing_sqlite_file(url):
        return []
    query = sa.select(EVENTS).where(EVENTS.c.id > after_id).order_by(EVENTS.c.id).limit(limit)
    try:
        with _engine(url).connect() as connection:
            rows = connection.execute(query).all()
    except SQLAlchemyError as exc:
        if _no_events_table(exc):
            return []
        raise
    return [EventRow(r.id, r.sender_id, r.type_name, r.timestamp, r.intent_name, r.action_name, r.data) for r in rows]


def _no_events_table(exc: SQLAlchemyError) -> bool:
    message = str(getattr(exc, "orig", exc)).lower()
    return "no such table" in message or ("relation" in message and "does not exist" in message)
