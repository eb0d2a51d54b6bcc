"""Each test runs in a transaction that is rolled back, even when the code under test commits."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commerce.customers.models import Customer
from tests.commerce import factories

EMAIL = "isolation.check@example.com"


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Customer).where(Customer.email == EMAIL)) or 0


def test_a_commit_inside_a_test(db: Session) -> None:
    assert _count(db) == 0
    factories.customer(db, email=EMAIL)
    db.commit()
    assert _count(db) == 1


def test_b_does_not_see_the_previous_commit(db: Session) -> None:
    assert _count(db) == 0
    factories.customer(db, email=EMAIL)
    db.commit()
