"""Product search, price and stock questions: the catalog through the backend, shown as product cards."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import experiments
from actions.clients.backend import BackendError, BackendClient
from actions.offers import decide, present

CARDS = 4
AMOUNT = r"(\d+(?:[.,]\d{1,2})?)"


def price_range(text: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
    """'under 50', 'less than £80', 'between 20 and 40', 'over 100', '30-60' -> (min, max) as strings."""
    if not text:
        return None, None
    t = text.lower().replace(",", ".")
    if m := re.search(rf"between\s+\D*{AMOUNT}\D+?{AMOUNT}", t) or re.search(rf"{AMOUNT}\s*(?:-|to)\s*\D*{AMOUNT}", t):
        return m.group(1), m.group(2)
    if m := re.search(rf"(?:under|below|less than|cheaper than|max(?:imum)?|up to|<)\s*\D*?{AMOUNT}", t):
        return None, m.group(1)
    if m := re.search(rf"(?:over|above|more than|at least|min(?:imum)?|>)\s*\D*?{AMOUNT}", t):
        return m.group(1), None
    if m := re.search(AMOUNT, t):
        return None, m.group(1)
    return None, None


def entity(tracker: Tracker, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value)[:100] if value else None


def intent_name(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def cents(price: Any) -> Optional[int]:
    try:
        return int((Decimal(str(price)) * 100).to_integral_value())
    except (ArithmeticError, ValueError):
        return None


def card(product: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "sku": product["sku"],
        "title": product["title"],
        "brand": product.get("brand"),
        "price": str(product["price"]),
        "currency": product.get("currency", "EUR"),
        "in_stock": product.get("in_stock", True),
        "image_url": product.get("image_url"),
        "url": product.get("url"),
    }


def send_cards(dispatcher: CollectingDispatcher, intro: str, products: List[Dict[str, Any]],
               model_version: Optional[str] = None) -> None:
    """Text for every channel plus a `product_cards` payload the widget draws as cards. Recommendations carry
    their model version, and the widget reports clicks on them (a click-through per model)."""
    lines = [intro] + [f"• {p['title']} ({p['brand']}): {p['price']} {p['currency']}" for p in map(card, products)]
    payload: Dict[str, Any] = {"type": "product_cards", "products": [card(p) for p in products]}
    if model_version:
        payload.update(source="recommendation", model_version=model_version)
    dispatcher.utter_message(text="\n".join(lines), json_message=payload)


class ActionSearchProducts(Action):
    def name(self) -> Text:
        return "action_search_products"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        product = entity(tracker, "product") or tracker.get_slot("product")
        brand, category = entity(tracker, "brand"), entity(tracker, "category")
        low, high = price_range(entity(tracker, "price"))
        words = " ".join(w for w in (product, brand if not product else None, category if not product else None) if w)
        if not words and not (low or high):
            dispatcher.utter_message(response="utter_ask_what_product")
            return []
        try:
            page = await BackendClient().search_products(
                q=words or None, min_price=low, max_price=high, in_stock="true", page_size=CARDS
            )
        except BackendError:
            dispatcher.utter_message(text="Sorry, I can't search the shop right now. Please try again in a minute.")
            return []
        items = page.get("items") or []
        if not items:
            budget = f" under {high}" if high else ""
            dispatcher.utter_message(
                text=f"I couldn't find {words or 'anything'}{budget} in stock. Could you describe it differently?"
            )
            return [SlotSet("product", product)]
        send_cards(dispatcher, f"Here's what I found ({page.get('total', len(items))} in total):", items)
        return [SlotSet("product", product or words)]


class ActionProductInfo(Action):
    """Price and stock questions about one product: the best match, with its price and availability."""

    def name(self) -> Text:
        return "action_product_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        product = entity(tracker, "product") or entity(tracker, "brand") or tracker.get_slot("product")
        if not product:
            dispatcher.utter_message(response="utter_ask_what_product")
            return []
        try:
            page = await BackendClient().search_products(q=product, page_size=1)
        except BackendError:
            dispatcher.utter_message(text="Sorry, I can't look that up right now. Please try again in a minute.")
            return []
        items = page.get("items") or []
        if not items:
            dispatcher.utter_message(text=f"I couldn't find {product} in our shop.")
            return [SlotSet("product", product)]
        p = items[0]
        stock = "in stock and ships today" if p.get("in_stock") else "out of stock at the moment"
        send_cards(dispatcher, f"{p['title']} costs {p['price']} {p['currency']} and is {stock}.", [p])
        events: List[EventType] = [SlotSet("product", product)]
        if intent_name(tracker) == "price":
            decision = await decide(tracker, "price_question", cents(p["price"]))
            if decision.get("offer"):
                present(dispatcher, decision["offer"])
            events += experiments.seen(tracker, decision)
        return events
