"""Deterministic demo shop: `python -m commerce.seed [--scale 1|10|100] [--seed 42] [--reset]`.

The same seed and the same --today always give the same rows. Fixed demo orders for testing by hand
(customer demo@example.com, delivery postcode 10115) are listed in commerce/seed/README.md.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy.orm import Session

from commerce.seed import behaviour, catalog, customers, orders
from commerce.seed.writer import BulkWriter, is_seeded, repair_sequences, wipe

SCALES = (1, 10, 100)


class AlreadySeeded(Exception):
    pass


@dataclass(frozen=True)
class Sizes:
    products: int
    customers: int
    sessions: int

    @classmethod
    def for_scale(cls, scale: int) -> Sizes:
        if scale < 1:
            raise ValueError("scale must be a positive integer")
        return cls(
            products=catalog.PRODUCTS_PER_SCALE * scale,
            customers=customers.CUSTOMERS_PER_SCALE * scale,
            # The behaviour log stops growing at 10x; larger scales exist for catalog and order benchmarks.
            sessions=behaviour.SESSIONS_PER_SCALE * min(scale, 10),
        )


@dataclass(frozen=True)
class SeedResult:
    counts: dict[str, int]


def reference_time(today: date) -> datetime:
    """With --today, seeded dates are relative to 09:00 UTC on that day."""
    return datetime.combine(today, time(9, 0), timezone.utc)


def seed(
    session: Session, sizes: Sizes, seed_value: int = 42, today: date | None = None, reset: bool = False
) -> SeedResult:
    """Write the demo shop and commit. Raises AlreadySeeded unless the database is empty or reset is set."""
    if sizes.products < catalog.MIN_PRODUCTS:
        raise ValueError(f"the demo shop needs at least {catalog.MIN_PRODUCTS} products (one per category)")
    if reset:
        wipe(session)
    elif is_seeded(session):
        raise AlreadySeeded()
    # Without --today the data is relative to the start of the current hour, so nothing lies in the future.
    now = reference_time(today) if today else datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    writer = BulkWriter(session)
    # One generator per part keeps each part's rows stable when another part changes.
    products = catalog.generate(writer, random.Random(f"{seed_value}:catalog"), sizes.products, now)
    people = customers.generate(writer, random.Random(f"{seed_value}:customers"), sizes.customers, now)
    writer.flush()
    orders.generate(writer, random.Random(f"{seed_value}:orders"), people, products, now)
    writer.flush()
    behaviour.generate(writer, random.Random(f"{seed_value}:behaviour"), sizes.sessions, people, products, now)
    writer.flush()
    repair_sequences(session)
    session.commit()
    return SeedResult(dict(writer.counts))


__all__ = ["SCALES", "AlreadySeeded", "SeedResult", "Sizes", "reference_time", "seed"]
