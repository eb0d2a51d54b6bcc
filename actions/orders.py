"""Order flows: tracking, cancellation, address change, returns, refund status and invoices.

Every flow asks for the order number and the e-mail on the order; the backend checks the pair and
answers 404 for a wrong pair exactly as for an unknown order, so nothing leaks. A signed-in shopper (a
known-shopper token in the message metadata, see actions/identity.py) is not asked for the e-mail: the backend
opens only that customer's own orders with the token, and any other order falls back to the e-mail. Flows that change an
order look it up first and end early, with the reason, when the backend's rules forbid the change.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.backend import BackendClient, BackendError, BackendUnavailable, NotFound, Rejected
from actions.identity import customer_token

ORDER_NUMBER_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# "10115 Berlin", "1012 AB Amsterdam", "D02 X285 Dublin", "75003 Paris"
POSTCODE_CITY_RE = re.compile(r"^(\d{4}\s?[A-Za-z]{2}(?=\s)|\d{4,5}|[A-Za-z]\d{2}\s?[A-Za-z0-9]{4})\s+(.+)$")

BACKEND_DOWN = (
    "Sorry, I can't reach our order system right now. Please try again in a few minutes, "
    "or ask me for a person and our team will help."
)
FLOW_SLOTS = ("order_number", "order_eligible", "order_summary", "order_country", "cancel_confirmed",
              "new_address", "return_reason", "order_needs_email")


def normalise_order_number(text: Any) -> Optional[str]:
    match = ORDER_NUMBER_RE.search(str(text or "")[:200])
    return f"SA-{match.group(1)}" if match else None


def normalise_email(text: Any) -> Optional[str]:
    match = EMAIL_RE.search(str(text or "")[:320])
    return match.group(0).lower() if match else None


def parse_address(text: Any) -> Optional[Dict[str, str]]:
    """'Name, street, [more,] postcode city' (commas or new lines) -> the backend's address fields."""
    parts = [p.strip() for p in re.split(r"[,\n;]+", str(text or "")[:600]) if p.strip()]
    if len(parts) < 3:
        return None
    match = POSTCODE_CITY_RE.match(parts[-1])
    if not match:
        return None
    address = {"recipient": parts[0], "line1": parts[1], "postcode": match.group(1).upper(), "city": match.group(2)}
    if len(parts) > 3:
        address["line2"] = ", ".join(parts[2:-1])
    return address


def reset_flow(keep_email: bool = True) -> List[EventType]:
    """Clear the finished flow; the e-mail stays only after it was proven to match an order."""
    events = [SlotSet(name, None) for name in FLOW_SLOTS]
    if not keep_email:
        events.append(SlotSet("order_email", None))
    return events


def not_found_text(number: str) -> str:
    return (
        f"I couldn't find an order {number} with that e-mail address. Please check both: "
        "for your security I can only share an order with the e-mail it was placed with."
    )


def _friendly_date(iso: Optional[str]) -> Optional[str]:
    if not iso:
        return None
    try:
        day = date.fromisoformat(str(iso)[:10])
    except ValueError:
        return None
    return f"{day:%A} {day.day} {day:%B}"


def summarise_items(order: Dict[str, Any]) -> str:
    items = order.get("items") or []
    count = sum(int(i.get("quantity", 1)) for i in items)
    first = items[0]["title"] if items else "your items"
    more = f" and {count - 1} more item{'s' if count > 2 else ''}" if count > 1 else ""
    return f"{first}{more}, {order.get('total')} {order.get('currency', '')}".strip()


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


def token_proof(tracker: Tracker) -> Optional[str]:
    """The shopper's token, unless this flow already fell back to asking for the e-mail."""
    return None if tracker.get_slot("order_needs_email") else customer_token(tracker)


def order_proof(tracker: Tracker) -> Optional[Dict[str, str]]:
    email = tracker.get_slot("order_email")
    if email:
        return {"email": email}
    token = token_proof(tracker)
    return {"customer_token": token} if token else None


class VerifiedOrderForm(FormValidationAction):
    """Validation shared by every order form: a well-formed order number and e-mail (or a signed-in shopper)."""

    @abstractmethod
    def name(self) -> Text:
        """validate_<form name>, which Rasa calls to validate that form's slots."""

    def proof_slots(self, tracker: Tracker) -> List[Text]:
        return ["order_number"] if token_proof(tracker) else ["order_number", "order_email"]

    async def required_slots(self, domain_slots: List[Text], dispatcher, tracker: Tracker, domain) -> List[Text]:
        if token_proof(tracker):
            return [slot for slot in domain_slots if slot != "order_email"]
        return domain_slots

    async def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict
    ) -> Dict[Text, Any]:
        number = normalise_order_number(slot_value)
        if number is None:
            dispatcher.utter_message(response="utter_invalid_order_number")
            return {"order_number": None}
        token = token_proof(tracker)
        if token is None:
            return {"order_number": number}
        try:
            order = await BackendClient().lookup_order(number, {"customer_token": token})
        except NotFound:
            dispatcher.utter_message(
                text=f"Order {number} isn't on the account you're signed in with. If someone else placed it, "
                "I can look it up with the e-mail address used for it."
            )
            return {"order_number": number, "order_needs_email": True}
        except Rejected:  # the token expired or was not accepted: verify the usual way
            dispatcher.utter_message(text="I couldn't confirm your sign-in, so I'll need the e-mail on the order.")
            return {"order_number": number, "order_needs_email": True}
        except BackendUnavailable:
            return {"order_number": number, **self.backend_down(dispatcher)}
        return {"order_number": number, **self.judge(order, dispatcher)}

    async def validate_order_email(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict
    ) -> Dict[Text, Any]:
        email = normalise_email(slot_value)
        if email is None:
            dispatcher.utter_message(response="utter_invalid_email")
            return {"order_email": None}
        return {"order_email": email, **await self.check_order(tracker.get_slot("order_number"), email, dispatcher)}

    async def check_order(self, number: Optional[str], email: str, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        """Forms that change an order override this to look it up and check the backend's rules."""
        return {}

    def judge(self, order: Dict[str, Any], dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        """Slots to set once the order is found; forms that change an order check their rules here."""
        return {}

    def backend_down(self, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        """Looking up is left to the final action, which tells the shopper when the backend is down."""
        return {}


class ChangingOrderForm(VerifiedOrderForm):
    """A form that changes an order: it looks the order up once the e-mail is given and ends early
    (order_eligible = False) when the change is not possible."""

    async def required_slots(self, domain_slots: List[Text], dispatcher, tracker: Tracker, domain) -> List[Text]:
        if tracker.get_slot("order_eligible") is False:
            return self.proof_slots(tracker)
        return await super().required_slots(domain_slots, dispatcher, tracker, domain)

    @abstractmethod
    def eligible(self, order: Dict[str, Any]) -> Optional[str]:
        """None when the change is allowed, else the sentence explaining why not."""

    async def check_order(self, number: Optional[str], email: str, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        if not number:
            return {}
        try:
            order = await BackendClient().lookup_order(number, {"email": email})
        except NotFound:
            dispatcher.utter_message(text=not_found_text(number))
            return {"order_number": None, "order_email": None}
        except (BackendUnavailable, Rejected):
            return self.backend_down(dispatcher)
        return self.judge(order, dispatcher)

    def backend_down(self, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        dispatcher.utter_message(text=BACKEND_DOWN)
        return {"order_eligible": False}

    def judge(self, order: Dict[str, Any], dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        refusal = self.eligible(order)
        if refusal:
            dispatcher.utter_message(text=refusal)
            return {"order_eligible": False}
        return {
            "order_eligible": True,
            "order_summary": summarise_items(order),
            "order_country": order.get("ship_to_country"),
        }


class ValidateOrderStatusForm(VerifiedOrderForm):
    def name(self) -> Text:
        return "validate_order_status_form"


class ValidateRefundStatusForm(VerifiedOrderForm):
    def name(self) -> Text:
        return "validate_refund_status_form"


class ValidateInvoiceForm(VerifiedOrderForm):
    def name(self) -> Text:
        return "validate_invoice_form"


class ValidateCancelOrderForm(ChangingOrderForm):
    def name(self) -> Text:
        return "validate_cancel_order_form"

    def eligible(self, order: Dict[str, Any]) -> Optional[str]:
        if order.get("can_cancel"):
            return None
        if order["status"] == "cancelled":
            return f"Order {order['order_number']} is already cancelled."
        return (
            f"Order {order['order_number']} has already left our warehouse, so it can't be cancelled any more. "
            "Once it arrives you can return it within 30 days for a full refund."
        )


class ValidateAddressChangeForm(ChangingOrderForm):
    def name(self) -> Text:
        return "validate_address_change_form"

    def eligible(self, order: Dict[str, Any]) -> Optional[str]:
        if order.get("can_change_address"):
            return None
        return (
            f"Order {order['order_number']} is {order['status'].replace('_', ' ')}, so its delivery address "
            "can't be changed any more. The carrier's tracking page may let you redirect the parcel."
        )

    def validate_new_address(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict
    ) -> Dict[Text, Any]:
        if parse_address(slot_value) is None:
            dispatcher.utter_message(response="utter_invalid_address")
            return {"new_address": None}
        return {"new_address": str(slot_value).strip()[:600]}


class ValidateReturnForm(ChangingOrderForm):
    def name(self) -> Text:
        return "validate_return_form"

    def eligible(self, order: Dict[str, Any]) -> Optional[str]:
        deadline = order.get("return_deadline")
        if order["status"] != "delivered" or not deadline:
            return (
                f"Order {order['order_number']} is {order['status'].replace('_', ' ')}; a return can be started "
                "once an order has been delivered."
            )
        if date.fromisoformat(str(deadline)[:10]) < date.today():
            return f"The 30-day return window for order {order['order_number']} ended on {_friendly_date(deadline)}."
        return None

    def validate_return_reason(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict
    ) -> Dict[Text, Any]:
        reason = " ".join(str(slot_value or "").split())[:500]
        if len(reason) < 3:
            dispatcher.utter_message(text="Could you tell me in a few words why you're sending it back?")
            return {"return_reason": None}
        return {"return_reason": reason}


class ActionAskOrderNumber(Action):
    """Asks for the order number; a signed-in shopper picks from their latest orders instead of typing one."""

    def name(self) -> Text:
        return "action_ask_order_number"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        token = token_proof(tracker)
        recent: List[Dict[str, Any]] = []
        if token:
            try:
                recent = (await BackendClient().my_profile(token)).get("recent_orders") or []
            except BackendError:
                recent = []  # not signed in after all, or the backend is down: ask the usual way
        if not recent:
            dispatcher.utter_message(response="utter_ask_order_number")
            return []
        buttons = [
            {
                "title": f"{o['order_number']} · {_friendly_date(o.get('placed_at')) or ''} · "
                f"{str(o.get('status', '')).replace('_', ' ')}",
                "payload": o["order_number"],
            }
            for o in recent[:5]
        ]
        dispatcher.utter_message(text="Which order is it about? Here are your latest, or type another order number.",
                                 buttons=buttons)
        return []


class OrderAction(Action, ABC):
    """The action that completes an order form: calls the backend and always clears the flow."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        number, proof = tracker.get_slot("order_number"), order_proof(tracker)
        if not number or not proof:
            dispatcher.utter_message(text="I need both the order number and the e-mail on the order for that.")
            return reset_flow(keep_email=False)
        try:
            dispatcher.utter_message(text=await self.answer(BackendClient(), number, proof, tracker))
        except NotFound:
            dispatcher.utter_message(text=self.not_found(number))
            return reset_flow(keep_email=False)
        except Rejected as exc:
            dispatcher.utter_message(text=exc.detail or "Sorry, that change isn't possible for this order.")
        except BackendUnavailable:
            dispatcher.utter_message(text=BACKEND_DOWN)
            return reset_flow(keep_email=False)
        return reset_flow()

    def not_found(self, number: str) -> str:
        return not_found_text(number)

    @abstractmethod
    async def answer(self, client: BackendClient, number: str, proof: Dict[str, str], tracker: Tracker) -> str:
        """The sentence for the shopper; raises the client's errors for the cases run() handles."""


class ActionOrderStatus(OrderAction):
    def name(self) -> Text:
        return "action_order_status"

    async def answer(self, client: BackendClient, number: str, proof: Dict[str, str], tracker: Tracker) -> str:
        return describe_order(await client.lookup_order(number, proof))


class ChangingOrderAction(OrderAction):
    """Skips the backend call when the form already found the change impossible (and said why)."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if tracker.get_slot("order_eligible") is not True:
            return reset_flow(keep_email=bool(tracker.get_slot("order_email")))
        return await super().run(dispatcher, tracker, domain)


class ActionCancelOrder(ChangingOrderAction):
    def name(self) -> Text:
        return "action_cancel_order"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if tracker.get_slot("order_eligible") is True and tracker.get_slot("cancel_confirmed") is False:
            dispatcher.utter_message(text=f"Alright, I've left order {tracker.get_slot('order_number')} as it is.")
            return reset_flow()
        return await super().run(dispatcher, tracker, domain)

    async def answer(self, client: BackendClient, number: str, proof: Dict[str, str], tracker: Tracker) -> str:
        order = await client.cancel_order(number, proof)
        return (
            f"Done: order {order['order_number']} is cancelled. The full amount of {order['total']} "
            f"{order['currency']} goes back to your original payment method within 5 working days."
        )


class ActionChangeAddress(ChangingOrderAction):
    def name(self) -> Text:
        return "action_change_address"

    async def answer(self, client: BackendClient, number: str, proof: Dict[str, str], tracker: Tracker) -> str:
        address = parse_address(tracker.get_slot("new_address")) or {}
        address["country"] = tracker.get_slot("order_country") or "DE"
        order = await client.change_address(number, proof, address)
        return (
            f"Done: order {order['order_number']} will now go to {address['line1']}, {address['postcode']} "
            f"{address['city']}."
        )


class ActionStartReturn(ChangingOrderAction):
    def name(self) -> Text:
        return "action_start_return"

    async def answer(self, client: BackendClient, number: str, proof: Dict[str, str], tracker: Tracker) -> str:
        ret = await client.start_return(number, proof, tracker.get_slot("return_reason") or "No reason given.")
        return f"Your return {ret['reference']} for order {number} is registered. {ret['instructions']}"


class ActionRefundStatus(OrderAction):
    def name(self) -> Text:
        return "action_refund_status"

    def not_found(self, number: str) -> str:
        return (
            f"I couldn't find a refund for order {number} with that e-mail address. If you returned it recently, "
            "the refund starts once the parcel reaches us; please also check the order number and e-mail."
        )

    async def answer(self, client: BackendClient, number: str, proof: Dict[str, str], tracker: Tracker) -> str:
        refund = await client.refund_status(number, proof)
        amount = f"{refund['amount']} {refund['currency']}"
        if refund["status"] == "completed":
            done = _friendly_date(refund.get("completed_at"))
            when = f" on {done}" if done else ""
            return f"The refund of {amount} for order {number} was paid back{when} (reference {refund['reference']})."
        return (
            f"The refund of {amount} for order {number} is {str(refund['status']).replace('_', ' ')} "
            f"(reference {refund['reference']}). Banks usually show it within 5 working days."
        )


class ActionInvoice(OrderAction):
    def name(self) -> Text:
        return "action_invoice"

    async def answer(self, client: BackendClient, number: str, proof: Dict[str, str], tracker: Tracker) -> str:
        invoice = await client.invoice(number, proof)
        return (
            f"Invoice {invoice['number']} for order {number}: {invoice['total']} {invoice['currency']} including "
            f"{invoice['vat']} {invoice['currency']} VAT ({invoice['vat_rate_percent']}%), billed to "
            f"{invoice['billing_name']}. A PDF copy is in the confirmation e-mail we sent when you ordered."
        )
