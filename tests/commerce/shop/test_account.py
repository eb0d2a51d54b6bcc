"""The demo shop's sign-in: a signed-in shopper's pages hand the widget a token for them, and only them."""

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.customers import tokens
from commerce.customers.passwords import hash_password
from tests.commerce import factories

PASSWORD = "correct horse battery"


def _signed_up(db: Session):
    return factories.customer(db, first_name="Jonas", password_hash=hash_password(PASSWORD))


def _form_token(client: TestClient) -> str:
    page = client.get("/account/sign-in")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _widget_token(html: str) -> str | None:
    match = re.search(r'data-customer-token="([^"]+)"', html)
    return match.group(1) if match else None


def test_anonymous_pages_carry_no_token(client: TestClient) -> None:
    page = client.get("/")
    assert "Sign in" in page.text
    assert _widget_token(page.text) is None


def test_sign_in_gives_the_widget_this_customers_token(client: TestClient, db: Session) -> None:
    who = _signed_up(db)
    response = client.post("/account/sign-in", data={"email": who.email.upper(), "password": PASSWORD,
                                                     "csrf_token": _form_token(client)}, follow_redirects=False)
    assert response.status_code == 303
    home = client.get("/")
    assert "Hello, Jonas" in home.text
    assert tokens.customer_id(_widget_token(home.text)) == who.id

    client.post("/account/sign-out")
    assert _widget_token(client.get("/").text) is None


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client: TestClient, db: Session) -> None:
    who = _signed_up(db)
    response = client.post("/account/sign-in", data={"email": who.email, "password": "guess",
                                                     "csrf_token": _form_token(client)})
    assert response.status_code == 401
    assert "do not match" in response.text
    assert _widget_token(client.get("/").text) is None


def test_sign_in_without_the_forms_token_is_refused(client: TestClient, db: Session) -> None:
    who = _signed_up(db)
    response = client.post("/account/sign-in", data={"email": who.email, "password": PASSWORD, "csrf_token": "x"})
    assert response.status_code == 403
    assert _widget_token(client.get("/").text) is None


def test_a_forged_session_cookie_is_ignored(client: TestClient, db: Session) -> None:
    _signed_up(db)
    client.cookies.set("shop_customer", "1.forged.signature")
    page = client.get("/")
    assert page.status_code == 200
    assert _widget_token(page.text) is None
