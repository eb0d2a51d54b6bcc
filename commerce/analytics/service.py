"""What the API and the pages share: the period from the query, and a fresh copy of the trail before counting."""
from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from commerce.analytics import ingest, metrics
from commerce.analytics.schemas import Dashboard
from commerce.db import utcnow
from commerce.errors import Invalid

log = logging.getLogger(__name__)
DEFAULT_DAYS = 30
MAX_DAYS = 366


def period(start: date | None, end: date | None) -> tuple[date, date]:
    end = end or utcnow().date()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise Invalid("The period starts after it ends.", code="analytics_bad_period")
    if (end - start).days >= MAX_DAYS:
        raise Invalid(f"Choose a period of at most {MAX_DAYS} days.", code="analytics_bad_period")
    return start, end


def refresh(session: Session) -> str | None:
    """Copy what is new in the tracker store; a problem there is reported, not raised: the dashboard then
    shows what was copied before."""
    try:
        result = ingest.ingest(session)
    except SQLAlchemyError as exc:
        session.rollback()
        log.warning("analytics: the tracker store could not be read: %s", type(exc).__name__)
        return "The conversation log could not be read just now; the figures may miss the latest conversations."
    if result.more:
        return ("Older conversations are still being copied from the conversation log; reload in a moment, or run "
                "`python -m commerce.analytics.ingest` once.")
    return None


def build(session: Session, start: date | None, end: date | None, channel: str | None) -> tuple[Dashboard, str | None]:
    first, last = period(start, end)
    warning = refresh(session)
    board = metrics.dashboard(session, first, last, channel or None)
    session.rollback()  # read-only from here: end the transaction
    return board, warning
