"""Engine, session factory and the per-request session dependency."""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends
from starlette.concurrency import run_in_threadpool
from sqlalchemy import JSON, DateTime, MetaData, create_engine, event
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from commerce.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _on_sqlite_begin): the driver's own implicit
    # transactions break SAVEPOINT, which the rolled-back test transactions rely on.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    # Straight to the driver: through SQLAlchemy's execution path this one statement cost about a tenth of a
    # purchase-intent request's CPU (py-spy, docs/benchmarks.md).
    connection.connection.driver_connection.execute("BEGIN")


def build_engine(url: str, echo: bool = False, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # A request holds its connection across a thread-pool hop, so many are out at once; SQLite connections cost
    # nothing to keep, and the pool's default (5, and every one above that closed on return) had busy requests
    # opening new ones.
    kwargs.setdefault("pool_size", 20)
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False}, **kwargs)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return build_engine(settings.DATABASE_URL, echo=settings.SQL_ECHO)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


async def get_db() -> AsyncIterator[Session]:
    """The request's session. It is opened on the event loop, which costs no thread-pool hop since a session
    does no I/O before its first query; closing it talks to the database only while it still holds a
    connection, and only then goes to the pool."""
    session = get_sessionmaker()()
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


T = TypeVar("T")
BUSY_ATTEMPTS = 3


def retry_if_busy(session: Session, work: Callable[..., T], *args: Any) -> T:
    """Run `work(session, *args)` again when SQLite refuses its write with "database is locked".

    A SQLite transaction that has read cannot take the write lock once another connection has committed since
    its first read: SQLite answers at once instead of waiting (waiting could deadlock), however long the busy
    timeout. Under load that hit the knowledge base's ask (it retrieves, then logs the answer). The failed
    attempt is rolled back, so running it again is safe. Other databases and errors pass straight through.
    """
    for attempt in range(BUSY_ATTEMPTS):
        try:
            return work(session, *args)
        except OperationalError as exc:
            session.rollback()
            busy = session.get_bind().dialect.name == "sqlite" and "locked" in str(exc.orig)
            if not busy or attempt == BUSY_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def read_in_thread(session: Session, work: Callable[..., T], *args: Any) -> T:
    """Run an async route's read-only database work and end its transaction in one thread-pool hop, so the
    request needs no other (the hot read paths use this)."""

    def run() -> T:
        try:
            return work(session, *args)
        finally:
            session.rollback()

    return await run_in_threadpool(run)


SessionDep = Annotated[Session, Depends(get_db)]


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every dialect (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC datetimes")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# JSON documents: JSONB on PostgreSQL, JSON text elsewhere.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")


def enum_column(enum_cls: type[enum.Enum], name: str) -> SAEnum:
    """Store an enum by value as a short string with a CHECK constraint (no native PG enum types)."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )
