"""Normalising what people type: order numbers, e-mail addresses and postcodes."""

from __future__ import annotations

import re

ORDER_PREFIX = "SA-"
# "SA-104233", "sa104233", "#104233", "SA 104233", "104233" all mean SA-104233.
_ORDER_NUMBER = re.compile(r"^#?\s*(?:SA)?[\s#-]*(\d{6})$", re.IGNORECASE)
_POSTCODE_NOISE = re.compile(r"[\s-]+")

ORDER_NUMBER_HINT = "Order numbers look like SA-104233 (the letters SA and six digits)."


def normalise_order_number(raw: str) -> str:
    match = _ORDER_NUMBER.match(raw.strip())
    if not match:
        raise ValueError(f"{raw.strip()[:20]!r} is not an order number. {ORDER_NUMBER_HINT}")
    return ORDER_PREFIX + match.group(1)


def format_order_number(digits: int) -> str:
    return f"{ORDER_PREFIX}{digits:06d}"


def normalise_email(raw: str) -> str:
    return raw.strip().lower()


def checked_email(raw: str) -> str:
    """Normalised e-mail address, or ValueError with a sentence for the person who typed it."""
    value = normalise_email(raw)
    local, at, domain = value.partition("@")
    if not at or not local or not domain or "@" in domain or " " in value:
        raise ValueError("This does not look like an e-mail address (name@example.com).")
    return value


def normalise_postcode(raw: str) -> str:
    return _POSTCODE_NOISE.sub("", raw).upper()
