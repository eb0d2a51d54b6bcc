"""Who is asking: the known-shopper token a shop's page sends with each chat message.

The widget puts the token its page received into the message metadata ("customer_token"). The actions never
decode or trust it themselves: they forward it to the backend, which checks the signature and opens only that
customer's own orders. Only the latest message counts, so a shopper who signs out is anonymous again.
"""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

MAX_TOKEN_LENGTH = 2048


def customer_token(tracker: Tracker) -> Optional[str]:
    metadata = tracker.latest_message.get("metadata") or {}
    token = metadata.get("customer_token") if isinstance(metadata, dict) else None
    if isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_LENGTH:
        return token
    return None
