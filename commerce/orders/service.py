"""Order business rules: lookup, cancellation, address changes, returns, refunds and invoices.

Every state change is one conditional UPDATE that checks verification and the allowed statuses in the same
statement (see repository.transition), so concurrent requests cannot both pass a check and both write.
Stock and refunds change in the same transaction as the order.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from commerce.catalog import service as catalog
from commerce.db import utcnow
from commerce.money import from_cents
from commerce.orders import repository, rules
from commerce.orders.exceptions import (
    AddressNotChangeable,
    NoInvoice,
    NoRefund,
    OrderNotCancellable,
    OrderNotFound,
    ReturnNotAllowed,
)
from commerce.orders.identifiers import normalise_postcode
from commerce.orders.models import Order, OrderStatus, Refund, RefundReason, RefundStatus, ReturnRequest
from commerce.orders.schemas import (
    AddressChangeRequest,
    InvoicePublic,
    OrderItemPublic,
    OrderVerification,
    RefundPublic,
    ReturnPublic,
    ReturnRequestIn,
)


def _verified(session: Session, v: OrderVerification) -> Order:
    order = repository.get_verified(session, v.order_number, v.email, v.postcode, v.token_owner)
    if order is None:
        raise OrderNotFound()
    return order


def lookup(session: Session, verification: OrderVerification) -> Order:
    return _verified(session, verification)


def cancel(session: Session, request: OrderVerification) -> Order:
    now = utcnow()
    order_id = repository.transition(
        session,
        request.order_number,
        request.email,
        request.postcode,
        rules.BEFORE_SHIPPING,
        {"status": OrderStatus.CANCELLED, "cancelled_at": now, "updated_at": now},
        customer_id=request.token_owner,
    )
    if order_id is None:
        order = _verified(session, request)  # 404 when unknown or not verified
        if order.status == OrderStatus.CANCELLED:
            raise OrderNotCancellable(
                "This order is already cancelled; nothing more to do.", code="order_already_cancelled"
            )
        raise OrderNotCancellable()
    for item in repository.items_of(session, order_id):
        if item.product_id is not None:
            catalog.restock(session, item.product_id, item.quantity)
    order = _verified(session, request)
    if order.paid_at is not None:
        repository.add(
            session,
            Refund(
                order_id=order.id,
                reference=f"RF-{order.number[3:]}",
                amount_cents=order.total_cents,
                currency=order.currency,
                reason=RefundReason.CANCELLATION,
                status=RefundStatus.PENDING,
                created_at=now,
            ),
        )
    session.commit()
    return _verified(session, request)


def change_address(session: Session, request: AddressChangeRequest) -> Order:
    address = request.address
    values = {
        "ship_recipient": address.recipient,
        "ship_line1": address.line1,
        "ship_line2": address.line2,
        "ship_city": address.city,
        "ship_postcode": address.postcode,
        "ship_country": address.country,
        "ship_postcode_key": normalise_postcode(address.postcode),
        "updated_at": utcnow(),
    }
    owner = request.token_owner
    order_id = repository.transition(
        session, request.order_number, request.email, request.postcode, rules.BEFORE_SHIPPING, values,
        customer_id=owner,
    )
    if order_id is None:
        _verified(session, request)
        raise AddressNotChangeable()
    session.commit()
    # The postcode may just have changed: read the order back by id-verified number and e-mail or new postcode.
    order = repository.get_verified(session, request.order_number, request.email, values["ship_postcode_key"], owner)
    assert order is not None
    return order


def start_return(session: Session, request: ReturnRequestIn) -> ReturnRequest:
    now = utcnow()
    order_id = repository.transition(
        session,
        request.order_number,
        request.email,
        request.postcode,
        frozenset({OrderStatus.DELIVERED}),
        {"status": OrderStatus.RETURN_REQUESTED, "updated_at": now},
        repository.delivered_since(rules.return_window_opens(now)),
        customer_id=request.token_owner,
    )
    if order_id is None:
        order = _verified(session, request)
        if order.status == OrderStatus.RETURN_REQUESTED:
            raise ReturnNotAllowed(
                "A return is already open for this order; send the parcel back with its RMA reference.",
                code="return_already_requested",
            )
        deadline = rules.return_deadline(order)
        if deadline is not None:
            raise ReturnNotAllowed(
                f"The 30-day return window for this order closed on {deadline.isoformat()}.",
                code="return_window_closed",
            )
        raise ReturnNotAllowed(
            "A return can only be started once the order has been delivered."
            if order.status in (OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.SHIPPED)
            else ReturnNotAllowed.detail
        )
    number = request.order_number
    row = ReturnRequest(order_id=order_id, reference=f"RMA-{number[3:]}", reason=request.reason, requested_at=now)
    repository.add(session, row)
    session.commit()
    return row


def return_public(row: ReturnRequest, order_number: str) -> ReturnPublic:
    return ReturnPublic(
        reference=row.reference,
        order_number=order_number,
        reason=row.reason,
        requested_at=row.requested_at,
        received_at=row.received_at,
        instructions=(
            f"Pack the items with the reference {row.reference} written on the parcel and drop it off at any "
            "parcel shop within 14 days. Your refund starts as soon as the parcel reaches us."
        ),
    )


def refund_status(session: Session, verification: OrderVerification) -> RefundPublic:
    order = _verified(session, verification)
    refund = order.refund
    if refund is None:
        raise NoRefund()
    return RefundPublic(
        reference=refund.reference,
        order_number=order.number,
        status=refund.status,
        reason=refund.reason,
        amount=from_cents(refund.amount_cents),
        currency=refund.currency,
        created_at=refund.created_at,
        completed_at=refund.completed_at,
    )


def invoice(session: Session, verification: OrderVerification) -> InvoicePublic:
    order = _verified(session, verification)
    inv = order.invoice
    if inv is None:
        raise NoInvoice()
    return InvoicePublic(
        number=inv.number,
        order_number=order.number,
        issued_at=inv.issued_at,
        billing_name=inv.billing_name,
        billing_address=inv.billing_address,
        total=from_cents(inv.total_cents),
        vat=from_cents(inv.vat_cents),
        vat_rate_percent=Decimal(inv.vat_rate_bp).scaleb(-2),
        currency=inv.currency,
        items=[
            OrderItemPublic(
                sku=i.sku,
                title=i.title,
                quantity=i.quantity,
                unit_price=from_cents(i.unit_price_cents),
                line_total=from_cents(i.unit_price_cents * i.quantity),
            )
            for i in order.items
        ],
    )


def recent_for_customer(session: Session, customer_id: int, limit: int) -> list[Order]:
    return repository.recent_for_customer(session, customer_id, limit)
