import pytest
from aioresponses import aioresponses
from rasa_sdk.events import SlotSet

from actions.handoff import ActionHandoff, transcript
from tests.actions.conftest import BACKEND, make_tracker

TICKETS = f"{BACKEND}/v1/handoff-tickets"
EVENTS = [
    {"event": "user", "text": "where is my order"},
    {"event": "bot", "text": "What's the order number?"},
    {"event": "slot", "name": "order_number", "value": "SA-100001"},
    {"event": "user", "text": "   "},
    {"event": "user", "text": "I want a person"},
]


def test_transcript_keeps_user_and_bot_text_in_order():
    lines = transcript(make_tracker({}, events=EVENTS))
    assert lines == [
        {"sender": "user", "text": "where is my order"},
        {"sender": "bot", "text": "What's the order number?"},
        {"sender": "user", "text": "I want a person"},
    ]


@pytest.mark.asyncio
async def test_handoff_creates_a_ticket_with_the_transcript(dispatcher):
    tracker = make_tracker({"order_email": "demo@example.com"}, intent="contact_human_agent", events=EVENTS,
                           active_loop=None)
    with aioresponses() as mocked:
        mocked.post(TICKETS, status=201, payload={"reference": "HT-000007", "status": "open"})
        events = await ActionHandoff().run(dispatcher, tracker, {})
        request = next(iter(mocked.requests.values()))[0]
    body = request.kwargs["json"]
    assert body["conversation_id"] == "test-user" and body["customer_email"] == "demo@example.com"
    assert len(body["transcript"]) == 3 and "contact_human_agent" in body["reason"]
    assert "HT-000007" in dispatcher.messages[0]["text"]
    assert events == [SlotSet("handoff_ticket", "HT-000007")]


@pytest.mark.asyncio
async def test_handoff_when_the_backend_is_down_keeps_the_ticket_and_says_so(dispatcher, outbox):
    with aioresponses() as mocked:
        mocked.post(TICKETS, status=503, repeat=True)
        events = await ActionHandoff().run(dispatcher, make_tracker({}, events=EVENTS, active_loop=None), {})
        keys = {call.kwargs["headers"]["Idempotency-Key"] for call in next(iter(mocked.requests.values()))}
    assert len(keys) == 1  # a retry repeats the key: the backend opens one ticket however often it arrives
    text = dispatcher.messages[0]["text"]
    assert "kept your request" in text and "help@juniperlane.example" in text
    assert events == []
    [kept] = outbox.pending()
    assert kept.kind == "ticket" and kept.idempotency_key in keys and len(kept.body["transcript"]) == 3


@pytest.mark.asyncio
async def test_handoff_refused_by_the_backend_is_not_kept(dispatcher, outbox):
    with aioresponses() as mocked:
        mocked.post(TICKETS, status=422, payload={"error": "validation_error", "detail": "bad"})
        events = await ActionHandoff().run(dispatcher, make_tracker({}, events=EVENTS, active_loop=None), {})
    assert "help@juniperlane.example" in dispatcher.messages[0]["text"] and events == []
    assert outbox.pending() == []
