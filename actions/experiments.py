"""The A/B test arms a conversation was served under, kept in its tracker (slot `experiments`: {key: variant}).

The backend assigns and applies every variant (commerce/experiments): it knows the conversation by the unit the
actions send (the conversation id for the knowledge base, the signed-in customer for offers, the widget's session
key for recommendations) and names the arm in its response. The assistant records what it was told, so the
conversation's stored events and a handoff agent can see which variant a shopper met; a variant changed in the
admin API reaches the conversation on its next answer, with no redeploy.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

SLOT = "experiments"
MAX_KEY = 60  # the backend's limits (commerce/experiments/schemas.py)
MAX_VARIANT = 30


def seen(tracker: Tracker, response: Dict[str, Any]) -> List[EventType]:
    """A SlotSet adding the arm named in a backend response, or nothing when there is none or it is known."""
    arm = response.get("experiment")
    if not isinstance(arm, dict) or not isinstance(arm.get("key"), str) or not isinstance(arm.get("variant"), str):
        return []
    key, variant = arm["key"][:MAX_KEY], arm["variant"][:MAX_VARIANT]
    arms = dict(tracker.get_slot(SLOT) or {})
    if arms.get(key) == variant:
        return []
    arms[key] = variant
    return [SlotSet(SLOT, arms)]
