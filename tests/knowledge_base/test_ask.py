"""Asking through the public API against the seeded demo FAQ."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge_base import entries, index
from knowledge_base.audit import SYSTEM
from knowledge_base.models import Entry, EntryStatus, QueueReason, UnansweredQuestion
from knowledge_base.answering import embed
from knowledge_base.schemas import EntryCreate, EntryUpdate


def ask(client: TestClient, question: str, conversation: str | None = "conv-1") -> dict:
    response = client.post("/v1/kb/ask", json={"question": question, "conversation_id": conversation})
    assert response.status_code == 200, response.text
    return response.json()


def entry(db: Session, slug: str) -> Entry:
    found = db.scalar(select(Entry).where(Entry.slug == slug))
    assert found is not None
    return found


@pytest.mark.parametrize("question, slug", [
    ("how much do you charge for postage to Austria", "shipping-cost"),
    ("which ways can I pay", "payment-methods"),
    ("where do I get a label to send an item back", "start-return"),
])
def test_shop_questions_get_the_right_entry_with_html(client: TestClient, db: Session, question: str, slug: str) -> None:
    body = ask(client, question)
    assert body["answered"] is True
    assert body["entry_id"] == entry(db, slug).id
    assert 0.5 <= body["confidence"] <= 1
    assert body["answer_id"] and body["answer_markdown"] == entry(db, slug).answer
    assert body["answer_html"].startswith("<p>")


def test_unrelated_question_abstains_and_is_queued(client: TestClient, db: Session) -> None:
    body = ask(client, "who won the chess world championship in 1972")
    assert body == {**body, "answered": False, "answer_id": None, "entry_id": None}
    assert body["confidence"] < 0.5
    queued = db.scalars(select(UnansweredQuestion)).all()
    assert [(q.question, q.reason) for q in queued] == [("who won the chess world championship in 1972", QueueReason.ABSTAINED)]


def test_low_confidence_answers_are_given_and_queued(client: TestClient, db: Session, kb_settings, monkeypatch) -> None:
    monkeypatch.setattr(kb_settings, "QUEUE_BELOW", 1.0)
    body = ask(client, "which ways can I pay")
    assert body["answered"] is True
    assert db.scalar(select(UnansweredQuestion.reason)) == QueueReason.LOW_CONFIDENCE


def test_an_edit_is_answered_on_the_next_question(client: TestClient, db: Session) -> None:
    target = entry(db, "shipping-cost")
    assert ask(client, "how much does delivery cost")["answer_markdown"] == target.answer
    entries.update(db, SYSTEM, target.id, EntryUpdate(expected_version=target.version,
                                                     answer="Delivery now costs **3.95 EUR**."))
    assert ask(client, "how much does delivery cost")["answer_markdown"] == "Delivery now costs **3.95 EUR**."


def test_archived_entries_are_not_answered(client: TestClient, db: Session) -> None:
    target = entry(db, "carriers")
    assert ask(client, "which delivery company brings my parcel")["entry_id"] == target.id
    entries.set_status(db, SYSTEM, target.id, EntryStatus.ARCHIVED, target.version)
    assert ask(client, "which delivery company brings my parcel")["entry_id"] != target.id


def test_two_workers_see_each_others_edits(db: Session) -> None:
    """Two processes = two in-memory indexes over one database."""
    first, second = index.LiveIndex(), index.LiveIndex()
    question = "do you sell gift vouchers"
    vector = embed(question)
    first.refresh(db)
    second.refresh(db)
    created = entries.create(db, SYSTEM, EntryCreate(
        question="Do you sell gift vouchers?", answer="Yes, from 10 EUR.", category="payments",
        status=EntryStatus.PUBLISHED))
    assert first.search(db, question, vector, 1)[0].key == created.id
    assert second.search(db, question, vector, 1)[0].key == created.id
    entries.set_status(db, SYSTEM, created.id, EntryStatus.ARCHIVED, created.version)
    assert all(c.key != created.id for c in second.search(db, question, vector, 5))
    assert all(c.key != created.id for c in first.search(db, question, vector, 5))


def test_question_is_validated(client: TestClient) -> None:
    assert client.post("/v1/kb/ask", json={"question": "   "}).status_code == 422
    assert client.post("/v1/kb/ask", json={"question": "x" * 501}).status_code == 422
    response = client.post("/v1/kb/ask", json={"question": "hi", "extra": 1})
    assert response.status_code == 422 and response.json()["error"] == "validation_error"


def test_control_characters_are_dropped_before_storing(client: TestClient, db: Session) -> None:
    body = ask(client, "which ways\x00 can I\x07 pay")
    assert body["entry_id"] == entry(db, "payment-methods").id
    assert client.post("/v1/kb/ask", json={"question": "\x00\x00\x00"}).status_code == 422
