import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.config import Settings

BACKEND = "http://backend.test"


@pytest.fixture(autouse=True)
def test_settings(monkeypatch):
    settings = Settings(backend_url=BACKEND, backend_timeout_s=0.5, backend_retries=1)
    monkeypatch.setattr("actions.clients.backend.get_settings", lambda: settings)
    return settings


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
