from __future__ import annotations

from sqlalchemy.orm import Session

from commerce.customers import repository, tokens
from commerce.customers.models import Customer
from commerce.customers.schemas import AddressPublic, CustomerProfile, OrderBrief, ProfileRequest
from commerce.money import from_cents
from commerce.orders import service as orders
from commerce.orders.exceptions import OrderNotFound

RECENT_ORDERS = 10


def get_or_create(session: Session, email: str, first_name: str, last_name: str) -> Customer:
    return repository.get_or_create(session, email, first_name, last_name)


def profile(session: Session, request: ProfileRequest) -> CustomerProfile:
    order = orders.lookup(session, request)
    customer = repository.get(session, order.customer_id)
    if customer is None or customer.email != request.email:
        # The order's contact e-mail matched but the customer record has another one: treat as unverified.
        raise OrderNotFound()
    return _profile(session, customer)


def profile_for_customer(session: Session, customer_id: int) -> CustomerProfile:
    """The profile of the customer a verified known-shopper token named (401 when they no longer exist)."""
    customer = repository.get(session, customer_id)
    if customer is None:
        raise tokens.InvalidCustomerToken()
    return _profile(session, customer)


def _profile(session: Session, customer: Customer) -> CustomerProfile:
    return CustomerProfile(
        first_name=customer.first_name,
        last_name=customer.last_name,
        email=customer.email,
        has_account=customer.password_hash is not None,
        marketing_opt_in=customer.marketing_opt_in,
        customer_since=customer.created_at,
        addresses=[
            AddressPublic(
                recipient=a.recipient,
                line1=a.line1,
                line2=a.line2,
                city=a.city,
                postcode=a.postcode,
                country=a.country,
                is_default=a.is_default,
            )
            for a in customer.addresses
        ],
        recent_orders=[
            OrderBrief(
                order_number=o.number,
                status=o.status,
                placed_at=o.placed_at,
                total=from_cents(o.total_cents),
                currency=o.currency,
            )
            for o in orders.recent_for_customer(session, customer.id, RECENT_ORDERS)
        ],
    )
