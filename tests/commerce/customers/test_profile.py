from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.customers.models import Address
from tests.commerce import factories


def test_profile_needs_email_and_an_order_number(client: TestClient, db: Session) -> None:
    who = factories.customer(db, email="ines.moreau@example.org", first_name="Inès", last_name="Moreau")
    db.add(
        Address(
            customer_id=who.id,
            recipient="Inès Moreau",
            line1="12 rue des Lilas",
            city="Lyon",
            postcode="69003",
            country="FR",
            is_default=True,
        )
    )
    first = factories.order(db, customer=who)
    factories.order(db, customer=who)
    factories.order(db)  # someone else's
    response = client.post(
        "/v1/customers/profile", json={"order_number": first.number, "email": "Ines.Moreau@example.org"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["first_name"], body["email"], body["has_account"]) == ("Inès", "ines.moreau@example.org", False)
    assert body["addresses"][0]["city"] == "Lyon"
    assert len(body["recent_orders"]) == 2


def test_postcode_alone_does_not_open_a_profile(client: TestClient, db: Session) -> None:
    order = factories.order(db)
    response = client.post("/v1/customers/profile", json={"order_number": order.number, "postcode": "10115"})
    assert response.status_code == 422
    assert "e-mail" in response.json()["detail"]
