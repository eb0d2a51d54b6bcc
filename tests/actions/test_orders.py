import re

import pytest
from aioresponses import aioresponses
from rasa_sdk.events import SlotSet

from actions import config as actions_config
from actions.orders import ActionOrderStatus, ValidateOrderStatusForm, normalise_email, normalise_order_number
from tests.actions.conftest import make_tracker

LOOKUP = "http://backend.test/v1/orders/lookup"

SHIPPED = {
    "order_number": "SA-100001",
    "status": "shipped",
    "shipment": {"carrier": "Parcelway", "tracking_number": "PW123456789", "expected_delivery": "2026-12-01"},
}


@pytest.fixture(autouse=True)
def use_test_settings(monkeypatch, settings):
    monkeypatch.setattr(actions_config, "get_settings", lambda: settings)
    monkeypatch.setattr("actions.clients.backend.get_settings", lambda: settings)


@pytest.mark.parametrize(
    "text, expected",
    [("SA-104233", "SA-104233"), ("sa104233", "SA-104233"), ("#104233", "SA-104233"),
     ("my order is SA 104233 thanks", "SA-104233"), ("1234567", None), ("", None), (None, None)],
)
def test_normalise_order_number(text, expected):
    assert normalise_order_number(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("Jane.Doe@Example.com", "jane.doe@example.com"), ("it's kim+shop@mail.example.net ok", "kim+shop@mail.example.net"),
     ("not an email", None), ("x" * 10_000, None)],
)
def test_normalise_email(text, expected):
    assert normalise_email(text) == expected


def test_form_validation_rejects_bad_values(dispatcher):
    form = ValidateOrderStatusForm()
    tracker = make_tracker({})
    assert form.validate_order_number("hello", dispatcher, tracker, {}) == {"order_number": None}
    assert form.validate_order_email("nope", dispatcher, tracker, {}) == {"order_email": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_invalid_order_number", "utter_invalid_email"]


@pytest.mark.asyncio
async def test_order_status_answers_with_status_carrier_and_date(dispatcher):
    tracker = make_tracker({"order_number": "SA-100001", "order_email": "demo@example.com"})
    with aioresponses() as mocked:
        mocked.post(LOOKUP, payload=SHIPPED)
        events = await ActionOrderStatus().run(dispatcher, tracker, {})
        request = next(iter(mocked.requests.values()))[0]
    assert request.kwargs["json"] == {"order_number": "SA-100001", "email": "demo@example.com"}
    text = dispatcher.messages[0]["text"]
    assert "SA-100001" in text and "on its way" in text and "Parcelway" in text and "PW123456789" in text
    assert "Tuesday 1 December" in text
    assert events == [SlotSet("order_number", None), SlotSet("order_email", None)]


@pytest.mark.asyncio
async def test_order_not_found_refuses_politely_and_reveals_nothing(dispatcher):
    tracker = make_tracker({"order_number": "SA-100001", "order_email": "someone@else.com"})
    with aioresponses() as mocked:
        mocked.post(LOOKUP, status=404, payload={"error": "order_not_found", "detail": "..."})
        events = await ActionOrderStatus().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "couldn't find" in text
    assert not re.search(r"shipped|on its way|deliver", text)
    assert events == [SlotSet("order_number", None), SlotSet("order_email", None)]


@pytest.mark.asyncio
async def test_backend_down_gives_a_graceful_message_after_one_retry(dispatcher):
    tracker = make_tracker({"order_number": "SA-100001", "order_email": "demo@example.com"})
    with aioresponses() as mocked:
        mocked.post(LOOKUP, status=503)
        mocked.post(LOOKUP, status=503)
        await ActionOrderStatus().run(dispatcher, tracker, {})
        calls = sum(len(v) for v in mocked.requests.values())
    assert calls == 2
    assert "can't reach our order system" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_backend_unreachable_does_not_hang(dispatcher):
    import asyncio

    tracker = make_tracker({"order_number": "SA-100001", "order_email": "demo@example.com"})
    with aioresponses() as mocked:
        mocked.post(LOOKUP, exception=asyncio.TimeoutError())
        mocked.post(LOOKUP, exception=asyncio.TimeoutError())
        await ActionOrderStatus().run(dispatcher, tracker, {})
    assert "can't reach our order system" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_missing_slots_do_not_call_the_backend(dispatcher):
    tracker = make_tracker({"order_number": "SA-100001", "order_email": None})
    with aioresponses() as mocked:
        await ActionOrderStatus().run(dispatcher, tracker, {})
        assert not mocked.requests
    assert "both the order number and the e-mail" in dispatcher.messages[0]["text"]
