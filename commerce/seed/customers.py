"""Customers with one or two addresses each, plus the documented demo customer."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from commerce import models
from commerce.customers.passwords import hash_password
from commerce.orders.identifiers import normalise_postcode
from commerce.seed.people import COUNTRIES, COUNTRY_WEIGHTS, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, email_local_part
from commerce.seed.writer import BulkWriter

CUSTOMERS_PER_SCALE = 2000

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"


@dataclass(frozen=True)
class ShippingAddress:
    recipient: str
    line1: str
    line2: str | None
    city: str
    postcode: str
    country: str
    vat_rate_bp: int

    def order_columns(self) -> dict[str, object]:
        return {
            "ship_recipient": self.recipient,
            "ship_line1": self.line1,
            "ship_line2": self.line2,
            "ship_city": self.city,
            "ship_postcode": self.postcode,
            "ship_country": self.country,
            "ship_postcode_key": normalise_postcode(self.postcode),
        }


@dataclass(frozen=True)
class SeededCustomer:
    id: int
    email: str
    name: str
    created_at: datetime
    addresses: tuple[ShippingAddress, ...]


DEMO_ADDRESS = ShippingAddress("Sam Rivera", "Lindenstraße 17", None, "Berlin", "10115", "DE", 1900)


def _address(rng: random.Random, recipient: str) -> ShippingAddress:
    country = rng.choices(COUNTRIES, weights=COUNTRY_WEIGHTS)[0]
    city, postcode = rng.choice(country.cities)
    line2 = rng.choice((None, None, None, f"Apt {rng.randint(1, 40)}", f"Floor {rng.randint(1, 6)}"))
    return ShippingAddress(
        recipient, country.street(rng), line2, city, postcode(rng), country.code, country.vat_rate_bp
    )


def _write(
    writer: BulkWriter, customer: SeededCustomer, first: str, last: str, rng: random.Random, password: str | None
) -> None:
    writer.add(
        models.Customer,
        {
            "id": customer.id,
            "email": customer.email,
            "first_name": first,
            "last_name": last,
            "phone": f"+{rng.randint(30, 49)} {rng.randint(100, 999)} {rng.randint(1000000, 9999999)}",
            "password_hash": hash_password(password, salt=rng.randbytes(16)) if password else None,
            "marketing_opt_in": rng.random() < 0.35,
            "created_at": customer.created_at,
        },
    )
    for position, address in enumerate(customer.addresses):
        writer.add(
            models.Address,
            {
                "customer_id": customer.id,
                "recipient": address.recipient,
                "line1": address.line1,
                "line2": address.line2,
                "city": address.city,
                "postcode": address.postcode,
                "country": address.country,
                "is_default": position == 0,
            },
        )


def generate(writer: BulkWriter, rng: random.Random, total: int, now: datetime) -> list[SeededCustomer]:
    demo = SeededCustomer(1, DEMO_EMAIL, "Sam Rivera", now - timedelta(days=400), (DEMO_ADDRESS,))
    _write(writer, demo, "Sam", "Rivera", rng, DEMO_PASSWORD)
    customers = [demo]
    used_emails = {DEMO_EMAIL}
    for customer_id in range(2, total + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = email_local_part(first, last)
        email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
        while email in used_emails:
            email = f"{local}{rng.randint(2, 9999)}@{rng.choice(EMAIL_DOMAINS)}"
        used_emails.add(email)
        name = f"{first} {last}"
        addresses = tuple(_address(rng, name) for _ in range(1 if rng.random() < 0.8 else 2))
        created = now - timedelta(days=rng.randint(1, 1100), seconds=rng.randint(0, 86399))
        customer = SeededCustomer(customer_id, email, name, created, addresses)
        # Account holders get a password; most people check out as guests.
        _write(writer, customer, first, last, rng, None)
        customers.append(customer)
    return customers
