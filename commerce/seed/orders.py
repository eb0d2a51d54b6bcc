"""Orders in every status, with items, shipments, invoices, returns and refunds.

An order's status follows from its age, as in a real shop: today's orders are placed or paid, orders from
the last few days are on their way, older ones are delivered, and a share is cancelled or sent back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from commerce import models
from commerce.orders.identifiers import format_order_number
from commerce.orders.models import OrderStatus, RefundReason, RefundStatus
from commerce.orders.rules import RETURN_WINDOW_DAYS, shipping_cents
from commerce.seed.catalog import CURRENCY, SeededProduct
from commerce.seed.customers import SeededCustomer, ShippingAddress
from commerce.seed.writer import BulkWriter

ORDERS_PER_CUSTOMER = 3.0
FIRST_RANDOM_NUMBER = 100100  # SA-100001 ... SA-100099 are kept for the documented demo orders

CARRIERS: dict[str, tuple[str, ...]] = {
    "DE": ("DHL", "DPD", "Hermes"),
    "NL": ("PostNL", "DHL"),
    "FR": ("Colissimo", "Chronopost", "DPD"),
    "AT": ("Österreichische Post", "DPD"),
    "BE": ("bpost", "DPD"),
    "IE": ("An Post", "DPD"),
}


@dataclass
class OrderPlan:
    """Everything that defines one order before it is written."""

    id: int
    number: str
    customer: SeededCustomer
    address: ShippingAddress
    status: OrderStatus
    placed_at: datetime
    lines: list[tuple[SeededProduct, int]]
    paid_at: datetime | None = None
    cancelled_at: datetime | None = None
    shipped_at: datetime | None = None
    expected_delivery: date | None = None
    delivered_at: datetime | None = None
    return_requested_at: datetime | None = None
    return_received_at: datetime | None = None
    refund_completed_at: datetime | None = None


def tracking_number(rng: random.Random, carrier: str) -> str:
    digits = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    letters = lambda n: "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))  # noqa: E731
    if carrier == "DHL":
        return "00340434" + digits(12)
    if carrier in ("DPD", "Hermes"):
        return digits(14)
    if carrier == "PostNL":
        return "3S" + letters(4) + digits(9)
    if carrier in ("Colissimo", "Chronopost"):
        return letters(2) + digits(9) + "FR"
    if carrier == "Österreichische Post":
        return "10" + digits(20)
    if carrier == "bpost":
        return "3232" + digits(20)
    return letters(2) + digits(9) + "IE"


def _ship(rng: random.Random, plan: OrderPlan, start: datetime) -> None:
    plan.shipped_at = start + timedelta(hours=rng.randint(6, 40))
    plan.expected_delivery = (plan.shipped_at + timedelta(days=rng.randint(2, 4))).date()


def _deliver(rng: random.Random, plan: OrderPlan) -> None:
    assert plan.expected_delivery is not None
    day = plan.expected_delivery + timedelta(days=rng.choice((-1, 0, 0, 0, 0, 1, 2)))
    plan.delivered_at = datetime.combine(day, datetime.min.time(), plan.placed_at.tzinfo) + timedelta(
        hours=rng.randint(9, 19), minutes=rng.randint(0, 59)
    )


def _lifecycle(rng: random.Random, plan: OrderPlan, now: datetime) -> None:
    """Fill in the status and timestamps that an order of this age would have."""
    placed = plan.placed_at
    age_days = (now - placed).total_seconds() / 86400
    paid = placed + timedelta(minutes=rng.randint(1, 90))
    if rng.random() < 0.05:
        plan.status = OrderStatus.CANCELLED
        was_paid = rng.random() < 0.6 and paid < now
        plan.paid_at = paid if was_paid else None
        plan.cancelled_at = min(now, (paid if was_paid else placed) + timedelta(hours=rng.randint(1, 20)))
        if was_paid:
            plan.refund_completed_at = plan.cancelled_at + timedelta(days=2) if age_days > 4 else None
        return
    if age_days < 0.15 or (age_days < 1 and rng.random() < 0.3):
        plan.status = OrderStatus.PLACED
        return
    plan.paid_at = paid
    _ship(rng, plan, paid)
    assert plan.shipped_at is not None and plan.expected_delivery is not None
    if plan.shipped_at > now:
        plan.status, plan.shipped_at, plan.expected_delivery = OrderStatus.PAID, None, None
        return
    _deliver(rng, plan)
    assert plan.delivered_at is not None
    if plan.delivered_at > now:
        plan.status, plan.delivered_at = OrderStatus.SHIPPED, None
        return
    plan.status = OrderStatus.DELIVERED
    if rng.random() >= 0.09:
        return
    requested = plan.delivered_at + timedelta(days=rng.randint(1, RETURN_WINDOW_DAYS - 2), hours=rng.randint(0, 12))
    if requested > now:
        return
    plan.status, plan.return_requested_at = OrderStatus.RETURN_REQUESTED, requested
    received = requested + timedelta(days=rng.randint(3, 8))
    if received > now:
        return
    plan.status, plan.return_received_at = OrderStatus.RETURNED, received
    refunded = received + timedelta(days=rng.randint(1, 4))
    if refunded > now:
        return
    plan.status, plan.refund_completed_at = OrderStatus.REFUNDED, refunded


def _lines(rng: random.Random, products: list[SeededProduct]) -> list[tuple[SeededProduct, int]]:
    count = rng.choices((1, 2, 3, 4), weights=(55, 27, 12, 6))[0]
    chosen = rng.sample(products, k=count)
    return [(p, rng.choices((1, 2, 3), weights=(85, 12, 3))[0]) for p in chosen]


def _placed_at(rng: random.Random, customer: SeededCustomer, now: datetime) -> datetime:
    earliest = max(customer.created_at, now - timedelta(days=365))
    span = (now - earliest).total_seconds()
    while True:
        moment = earliest + timedelta(seconds=rng.random() * span)
        # More orders in the run-up to Christmas and on weekends, as in most shops.
        weight = 1.6 if moment.month in (11, 12) else 1.0
        weight *= 1.15 if moment.weekday() >= 5 else 1.0
        if rng.random() * 1.84 < weight:
            return moment


def write(writer: BulkWriter, rng: random.Random, plan: OrderPlan, invoice_counter: list[int]) -> None:
    subtotal = sum(p.price_cents * q for p, q in plan.lines)
    shipping = shipping_cents(subtotal)
    total = subtotal + shipping
    updated = max(
        t
        for t in (
            plan.placed_at,
            plan.paid_at,
            plan.cancelled_at,
            plan.shipped_at,
            plan.delivered_at,
            plan.return_requested_at,
            plan.return_received_at,
            plan.refund_completed_at,
        )
        if t
    )
    writer.add(
        models.Order,
        {
            "id": plan.id,
            "number": plan.number,
            "customer_id": plan.customer.id,
            "email": plan.customer.email,
            "status": plan.status,
            "currency": CURRENCY,
            "subtotal_cents": subtotal,
            "shipping_cents": shipping,
            "total_cents": total,
            **plan.address.order_columns(),
            "placed_at": plan.placed_at,
            "paid_at": plan.paid_at,
            "cancelled_at": plan.cancelled_at,
            "updated_at": updated,
        },
    )
    for product, quantity in plan.lines:
        writer.add(
            models.OrderItem,
            {
                "order_id": plan.id,
                "product_id": product.id,
                "sku": product.sku,
                "title": product.title,
                "quantity": quantity,
                "unit_price_cents": product.price_cents,
            },
        )
    if plan.shipped_at and plan.expected_delivery:
        carrier = rng.choice(CARRIERS[plan.address.country])
        writer.add(
            models.Shipment,
            {
                "order_id": plan.id,
                "carrier": carrier,
                "tracking_number": tracking_number(rng, carrier),
                "shipped_at": plan.shipped_at,
                "expected_delivery": plan.expected_delivery,
                "delivered_at": plan.delivered_at,
            },
        )
    if plan.paid_at:
        invoice_counter[0] += 1
        vat = total - round(total * 10000 / (10000 + plan.address.vat_rate_bp))
        address = ", ".join(
            x
            for x in (
                plan.address.line1,
                plan.address.line2,
                f"{plan.address.postcode} {plan.address.city}",
                plan.address.country,
            )
            if x
        )
        writer.add(
            models.Invoice,
            {
                "order_id": plan.id,
                "number": f"INV-{plan.paid_at.year}-{invoice_counter[0]:06d}",
                "issued_at": plan.paid_at,
                "billing_name": plan.address.recipient,
                "billing_address": address,
                "vat_rate_bp": plan.address.vat_rate_bp,
                "vat_cents": vat,
                "total_cents": total,
                "currency": CURRENCY,
            },
        )
    if plan.return_requested_at:
        writer.add(
            models.ReturnRequest,
            {
                "order_id": plan.id,
                "reference": f"RMA-{plan.number[3:]}",
                "reason": rng.choice(RETURN_REASONS),
                "requested_at": plan.return_requested_at,
                "received_at": plan.return_received_at,
            },
        )
    refund = _refund_row(plan, total)
    if refund:
        writer.add(models.Refund, refund)


RETURN_REASONS = (
    "It does not fit.",
    "The colour is different from the photos.",
    "I ordered two sizes and kept one.",
    "It arrived damaged.",
    "I changed my mind.",
    "It was a gift and the recipient already had one.",
)


def _refund_row(plan: OrderPlan, total: int) -> dict[str, Any] | None:
    if plan.status == OrderStatus.CANCELLED and plan.paid_at and plan.cancelled_at:
        reason, created = RefundReason.CANCELLATION, plan.cancelled_at
    elif plan.status in (OrderStatus.RETURNED, OrderStatus.REFUNDED) and plan.return_received_at:
        reason, created = RefundReason.RETURN, plan.return_received_at
    else:
        return None
    done = plan.refund_completed_at
    return {
        "order_id": plan.id,
        "reference": f"RF-{plan.number[3:]}",
        "amount_cents": total,
        "currency": CURRENCY,
        "reason": reason,
        "status": RefundStatus.COMPLETED if done else RefundStatus.PROCESSING,
        "created_at": created,
        "completed_at": done,
    }


def generate(
    writer: BulkWriter,
    rng: random.Random,
    customers: list[SeededCustomer],
    products: list[SeededProduct],
    now: datetime,
) -> int:
    """Write demo orders first (ids 1..n), then random ones. Returns the number of orders."""
    invoice_counter = [0]
    plans = demo_orders(customers[0], products, now)
    regular = customers[1:]
    expected = int(len(regular) * ORDERS_PER_CUSTOMER)
    numbers = rng.sample(range(FIRST_RANDOM_NUMBER, 1_000_000), k=expected)
    order_id = len(plans)
    for plan in plans:
        write(writer, rng, plan, invoice_counter)
    for index in range(expected):
        customer = regular[rng.randrange(len(regular))]
        order_id += 1
        plan = OrderPlan(
            id=order_id,
            number=format_order_number(numbers[index]),
            customer=customer,
            address=rng.choice(customer.addresses),
            status=OrderStatus.PLACED,
            placed_at=_placed_at(rng, customer, now),
            lines=_lines(rng, products),
        )
        _lifecycle(rng, plan, now)
        write(writer, rng, plan, invoice_counter)
    return order_id


def demo_orders(customer: SeededCustomer, products: list[SeededProduct], now: datetime) -> list[OrderPlan]:
    """The fixed orders documented in commerce/seed/README.md, relative to the seeding time."""
    address = customer.addresses[0]

    def plan(n: int, status: OrderStatus, days_ago: float, lines: list[tuple[SeededProduct, int]]) -> OrderPlan:
        placed = now - timedelta(days=days_ago)
        return OrderPlan(n, format_order_number(100000 + n), customer, address, status, placed, lines)

    # Products 1..41 are one per category (the catalog generator writes each category once first).
    shipped = plan(1, OrderStatus.SHIPPED, 2, [(products[0], 1), (products[2], 2)])
    shipped.paid_at = shipped.placed_at + timedelta(minutes=4)
    shipped.shipped_at = now - timedelta(days=1)
    shipped.expected_delivery = (now + timedelta(days=2)).date()

    placed = plan(2, OrderStatus.PLACED, 0.1, [(products[4], 1)])

    delivered = plan(3, OrderStatus.DELIVERED, 9, [(products[28], 1), (products[29], 1)])
    delivered.paid_at = delivered.placed_at + timedelta(minutes=11)
    delivered.shipped_at = delivered.placed_at + timedelta(days=1)
    delivered.expected_delivery = (now - timedelta(days=5)).date()
    delivered.delivered_at = now - timedelta(days=5)

    paid = plan(4, OrderStatus.PAID, 0.5, [(products[12], 1), (products[14], 1)])
    paid.paid_at = paid.placed_at + timedelta(minutes=2)

    refunded = plan(5, OrderStatus.REFUNDED, 40, [(products[33], 1)])
    refunded.paid_at = refunded.placed_at + timedelta(minutes=7)
    refunded.shipped_at = refunded.placed_at + timedelta(days=1)
    refunded.expected_delivery = (refunded.placed_at + timedelta(days=3)).date()
    refunded.delivered_at = refunded.placed_at + timedelta(days=3, hours=5)
    refunded.return_requested_at = refunded.delivered_at + timedelta(days=4)
    refunded.return_received_at = refunded.return_requested_at + timedelta(days=5)
    refunded.refund_completed_at = refunded.return_received_at + timedelta(days=2)

    old = plan(6, OrderStatus.DELIVERED, 60, [(products[20], 1)])
    old.paid_at = old.placed_at + timedelta(minutes=3)
    old.shipped_at = old.placed_at + timedelta(days=1)
    old.expected_delivery = (old.placed_at + timedelta(days=3)).date()
    old.delivered_at = old.placed_at + timedelta(days=3, hours=2)

    return [shipped, placed, delivered, paid, refunded, old]
