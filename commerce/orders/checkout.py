"""Placing an order: stock is taken line by line with atomic decrements, all in one transaction."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commerce.catalog import service as catalog
from commerce.customers import service as customers
from commerce.db import utcnow
from commerce.errors import Invalid
from commerce.orders import repository, rules
from commerce.orders.identifiers import format_order_number, normalise_postcode
from commerce.orders.models import Order, OrderItem, OrderStatus
from commerce.orders.schemas import OrderCreate
from commerce.promo import experiment as promo_experiment
from commerce.promo import service as promo

_NUMBER_ATTEMPTS = 20
_random = secrets.SystemRandom()


class MixedCurrencies(Invalid):
    code = "mixed_currencies"
    detail = "Products priced in different currencies cannot be in one order; order them separately."


def place_order(session: Session, request: OrderCreate) -> Order:
    # Stock first: on SQLite the first write takes the database's write lock, so later reads cannot go stale.
    lines = [(catalog.take_stock(session, sku, quantity), quantity) for sku, quantity in request.merged_lines()]
    currencies = {product.currency for product, _ in lines}
    if len(currencies) != 1:
        raise MixedCurrencies()
    customer = customers.get_or_create(session, request.email, request.first_name, request.last_name)
    subtotal = sum(product.price_cents * quantity for product, quantity in lines)
    shipping = rules.shipping_cents(subtotal)
    # The code is claimed inside this transaction: if anything below fails, it stays unused.
    offer = promo.redeem(session, request.offer_code, customer.id, subtotal) if request.offer_code else None
    discount = offer.discount_cents or 0 if offer else 0
    address = request.address
    now = utcnow()
    order = Order(
        customer_id=customer.id,
        email=request.email,
        status=OrderStatus.PLACED,
        currency=currencies.pop(),
        subtotal_cents=subtotal,
        shipping_cents=shipping,
        discount_cents=discount,
        total_cents=subtotal + shipping - discount,
        ship_recipient=address.recipient,
        ship_line1=address.line1,
        ship_line2=address.line2,
        ship_city=address.city,
        ship_postcode=address.postcode,
        ship_country=address.country,
        ship_postcode_key=normalise_postcode(address.postcode),
        placed_at=now,
        updated_at=now,
        items=[
            OrderItem(product_id=p.id, sku=p.sku, title=p.title, quantity=q, unit_price_cents=p.price_cents)
            for p, q in lines
        ],
    )
    _insert_with_fresh_number(session, order)
    if offer is not None:
        offer.order_id = order.id
    promo_experiment.order_placed(session, customer.id)  # an outcome of a running offer-policy test, if any
    session.commit()
    found = repository.get_verified(session, order.number, order.email, None)
    assert found is not None
    return found


def _insert_with_fresh_number(session: Session, order: Order) -> None:
    for _ in range(_NUMBER_ATTEMPTS):
        number = format_order_number(_random.randrange(100_100, 1_000_000))
        if repository.number_taken(session, number):
            continue
        order.number = number
        try:
            with session.begin_nested():
                session.add(order)
            return
        except IntegrityError:
            session.expunge(order)  # the number was taken concurrently; try another
    raise RuntimeError("could not find a free order number")  # ~900,000 numbers: only if nearly all are used
