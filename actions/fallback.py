"""The first stage of the two-stage fallback: "Did you mean …?" in words a shopper recognises."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

MEANINGS = {
    "track_order": "find out where your order is",
    "cancel_order": "cancel an order",
    "change_order": "change an order",
    "change_shipping_address": "change a delivery address",
    "get_refund": "return an order and get a refund",
    "track_refund": "check on a refund",
    "check_invoice": "see an invoice",
    "get_invoice": "get a copy of an invoice",
    "contact_human_agent": "talk to a person",
    "complaint": "make a complaint",
    "payment_issue": "sort out a payment problem",
    "product_search": "find a product",
    "recommend": "get a recommendation",
    "price": "know a price",
    "stock": "check whether something is in stock",
    "promotions": "hear about current offers",
    "delivery_period": "know how long delivery takes",
    "delivery_options": "know the delivery options",
    "check_refund_policy": "know our returns policy",
    "check_payment_methods": "know which payment methods we accept",
}


class ActionAskAffirmation(Action):
    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        candidates = [r["name"] for r in ranking if r.get("name") in MEANINGS][:2]
        if not candidates:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        buttons = [{"title": f"Yes, {MEANINGS[name]}", "payload": f"/{name}"} for name in candidates]
        buttons.append({"title": "Something else", "payload": "/deny"})
        dispatcher.utter_message(text="I'm not quite sure I understood. Did you want to:", buttons=buttons)
        return []
