import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.config import Settings


@pytest.fixture
def settings() -> Settings:
    return Settings(backend_url="http://backend.test", backend_timeout_s=0.5, backend_retries=1)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(slots: dict, text: str = "", intent: str = "inform") -> Tracker:
    return Tracker(
        sender_id="test-user",
        slots=slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "order_status_form"},
        latest_action_name="action_listen",
    )
