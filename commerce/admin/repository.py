"""Counts for the admin overview."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commerce.behaviour.models import VisitSession
from commerce.catalog.models import Product
from commerce.customers.models import Customer
from commerce.handoff.models import HandoffTicket, TicketStatus
from commerce.orders.models import Order, OrderStatus


@dataclass(frozen=True)
class ShopCounts:
    products: int
    out_of_stock: int
    customers: int
    orders: int
    orders_by_status: list[tuple[str, int]]
    visits: int
    open_tickets: int


def _count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def shop_counts(session: Session) -> ShopCounts:
    rows = session.execute(select(Order.status, func.count()).group_by(Order.status))
    by_status = {status: count for status, count in rows}
    return ShopCounts(
        products=_count(session, Product),
        out_of_stock=_count(session, Product, Product.stock == 0),
        customers=_count(session, Customer),
        orders=sum(by_status.values()),
        orders_by_status=[(s.value, by_status.get(s, 0)) for s in OrderStatus],
        visits=_count(session, VisitSession),
        open_tickets=_count(session, HandoffTicket, HandoffTicket.status == TicketStatus.OPEN),
    )
