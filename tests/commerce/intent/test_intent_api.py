from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.behaviour.models import Device, TrafficSource, VisitorType, VisitSession
from commerce.intent.model import IntentModel
from commerce.intent.store import ArtefactStore
from tests.commerce import factories

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def visit(key: str, started: datetime, browsing: list[dict] | None = None) -> dict:
    return {
        "visit": {"session_key": key, "visitor_type": "new", "traffic_source": "email", "device": "desktop",
                  "operating_system": "Windows", "browser": "Chrome", "region": "DE-Berlin",
                  "started_at": started.isoformat()},
        "events": browsing or [{"occurred_at": started.isoformat(), "kind": "page_view", "page_type": "product",
                                "page": "/products/X"}],
    }


def keen_browsing(sku: str, start: datetime) -> list[dict]:
    events = []
    for i in range(12):
        at = (start + timedelta(seconds=60 * i)).isoformat()
        events.append({"occurred_at": at, "kind": "page_view", "page_type": "product", "page": f"/products/{sku}?v={i}",
                       "duration_seconds": 55.0, "product_sku": sku})
    events.append({"occurred_at": (start + timedelta(seconds=800)).isoformat(), "kind": "add_to_cart",
                   "product_sku": sku, "quantity": 2})
    return events


def test_no_trained_model_is_a_503_that_says_what_to_run(intent_client: TestClient) -> None:
    response = intent_client.get("/v1/sessions/anykey-0001/intent")
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "intent_model_unavailable" and "make train-intent" in body["detail"]
    assert intent_client.get("/v1/customers/1/intent").status_code == 503


def test_session_score_has_probability_band_and_top_features(
    intent_client: TestClient, db: Session, store: ArtefactStore, tiny_model: IntentModel
) -> None:
    version = store.save(tiny_model)
    product = factories.product(db, price_cents=4000)
    start = NOW - timedelta(minutes=30)
    assert intent_client.post("/v1/events", json=visit("keen-visit-01", start, keen_browsing(product.sku, start))).status_code == 202
    assert intent_client.post("/v1/events", json=visit("brief-visit-01", start)).status_code == 202

    keen = intent_client.get("/v1/sessions/keen-visit-01/intent")
    brief = intent_client.get("/v1/sessions/brief-visit-01/intent")
    assert keen.status_code == brief.status_code == 200
    body = keen.json()
    assert body["session_key"] == "keen-visit-01" and body["customer_id"] is None and body["model_version"] == version
    assert 0 <= body["probability"] <= 1 and body["band"] in ("low", "medium", "high")
    assert body["top_features"] and {"feature", "value", "effect"} <= set(body["top_features"][0])
    # Twelve product pages and 80.00 in the cart against a single page view.
    assert body["probability"] > brief.json()["probability"]
    page_values = {f["feature"]: f["value"] for f in body["top_features"]}.get("PageValues")
    assert page_values is None or page_values > 0


def test_unknown_session_and_malformed_key(intent_client: TestClient, store: ArtefactStore, tiny_model: IntentModel) -> None:
    store.save(tiny_model)
    missing = intent_client.get("/v1/sessions/no-such-visit/intent")
    assert missing.status_code == 404 and missing.json()["error"] == "session_not_found"
    assert intent_client.get("/v1/sessions/bad%20key!/intent").status_code == 422


def test_customer_score_uses_the_latest_visit(
    intent_client: TestClient, db: Session, store: ArtefactStore, tiny_model: IntentModel
) -> None:
    store.save(tiny_model)
    customer = factories.customer(db)
    for key, days_ago in (("older-visit-1", 3), ("latest-visit", 0), ("oldest-visit", 9)):
        db.add(VisitSession(session_key=key, customer_id=customer.id, visitor_type=VisitorType.RETURNING,
                            traffic_source=TrafficSource.DIRECT, device=Device.MOBILE, operating_system="iOS",
                            browser="Safari", region="NL-Utrecht", started_at=NOW - timedelta(days=days_ago)))
    db.commit()
    response = intent_client.get(f"/v1/customers/{customer.id}/intent")
    assert response.status_code == 200
    assert response.json()["session_key"] == "latest-visit" and response.json()["customer_id"] == customer.id

    nobody = factories.customer(db)
    missing = intent_client.get(f"/v1/customers/{nobody.id}/intent")
    assert missing.status_code == 404 and missing.json()["error"] == "customer_session_not_found"


def test_batch_scores_match_single_scores_and_name_unknown_keys(
    intent_client: TestClient, db: Session, store: ArtefactStore, tiny_model: IntentModel
) -> None:
    store.save(tiny_model)
    product = factories.product(db, price_cents=4000)
    start = NOW - timedelta(minutes=30)
    intent_client.post("/v1/events", json=visit("keen-visit-02", start, keen_browsing(product.sku, start)))
    intent_client.post("/v1/events", json=visit("brief-visit-02", start))
    keys = ["brief-visit-02", "no-such-visit", "keen-visit-02", "brief-visit-02"]
    response = intent_client.post("/v1/sessions/intent", json={"session_keys": keys})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [s["session_key"] for s in body["scores"]] == ["brief-visit-02", "keen-visit-02"]
    assert body["unknown"] == ["no-such-visit"]
    for score in body["scores"]:
        assert score == intent_client.get(f"/v1/sessions/{score['session_key']}/intent").json()


def test_batch_limits(intent_client: TestClient, store: ArtefactStore, tiny_model: IntentModel) -> None:
    store.save(tiny_model)
    too_many = [f"visit-{i:05d}" for i in range(101)]
    for body in ({"session_keys": []}, {"session_keys": too_many}, {"session_keys": ["bad key!"]}, {}):
        response = intent_client.post("/v1/sessions/intent", json=body)
        assert response.status_code == 422 and response.json()["error"] == "validation_error"
