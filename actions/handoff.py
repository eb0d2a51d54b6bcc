"""Handing a conversation to a person: a ticket with the transcript, and an honest answer if that fails."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.backend import BackendError, BackendClient

MAX_LINES = 200
MAX_TEXT = 2000


def transcript(tracker: Tracker) -> List[Dict[str, Any]]:
    """The conversation so far as the backend's transcript lines (user and bot texts, oldest first)."""
    lines = []
    for event in tracker.events:
        sender = {"user": "user", "bot": "bot"}.get(event.get("event"))
        text = (event.get("text") or "").strip()
        if sender and text:
            lines.append({"sender": sender, "text": text[:MAX_TEXT]})
    return lines[-MAX_LINES:]


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lines = transcript(tracker) or [{"sender": "user", "text": "(asked for a person)"}]
        intent = (tracker.latest_message.get("intent") or {}).get("name") or "unknown"
        ticket = {
            "conversation_id": tracker.sender_id[:128],
            "channel": (tracker.get_latest_input_channel() or "web")[:32],
            "reason": f"Handed over by the assistant (last intent: {intent}).",
            "customer_email": tracker.get_slot("order_email"),
            "order_number": tracker.get_slot("order_number"),
            "transcript": lines,
        }
        try:
            created = await BackendClient().create_ticket(ticket)
        except BackendError:
            dispatcher.utter_message(
                text=(
                    "I'm sorry, I couldn't reach our team's system just now. You can write to "
                    "help@juniperlane.example or try again in a few minutes and I'll pass you on."
                )
            )
            return []
        dispatcher.utter_message(
            text=(
                f"I've passed our conversation to a colleague (ticket {created['reference']}). "
                "They'll reply here or by e-mail, usually within a few hours on working days."
            )
        )
        return [SlotSet("handoff_ticket", created["reference"])]
