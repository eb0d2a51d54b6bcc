"""The demo shop records its own browsing, as a real shop's tracking would: every page view goes to the
behaviour log under a visit cookie, and a signed-in shopper's visit carries their customer id. That is what
purchase-intent scores, recommendations ("the current session's events change the list immediately") and the
offers' uplift gate read, so `make run` shows them working on the shopper's own clicks.
"""

from __future__ import annotations

import re
import uuid

from fastapi import Request, Response
from sqlalchemy import update
from sqlalchemy.orm import Session

from commerce.behaviour import repository
from commerce.behaviour.models import Device, EventKind, PageType, TrafficSource, VisitorType, VisitSession
from commerce.config import get_settings
from commerce.customers.models import Customer
from commerce.db import utcnow

VISIT_COOKIE = "shop_visit"
VISIT_SECONDS = 30 * 60  # a visit ends after half an hour without a page view, as in web analytics
_KEY = re.compile(r"^[0-9a-f]{32}$")


def record_view(request: Request, response: Response, session: Session, customer: Customer | None,
                page_type: PageType, product_id: int | None = None) -> None:
    key = request.cookies.get(VISIT_COOKIE) or ""
    if not _KEY.match(key):
        key = uuid.uuid4().hex
    now = utcnow()
    agent = request.headers.get("user-agent", "")
    visit = repository.get_or_create_visit(session, {
        "session_key": key, "customer_id": customer.id if customer else None,
        "visitor_type": VisitorType.RETURNING if customer else VisitorType.NEW, "traffic_source": TrafficSource.DIRECT,
        "device": Device.MOBILE if "Mobi" in agent else Device.DESKTOP, "operating_system": "unknown",
        "browser": "unknown", "region": "unknown", "started_at": now,
    })
    if customer is not None:  # signed in during the visit: the visit is theirs from now on
        session.execute(update(VisitSession).where(VisitSession.id == visit, VisitSession.customer_id.is_(None))
                        .values(customer_id=customer.id))
    repository.add_events(session, [{
        "session_id": visit, "occurred_at": now, "kind": EventKind.PAGE_VIEW, "page_type": page_type,
        "page": request.url.path[:300], "product_id": product_id,
    }])
    session.commit()
    response.set_cookie(VISIT_COOKIE, key, max_age=VISIT_SECONDS, httponly=True, samesite="lax",
                        secure=get_settings().ENVIRONMENT not in ("development", "test"))
