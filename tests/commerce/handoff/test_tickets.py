from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.handoff.models import HandoffTicket, TicketStatus

TICKET = {
    "conversation_id": "rasa-7f3a",
    "reason": "The customer asked to speak to a person.",
    "customer_email": "Sam@Example.com",
    "order_number": "#100001",
    "transcript": [
        {"sender": "user", "text": "Where is my parcel?", "timestamp": "2026-11-28T10:00:00Z"},
        {"sender": "bot", "text": "Could you give me your order number?"},
        {"sender": "user", "text": "I would rather talk to someone."},
    ],
}


def test_ticket_is_opened_with_the_transcript(client: TestClient, db: Session) -> None:
    response = client.post("/v1/handoff-tickets", json=TICKET)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "open" and body["reference"].startswith("HT-") and body["reference"] in body["message"]
    ticket = db.scalars(select(HandoffTicket).where(HandoffTicket.reference == body["reference"])).one()
    assert ticket.status == TicketStatus.OPEN
    assert (ticket.customer_email, ticket.order_number) == ("sam@example.com", "SA-100001")
    assert [line["sender"] for line in ticket.transcript] == ["user", "bot", "user"]


def test_admin_counts_open_tickets(client: TestClient) -> None:
    client.post("/v1/handoff-tickets", json=TICKET)
    assert "<th>Open handoff tickets</th><td>1</td>" in client.get("/admin").text


def test_ticket_limits(client: TestClient) -> None:
    assert client.post("/v1/handoff-tickets", json={**TICKET, "transcript": []}).status_code == 422
    long_line = [{"sender": "user", "text": "x" * 2001}]
    assert client.post("/v1/handoff-tickets", json={**TICKET, "transcript": long_line}).status_code == 422
    assert (
        client.post("/v1/handoff-tickets", json={**TICKET, "transcript": TICKET["transcript"] * 67}).status_code == 422
    )
    assert client.post("/v1/handoff-tickets", json={**TICKET, "order_number": "hello"}).status_code == 422
    assert (
        client.post(
            "/v1/handoff-tickets", json={**TICKET, "transcript": [{"sender": "martian", "text": "hi"}]}
        ).status_code
        == 422
    )


def test_a_value_the_database_refuses_is_a_clear_422_and_nothing_is_stored(client: TestClient, db: Session) -> None:
    response = client.post("/v1/handoff-tickets", json={**TICKET, "reason": "NUL \x00 inside the reason"})
    if db.get_bind().dialect.name == "postgresql":  # PostgreSQL cannot store NUL in text; SQLite can
        assert response.status_code == 422 and response.json()["error"] == "invalid_value"
        assert db.scalars(select(HandoffTicket)).all() == []
    else:
        assert response.status_code == 201


def test_a_repeated_idempotency_key_returns_the_first_ticket(client: TestClient, db: Session) -> None:
    key = {"Idempotency-Key": "outbox-3f1c9a7e"}
    first = client.post("/v1/handoff-tickets", json=TICKET, headers=key)
    again = client.post("/v1/handoff-tickets", json=TICKET, headers=key)
    other = client.post("/v1/handoff-tickets", json=TICKET, headers={"Idempotency-Key": "outbox-77aa01bc"})
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["reference"] == first.json()["reference"] != other.json()["reference"]
    count = db.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == TICKET["conversation_id"])).all()
    assert len(count) == 2


def test_a_malformed_idempotency_key_is_refused(client: TestClient) -> None:
    for bad in ("short", "x" * 65, "has spaces in it"):
        assert client.post("/v1/handoff-tickets", json=TICKET, headers={"Idempotency-Key": bad}).status_code == 422
