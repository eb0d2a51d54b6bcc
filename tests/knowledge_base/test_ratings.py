"""Rating answers: one vote per conversation per entry, rate limits, and votes moving the ranking."""
from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge_base import entries
from knowledge_base.audit import SYSTEM
from knowledge_base.models import EntryStatus, Rating
from knowledge_base.schemas import EntryCreate


def answer(client: TestClient, question: str, conversation: str) -> dict:
    body = client.post("/v1/kb/ask", json={"question": question, "conversation_id": conversation}).json()
    assert body["answered"], body
    return body


def rate(client: TestClient, answer_id: str, conversation: str, helpful: bool, comment: str | None = None):  # type: ignore[no-untyped-def]
    return client.post("/v1/kb/ratings", json={"answer_id": answer_id, "conversation_id": conversation,
                                                "helpful": helpful, "comment": comment})


def test_one_vote_per_conversation_per_entry(client: TestClient, db: Session) -> None:
    first = answer(client, "how much does delivery cost", "c-1")
    second = answer(client, "what is the price of shipping", "c-1")
    assert first["entry_id"] == second["entry_id"]
    assert rate(client, first["answer_id"], "c-1", False, "too vague").json()["replaced_earlier_vote"] is False
    changed = rate(client, second["answer_id"], "c-1", True)
    assert changed.status_code == 200 and changed.json()["replaced_earlier_vote"] is True
    votes = db.scalars(select(Rating).where(Rating.entry_id == first["entry_id"])).all()
    assert [(v.helpful, v.comment) for v in votes] == [(True, None)]


def test_an_answer_can_only_be_rated_from_its_conversation(client: TestClient) -> None:
    given = answer(client, "how much does delivery cost", "c-1")
    response = rate(client, given["answer_id"], "someone-else", True)
    assert response.status_code == 404 and response.json()["error"] == "answer_not_found"
    assert rate(client, "0" * 32, "c-1", True).status_code == 404


def test_rate_limit_per_conversation(client: TestClient, kb_settings, monkeypatch) -> None:
    monkeypatch.setattr(kb_settings, "RATINGS_PER_CONVERSATION", 2)
    questions = ["how much does delivery cost", "which countries do you deliver to", "how can I pay"]
    given = [answer(client, q, "busy") for q in questions]
    assert [rate(client, g["answer_id"], "busy", True).status_code for g in given] == [200, 200, 429]


def test_rate_limit_per_client_except_trusted(client: TestClient, kb_settings, monkeypatch) -> None:
    monkeypatch.setattr(kb_settings, "RATINGS_PER_CLIENT", 2)
    given = [answer(client, "how much does delivery cost", f"c-{n}") for n in range(3)]
    assert [rate(client, g["answer_id"], f"c-{n}", True).status_code for n, g in enumerate(given)] == [200, 200, 429]
    monkeypatch.setattr(kb_settings, "TRUSTED_CLIENTS", ["testclient"])
    assert rate(client, given[2]["answer_id"], "c-2", True).status_code == 200


def test_unhelpful_votes_let_a_better_entry_win(client: TestClient, db: Session) -> None:
    # A near-duplicate entry that is a little closer to the question than the good one, but unhelpful.
    poor = entries.create(db, SYSTEM, EntryCreate(
        question="How much does delivery cost to my country?", phrasings=["Delivery cost per country"],
        answer="It depends.", category="shipping", status=EntryStatus.PUBLISHED))
    question = "how much does delivery cost to my country"
    assert answer(client, question, "first")["entry_id"] == poor.id
    for n in range(12):
        given = answer(client, question, f"shopper-{n}")
        if given["entry_id"] != poor.id:
            break
        assert rate(client, given["answer_id"], f"shopper-{n}", False).status_code == 200
    assert answer(client, question, "later")["entry_id"] != poor.id
    assert db.scalar(select(func.count()).select_from(Rating).where(Rating.entry_id == poor.id)) < 12
