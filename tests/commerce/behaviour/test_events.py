from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commerce.behaviour.models import BehaviourEvent, VisitSession
from tests.commerce import factories

NOW = datetime.now(timezone.utc).replace(microsecond=0)
VISIT = {
    "session_key": "visit-0001-abcdef",
    "visitor_type": "returning",
    "traffic_source": "email",
    "device": "mobile",
    "operating_system": "Android",
    "browser": "Chrome",
    "region": "NL-Utrecht",
    "started_at": (NOW - timedelta(minutes=5)).isoformat(),
}


def at(seconds: int) -> str:
    return (NOW - timedelta(minutes=5) + timedelta(seconds=seconds)).isoformat()


def test_batch_is_stored_and_the_visit_recorded_once(client: TestClient, db: Session) -> None:
    product = factories.product(db)
    events = [
        {
            "occurred_at": at(0),
            "kind": "page_view",
            "page_type": "product",
            "page": f"/products/{product.sku}",
            "duration_seconds": 42.5,
            "product_sku": product.sku,
        },
        {"occurred_at": at(43), "kind": "add_to_cart", "product_sku": product.sku.lower(), "quantity": 1},
        {"occurred_at": at(50), "kind": "search", "search_query": "rain jacket"},
        {"occurred_at": at(60), "kind": "add_to_cart", "product_sku": "RETIRED-1"},
    ]
    first = client.post("/v1/events", json={"visit": VISIT, "events": events[:2]})
    second = client.post("/v1/events", json={"visit": VISIT, "events": events[2:]})
    assert first.status_code == second.status_code == 202
    assert first.json() == {"session_key": VISIT["session_key"], "accepted": 2}
    assert db.scalar(select(func.count()).select_from(VisitSession)) == 1
    stored = db.scalars(select(BehaviourEvent).order_by(BehaviourEvent.occurred_at)).all()
    assert [e.kind.value for e in stored] == ["page_view", "add_to_cart", "search", "add_to_cart"]
    assert stored[1].product_id == product.id and stored[3].product_id is None
    assert stored[0].duration_seconds == 42.5


def test_batch_size_and_event_shape_are_checked(client: TestClient) -> None:
    view = {"occurred_at": at(0), "kind": "page_view", "page_type": "informational", "page": "/help/returns"}
    too_many = client.post("/v1/events", json={"visit": VISIT, "events": [view] * 501})
    assert too_many.status_code == 422
    no_page = client.post("/v1/events", json={"visit": VISIT, "events": [{"occurred_at": at(0), "kind": "page_view"}]})
    assert no_page.status_code == 422 and "page_type" in no_page.json()["detail"]
    naive = client.post("/v1/events", json={"visit": VISIT, "events": [{**view, "occurred_at": "2026-01-01T10:00:00"}]})
    assert naive.status_code == 422
    ancient = client.post(
        "/v1/events", json={"visit": VISIT, "events": [{**view, "occurred_at": "0001-01-01T00:00:00+05:00"}]}
    )
    assert ancient.status_code == 422
    assert client.post("/v1/events", json={"visit": VISIT, "events": []}).status_code == 422
