"""A knowledge-base question whose write SQLite refuses as busy is asked again, not failed."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from commerce import db as commerce_db
from knowledge_base import answering


LOCKED = "database is locked"


def _error(message: str) -> OperationalError:
    return OperationalError("INSERT ...", {}, sqlite3.OperationalError(message))


def attempts(db: Session, *errors: str) -> tuple[int, bool]:
    """Run work that fails with `errors` in turn and then answers, through the retry: (calls, whether it raised)."""
    calls = []

    def work(session: Session, question: str) -> str:
        calls.append(question)
        if len(calls) <= len(errors):
            raise _error(errors[len(calls) - 1])
        return "answered"

    try:
        assert commerce_db.retry_if_busy(db, work, "q") == "answered"
    except OperationalError:
        return len(calls), True
    return len(calls), False


def test_a_busy_sqlite_write_is_retried_and_other_errors_are_not(db: Session) -> None:
    if db.get_bind().dialect.name != "sqlite":  # only SQLite refuses instead of waiting: elsewhere it is an error
        assert attempts(db, LOCKED) == (1, True)
        return
    assert attempts(db, LOCKED, LOCKED) == (3, False)
    assert attempts(db, "no such table: kb_entries") == (1, True)
    assert attempts(db, *[LOCKED] * commerce_db.BUSY_ATTEMPTS) == (commerce_db.BUSY_ATTEMPTS, True)


def test_the_ask_route_goes_through_the_retry(client, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts = []
    real = answering.ask

    def first_busy(session, request):  # type: ignore[no-untyped-def]
        attempts.append(1)
        if len(attempts) == 1 and session.get_bind().dialect.name == "sqlite":
            raise _error(LOCKED)
        return real(session, request)

    monkeypatch.setattr(answering, "ask", first_busy)
    response = client.post("/v1/kb/ask", json={"question": "how long does delivery take?", "conversation_id": "c-1"})
    assert response.status_code == 200, response.text
