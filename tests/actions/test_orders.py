import re

import pytest
from aioresponses import aioresponses
from rasa_sdk.events import SlotSet

from actions.orders import (
    ActionCancelOrder,
    ActionChangeAddress,
    ActionOrderStatus,
    ActionStartReturn,
    ValidateCancelOrderForm,
    ValidateOrderStatusForm,
    ValidateReturnForm,
    normalise_email,
    normalise_order_number,
    parse_address,
    reset_flow,
)
from tests.actions.conftest import BACKEND, make_tracker

LOOKUP = f"{BACKEND}/v1/orders/lookup"

SHIPPED = {
    "order_number": "SA-100001",
    "status": "shipped",
    "shipment": {"carrier": "Parcelway", "tracking_number": "PW123456789", "expected_delivery": "2026-12-01"},
}


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


@pytest.mark.asyncio
async def test_form_validation_rejects_bad_values(dispatcher):
    form = ValidateOrderStatusForm()
    tracker = make_tracker({})
    assert await form.validate_order_number("hello", dispatcher, tracker, {}) == {"order_number": None}
    assert await form.validate_order_email("nope", dispatcher, tracker, {}) == {"order_email": None}
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
    assert SlotSet("order_number", None) in events and SlotSet("order_email", None) not in events


@pytest.mark.asyncio
async def test_order_not_found_refuses_politely_and_reveals_nothing(dispatcher):
    tracker = make_tracker({"order_number": "SA-100001", "order_email": "someone@else.com"})
    with aioresponses() as mocked:
        mocked.post(LOOKUP, status=404, payload={"error": "order_not_found", "detail": "..."})
        events = await ActionOrderStatus().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "couldn't find" in text
    assert not re.search(r"shipped|on its way|deliver", text)
    assert events == reset_flow(keep_email=False)


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


PLACED = {"order_number": "SA-100002", "status": "paid", "can_cancel": True, "can_change_address": True,
          "items": [{"title": "Trail Mug", "quantity": 2}], "total": "31.80", "currency": "EUR",
          "ship_to_country": "NL", "return_deadline": None}


@pytest.mark.asyncio
async def test_cancel_form_looks_the_order_up_and_summarises_it(dispatcher):
    tracker = make_tracker({"order_number": "SA-100002"}, active_loop="cancel_order_form")
    with aioresponses() as mocked:
        mocked.post(LOOKUP, payload=PLACED)
        result = await ValidateCancelOrderForm().validate_order_email("Demo@Example.com", dispatcher, tracker, {})
    assert result == {"order_email": "demo@example.com", "order_eligible": True,
                      "order_summary": "Trail Mug and 1 more item, 31.80 EUR", "order_country": "NL"}
    assert dispatcher.messages == []


@pytest.mark.asyncio
async def test_cancel_form_ends_early_for_a_shipped_order(dispatcher):
    tracker = make_tracker({"order_number": "SA-100001"}, active_loop="cancel_order_form")
    with aioresponses() as mocked:
        mocked.post(LOOKUP, payload={**SHIPPED, "can_cancel": False, "items": []})
        result = await ValidateCancelOrderForm().validate_order_email("demo@example.com", dispatcher, tracker, {})
    assert result["order_eligible"] is False
    assert "can't be cancelled" in dispatcher.messages[0]["text"]
    shortened = await ValidateCancelOrderForm().required_slots(
        ["order_number", "order_email", "cancel_confirmed"], dispatcher,
        make_tracker({"order_eligible": False}, active_loop="cancel_order_form"), {})
    assert shortened == ["order_number", "order_email"]


@pytest.mark.asyncio
async def test_cancel_form_with_a_wrong_email_asks_again_and_reveals_nothing(dispatcher):
    tracker = make_tracker({"order_number": "SA-100002"}, active_loop="cancel_order_form")
    with aioresponses() as mocked:
        mocked.post(LOOKUP, status=404, payload={"error": "order_not_found", "detail": "x"})
        result = await ValidateCancelOrderForm().validate_order_email("x@example.com", dispatcher, tracker, {})
    assert result == {"order_email": None, "order_number": None}
    assert "Trail Mug" not in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_confirmed_cancel_calls_the_backend(dispatcher):
    slots = {"order_number": "SA-100002", "order_email": "demo@example.com", "order_eligible": True,
             "cancel_confirmed": True}
    with aioresponses() as mocked:
        mocked.post(f"{BACKEND}/v1/orders/cancel", payload={**PLACED, "status": "cancelled"})
        events = await ActionCancelOrder().run(dispatcher, make_tracker(slots, active_loop=None), {})
        request = next(iter(mocked.requests.values()))[0]
    assert request.kwargs["json"]["order_number"] == "SA-100002"
    assert "is cancelled" in dispatcher.messages[0]["text"] and "31.80 EUR" in dispatcher.messages[0]["text"]
    assert SlotSet("cancel_confirmed", None) in events


@pytest.mark.asyncio
async def test_declined_cancel_changes_nothing(dispatcher):
    slots = {"order_number": "SA-100002", "order_email": "demo@example.com", "order_eligible": True,
             "cancel_confirmed": False}
    with aioresponses() as mocked:
        await ActionCancelOrder().run(dispatcher, make_tracker(slots, active_loop=None), {})
        assert not mocked.requests
    assert "left order SA-100002 as it is" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_cancel_conflict_passes_on_the_backends_reason(dispatcher):
    slots = {"order_number": "SA-100002", "order_email": "demo@example.com", "order_eligible": True,
             "cancel_confirmed": True}
    with aioresponses() as mocked:
        mocked.post(f"{BACKEND}/v1/orders/cancel", status=409,
                    payload={"error": "order_not_cancellable", "detail": "Order SA-100002 has already shipped."})
        await ActionCancelOrder().run(dispatcher, make_tracker(slots, active_loop=None), {})
        calls = sum(len(v) for v in mocked.requests.values())
    assert calls == 1  # a change is never retried
    assert dispatcher.messages[0]["text"] == "Order SA-100002 has already shipped."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Alex Kim, Lindenstrasse 12, 10969 Berlin",
         {"recipient": "Alex Kim", "line1": "Lindenstrasse 12", "postcode": "10969", "city": "Berlin"}),
        ("Sam de Vries\nKeizersgracht 1\n3rd floor\n1015 cj Amsterdam",
         {"recipient": "Sam de Vries", "line1": "Keizersgracht 1", "line2": "3rd floor", "postcode": "1015 CJ",
          "city": "Amsterdam"}),
        ("Lindenstrasse 12 Berlin", None),
        ("a, b, c", None),
    ],
)
def test_parse_address(text, expected):
    assert parse_address(text) == expected


@pytest.mark.asyncio
async def test_address_change_sends_the_parsed_address_with_the_orders_country(dispatcher):
    slots = {"order_number": "SA-100002", "order_email": "demo@example.com", "order_eligible": True,
             "order_country": "NL", "new_address": "Sam de Vries, Keizersgracht 1, 1015 CJ Amsterdam"}
    with aioresponses() as mocked:
        mocked.post(f"{BACKEND}/v1/orders/change-address", payload=PLACED)
        await ActionChangeAddress().run(dispatcher, make_tracker(slots, active_loop=None), {})
        request = next(iter(mocked.requests.values()))[0]
    assert request.kwargs["json"]["address"] == {"recipient": "Sam de Vries", "line1": "Keizersgracht 1",
                                                 "postcode": "1015 CJ", "city": "Amsterdam", "country": "NL"}
    assert "Keizersgracht 1, 1015 CJ Amsterdam" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_return_form_refuses_an_order_that_is_not_delivered(dispatcher):
    tracker = make_tracker({"order_number": "SA-100002"}, active_loop="return_form")
    with aioresponses() as mocked:
        mocked.post(LOOKUP, payload=PLACED)
        result = await ValidateReturnForm().validate_order_email("demo@example.com", dispatcher, tracker, {})
    assert result["order_eligible"] is False
    assert "once an order has been delivered" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_start_return_gives_reference_and_instructions(dispatcher):
    slots = {"order_number": "SA-100003", "order_email": "demo@example.com", "order_eligible": True,
             "return_reason": "too small"}
    with aioresponses() as mocked:
        mocked.post(f"{BACKEND}/v1/orders/returns",
                    payload={"reference": "RT-000042", "instructions": "Print the label we e-mailed you."})
        await ActionStartReturn().run(dispatcher, make_tracker(slots, active_loop=None), {})
        request = next(iter(mocked.requests.values()))[0]
    assert request.kwargs["json"]["reason"] == "too small"
    assert "RT-000042" in dispatcher.messages[0]["text"]
