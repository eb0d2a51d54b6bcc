"""The demo shop's pages record the shopper's browsing in the behaviour log, under one visit per cookie."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.behaviour.models import BehaviourEvent, EventKind, VisitSession
from commerce.customers.passwords import hash_password
from tests.commerce import factories
from tests.commerce.shop.test_account import PASSWORD, _form_token


def _visit(db: Session, key: str) -> VisitSession:
    db.expire_all()
    return db.scalars(select(VisitSession).where(VisitSession.session_key == key)).one()


def test_page_views_land_in_one_visit_with_the_product(client: TestClient, db: Session) -> None:
    product = factories.product(db)
    client.get("/")
    key = client.cookies.get("shop_visit")
    assert key and len(key) == 32
    client.get(f"/products/{product.sku}")
    assert client.cookies.get("shop_visit") == key
    visit = _visit(db, key)
    events = db.scalars(select(BehaviourEvent).where(BehaviourEvent.session_id == visit.id)
                        .order_by(BehaviourEvent.id)).all()
    assert [(e.kind, e.page, e.product_id) for e in events] == [
        (EventKind.PAGE_VIEW, "/", None), (EventKind.PAGE_VIEW, f"/products/{product.sku}", product.id)]
    assert visit.customer_id is None


def test_signing_in_makes_the_visit_the_customers(client: TestClient, db: Session) -> None:
    who = factories.customer(db, password_hash=hash_password(PASSWORD))
    client.get("/")
    key = client.cookies.get("shop_visit")
    client.post("/account/sign-in", data={"email": who.email, "password": PASSWORD, "csrf_token": _form_token(client)})
    client.get("/")
    assert _visit(db, key).customer_id == who.id


def test_a_forged_visit_cookie_starts_a_new_visit(client: TestClient, db: Session) -> None:
    response = client.get("/", cookies={"shop_visit": "../../etc/passwd"})
    key = response.cookies.get("shop_visit")
    assert key != "../../etc/passwd" and len(key) == 32
    assert _visit(db, key) is not None


def test_unknown_product_pages_record_nothing(client: TestClient, db: Session) -> None:
    client.get("/products/NOPE-0000")
    assert client.cookies.get("shop_visit") is None
