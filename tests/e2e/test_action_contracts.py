"""Contract tests: the actions' backend calls against the real backend on the seeded database (the action
unit tests mock HTTP; these prove the requests and the responses' shape match what the backend really does)."""

from __future__ import annotations

import sqlite3

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.catalog import ActionSearchProducts
from actions.config import Settings
from actions.handoff import ActionHandoff
from actions.knowledge import ActionAnswerFaq, ActionRateAnswer
from actions.recommend import ActionRecommend
from tests.actions.conftest import make_tracker


@pytest.fixture(autouse=True)
def live_backend(stack, monkeypatch):
    settings = Settings(backend_url=stack.url("backend"), backend_timeout_s=2.0, backend_retries=1)
    monkeypatch.setattr("actions.clients.backend.get_settings", lambda: settings)


@pytest.fixture
def db(database_path):
    with sqlite3.connect(database_path) as conn:
        yield conn


def slots_set(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.asyncio
async def test_faq_answer_carries_an_id_that_can_be_rated(db):
    dispatcher = CollectingDispatcher()
    question = make_tracker({}, text="how many days do I have to send something back?", intent="faq",
                            active_loop=None)
    events = await ActionAnswerFaq().run(dispatcher, question, {})
    answer_id = slots_set(events)["kb_answer_id"]
    assert answer_id, dispatcher.messages
    assert "return" in dispatcher.messages[0]["text"].lower()
    assert dispatcher.messages[1]["buttons"][0]["payload"] == "/rate_answer_helpful"

    rating = make_tracker({"kb_answer_id": answer_id}, text="/rate_answer_helpful", intent="rate_answer_helpful",
                          active_loop=None)
    await ActionRateAnswer().run(CollectingDispatcher(), rating, {})
    (helpful,) = db.execute("SELECT helpful FROM kb_ratings WHERE answer_id = ?", (answer_id,)).fetchone()
    assert helpful == 1


@pytest.mark.asyncio
async def test_search_finds_a_seeded_product_and_links_to_its_page(db):
    (title,) = db.execute("SELECT title FROM products WHERE stock > 0 ORDER BY id LIMIT 1").fetchone()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({}, text=f"do you have {title}", intent="product_search",
                           entities=[{"entity": "product", "value": title}], active_loop=None)
    await ActionSearchProducts().run(dispatcher, tracker, {})
    cards = dispatcher.messages[0]["custom"]["products"]
    assert title in [c["title"] for c in cards]
    assert all(c["url"].startswith("/products/") for c in cards)


@pytest.mark.asyncio
async def test_recommendations_for_an_anonymous_shopper_are_cards():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({}, text="recommend me something", intent="recommend", active_loop=None)
    await ActionRecommend().run(dispatcher, tracker, {})
    cards = dispatcher.messages[0]["custom"]["products"]
    assert 1 <= len(cards) <= 4 and all(c["in_stock"] for c in cards)


@pytest.mark.asyncio
async def test_handoff_creates_a_ticket_with_the_transcript(db):
    dispatcher = CollectingDispatcher()
    events = [{"event": "user", "text": "my parcel never came"}, {"event": "bot", "text": "Sorry to hear that."},
              {"event": "user", "text": "I want to talk to a person"}]
    tracker = make_tracker({}, text="I want to talk to a person", intent="contact_human_agent", events=events,
                           active_loop=None)
    reference = slots_set(await ActionHandoff().run(dispatcher, tracker, {}))["handoff_ticket"]
    assert reference in dispatcher.messages[0]["text"]
    (transcript,) = db.execute("SELECT transcript FROM handoff_tickets WHERE reference = ?", (reference,)).fetchone()
    assert "my parcel never came" in transcript
