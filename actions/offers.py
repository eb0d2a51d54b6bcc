"""Promo offers in the conversation: shown to a signed-in shopper at a moment that fits.

The backend decides (uplift gate, paced auction, budgets; commerce/promo); the assistant only asks at the
right moments (a price question, asking for discounts) and presents what it is given. Anonymous shoppers get
no personal offer: a code is issued to one customer. A failed or slow call never delays the answer it follows.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import experiments
from actions.clients.backend import BackendClient, BackendError
from actions.identity import customer_token
from actions.knowledge import ActionAnswerFaq

logger = logging.getLogger(__name__)


def _until(iso: Any) -> str:
    try:
        moment = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return ""
    return f" It's valid until {moment:%d %B, %H:%M} UTC."


async def decide(tracker: Tracker, moment: str, basket_cents: Optional[int] = None) -> Dict[str, Any]:
    """The backend's offer decision for the signed-in shopper: `offer` (or none) and, in an A/B test, `experiment`.
    Empty for an anonymous shopper or when the backend does not answer."""
    token = customer_token(tracker)
    if token is None:
        return {}
    try:
        return await BackendClient().my_offer(token, moment=moment, basket_cents=basket_cents)
    except BackendError as exc:
        logger.info("no offer shown: %r", exc)
        return {}


def present(dispatcher: CollectingDispatcher, offer: Dict[str, Any]) -> None:
    """Text every channel can show, plus an `offer` payload the widget draws as a banner with the code."""
    headline = str(offer.get("headline") or "A discount")
    dispatcher.utter_message(
        text=f"Good news: {headline} on your next order with the code {offer['code']}.{_until(offer.get('expires_at'))}",
        json_message={"type": "offer", "headline": headline, "code": offer["code"],
                      "expires_at": offer.get("expires_at")},
    )


class ActionPromotions(Action):
    """'Any discounts?': a signed-in shopper may get a personal offer; everyone gets the shop's promotions FAQ."""

    def name(self) -> Text:
        return "action_promotions"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        decision = await decide(tracker, "browsing")
        if decision.get("offer"):
            present(dispatcher, decision["offer"])
            return experiments.seen(tracker, decision)
        return experiments.seen(tracker, decision) + await ActionAnswerFaq().run(dispatcher, tracker, domain)


class ActionHesitation(Action):
    """'Too expensive', 'I'll think about it', 'I left things in my cart': the moments an offer can tip."""

    def name(self) -> Text:
        return "action_hesitation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        text = (tracker.latest_message.get("text") or "").lower()
        moment = "cart_abandonment" if any(w in text for w in ("cart", "basket", "check out", "checkout", "checking out")) \
            else "hesitation"
        decision = await decide(tracker, moment)
        if decision.get("offer"):
            present(dispatcher, decision["offer"])
        else:
            dispatcher.utter_message(response="utter_no_rush")
        return experiments.seen(tracker, decision)
