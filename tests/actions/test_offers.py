"""Offers in the conversation: a signed-in shopper may get one at a price question or when asking for deals."""

import re

import pytest
from aioresponses import aioresponses

from actions.catalog import ActionProductInfo
from actions.offers import ActionPromotions
from tests.actions.conftest import BACKEND, make_tracker
from tests.actions.test_catalog import PRODUCT, SEARCH, entities

OFFERS = re.compile(rf"^{re.escape(BACKEND)}/v1/customers/me/offers(\?.*)?$")
ASK = f"{BACKEND}/v1/kb/ask"
TOKEN = {"customer_token": "header.payload.signature"}
OFFER = {"code": "JL7Q2K9XWA", "campaign": "ten-off", "headline": "5.00 EUR off", "kind": "fixed", "value": 500,
         "max_discount_cents": 500, "min_basket_cents": 0, "expires_at": "2026-12-03T18:00:00+00:00"}
DECISION = {"offer": OFFER, "reason": "the best expected margin", "intent_probability": 0.4, "uplift": 0.08,
            "explored": False}
FAQ = {"answered": True, "confidence": 0.9, "answer_id": "a1", "entry_id": 1, "question": "Do you have sales?",
       "answer_markdown": "Our seasonal sales are announced in the newsletter.", "answer_html": "", "suggestions": [],
       "links": []}


def price_question():
    """A signed-in shopper asking what the rain jacket costs."""
    return make_tracker({}, intent="price", entities=entities(product="rain jacket"), metadata=TOKEN, active_loop=None)


@pytest.mark.asyncio
async def test_asking_for_deals_gives_a_signed_in_shopper_their_offer(dispatcher):
    with aioresponses() as mocked:
        mocked.get(OFFERS, payload=DECISION)
        await ActionPromotions().run(dispatcher, make_tracker({}, intent="promotions", metadata=TOKEN), {})
        (_, url), [request] = next(iter(mocked.requests.items()))
    assert request.kwargs["headers"] == {"Authorization": f"Bearer {TOKEN['customer_token']}"}
    assert url.query["moment"] == "browsing"
    [message] = dispatcher.messages
    assert "JL7Q2K9XWA" in message["text"] and "5.00 EUR off" in message["text"]
    assert message["custom"] == {"type": "offer", "headline": "5.00 EUR off", "code": "JL7Q2K9XWA",
                                 "expires_at": OFFER["expires_at"]}


@pytest.mark.asyncio
async def test_anonymous_or_no_offer_gets_the_promotions_faq(dispatcher):
    with aioresponses() as mocked:
        mocked.post(ASK, payload=FAQ)
        await ActionPromotions().run(dispatcher, make_tracker({}, text="any discounts?", intent="promotions"), {})
        assert not any(OFFERS.match(str(url)) for _, url in mocked.requests)  # nobody to ask for
    assert "newsletter" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_price_question_adds_an_offer_after_the_answer(dispatcher):
    with aioresponses() as mocked:
        mocked.get(SEARCH, payload={"items": [PRODUCT], "total": 1})
        mocked.get(OFFERS, payload=DECISION)
        await ActionProductInfo().run(dispatcher, price_question(), {})
        offer_call = next(url for _, url in mocked.requests if OFFERS.match(str(url)))
    assert offer_call.query["moment"] == "price_question" and offer_call.query["basket_cents"] == "7490"
    assert "74.90 EUR" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[1]["custom"]["type"] == "offer"


@pytest.mark.asyncio
async def test_an_offer_that_fails_never_spoils_the_answer(dispatcher):
    with aioresponses() as mocked:
        mocked.get(SEARCH, payload={"items": [PRODUCT], "total": 1})
        mocked.get(OFFERS, status=503, repeat=True)
        await ActionProductInfo().run(dispatcher, price_question(), {})
    [message] = dispatcher.messages
    assert "74.90 EUR" in message["text"]


@pytest.mark.asyncio
@pytest.mark.parametrize("text, moment", [("hmm that's a bit pricey", "hesitation"),
                                          ("I left some things in my cart", "cart_abandonment")])
async def test_hesitation_asks_for_an_offer_for_that_moment(dispatcher, text, moment):
    from actions.offers import ActionHesitation

    with aioresponses() as mocked:
        mocked.get(OFFERS, payload=DECISION)
        await ActionHesitation().run(dispatcher, make_tracker({}, text=text, intent="hesitation", metadata=TOKEN), {})
        (_, url), _ = next(iter(mocked.requests.items()))
    assert url.query["moment"] == moment
    assert dispatcher.messages[0]["custom"]["code"] == "JL7Q2K9XWA"


@pytest.mark.asyncio
async def test_hesitation_without_an_offer_reassures(dispatcher):
    from actions.offers import ActionHesitation

    with aioresponses() as mocked:
        mocked.get(OFFERS, payload={**DECISION, "offer": None, "reason": "likely to buy anyway"})
        await ActionHesitation().run(dispatcher, make_tracker({}, text="I'll think about it", metadata=TOKEN), {})
    assert dispatcher.messages[0]["response"] == "utter_no_rush"
