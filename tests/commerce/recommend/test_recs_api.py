from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.behaviour.models import BehaviourEvent, EventKind
from commerce.recommend import train
from commerce.recommend.ranking import CONSUMABLE_CATEGORIES
from commerce.recommend.service import FALLBACK_VERSION
from commerce.recommend.store import ArtefactStore
from tests.commerce import factories
from tests.commerce.recommend.shop import Shop, add_events, buy

VISIT = {
    "visitor_type": "new",
    "traffic_source": "direct",
    "device": "mobile",
    "operating_system": "Android",
    "browser": "Chrome",
    "region": "NL-Utrecht",
}


def _visit(key: str) -> dict[str, str]:
    return {**VISIT, "session_key": key, "started_at": (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()}


def _skus(body: dict) -> list[str]:
    return [item["product"]["sku"] for item in body["items"]]


def _viewed_skus(db: Session, customer_id: int) -> set[str]:
    from commerce.behaviour.models import VisitSession
    from commerce.catalog.models import Product

    rows = db.scalars(select(Product.sku).join(BehaviourEvent, BehaviourEvent.product_id == Product.id)
                      .join(VisitSession, VisitSession.id == BehaviourEvent.session_id)
                      .where(VisitSession.customer_id == customer_id))
    return set(rows)


def test_without_a_trained_model_the_most_popular_products_in_stock_come_from_the_database(
    api: TestClient, db: Session, shop: Shop
) -> None:
    favourite, sold_out = shop.products["b2"][0], shop.products["b2"][1]
    add_events(db, [(favourite, EventKind.ADD_TO_CART)] * 5 + [(sold_out, EventKind.ADD_TO_CART)] * 9)
    sold_out.stock = 0
    db.commit()
    response = api.get("/v1/recommendations", params={"k": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["strategy"] == "popular" and body["model_version"] == FALLBACK_VERSION
    assert _skus(body)[0] == favourite.sku and sold_out.sku not in _skus(body)
    assert len(body["items"]) == 5 and all(i["product"]["in_stock"] for i in body["items"])
    assert {i["reason"]["code"] for i in body["items"]} == {"trending"}


def test_errors_have_the_one_error_shape(api: TestClient, shop: Shop) -> None:
    cases = {
        "/v1/customers/999999/recommendations": (404, "customer_not_found"),
        "/v1/recommendations?category=no-such-category": (404, "category_not_found"),
        "/v1/recommendations?context_product=NOPE-1": (404, "product_not_found"),
        "/v1/recommendations?k=0": (422, "validation_error"),
        "/v1/recommendations?colour=red": (422, "validation_error"),
        "/v1/recommendations?session_key=short": (422, "validation_error"),
    }
    for url, (status, code) in cases.items():
        response = api.get(url)
        assert (response.status_code, response.json()["error"]) == (status, code), url
        assert response.json()["detail"]


def test_a_customer_gets_products_like_the_ones_they_viewed_with_the_reason(
    api: TestClient, db: Session, shop: Shop, store: ArtefactStore
) -> None:
    train.run(db, store)
    customer = shop.shoppers["a"][0]
    body = api.get(f"/v1/customers/{customer.id}/recommendations", params={"k": 4}).json()
    assert body["strategy"] == "personalised" and body["model_version"] == store.latest()
    department_a = {p.sku for p in shop.department("a")}
    viewed = _viewed_skus(db, customer.id)
    assert set(_skus(body)) <= department_a - viewed and len(body["items"]) == 4
    for item in body["items"]:
        assert item["reason"]["code"] == "viewed" and item["reason"]["product_sku"] in viewed
        assert item["reason"]["text"].startswith("Because you viewed ")
        assert item["product"]["url"] == f"/products/{item['product']['sku']}" and item["product"]["price"]


def test_the_list_is_spread_over_categories(api: TestClient, db: Session, shop: Shop, store: ArtefactStore) -> None:
    train.run(db, store)
    customer = shop.shoppers["a"][1]
    body = api.get(f"/v1/customers/{customer.id}/recommendations", params={"k": 4}).json()
    categories = [item["product"]["category"] for item in body["items"]]
    assert max(categories.count(c) for c in categories) <= 2  # ceil(0.3 × 4)


def test_bought_products_stay_off_the_list_unless_they_run_out(
    api: TestClient, db: Session, shop: Shop, store: ArtefactStore
) -> None:
    consumable = factories.category(db, slug=sorted(CONSUMABLE_CATEGORIES)[0], name="Refills")
    refill = factories.product(db, category=consumable, price_cents=500)
    customer = shop.shoppers["a"][2]
    lasting = shop.products["a1"][0]
    buy(db, customer, [lasting, refill])
    train.run(db, store)
    body = api.get(f"/v1/customers/{customer.id}/recommendations", params={"k": 50}).json()
    assert lasting.sku not in _skus(body)
    again = [i for i in body["items"] if i["product"]["sku"] == refill.sku]
    assert again and again[0]["reason"]["code"] == "buy_again"


def test_filters_sold_out_and_over_budget_products(
    api: TestClient, db: Session, shop: Shop, store: ArtefactStore
) -> None:
    train.run(db, store)
    for product in shop.products["a1"][:3]:
        product.stock = 0
    db.commit()
    customer = shop.shoppers["a"][3]
    body = api.get(f"/v1/customers/{customer.id}/recommendations", params={"k": 50, "max_price": "30.00"}).json()
    assert body["items"]
    sold_out = {p.sku for p in shop.products["a1"][:3]}
    for item in body["items"]:
        assert item["product"]["sku"] not in sold_out and item["product"]["in_stock"]
        assert float(item["product"]["price"]) <= 30.0


def test_a_visits_new_events_change_the_list_at_once(
    api: TestClient, db: Session, shop: Shop, store: ArtefactStore
) -> None:
    train.run(db, store)
    key = "anonymous-visit-0001"
    before = api.get("/v1/recommendations", params={"session_key": key, "k": 4}).json()
    assert before["strategy"] == "popular"
    views = [
        {"occurred_at": (datetime.now(timezone.utc) - timedelta(seconds=30 - n)).isoformat(), "kind": "page_view",
         "page_type": "product", "page": f"/products/{p.sku}", "product_sku": p.sku}
        for n, p in enumerate(shop.department("b")[:3])
    ]
    assert api.post("/v1/events", json={"visit": _visit(key), "events": views}).status_code == 202
    after = api.get("/v1/recommendations", params={"session_key": key, "k": 4}).json()
    assert after["strategy"] == "personalised" and after["model_version"] == before["model_version"]
    assert set(_skus(after)) <= {p.sku for p in shop.department("b")[3:]}
    assert len(store.versions()) == 1


def test_the_product_on_screen_brings_similar_products(
    api: TestClient, db: Session, shop: Shop, store: ArtefactStore
) -> None:
    train.run(db, store)
    on_screen = shop.products["b1"][2]
    body = api.get("/v1/recommendations", params={"context_product": on_screen.sku.lower(), "k": 4}).json()
    assert body["strategy"] == "similar" and on_screen.sku not in _skus(body)
    assert set(_skus(body)) <= {p.sku for p in shop.department("b")}
    assert {i["reason"]["code"] for i in body["items"]} == {"similar"}
    assert {i["reason"]["product_sku"] for i in body["items"]} == {on_screen.sku}


def test_a_new_customer_asking_for_a_category_gets_what_is_popular_there(
    api: TestClient, db: Session, shop: Shop, store: ArtefactStore
) -> None:
    train.run(db, store)
    newcomer = factories.customer(db)
    department = shop.departments["b"]
    body = api.get(f"/v1/customers/{newcomer.id}/recommendations", params={"category": department.slug, "k": 6}).json()
    assert body["strategy"] == "popular" and len(body["items"]) == 6
    assert {i["product"]["category"] for i in body["items"]} == {"Category B1", "Category B2"}
    assert {i["reason"]["code"] for i in body["items"]} == {"popular_in_category"}


def test_a_click_on_a_recommendation_is_recorded_as_a_tagged_product_view(
    api: TestClient, db: Session, shop: Shop
) -> None:
    product = shop.products["a2"][1]
    click = {"visit": _visit("clicking-visit-01"), "sku": product.sku, "position": 2, "model_version": "20261128T1",
             "occurred_at": datetime.now(timezone.utc).isoformat()}
    response = api.post("/v1/recommendations/clicks", json=click)
    assert response.status_code == 202 and response.json() == {"session_key": "clicking-visit-01", "accepted": 1}
    event = db.scalars(select(BehaviourEvent).where(BehaviourEvent.product_id == product.id)
                       .order_by(BehaviourEvent.id.desc())).first()
    assert event is not None and event.kind == EventKind.PAGE_VIEW
    assert event.page == f"/products/{product.sku}?ref=recommendation&pos=2&model=20261128T1"
    unknown = api.post("/v1/recommendations/clicks", json={**click, "sku": "NOPE-1"})
    assert unknown.status_code == 404 and unknown.json()["error"] == "product_not_found"
