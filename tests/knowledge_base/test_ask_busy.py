"""A knowledge-base question whose write SQLite refuses as busy is asked again, not failed."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from commerce import db as commerce_db
from knowledge_base import answering


def _locked() -> None:
    raise OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))


def test_a_busy_sqlite_write_is_retried_and_other_errors_are_not(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    if db.get_bind().dialect.name != "sqlite":  # only SQLite refuses instead of waiting: elsewhere it is an error
        with pytest.raises(OperationalError):
            commerce_db.retry_if_busy(db, lambda session: calls.append(1) or _locked())
        assert calls == [1]
        return

    def flaky(session: Session, question: str) -> str:
        calls.append(question)
        if len(calls) < 3:
            raise OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))
        return "answered"

    assert commerce_db.retry_if_busy(db, flaky, "q") == "answered" and len(calls) == 3

    def broken(session: Session) -> None:
        calls.append("x")
        raise OperationalError("SELECT ...", {}, sqlite3.OperationalError("no such table: kb_entries"))

    calls.clear()
    with pytest.raises(OperationalError):
        commerce_db.retry_if_busy(db, broken)
    assert calls == ["x"]

    def always_busy(session: Session) -> None:
        calls.append("b")
        raise OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))

    calls.clear()
    with pytest.raises(OperationalError):
        commerce_db.retry_if_busy(db, always_busy)
    assert len(calls) == commerce_db.BUSY_ATTEMPTS


def test_the_ask_route_goes_through_the_retry(client, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts = []
    real = answering.ask

    def first_busy(session, request):  # type: ignore[no-untyped-def]
        attempts.append(1)
        if len(attempts) == 1 and session.get_bind().dialect.name == "sqlite":
            raise OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))
        return real(session, request)

    monkeypatch.setattr(answering, "ask", first_busy)
    response = client.post("/v1/kb/ask", json={"question": "how long does delivery take?", "conversation_id": "c-1"})
    assert response.status_code == 200, response.text
