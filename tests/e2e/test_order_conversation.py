"""The first real conversation: a shopper asks where an order is, over Rasa's REST channel,
against the real backend, action server and Rasa on a freshly seeded database."""

from __future__ import annotations

import sqlite3

import pytest
import requests

from tests.e2e.chat import Shopper

DEMO_ORDER, DEMO_EMAIL = "SA-100001", "demo@example.com"


@pytest.fixture(scope="module")
def demo_order(stack) -> dict:
    resp = requests.post(
        stack.url("backend") + "/v1/orders/lookup", json={"order_number": DEMO_ORDER, "email": DEMO_EMAIL}, timeout=10
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_services_are_up(stack):
    for name in ("backend", "actions", "rasa"):
        assert stack.service(name).process.poll() is None, f"{name} is not running"
    page = requests.get(stack.url("backend") + "/", timeout=10)
    assert page.status_code == 200
    assert "/widget/widget.js" in page.text and stack.url("rasa") in page.text
    assert requests.get(stack.url("backend") + "/widget/widget.js", timeout=10).status_code == 200


def test_where_is_my_order(stack, demo_order):
    shopper = Shopper(stack.url("rasa"))
    assert "order number" in shopper.say("where is my order?").lower()
    assert "e-mail" in shopper.say(DEMO_ORDER).lower()
    answer = shopper.say(DEMO_EMAIL)
    shipment = demo_order["shipment"]
    assert DEMO_ORDER in answer
    assert "on its way" in answer
    assert shipment["carrier"] in answer
    assert shipment["tracking_number"] in answer
    assert "Expected delivery" in answer


def test_order_number_in_the_first_message(stack, demo_order):
    shopper = Shopper(stack.url("rasa"))
    assert "e-mail" in shopper.say(f"hi, can you check order {DEMO_ORDER.lower()} please").lower()
    answer = shopper.say(f"sure, it's {DEMO_EMAIL.upper()}")
    assert demo_order["shipment"]["carrier"] in answer


def test_wrong_email_gets_a_polite_refusal_and_no_order_data(stack, demo_order):
    shopper = Shopper(stack.url("rasa"))
    shopper.say("where is my order?")
    shopper.say(DEMO_ORDER)
    answer = shopper.say("someone.else@example.com")
    assert "couldn't find" in answer
    for secret in (demo_order["shipment"]["carrier"], demo_order["shipment"]["tracking_number"], "on its way"):
        assert secret not in answer


def test_another_customers_order_is_never_shown(stack, database_path):
    with sqlite3.connect(database_path) as db:
        number, = db.execute(
            "SELECT o.number FROM orders o JOIN customers c ON c.id = o.customer_id "
            "WHERE lower(c.email) <> ? ORDER BY o.id LIMIT 1",
            (DEMO_EMAIL,),
        ).fetchone()
    shopper = Shopper(stack.url("rasa"))
    shopper.say(f"track order {number}")
    answer = shopper.say(DEMO_EMAIL)
    assert "couldn't find" in answer
    assert number in answer  # echoes only what the shopper typed


def test_nonsense_order_number_is_asked_again(stack):
    shopper = Shopper(stack.url("rasa"))
    shopper.say("where's my parcel")
    reply = shopper.say("banana")
    assert "six digits" in reply or "order number" in reply.lower()
