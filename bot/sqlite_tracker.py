"""Rasa's SQL tracker store on SQLite (the embedded default) in write-ahead-log mode.

Rasa opens SQLite with its defaults: a rollback journal and a full sync to disk on every commit, and it commits
after every turn, inside the event loop. Under load that wait was a sixth of Rasa's time per message (py-spy,
docs/benchmarks.md "Load"). WAL with synchronous=NORMAL survives a crash of Rasa (a power cut may lose the last
turns); a shop that outgrows one machine uses PostgreSQL, which this does not touch.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_installed = False


def _tune(dbapi_connection: Any, _record: Any) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def install() -> None:
    """Every SQLite connection this process opens from now on (Rasa connects lazily, per session)."""
    global _installed
    if not _installed:
        event.listen(Engine, "connect", _tune)
        _installed = True
