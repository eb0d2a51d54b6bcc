"""Reads of the behaviour log for features; every query of the intent package lives here."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Row as SQLRow
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from commerce.behaviour.models import BehaviourEvent, VisitSession
from commerce.catalog.models import Product
from commerce.intent.features import Event, Visit

_VISIT_COLUMNS = (
    VisitSession.id, VisitSession.session_key, VisitSession.customer_id, VisitSession.started_at,
    VisitSession.visitor_type, VisitSession.traffic_source, VisitSession.operating_system, VisitSession.browser,
    VisitSession.region,
)
_EVENT_COLUMNS = (
    BehaviourEvent.kind, BehaviourEvent.page_type, BehaviourEvent.page, BehaviourEvent.duration_seconds,
    BehaviourEvent.quantity, Product.price_cents,
)


def _events_query():  # type: ignore[no-untyped-def]
    return (
        select(BehaviourEvent.session_id, *_EVENT_COLUMNS)
        .outerjoin(Product, Product.id == BehaviourEvent.product_id)
        .order_by(BehaviourEvent.session_id, BehaviourEvent.occurred_at, BehaviourEvent.id)
    )


def to_visit(row: SQLRow) -> Visit:
    return Visit(row.started_at, row.visitor_type.value, row.traffic_source.value, row.operating_system,
                 row.browser, row.region)


def _to_event(row: SQLRow) -> Event:
    return Event(row.kind, row.page_type, row.page, row.duration_seconds, row.quantity, row.price_cents)


# Scoring runs these per request; built once, since building a statement costs more than running it here.
_LATEST_VISIT = (select(*_VISIT_COLUMNS).where(VisitSession.customer_id == bindparam("customer_id"))
                 .order_by(VisitSession.started_at.desc(), VisitSession.id.desc()).limit(1))
_EVENTS_OF_VISIT = _events_query().where(BehaviourEvent.session_id == bindparam("visit_id"))
_VISIT_BY_KEY = select(*_VISIT_COLUMNS).where(VisitSession.session_key == bindparam("session_key"))


# The scoring reads select plain columns, so they run on the session's connection: the ORM's execution
# path would add about a third to their cost and give nothing here.
def visit_by_key(session: Session, session_key: str) -> SQLRow | None:
    return session.connection().execute(_VISIT_BY_KEY, {"session_key": session_key}).first()


def latest_visit_of_customer(session: Session, customer_id: int) -> SQLRow | None:
    return session.connection().execute(_LATEST_VISIT, {"customer_id": customer_id}).first()


def events_of(session: Session, visit_id: int) -> list[Event]:
    return [_to_event(r) for r in session.connection().execute(_EVENTS_OF_VISIT, {"visit_id": visit_id})]


def visits_by_keys(session: Session, session_keys: list[str]) -> dict[str, SQLRow]:
    rows = session.connection().execute(select(*_VISIT_COLUMNS).where(VisitSession.session_key.in_(session_keys)))
    return {row.session_key: row for row in rows}


def events_of_visits(session: Session, visit_ids: list[int]) -> dict[int, list[Event]]:
    events: dict[int, list[Event]] = defaultdict(list)
    for row in session.connection().execute(_events_query().where(BehaviourEvent.session_id.in_(visit_ids))):
        events[row.session_id].append(_to_event(row))
    return events


def all_visits(session: Session) -> list[tuple[Visit, list[Event]]]:
    """Every visit with its events, in id order."""
    events: dict[int, list[Event]] = defaultdict(list)
    for row in session.execute(_events_query()):
        events[row.session_id].append(_to_event(row))
    visits = session.execute(select(*_VISIT_COLUMNS).order_by(VisitSession.id))
    return [(to_visit(v), events.get(v.id, [])) for v in visits]
