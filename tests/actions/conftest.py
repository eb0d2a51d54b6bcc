import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.backend import _Sessions
from actions.clients.breaker import CircuitBreaker
from actions.config import Settings
from actions.outbox import Courier, Outbox

BACKEND = "http://backend.test"


@pytest.fixture(autouse=True)
def test_settings(monkeypatch):
    settings = Settings(backend_url=BACKEND, backend_timeout_s=0.5, backend_retries=1)
    monkeypatch.setattr("actions.clients.backend.get_settings", lambda: settings)
    return settings


@pytest.fixture(autouse=True)
def fresh_breaker(monkeypatch):
    """Each test starts with the backend's circuit closed (a test of a down backend would open it)."""
    breaker = CircuitBreaker()
    monkeypatch.setattr("actions.clients.backend.BREAKER", breaker)
    return breaker


@pytest.fixture(autouse=True)
def own_http_session(monkeypatch):
    """Each test's event loop gets its own pooled session, closed when the test ends."""
    sessions = _Sessions()
    monkeypatch.setattr("actions.clients.backend.SESSIONS", sessions)
    yield
    if sessions._session is not None and not sessions._session.closed:
        asyncio.new_event_loop().run_until_complete(sessions._session.close())


@pytest.fixture(autouse=True)
def outbox(monkeypatch, tmp_path):
    """Each test keeps undeliverable writes in a file of its own; a courier still running at the end is stopped."""
    box = Outbox(tmp_path / "outbox.db")
    courier = Courier(box, retry_s=0.05)
    monkeypatch.setattr("actions.outbox.OUTBOX", box)
    monkeypatch.setattr("actions.outbox.COURIER", courier)
    yield box
    if courier._task is not None and not courier._task.done():
        courier._task.cancel()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(slots: dict, text: str = "", intent: str = "inform", entities=None, events=None,
                 active_loop: str = "order_status_form", metadata: dict | None = None) -> Tracker:
    return Tracker(
        sender_id="test-user",
        slots=slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or [],
                        "metadata": metadata or {}},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )
