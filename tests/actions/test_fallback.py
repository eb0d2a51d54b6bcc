import pytest

from actions.fallback import ActionAskAffirmation
from tests.actions.conftest import make_tracker


def tracker_with_ranking(*names):
    tracker = make_tracker({}, intent="nlu_fallback", active_loop=None)
    tracker.latest_message["intent_ranking"] = [{"name": n, "confidence": 0.2} for n in names]
    return tracker


@pytest.mark.asyncio
async def test_offers_the_two_likeliest_meanings_and_a_way_out(dispatcher):
    await ActionAskAffirmation().run(dispatcher, tracker_with_ranking("nlu_fallback", "track_order", "greet", "cancel_order"), {})
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/track_order", "/cancel_order", "/deny"]


@pytest.mark.asyncio
async def test_without_a_known_meaning_it_asks_to_rephrase(dispatcher):
    await ActionAskAffirmation().run(dispatcher, tracker_with_ranking("nlu_fallback", "greet"), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"
