from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from commerce.customers.models import Customer


def get(session: Session, customer_id: int) -> Customer | None:
    stmt = select(Customer).where(Customer.id == customer_id).options(selectinload(Customer.addresses))
    return session.scalars(stmt).one_or_none()


def get_or_create(session: Session, email: str, first_name: str, last_name: str) -> Customer:
    existing = session.scalar(select(Customer).where(Customer.email == email))
    if existing is not None:
        return existing
    try:
        with session.begin_nested():
            customer = Customer(email=email, first_name=first_name, last_name=last_name)
            session.add(customer)
        return customer
    except IntegrityError:
        # Someone created the same customer a moment ago.
        return session.scalars(select(Customer).where(Customer.email == email)).one()
