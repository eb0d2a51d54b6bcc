"""Known-shopper tokens: a signed token opens its own customer's orders and profile, and nothing else."""

from datetime import datetime, timedelta, timezone

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.config import get_settings
from commerce.customers import tokens
from commerce.orders.models import OrderStatus
from tests.commerce import factories


def _forged(customer_id: int, **claims) -> str:
    body = {"sub": str(customer_id), "aud": tokens.AUDIENCE, "exp": datetime.now(timezone.utc) + timedelta(hours=1)}
    return jwt.encode({**body, **claims}, "a-secret-the-attacker-guessed-wrongly-0000", algorithm="HS256")


def test_token_opens_its_customers_own_order_without_email(client: TestClient, db: Session) -> None:
    order = factories.order(db)
    response = client.post(
        "/v1/orders/lookup", json={"order_number": order.number, "customer_token": tokens.issue(order.customer_id)}
    )
    assert response.status_code == 200, response.text
    assert response.json()["order_number"] == order.number


def test_token_never_opens_another_customers_order(client: TestClient, db: Session) -> None:
    mine, theirs = factories.order(db), factories.order(db)
    response = client.post(
        "/v1/orders/lookup", json={"order_number": theirs.number, "customer_token": tokens.issue(mine.customer_id)}
    )
    assert response.status_code == 404
    assert theirs.email not in response.text


@pytest.mark.parametrize(
    "make_token",
    [
        lambda cid: _forged(cid),
        lambda cid: tokens.issue(cid, now=datetime.now(timezone.utc) - timedelta(days=1)),  # expired
        lambda cid: jwt.encode({"sub": str(cid), "aud": tokens.AUDIENCE}, get_settings().CUSTOMER_TOKEN_SECRET,
                               algorithm="HS256"),  # no expiry
        lambda cid: jwt.encode({"sub": str(cid), "aud": "another-app", "exp": 4102444800},
                               get_settings().CUSTOMER_TOKEN_SECRET, algorithm="HS256"),
        lambda cid: jwt.encode({"sub": str(cid), "aud": tokens.AUDIENCE, "exp": 4102444800}, None, algorithm="none"),
        lambda cid: "not-a-token",
    ],
    ids=["wrong-secret", "expired", "no-expiry", "wrong-audience", "alg-none", "garbage"],
)
def test_forged_or_stale_tokens_are_rejected(client: TestClient, db: Session, make_token) -> None:
    order = factories.order(db)
    token = make_token(order.customer_id)
    response = client.post("/v1/orders/lookup", json={"order_number": order.number, "customer_token": token})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_customer_token"
    me = client.get("/v1/customers/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401


def test_token_can_cancel_its_own_order_only(client: TestClient, db: Session) -> None:
    mine, theirs = factories.order(db, status=OrderStatus.PAID), factories.order(db, status=OrderStatus.PAID)
    token = tokens.issue(mine.customer_id)
    refused = client.post("/v1/orders/cancel", json={"order_number": theirs.number, "customer_token": token})
    assert refused.status_code == 404
    done = client.post("/v1/orders/cancel", json={"order_number": mine.number, "customer_token": token})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "cancelled"
    db.expire_all()
    assert theirs.status == OrderStatus.PAID


def test_me_returns_the_signed_in_customers_profile(client: TestClient, db: Session) -> None:
    who = factories.customer(db, first_name="Maren")
    factories.order(db, customer=who)
    factories.order(db)  # someone else's
    response = client.get("/v1/customers/me", headers={"Authorization": f"Bearer {tokens.issue(who.id)}"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["first_name"] == "Maren"
    assert len(body["recent_orders"]) == 1


def test_me_without_a_token_says_how_to_send_one(client: TestClient) -> None:
    response = client.get("/v1/customers/me")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_token_for_a_customer_that_no_longer_exists_is_rejected(client: TestClient) -> None:
    response = client.get("/v1/customers/me", headers={"Authorization": f"Bearer {tokens.issue(2**31 - 2)}"})
    assert response.status_code == 401
