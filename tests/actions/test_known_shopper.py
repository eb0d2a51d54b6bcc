"""A signed-in shopper (token in the message metadata) is not asked for an e-mail; the backend decides."""

import pytest
from aioresponses import aioresponses
from rasa_sdk.events import SlotSet

from actions.orders import ActionAskOrderNumber, ActionOrderStatus, ValidateCancelOrderForm, ValidateOrderStatusForm
from tests.actions.conftest import BACKEND, make_tracker

LOOKUP = f"{BACKEND}/v1/orders/lookup"
ME = f"{BACKEND}/v1/customers/me"
TOKEN = {"customer_token": "header.payload.signature"}
ORDER = {"order_number": "SA-100001", "status": "paid", "can_cancel": True, "items": [], "total": "19.90",
         "currency": "EUR", "shipment": None}


@pytest.mark.asyncio
async def test_signed_in_shopper_is_not_asked_for_an_email(dispatcher):
    form = ValidateOrderStatusForm()
    tracker = make_tracker({}, metadata=TOKEN)
    slots = await form.required_slots(["order_number", "order_email"], dispatcher, tracker, {})
    assert slots == ["order_number"]
    anonymous = await form.required_slots(["order_number", "order_email"], dispatcher, make_tracker({}), {})
    assert anonymous == ["order_number", "order_email"]


@pytest.mark.asyncio
async def test_order_number_is_checked_with_the_token(dispatcher):
    with aioresponses() as mocked:
        mocked.post(LOOKUP, payload=ORDER)
        result = await ValidateOrderStatusForm().validate_order_number("SA-100001", dispatcher,
                                                                       make_tracker({}, metadata=TOKEN), {})
        request = next(iter(mocked.requests.values()))[0]
    assert request.kwargs["json"] == {"order_number": "SA-100001", **TOKEN}
    assert result == {"order_number": "SA-100001"}


@pytest.mark.asyncio
async def test_someone_elses_order_falls_back_to_the_email(dispatcher):
    tracker = make_tracker({}, metadata=TOKEN)
    with aioresponses() as mocked:
        mocked.post(LOOKUP, status=404, payload={"error": "order_not_found", "detail": "..."})
        result = await ValidateOrderStatusForm().validate_order_number("SA-100002", dispatcher, tracker, {})
    assert result == {"order_number": "SA-100002", "order_needs_email": True}
    assert "isn't on the account" in dispatcher.messages[0]["text"]
    asked = make_tracker({"order_needs_email": True}, metadata=TOKEN)
    slots = await ValidateOrderStatusForm().required_slots(["order_number", "order_email"], dispatcher, asked, {})
    assert slots == ["order_number", "order_email"]


@pytest.mark.asyncio
async def test_rejected_token_falls_back_to_the_email(dispatcher):
    with aioresponses() as mocked:
        mocked.post(LOOKUP, status=401, payload={"error": "invalid_customer_token", "detail": "..."})
        result = await ValidateOrderStatusForm().validate_order_number("SA-100001", dispatcher,
                                                                       make_tracker({}, metadata=TOKEN), {})
    assert result["order_needs_email"] is True


@pytest.mark.asyncio
async def test_changing_form_checks_its_rules_right_after_the_number(dispatcher):
    shipped = {**ORDER, "status": "shipped", "can_cancel": False}
    with aioresponses() as mocked:
        mocked.post(LOOKUP, payload=shipped)
        result = await ValidateCancelOrderForm().validate_order_number(
            "SA-100001", dispatcher, make_tracker({}, metadata=TOKEN, active_loop="cancel_order_form"), {}
        )
    assert result["order_eligible"] is False
    assert "can't be cancelled" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_status_action_sends_the_token_as_proof(dispatcher):
    tracker = make_tracker({"order_number": "SA-100001"}, metadata=TOKEN)
    with aioresponses() as mocked:
        mocked.post(LOOKUP, payload=ORDER)
        events = await ActionOrderStatus().run(dispatcher, tracker, {})
        request = next(iter(mocked.requests.values()))[0]
    assert request.kwargs["json"] == {"order_number": "SA-100001", **TOKEN}
    assert "SA-100001" in dispatcher.messages[0]["text"]
    assert SlotSet("order_needs_email", None) in events


@pytest.mark.asyncio
async def test_ask_offers_the_signed_in_shoppers_latest_orders(dispatcher):
    profile = {"recent_orders": [{"order_number": "SA-100001", "status": "shipped", "placed_at": "2026-11-20T10:00:00"}]}
    with aioresponses() as mocked:
        mocked.get(ME, payload=profile)
        await ActionAskOrderNumber().run(dispatcher, make_tracker({}, metadata=TOKEN), {})
        request = next(iter(mocked.requests.values()))[0]
    assert request.kwargs["headers"] == {"Authorization": f"Bearer {TOKEN['customer_token']}"}
    [message] = dispatcher.messages
    assert message["buttons"][0]["payload"] == "SA-100001"
    assert "shipped" in message["buttons"][0]["title"]


@pytest.mark.asyncio
async def test_ask_is_the_usual_question_for_anonymous_shoppers(dispatcher):
    await ActionAskOrderNumber().run(dispatcher, make_tracker({}), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_order_number"
