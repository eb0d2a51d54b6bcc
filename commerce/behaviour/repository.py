from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commerce.behaviour.models import BehaviourEvent, VisitSession
from commerce.catalog.models import Product


def visit_id(session: Session, session_key: str) -> int | None:
    return session.scalar(select(VisitSession.id).where(VisitSession.session_key == session_key))


def get_or_create_visit(session: Session, values: dict[str, Any]) -> int:
    existing = visit_id(session, values["session_key"])
    if existing is not None:
        return existing
    try:
        with session.begin_nested():
            visit = VisitSession(**values)
            session.add(visit)
        return visit.id
    except IntegrityError:
        # Another batch of the same visit arrived at the same moment.
        found = visit_id(session, values["session_key"])
        assert found is not None
        return found


def product_ids(session: Session, skus: set[str]) -> dict[str, int]:
    if not skus:
        return {}
    rows = session.execute(select(Product.sku, Product.id).where(Product.sku.in_(skus)))
    return {sku: product_id for sku, product_id in rows}


def add_events(session: Session, rows: list[dict[str, Any]]) -> None:
    session.execute(insert(BehaviourEvent), rows)
