from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commerce.catalog.models import Product
from commerce.customers.models import Customer
from tests.commerce import factories

ADDRESS = {"recipient": "Noah Visser", "line1": "Molenweg 8", "city": "Utrecht", "postcode": "3511 AB", "country": "NL"}


def checkout(client: TestClient, items: list[dict], email: str = "noah.visser@example.net"):
    return client.post(
        "/v1/orders",
        json={"email": email, "first_name": "Noah", "last_name": "Visser", "address": ADDRESS, "items": items},
    )


def current_stock(db: Session, product: Product) -> int:
    return db.scalar(select(Product.stock).where(Product.id == product.id).execution_options(populate_existing=True))


def test_placing_an_order_takes_stock_and_totals_with_shipping(client: TestClient, db: Session) -> None:
    kettle = factories.product(db, sku="KIT-90001", price_cents=2450, stock=5)
    response = checkout(client, [{"sku": "kit-90001", "quantity": 1}, {"sku": "KIT-90001", "quantity": 1}])
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "placed" and body["order_number"].startswith("SA-")
    assert body["items"] == [
        {"sku": "KIT-90001", "title": kettle.title, "quantity": 2, "unit_price": "24.50", "line_total": "49.00"}
    ]
    assert (body["subtotal"], body["shipping"], body["total"]) == ("49.00", "4.95", "53.95")
    assert current_stock(db, kettle) == 3
    lookup = client.post("/v1/orders/lookup", json={"order_number": body["order_number"], "postcode": "3511ab"})
    assert lookup.status_code == 200


def test_free_shipping_from_50(client: TestClient, db: Session) -> None:
    factories.product(db, sku="KIT-90002", price_cents=5000)
    assert checkout(client, [{"sku": "KIT-90002"}]).json()["shipping"] == "0.00"


def test_not_enough_stock_is_a_409_and_takes_nothing(client: TestClient, db: Session) -> None:
    plenty = factories.product(db, sku="KIT-90003", stock=10)
    scarce = factories.product(db, sku="KIT-90004", stock=1)
    response = checkout(client, [{"sku": "KIT-90003", "quantity": 2}, {"sku": "KIT-90004", "quantity": 2}])
    assert response.status_code == 409
    assert response.json() == {"error": "out_of_stock", "detail": "Only 1 of KIT-90004 left; lower the quantity."}
    assert current_stock(db, plenty) == 10 and current_stock(db, scarce) == 1


def test_unknown_sku_is_a_404(client: TestClient) -> None:
    response = checkout(client, [{"sku": "NOPE-1"}])
    assert response.status_code == 404 and response.json()["error"] == "product_not_found"


def test_returning_customer_is_reused(client: TestClient, db: Session) -> None:
    factories.product(db, sku="KIT-90005", stock=10)
    factories.customer(db, email="noah.visser@example.net")
    assert checkout(client, [{"sku": "KIT-90005"}], email="Noah.Visser@example.net").status_code == 201
    count = db.scalar(select(func.count()).select_from(Customer).where(Customer.email == "noah.visser@example.net"))
    assert count == 1


def test_order_limits(client: TestClient) -> None:
    assert checkout(client, []).status_code == 422
    assert checkout(client, [{"sku": "KIT-1", "quantity": 11}]).status_code == 422
    assert checkout(client, [{"sku": f"KIT-{i}"} for i in range(21)]).status_code == 422
