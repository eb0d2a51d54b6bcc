from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.orders.models import OrderStatus
from tests.commerce import factories

LOOKUP = "/v1/orders/lookup"


@pytest.fixture
def shipped(db: Session):
    who = factories.customer(db, email="jana.koch@example.com")
    return factories.order(db, status=OrderStatus.SHIPPED, customer=who, ship_postcode="1012 AB")


def test_lookup_with_matching_email_returns_the_order(client: TestClient, shipped) -> None:
    response = client.post(LOOKUP, json={"order_number": shipped.number, "email": "jana.koch@example.com"})
    assert response.status_code == 200
    body = response.json()
    assert body["order_number"] == shipped.number
    assert body["status"] == "shipped"
    assert body["items"][0]["title"] == shipped.items[0].title
    assert body["items"][0]["quantity"] == 1
    assert body["total"] == "19.99" and body["currency"] == "EUR"
    assert body["shipment"]["carrier"] == "DHL"
    assert body["shipment"]["tracking_number"] == "00340434000000000001"
    assert body["shipment"]["expected_delivery"]
    assert body["can_cancel"] is False


@pytest.mark.parametrize("email", ["JANA.KOCH@EXAMPLE.COM", "  Jana.Koch@example.com "])
def test_email_match_ignores_case_and_spaces(client: TestClient, shipped, email: str) -> None:
    response = client.post(LOOKUP, json={"order_number": shipped.number, "email": email})
    assert response.status_code == 200


@pytest.mark.parametrize("postcode", ["1012 AB", "1012ab", "1012-ab", " 1012  AB "])
def test_postcode_match_is_normalised(client: TestClient, shipped, postcode: str) -> None:
    response = client.post(LOOKUP, json={"order_number": shipped.number, "postcode": postcode})
    assert response.status_code == 200


def test_order_number_spellings_are_normalised(client: TestClient, shipped) -> None:
    digits = shipped.number[3:]
    for spelling in (digits, f"#{digits}", f"sa-{digits}", f"SA{digits}", f"sa {digits}", f"#SA-{digits}"):
        response = client.post(LOOKUP, json={"order_number": spelling, "email": "jana.koch@example.com"})
        assert response.status_code == 200, spelling
        assert response.json()["order_number"] == shipped.number


def test_wrong_email_reveals_nothing_and_matches_unknown_order(client: TestClient, shipped) -> None:
    mismatch = client.post(LOOKUP, json={"order_number": shipped.number, "email": "someone.else@example.com"})
    unknown = client.post(LOOKUP, json={"order_number": "SA-999998", "email": "jana.koch@example.com"})
    assert mismatch.status_code == unknown.status_code == 404
    assert mismatch.json() == unknown.json()
    assert mismatch.json()["error"] == "order_not_found"
    assert shipped.number not in mismatch.text and "DHL" not in mismatch.text and "shipped" not in mismatch.text


def test_wrong_postcode_gives_the_same_404(client: TestClient, shipped) -> None:
    mismatch = client.post(LOOKUP, json={"order_number": shipped.number, "postcode": "9999 ZZ"})
    unknown = client.post(LOOKUP, json={"order_number": "SA-999998", "postcode": "9999 ZZ"})
    assert mismatch.status_code == 404
    assert mismatch.json() == unknown.json()


def test_another_customers_postcode_does_not_open_the_order(client: TestClient, db: Session, shipped) -> None:
    factories.order(db, ship_postcode="80331")
    response = client.post(LOOKUP, json={"order_number": shipped.number, "postcode": "80331"})
    assert response.status_code == 404


def test_verification_is_required(client: TestClient, shipped) -> None:
    response = client.post(LOOKUP, json={"order_number": shipped.number})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert "e-mail" in body["detail"] and "postcode" in body["detail"]
    assert "status" not in body


@pytest.mark.parametrize(
    "payload",
    [
        {"order_number": "hello", "email": "a@example.com"},
        {"order_number": "SA-12345", "email": "a@example.com"},
        {"order_number": "x" * 500, "email": "a@example.com"},
        {"order_number": "SA-100001", "email": "no-at-sign"},
        {"order_number": "SA-100001", "postcode": "!!"},
        {"order_number": 100001, "email": "a@example.com"},
        {"order_number": "SA-100001", "email": "a@example.com", "extra": 1},
        [],
        "text",
    ],
)
def test_malformed_lookups_get_a_422_in_the_error_shape(client: TestClient, payload) -> None:
    response = client.post(LOOKUP, json=payload)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert isinstance(body["detail"], str) and body["detail"]


def test_invalid_json_body_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.post(LOOKUP, content=b'{"order_number": ', headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
