"""Cancel, change address, returns, refunds and invoices: the rules, and verification on every one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.catalog.models import Product
from commerce.db import utcnow
from commerce.orders.models import Invoice, Order, OrderStatus, Refund, RefundReason, RefundStatus
from tests.commerce import factories

EMAIL = "mila.bauer@example.com"
NEW_ADDRESS = {
    "recipient": "Mila Bauer",
    "line1": "Kastanienallee 4",
    "city": "Berlin",
    "postcode": "10435",
    "country": "de",
}


@pytest.fixture
def mila(db: Session):
    return factories.customer(db, email=EMAIL)


def make_order(db: Session, mila, status: OrderStatus, **kw) -> Order:
    return factories.order(db, status=status, customer=mila, **kw)


def stock(db: Session, product_id: int) -> int:
    return db.scalar(select(Product.stock).where(Product.id == product_id).execution_options(populate_existing=True))


# --- cancel ---------------------------------------------------------------------------------------------------


def test_cancel_placed_order_restores_stock_without_refund(client: TestClient, db: Session, mila) -> None:
    product = factories.product(db, stock=4)
    order = make_order(db, mila, OrderStatus.PLACED, items=[(product, 2)])
    response = client.post("/v1/orders/cancel", json={"order_number": order.number, "email": EMAIL})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled" and response.json()["can_cancel"] is False
    assert stock(db, product.id) == 6
    assert db.scalar(select(Refund).where(Refund.order_id == order.id)) is None


def test_cancel_paid_order_creates_one_pending_refund(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.PAID, paid_at=utcnow())
    assert client.post("/v1/orders/cancel", json={"order_number": order.number, "postcode": "10115"}).status_code == 200
    refund = client.post("/v1/orders/refund", json={"order_number": order.number, "email": EMAIL}).json()
    assert refund["status"] == "pending" and refund["reason"] == "cancellation"
    assert refund["amount"] == "19.99" and refund["reference"] == f"RF-{order.number[3:]}"


@pytest.mark.parametrize("status", [OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.RETURNED])
def test_cannot_cancel_once_shipped(client: TestClient, db: Session, mila, status: OrderStatus) -> None:
    product = factories.product(db, stock=4)
    order = make_order(db, mila, status, items=[(product, 1)])
    response = client.post("/v1/orders/cancel", json={"order_number": order.number, "email": EMAIL})
    assert response.status_code == 409
    assert response.json()["error"] == "order_not_cancellable"
    assert (
        db.scalar(select(Order.status).where(Order.id == order.id).execution_options(populate_existing=True)) == status
    )
    assert stock(db, product.id) == 4


def test_cancelling_twice_says_it_is_already_cancelled(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.PLACED)
    body = {"order_number": order.number, "email": EMAIL}
    assert client.post("/v1/orders/cancel", json=body).status_code == 200
    second = client.post("/v1/orders/cancel", json=body)
    assert second.status_code == 409 and second.json()["error"] == "order_already_cancelled"


# --- every change needs verification -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,extra",
    [
        ("/v1/orders/cancel", {}),
        ("/v1/orders/change-address", {"address": NEW_ADDRESS}),
        ("/v1/orders/returns", {"reason": "Too small."}),
        ("/v1/orders/refund", {}),
        ("/v1/orders/invoice", {}),
        ("/v1/customers/profile", {}),
    ],
)
def test_wrong_verification_changes_nothing_and_reveals_nothing(
    client: TestClient, db: Session, mila, path: str, extra: dict
) -> None:
    order = make_order(db, mila, OrderStatus.PAID, paid_at=utcnow())
    wrong = client.post(path, json={"order_number": order.number, "email": "intruder@example.com", **extra})
    unknown = client.post(path, json={"order_number": "SA-999997", "email": "intruder@example.com", **extra})
    assert wrong.status_code == 404 and wrong.json() == unknown.json()
    assert wrong.json()["error"] == "order_not_found"
    missing = client.post(path, json={"order_number": order.number, **extra})
    assert missing.status_code == 422
    db.expire_all()
    assert db.get(Order, order.id).status == OrderStatus.PAID


# --- change address -------------------------------------------------------------------------------------------


def test_change_address_before_shipping(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.PLACED)
    response = client.post(
        "/v1/orders/change-address", json={"order_number": order.number, "postcode": "10115", "address": NEW_ADDRESS}
    )
    assert response.status_code == 200, response.text
    db.expire_all()
    changed = db.get(Order, order.id)
    assert (changed.ship_line1, changed.ship_postcode, changed.ship_country) == ("Kastanienallee 4", "10435", "DE")
    # The new postcode now verifies the order; the old one no longer does.
    assert client.post("/v1/orders/lookup", json={"order_number": order.number, "postcode": "10435"}).status_code == 200
    assert client.post("/v1/orders/lookup", json={"order_number": order.number, "postcode": "10115"}).status_code == 404


def test_cannot_change_address_after_shipping(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.SHIPPED)
    response = client.post(
        "/v1/orders/change-address", json={"order_number": order.number, "email": EMAIL, "address": NEW_ADDRESS}
    )
    assert response.status_code == 409 and response.json()["error"] == "address_not_changeable"


def test_address_outside_delivery_countries_is_refused(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.PLACED)
    response = client.post(
        "/v1/orders/change-address",
        json={"order_number": order.number, "email": EMAIL, "address": {**NEW_ADDRESS, "country": "US"}},
    )
    assert response.status_code == 422 and "deliver to" in response.json()["detail"]


# --- returns --------------------------------------------------------------------------------------------------


def test_start_return_within_the_window(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.DELIVERED, delivered_at=utcnow() - timedelta(days=29))
    response = client.post(
        "/v1/orders/returns", json={"order_number": order.number, "email": EMAIL, "reason": "It does not fit."}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["reference"] == f"RMA-{order.number[3:]}" and body["reference"] in body["instructions"]
    lookup = client.post("/v1/orders/lookup", json={"order_number": order.number, "email": EMAIL}).json()
    assert lookup["status"] == "return_requested"
    again = client.post("/v1/orders/returns", json={"order_number": order.number, "email": EMAIL, "reason": "Again."})
    assert again.status_code == 409 and again.json()["error"] == "return_already_requested"


def test_return_window_closes_after_30_days(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.DELIVERED, delivered_at=utcnow() - timedelta(days=31))
    response = client.post("/v1/orders/returns", json={"order_number": order.number, "email": EMAIL, "reason": "Late."})
    assert response.status_code == 409
    assert response.json()["error"] == "return_window_closed"


@pytest.mark.parametrize("status", [OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.CANCELLED])
def test_no_return_before_delivery(client: TestClient, db: Session, mila, status: OrderStatus) -> None:
    order = make_order(db, mila, status)
    response = client.post("/v1/orders/returns", json={"order_number": order.number, "email": EMAIL, "reason": "Hmm."})
    assert response.status_code == 409 and response.json()["error"] == "return_not_allowed"


# --- refunds and invoices -------------------------------------------------------------------------------------


def test_no_refund_yet_is_a_clear_404(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.DELIVERED)
    response = client.post("/v1/orders/refund", json={"order_number": order.number, "email": EMAIL})
    assert response.status_code == 404 and response.json()["error"] == "refund_not_found"


def test_completed_refund(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.REFUNDED)
    db.add(
        Refund(
            order_id=order.id,
            reference="RF-000001",
            amount_cents=1999,
            currency="EUR",
            reason=RefundReason.RETURN,
            status=RefundStatus.COMPLETED,
            completed_at=utcnow(),
        )
    )
    db.flush()
    body = client.post("/v1/orders/refund", json={"order_number": order.number, "email": EMAIL}).json()
    assert body["status"] == "completed" and body["completed_at"]


def test_invoice(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.PAID, paid_at=utcnow())
    db.add(
        Invoice(
            order_id=order.id,
            number="INV-2026-000001",
            issued_at=utcnow(),
            billing_name="Mila Bauer",
            billing_address="Teststraße 1, 10115 Berlin, DE",
            vat_rate_bp=1900,
            vat_cents=319,
            total_cents=1999,
            currency="EUR",
        )
    )
    db.flush()
    body = client.post("/v1/orders/invoice", json={"order_number": order.number, "email": EMAIL}).json()
    assert body["number"] == "INV-2026-000001" and body["vat"] == "3.19" and body["vat_rate_percent"] == "19.00"
    assert body["items"][0]["quantity"] == 1


def test_unpaid_order_has_no_invoice(client: TestClient, db: Session, mila) -> None:
    order = make_order(db, mila, OrderStatus.PLACED)
    response = client.post("/v1/orders/invoice", json={"order_number": order.number, "email": EMAIL})
    assert response.status_code == 404 and response.json()["error"] == "invoice_not_found"
