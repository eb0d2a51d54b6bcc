"""Recommendations: "recommend me something", "gift for a runner under 50", "like this but cheaper".

The backend chooses the products (from the shopper's history, the product being talked about, or what is
trending); this action turns the shopper's words into the query and shows the list as product cards.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import experiments
from actions.catalog import CARDS, entity, price_range, send_cards
from actions.clients.backend import BackendClient, BackendError

SESSION_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")  # the backend's session-key format
CHEAPER_RE = re.compile(r"\b(cheaper|less expensive|lower price|budget)\b", re.IGNORECASE)


def slug(text: Optional[str]) -> Optional[str]:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or None if text else None


class ActionRecommend(Action):
    def name(self) -> Text:
        return "action_recommend"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        _, max_price = price_range(entity(tracker, "price"))
        product = entity(tracker, "product") or tracker.get_slot("product")
        client = BackendClient()
        try:
            context = await self._context_product(client, product)
            if context and not max_price and CHEAPER_RE.search(text):
                max_price = context["price"]
            result = await client.recommend(
                k=CARDS,
                category=slug(entity(tracker, "category")),
                max_price=max_price,
                context_product=context["sku"] if context else None,
                # The widget's conversation id is its session key: A/B assignment and click reports use it.
                # (Other channels' ids, such as Twilio's "whatsapp:+49...", are not session keys.)
                session_key=tracker.sender_id if SESSION_KEY.fullmatch(tracker.sender_id or "") else None,
            )
        except BackendError:
            dispatcher.utter_message(text="Sorry, I can't pick products for you right now. Please try again in a minute.")
            return []
        items = result.get("items") or []
        if not items:
            dispatcher.utter_message(
                text="I couldn't find anything that fits right now. Tell me a bit more: what is it for, and your budget?"
            )
            return experiments.seen(tracker, result)
        intro = {
            "personalised": "Picked for you:",
            "similar": f"Similar to {context['title']}:" if context else "You might like:",
        }.get(result.get("strategy"), "Popular right now:")
        send_cards(dispatcher, intro, [item["product"] for item in items], model_version=result.get("model_version"))
        return experiments.seen(tracker, result)

    @staticmethod
    async def _context_product(client: BackendClient, product: Optional[str]) -> Optional[Dict[str, Any]]:
        """The catalog product the shopper named, if any: recommendations are then built around it."""
        if not product:
            return None
        page = await client.search_products(q=product, page_size=1)
        return (page.get("items") or [None])[0]
