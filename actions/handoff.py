"""Handing a conversation to a person: a ticket with the transcript, and an honest answer if that fails."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import experiments, outbox
from actions.clients.backend import BackendError

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
        # The agent sees which A/B variants the shopper met (a ranking or offer under test may be why they ask).
        arms = "".join(f"; A/B {key}: {variant}" for key, variant in sorted((tracker.get_slot(experiments.SLOT)
                                                                            or {}).items()))
        ticket = {
            "conversation_id": tracker.sender_id[:128],
            "channel": (tracker.get_latest_input_channel() or "web")[:32],
            "reason": f"Handed over by the assistant (last intent: {intent}{arms})."[:500],
            "customer_email": tracker.get_slot("order_email"),
            "order_number": tracker.get_slot("order_number"),
            "transcript": lines,
        }
        try:
            created = await outbox.send("ticket", "/v1/handoff-tickets", ticket)
        except BackendError:
            # The backend refused the ticket itself (it will not take it later either).
            dispatcher.utter_message(
                text=(
                    "I'm sorry, I couldn't pass this on just now. Please write to help@juniperlane.example and "
                    "our team will pick it up."
                )
            )
            return []
        if created is None:
            dispatcher.utter_message(
                text=(
                    "Our team's system isn't answering just now, so I've kept your request with this conversation: "
                    "it reaches a colleague as soon as the system is back, and they'll reply here or by e-mail. "
                    "If it's urgent, you can also write to help@juniperlane.example."
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
