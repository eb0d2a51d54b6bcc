"""Order lifecycle rules as pure functions: which changes are allowed in which status."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from commerce.orders.models import Order, OrderStatus

RETURN_WINDOW_DAYS = 30
FREE_SHIPPING_FROM_CENTS = 5000
SHIPPING_CENTS = 495

# Until the parcel leaves the warehouse the order can still be cancelled or re-addressed.
BEFORE_SHIPPING = frozenset({OrderStatus.PLACED, OrderStatus.PAID})


def can_cancel(status: OrderStatus) -> bool:
    return status in BEFORE_SHIPPING


def can_change_address(status: OrderStatus) -> bool:
    return status in BEFORE_SHIPPING


def return_deadline(order: Order) -> date | None:
    """Last day a return can be started, or None when the order has not been delivered."""
    delivered = order.shipment.delivered_at if order.shipment else None
    if order.status != OrderStatus.DELIVERED or delivered is None:
        return None
    return (delivered + timedelta(days=RETURN_WINDOW_DAYS)).date()


def can_start_return(order: Order, now: datetime) -> bool:
    deadline = return_deadline(order)
    return deadline is not None and now.date() <= deadline


def return_window_opens(now: datetime) -> datetime:
    """Orders delivered at or after this moment may still be returned (the SQL form of can_start_return)."""
    return datetime.combine(now.date() - timedelta(days=RETURN_WINDOW_DAYS), time.min, now.tzinfo)


def shipping_cents(subtotal_cents: int) -> int:
    return 0 if subtotal_cents >= FREE_SHIPPING_FROM_CENTS else SHIPPING_CENTS
