"""All order queries. Verification is part of the WHERE clause, so an unverified caller never loads an order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from commerce.orders.models import Order, OrderItem, OrderStatus, Refund, ReturnRequest, Shipment


def verification_clause(email: str | None, postcode: str | None, customer_id: int | None = None) -> ColumnElement[bool]:
    """Matches orders whose contact e-mail or delivery postcode equals a given (normalised) one, or that belong to
    the customer a verified token named."""
    checks: list[ColumnElement[bool]] = []
    if email:
        checks.append(Order.email == email)
    if postcode:
        checks.append(Order.ship_postcode_key == postcode)
    if customer_id is not None:
        checks.append(Order.customer_id == customer_id)
    return or_(*checks) if checks else false()


def get_verified(
    session: Session, number: str, email: str | None, postcode: str | None, customer_id: int | None = None
) -> Order | None:
    stmt = (
        select(Order)
        .where(Order.number == number, verification_clause(email, postcode, customer_id))
        .options(
            selectinload(Order.items),
            joinedload(Order.shipment),
            joinedload(Order.refund),
            joinedload(Order.invoice),
            joinedload(Order.return_request),
        )
        # Conditional UPDATEs bypass the identity map; always read the row as it is now.
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).unique().one_or_none()


def transition(
    session: Session,
    number: str,
    email: str | None,
    postcode: str | None,
    allowed_from: frozenset[OrderStatus],
    values: dict[str, Any],
    *conditions: ColumnElement[bool],
    customer_id: int | None = None,
) -> int | None:
    """Atomically change a verified order only if its status is in allowed_from; returns its id or None.

    The condition and the write are one statement, so two concurrent requests cannot both succeed:
    the second sees the row already changed and matches nothing.
    """
    stmt = (
        update(Order)
        .where(
            Order.number == number,
            verification_clause(email, postcode, customer_id),
            Order.status.in_(allowed_from),
            *conditions,
        )
        .values(**values)
        .returning(Order.id)
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).scalar_one_or_none()


def delivered_since(moment: datetime) -> ColumnElement[bool]:
    return Order.id.in_(select(Shipment.order_id).where(Shipment.delivered_at >= moment))


def items_of(session: Session, order_id: int) -> list[OrderItem]:
    return list(session.scalars(select(OrderItem).where(OrderItem.order_id == order_id).order_by(OrderItem.id)))


def add(session: Session, row: Order | Refund | ReturnRequest) -> None:
    session.add(row)
    session.flush()


def number_taken(session: Session, number: str) -> bool:
    return session.scalar(select(Order.id).where(Order.number == number)) is not None


def recent_for_customer(session: Session, customer_id: int, limit: int) -> list[Order]:
    stmt = select(Order).where(Order.customer_id == customer_id).order_by(Order.placed_at.desc(), Order.id.desc())
    return list(session.scalars(stmt.limit(limit)))
