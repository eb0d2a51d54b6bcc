import re

import pytest
from aioresponses import aioresponses

from actions.recommend import ActionRecommend
from tests.actions.conftest import BACKEND, make_tracker
from tests.actions.test_catalog import PRODUCT, entities

SEARCH = re.compile(rf"^{re.escape(BACKEND)}/v1/products\?.*$")
RECS = re.compile(rf"^{re.escape(BACKEND)}/v1/recommendations\?.*$")
CHEAPER = {**PRODUCT, "sku": "OUT-00031", "title": "Kestrel Packable Shell", "price": "49.00"}


def recs(strategy, *products):
    return {"customer_id": None, "session_key": None, "strategy": strategy, "model_version": "test",
            "items": [{"product": p, "reason": {"code": "similar", "text": "Similar"}, "score": 1.0} for p in products]}


def sent(mocked, pattern):
    return [url for (method, url) in mocked.requests if pattern.match(str(url))]


@pytest.mark.asyncio
async def test_budget_and_category_go_to_the_backend_and_cards_come_back(dispatcher):
    tracker = make_tracker({}, text="a gift for a runner under 50", intent="recommend",
                           entities=entities(category="Running Shoes", price="under 50"), active_loop=None)
    with aioresponses() as mocked:
        mocked.get(RECS, payload=recs("popular", CHEAPER))
        await ActionRecommend().run(dispatcher, tracker, {})
        (url,) = sent(mocked, RECS)
    assert url.query["category"] == "running-shoes" and url.query["max_price"] == "50"
    assert dispatcher.messages[0]["custom"]["products"][0]["sku"] == "OUT-00031"
    # Tagged so the widget reports clicks per model version.
    assert (dispatcher.messages[0]["custom"]["source"], dispatcher.messages[0]["custom"]["model_version"]) == \
        ("recommendation", "test")
    assert dispatcher.messages[0]["text"].startswith("Popular right now:")


@pytest.mark.asyncio
async def test_like_this_but_cheaper_uses_the_named_product_and_its_price(dispatcher):
    tracker = make_tracker({}, text="something like the kestrel rain jacket but cheaper", intent="recommend",
                           entities=entities(product="kestrel rain jacket"), active_loop=None)
    with aioresponses() as mocked:
        mocked.get(SEARCH, payload={"items": [PRODUCT], "total": 1})
        mocked.get(RECS, payload=recs("similar", CHEAPER))
        await ActionRecommend().run(dispatcher, tracker, {})
        (url,) = sent(mocked, RECS)
    assert url.query["context_product"] == "OUT-00012" and url.query["max_price"] == "74.90"
    assert dispatcher.messages[0]["text"].startswith("Similar to Kestrel Trail Rain Jacket:")


@pytest.mark.asyncio
async def test_backend_down_gives_an_apology_not_an_error(dispatcher):
    tracker = make_tracker({}, text="recommend me something", intent="recommend", active_loop=None)
    with aioresponses() as mocked:
        mocked.get(RECS, status=503, repeat=True)
        assert await ActionRecommend().run(dispatcher, tracker, {}) == []
    assert "can't pick products" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_empty_list_asks_for_more_detail(dispatcher):
    tracker = make_tracker({}, text="recommend me something", intent="recommend", active_loop=None)
    with aioresponses() as mocked:
        mocked.get(RECS, payload=recs("popular"))
        await ActionRecommend().run(dispatcher, tracker, {})
    assert "budget" in dispatcher.messages[0]["text"]
