"""The assistant records the A/B arms the backend served it under (slot `experiments`) and tells the agent."""

import pytest
from aioresponses import aioresponses
from rasa_sdk.events import SlotSet

from actions import experiments
from actions.handoff import ActionHandoff
from actions.knowledge import ActionAnswerFaq
from actions.offers import ActionHesitation, ActionPromotions
from actions.recommend import ActionRecommend
from tests.actions.conftest import make_tracker
from tests.actions.test_catalog import PRODUCT
from tests.actions.test_handoff import TICKETS
from tests.actions.test_knowledge import ANSWERED, ASK
from tests.actions.test_offers import DECISION, FAQ, OFFERS, TOKEN
from tests.actions.test_recommend import RECS, recs

KB_ARM = {"key": "kb-bm25-or-hybrid", "variant": "b"}
OFFER_ARM = {"key": "offer-uplift", "variant": "prior"}


def test_an_arm_is_added_once_and_odd_ones_are_ignored():
    tracker = make_tracker({experiments.SLOT: {"offer-uplift": "prior"}})
    assert experiments.seen(tracker, {"experiment": KB_ARM}) == [
        SlotSet("experiments", {"offer-uplift": "prior", "kb-bm25-or-hybrid": "b"})]
    assert experiments.seen(tracker, {"experiment": OFFER_ARM}) == []  # already known
    assert experiments.seen(tracker, {"experiment": {"key": "offer-uplift", "variant": "current"}}) == [
        SlotSet("experiments", {"offer-uplift": "current"})]  # the owner changed the split: the latest counts
    for odd in ({}, {"experiment": None}, {"experiment": "b"}, {"experiment": {"key": 3, "variant": "b"}},
                {"experiment": {"key": "k"}}):
        assert experiments.seen(tracker, odd) == []
    [event] = experiments.seen(make_tracker({}), {"experiment": {"key": "k" * 500, "variant": "v" * 500}})
    [(key, variant)] = event["value"].items()
    assert (len(key), len(variant)) == (experiments.MAX_KEY, experiments.MAX_VARIANT)


@pytest.mark.asyncio
async def test_answers_offers_and_recommendations_record_their_arm(dispatcher):
    with aioresponses() as mocked:
        mocked.post(ASK, payload={**ANSWERED, "experiment": KB_ARM})
        events = await ActionAnswerFaq().run(dispatcher, make_tracker({}, text="how much is shipping?"), {})
    assert events == [SlotSet("kb_answer_id", "a1b2"), SlotSet("experiments", {"kb-bm25-or-hybrid": "b"})]

    abstained = {"answered": False, "confidence": 0.1, "suggestions": [], "experiment": KB_ARM}
    with aioresponses() as mocked:
        mocked.post(ASK, payload=abstained)
        events = await ActionAnswerFaq().run(dispatcher, make_tracker({}, text="do you sell boats?"), {})
    assert events == [SlotSet("kb_answer_id", None), SlotSet("experiments", {"kb-bm25-or-hybrid": "b"})]

    with aioresponses() as mocked:
        mocked.get(OFFERS, payload={**DECISION, "experiment": OFFER_ARM})
        events = await ActionPromotions().run(dispatcher, make_tracker({}, intent="promotions", metadata=TOKEN), {})
    assert events == [SlotSet("experiments", {"offer-uplift": "prior"})]

    # No offer in the control arm is still an exposure: the shopper hears "no rush", and the arm is kept.
    with aioresponses() as mocked:
        mocked.get(OFFERS, payload={**DECISION, "offer": None, "experiment": OFFER_ARM})
        events = await ActionHesitation().run(
            dispatcher, make_tracker({}, text="too expensive", intent="hesitation", metadata=TOKEN), {})
    assert events == [SlotSet("experiments", {"offer-uplift": "prior"})]

    with aioresponses() as mocked:
        mocked.get(OFFERS, payload=DECISION)  # no offer_policy experiment running
        mocked.post(ASK, payload=FAQ)
        events = await ActionPromotions().run(
            dispatcher, make_tracker({}, text="any deals?", intent="promotions", metadata=TOKEN), {})
    assert events == []

    with aioresponses() as mocked:
        mocked.get(RECS, payload={**recs("popular", PRODUCT), "experiment": {"key": "recs-ab", "variant": "a"}})
        events = await ActionRecommend().run(
            dispatcher, make_tracker({}, text="recommend me something", intent="recommend", active_loop=None), {})
    assert events == [SlotSet("experiments", {"recs-ab": "a"})]


@pytest.mark.asyncio
async def test_the_handoff_ticket_names_the_arms_for_the_agent(dispatcher):
    tracker = make_tracker({experiments.SLOT: {"offer-uplift": "prior", "kb-bm25-or-hybrid": "b"}},
                           intent="contact_human_agent", active_loop=None)
    with aioresponses() as mocked:
        mocked.post(TICKETS, status=201, payload={"reference": "HT-000008", "status": "open"})
        await ActionHandoff().run(dispatcher, tracker, {})
        body = next(iter(mocked.requests.values()))[0].kwargs["json"]
    assert body["reason"] == ("Handed over by the assistant (last intent: contact_human_agent; "
                              "A/B kb-bm25-or-hybrid: b; A/B offer-uplift: prior).")
