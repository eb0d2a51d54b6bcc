from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.commerce import factories


def test_health_checks_the_database(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_route_uses_the_error_shape(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_wrong_method_uses_the_error_shape(client: TestClient) -> None:
    response = client.get("/v1/orders/lookup")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_home_page_lists_real_products_and_carries_the_widget(client: TestClient, db: Session) -> None:
    product = factories.product(db, title="Oak Pepper Mill")
    response = client.get("/")
    assert response.status_code == 200
    assert "Oak Pepper Mill" in response.text
    assert f"/products/{product.sku}" in response.text
    assert '<script src="/widget/widget.js" data-rasa-url="http://localhost:5005"' in response.text


def test_product_page_shows_the_product(client: TestClient, db: Session) -> None:
    product = factories.product(db, title="Linen Tea Towel", price_cents=1250, attributes={"colour": "Sage"})
    response = client.get(f"/products/{product.sku}")
    assert response.status_code == 200
    assert "Linen Tea Towel" in response.text and "12.50" in response.text and "Sage" in response.text
    assert "/widget/widget.js" in response.text


def test_unknown_product_page_is_a_404_page(client: TestClient) -> None:
    response = client.get("/products/NOPE-00000")
    assert response.status_code == 404
    assert "could not find" in response.text


def test_product_image_is_an_svg(client: TestClient, db: Session) -> None:
    product = factories.product(db)
    response = client.get(f"/images/products/{product.sku}.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")


def test_admin_overview_shows_real_counts(client: TestClient, db: Session) -> None:
    factories.order(db)
    factories.order(db)
    response = client.get("/admin")
    assert response.status_code == 200
    assert "<th>Orders</th><td>2</td>" in response.text
    assert "<th>placed</th><td>2</td>" in response.text


def test_health_reports_an_unreachable_database_as_503() -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session as OrmSession

    from commerce.db import get_db
    from commerce.main import create_app

    app = create_app()
    # Port 1 on localhost refuses connections at once.
    dead = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2})

    def broken():  # type: ignore[no-untyped-def]
        with OrmSession(dead) as session:
            yield session

    app.dependency_overrides[get_db] = broken
    with TestClient(app) as client:
        response = client.get("/health")
        # Any route, not only the health check: a clear 503 the caller can retry, never a 500.
        lookup = client.post("/v1/orders/lookup", json={"order_number": "SA-100001", "email": "demo@example.com"})
        products = client.get("/v1/products", params={"q": "kettle"})
    assert response.status_code == 503
    assert response.json()["error"] == "database_unavailable"
    for failed in (lookup, products):
        assert failed.status_code == 503, failed.text
        assert failed.json()["error"] == "database_unavailable" and failed.headers["Retry-After"] == "5"


def test_oversized_bodies_are_refused_before_reading(client: TestClient) -> None:
    response = client.post(
        "/v1/events", content=b"x" * (2 * 1024 * 1024 + 1), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
