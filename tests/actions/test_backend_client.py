"""The backend client's circuit breaker: a down backend is not called on every message."""

import pytest
from aioresponses import aioresponses

from actions.clients import backend
from actions.clients.backend import BackendClient, BackendUnavailable, NotFound
from actions.clients.breaker import CircuitBreaker
from tests.actions.conftest import BACKEND

SEARCH = f"{BACKEND}/v1/products?q=kettle"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def calls(mocked: aioresponses) -> int:
    return sum(len(v) for v in mocked.requests.values())


@pytest.mark.asyncio
async def test_breaker_opens_after_repeated_failures_and_fails_fast(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(backend, "BREAKER", CircuitBreaker(failures_to_open=3, cooldown_s=10, clock=clock))
    with aioresponses() as mocked:
        mocked.get(SEARCH, status=503, repeat=True)
        for _ in range(3):
            with pytest.raises(BackendUnavailable):
                await BackendClient().search_products(q="kettle")
        assert calls(mocked) == 6  # each call tried twice (one retry)
        with pytest.raises(BackendUnavailable, match="circuit open"):
            await BackendClient().search_products(q="kettle")
        assert calls(mocked) == 6  # not called while open


@pytest.mark.asyncio
async def test_one_trial_call_after_the_cooldown_closes_the_breaker(monkeypatch):
    clock = Clock()
    breaker = CircuitBreaker(failures_to_open=1, cooldown_s=10, clock=clock)
    monkeypatch.setattr(backend, "BREAKER", breaker)
    with aioresponses() as mocked:
        mocked.get(SEARCH, status=503, repeat=True)
        with pytest.raises(BackendUnavailable):
            await BackendClient().search_products(q="kettle")
    assert breaker.is_open
    clock.now = 11
    with aioresponses() as mocked:
        mocked.get(SEARCH, payload={"items": [], "total": 0})
        assert (await BackendClient().search_products(q="kettle"))["total"] == 0
    assert not breaker.is_open


def test_a_failed_trial_reopens_and_only_one_trial_goes_out():
    clock = Clock()
    breaker = CircuitBreaker(failures_to_open=2, cooldown_s=5, clock=clock)
    breaker.failed()
    assert breaker.allow()  # one failure is not a run
    breaker.failed()
    assert not breaker.allow()
    clock.now = 6
    assert breaker.allow() and not breaker.allow()  # the trial, and nobody else meanwhile
    breaker.failed()
    assert not breaker.allow()
    clock.now = 12
    assert breaker.allow()


@pytest.mark.asyncio
async def test_answers_that_say_no_do_not_count_as_failures(monkeypatch):
    breaker = CircuitBreaker(failures_to_open=1)
    monkeypatch.setattr(backend, "BREAKER", breaker)
    with aioresponses() as mocked:
        mocked.post(f"{BACKEND}/v1/orders/lookup", status=404, payload={"error": "order_not_found"})
        with pytest.raises(NotFound):
            await BackendClient().lookup_order("SA-1", {"email": "a@example.com"})
    assert not breaker.is_open
