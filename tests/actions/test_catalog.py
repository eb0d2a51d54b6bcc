import re

import pytest
from aioresponses import aioresponses

from actions.catalog import ActionProductInfo, ActionSearchProducts, price_range
from tests.actions.conftest import BACKEND, make_tracker

SEARCH = re.compile(rf"^{re.escape(BACKEND)}/v1/products\?.*$")
PRODUCT = {"sku": "OUT-00012", "title": "Kestrel Trail Rain Jacket", "brand": "Kestrel", "category": "Jackets",
           "price": "74.90", "currency": "EUR", "in_stock": True, "image_url": "/images/products/OUT-00012.svg",
           "url": "/products/OUT-00012"}


@pytest.mark.parametrize(
    "text, expected",
    [("under 50", (None, "50")), ("less than £80", (None, "80")), ("between 20 and 40 euros", ("20", "40")),
     ("30-60", ("30", "60")), ("over 100", ("100", None)), ("cheap", (None, None)), (None, (None, None))],
)
def test_price_range(text, expected):
    assert price_range(text) == expected


def entities(**values):
    return [{"entity": k, "value": v} for k, v in values.items()]


@pytest.mark.asyncio
async def test_search_sends_words_and_budget_and_shows_cards(dispatcher):
    tracker = make_tracker({}, intent="product_search", entities=entities(product="rain jacket", price="under 80"),
                           active_loop=None)
    with aioresponses() as mocked:
        mocked.get(SEARCH, payload={"items": [PRODUCT], "total": 1})
        await ActionSearchProducts().run(dispatcher, tracker, {})
        (method, url), _ = next(iter(mocked.requests.items()))
    assert url.query["q"] == "rain jacket" and url.query["max_price"] == "80" and url.query["in_stock"] == "true"
    message = dispatcher.messages[0]
    assert "Kestrel Trail Rain Jacket" in message["text"]
    assert message["custom"]["type"] == "product_cards"
    assert message["custom"]["products"][0]["url"] == "/products/OUT-00012"


@pytest.mark.asyncio
async def test_search_without_anything_to_search_asks_what(dispatcher):
    with aioresponses() as mocked:
        await ActionSearchProducts().run(dispatcher, make_tracker({}, intent="product_search", active_loop=None), {})
        assert not mocked.requests
    assert dispatcher.messages[0]["response"] == "utter_ask_what_product"


@pytest.mark.asyncio
async def test_no_results_is_said_plainly(dispatcher):
    tracker = make_tracker({}, intent="product_search", entities=entities(product="submarine"), active_loop=None)
    with aioresponses() as mocked:
        mocked.get(SEARCH, payload={"items": [], "total": 0})
        await ActionSearchProducts().run(dispatcher, tracker, {})
    assert "couldn't find submarine" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_price_question_answers_with_price_and_stock(dispatcher):
    tracker = make_tracker({}, intent="price", entities=entities(product="trail rain jacket"), active_loop=None)
    with aioresponses() as mocked:
        mocked.get(SEARCH, payload={"items": [{**PRODUCT, "in_stock": False}], "total": 1})
        await ActionProductInfo().run(dispatcher, tracker, {})
    assert "costs 74.90 EUR and is out of stock" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_search_when_backend_is_down(dispatcher):
    tracker = make_tracker({}, intent="product_search", entities=entities(product="mug"), active_loop=None)
    with aioresponses() as mocked:
        mocked.get(SEARCH, status=500)
        mocked.get(SEARCH, status=500)
        await ActionSearchProducts().run(dispatcher, tracker, {})
    assert "can't search the shop right now" in dispatcher.messages[0]["text"]
