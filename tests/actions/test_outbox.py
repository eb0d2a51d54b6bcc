import asyncio

import pytest
from aioresponses import aioresponses

from actions import outbox as outbox_module
from actions.outbox import Courier, Outbox
from tests.actions.conftest import BACKEND

TICKETS = f"{BACKEND}/v1/handoff-tickets"
RATINGS = f"{BACKEND}/v1/kb/ratings"


def sent(mocked: aioresponses, url: str) -> list:
    return [call for (method, u), calls in mocked.requests.items() if str(u) == url for call in calls]


def test_kept_writes_survive_a_new_process_and_keep_their_order(tmp_path):
    first = Outbox(tmp_path / "outbox.db")
    first.put("ticket", "/v1/handoff-tickets", {"n": 1}, "ticket-aaaa1111")
    first.put("rating", "/v1/kb/ratings", {"n": 2}, "rating-bbbb2222")
    first.put("ticket", "/v1/handoff-tickets", {"n": 1}, "ticket-aaaa1111")  # the same key is kept once
    again = Outbox(tmp_path / "outbox.db")  # what a restarted action server opens
    assert [(i.kind, i.body["n"]) for i in again.pending()] == [("ticket", 1), ("rating", 2)]
    assert again.counts() == {"pending": 2, "delivered": 0, "refused": 0}


@pytest.mark.asyncio
async def test_the_courier_delivers_in_order_with_the_original_keys(outbox):
    outbox.put("ticket", "/v1/handoff-tickets", {"n": 1}, "ticket-aaaa1111")
    outbox.put("rating", "/v1/kb/ratings", {"n": 2}, "rating-bbbb2222")
    with aioresponses() as mocked:
        mocked.post(TICKETS, status=201, payload={"reference": "HT-000001"})
        mocked.post(RATINGS, status=200, payload={"answer_id": "a1"})
        assert await Courier(outbox, 0.01).deliver(outbox.pending()) is True
        [ticket], [rating] = sent(mocked, TICKETS), sent(mocked, RATINGS)
    assert ticket.kwargs["headers"]["Idempotency-Key"] == "ticket-aaaa1111" and ticket.kwargs["json"] == {"n": 1}
    assert rating.kwargs["headers"]["Idempotency-Key"] == "rating-bbbb2222"
    assert outbox.pending() == [] and outbox.counts()["delivered"] == 2


@pytest.mark.asyncio
async def test_a_backend_still_down_stops_the_round_and_loses_nothing(outbox):
    outbox.put("ticket", "/v1/handoff-tickets", {"n": 1}, "ticket-aaaa1111")
    outbox.put("rating", "/v1/kb/ratings", {"n": 2}, "rating-bbbb2222")
    with aioresponses() as mocked:
        mocked.post(TICKETS, status=503, repeat=True)
        assert await Courier(outbox, 0.01).deliver(outbox.pending()) is False
        assert sent(mocked, RATINGS) == []  # the round stopped at the first failure
    assert [i.attempts for i in outbox.pending()] == [1, 0]


@pytest.mark.asyncio
async def test_a_refused_write_is_set_aside_not_retried(outbox):
    outbox.put("rating", "/v1/kb/ratings", {"n": 2}, "rating-bbbb2222")
    with aioresponses() as mocked:
        mocked.post(RATINGS, status=422, payload={"error": "validation_error", "detail": "unknown answer"})
        assert await Courier(outbox, 0.01).deliver(outbox.pending()) is True
    assert outbox.pending() == [] and outbox.counts() == {"pending": 0, "delivered": 0, "refused": 1}


@pytest.mark.asyncio
async def test_send_keeps_the_write_and_the_courier_delivers_it_when_the_backend_is_back(outbox):
    with aioresponses() as mocked:
        mocked.post(TICKETS, status=503)
        mocked.post(TICKETS, status=503)  # the first call and its retry fail: kept
        mocked.post(TICKETS, status=503)  # the courier's first round fails too
        mocked.post(TICKETS, status=201, payload={"reference": "HT-000002"})
        assert await outbox_module.send("ticket", "/v1/handoff-tickets", {"n": 3}) is None
        for _ in range(200):
            if not outbox.pending():
                break
            await asyncio.sleep(0.02)
        keys = [call.kwargs["headers"]["Idempotency-Key"] for call in sent(mocked, TICKETS)]
    assert outbox.pending() == [] and outbox.counts()["delivered"] == 1
    assert len(keys) >= 3 and len(set(keys)) == 1
