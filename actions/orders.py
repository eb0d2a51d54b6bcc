"""Order tracking: the order status form's validation and the lookup that answers it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.backend import BackendClient, BackendError, BackendUnavailable, NotFound

ORDER_NUMBER_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def normalise_order_number(text: Any) -> Optional[str]:
    match = ORDER_NUMBER_RE.search(str(text or "")[:200])
    return f"SA-{match.group(1)}" if match else None


def normalise_email(text: Any) -> Optional[str]:
    match = EMAIL_RE.search(str(text or "")[:320])
    return match.group(0).lower() if match else None


class ValidateOrderStatusForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_order_status_form"

    def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict
    ) -> Dict[Text, Any]:
        number = normalise_order_number(slot_value)
        if number is None:
            dispatcher.utter_message(response="utter_invalid_order_number")
        return {"order_number": number}

    def validate_order_email(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict
    ) -> Dict[Text, Any]:
        email = normalise_email(slot_value)
        if email is None:
            dispatcher.utter_message(response="utter_invalid_email")
        return {"order_email": email}


def _friendly_date(iso: Optional[str]) -> Optional[str]:
    if not iso:
        return None
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return None
    return f"{day:%A} {day.day} {day:%B}"


def describe_order(order: Dict[str, Any]) -> str:
    number, status = order["order_number"], order["status"]
    shipment = order.get("shipment") or {}
    status_text = {
        "placed": "has been placed and is waiting for payment confirmation",
        "paid": "is paid and being packed in our warehouse",
        "shipped": "is on its way",
        "delivered": "has been delivered",
        "cancelled": "was cancelled",
        "return_requested": "has a return in progress",
        "returned": "has been returned to us",
        "refunded": "has been returned and refunded",
    }.get(status, f"has the status '{status}'")
    parts = [f"Your order {number} {status_text}."]
    if shipment.get("carrier"):
        tracking = f" (tracking number {shipment['tracking_number']})" if shipment.get("tracking_number") else ""
        parts.append(f"It's with {shipment['carrier']}{tracking}.")
    if status in ("paid", "shipped"):
        expected = _friendly_date(shipment.get("expected_delivery"))
        if expected:
            parts.append(f"Expected delivery: {expected}.")
    elif status == "delivered":
        delivered = _friendly_date(shipment.get("delivered_at"))
        if delivered:
            parts.append(f"It arrived on {delivered}.")
    return " ".join(parts)


class ActionOrderStatus(Action):
    def name(self) -> Text:
        return "action_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        number = tracker.get_slot("order_number")
        email = tracker.get_slot("order_email")
        # The slots are cleared whatever happens, so a finished lookup never lingers in the conversation.
        reset = [SlotSet("order_number", None), SlotSet("order_email", None)]
        if not number or not email:
            dispatcher.utter_message(text="I need both the order number and the e-mail on the order to look it up.")
            return reset
        try:
            order = await BackendClient().lookup_order(number, email)
        except NotFound:
            dispatcher.utter_message(
                text=(
                    f"I couldn't find an order {number} with that e-mail address. Please check both: "
                    "for your security I can only share an order with the e-mail it was placed with."
                )
            )
            return reset
        except (BackendUnavailable, BackendError):
            dispatcher.utter_message(
                text=(
                    "Sorry, I can't reach our order system right now. Please try again in a few minutes, "
                    "or ask me for a person and our team will help."
                )
            )
            return reset
        dispatcher.utter_message(text=describe_order(order))
        return reset
