"""Session features in the schema of the UCI Online Shoppers dataset, computed from our event log.

One row per visit, a dict keyed by the names below. The same schema carries the public benchmark's rows, so
the encoder, the network and the scorer are shared by the shop, the benchmark, training and serving.

A row describes a visit *before the purchase decision*: events from the first checkout page (or purchase)
on are ignored, for buyers and non-buyers alike. Otherwise the checkout pages would give the label away
in training and the model would have nothing to say about a shopper who is still browsing.

How the Google Analytics measures of the public dataset are computed inside one visit, so that scoring needs
neither history nor the purchase label:
- durations: the last page view has no duration yet (nothing follows it), as in analytics;
- BounceRates: 1 when the visit is a single page view with no other interaction, else 0;
- ExitRates: a visit exits once, so 1 / page views;
- PageValues: value of the items added to the cart (at list price, in currency units) per unique page
  viewed, i.e. analytics' page value with add-to-cart as the goal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from commerce.behaviour.models import EventKind, PageType
from commerce.seed.behaviour import days_to_gift_day

Row = dict[str, Any]

COUNTS_AND_DURATIONS = (
    "Administrative",
    "Administrative_Duration",
    "Informational",
    "Informational_Duration",
    "ProductRelated",
    "ProductRelated_Duration",
)
RATES = ("BounceRates", "ExitRates", "PageValues", "SpecialDay")
CATEGORIES = ("Month", "OperatingSystems", "Browser", "Region", "TrafficType", "VisitorType")
FLAGS = ("Weekend",)
FEATURES = (*COUNTS_AND_DURATIONS, *RATES, *CATEGORIES, *FLAGS)

CHECKOUT_PAGES = ("/cart", "/checkout")
_COUNT_NAMES = {
    PageType.ADMINISTRATIVE: ("Administrative", "Administrative_Duration"),
    PageType.INFORMATIONAL: ("Informational", "Informational_Duration"),
    PageType.PRODUCT: ("ProductRelated", "ProductRelated_Duration"),
}


@dataclass(frozen=True)
class Visit:
    started_at: datetime
    visitor_type: str
    traffic_source: str
    operating_system: str
    browser: str
    region: str


@dataclass(frozen=True)
class Event:
    kind: EventKind
    page_type: PageType | None = None
    page: str | None = None
    duration_seconds: float | None = None
    quantity: int | None = None
    price_cents: int | None = None


def special_day(day: date) -> float:
    """Closeness to the next gift day, 0..1 in steps of 0.2 as in the public dataset: highest 6 days ahead,
    when orders still arrive in time, above zero from 10 down to 2 days ahead."""
    days = days_to_gift_day(day)
    return round(max(0.0, 1.0 - abs(days - 6) * 0.2), 1)


def before_decision(events: Iterable[Event]) -> list[Event]:
    """The events up to (not including) the first checkout page or purchase."""
    kept: list[Event] = []
    for event in events:
        if event.kind == EventKind.PURCHASE:
            break
        if event.kind == EventKind.PAGE_VIEW and (event.page or "").startswith(CHECKOUT_PAGES):
            break
        kept.append(event)
    return kept


def session_row(visit: Visit, events: Iterable[Event]) -> Row:
    """The feature row of a visit from its events in time order."""
    kept = before_decision(events)
    views = [e for e in kept if e.kind == EventKind.PAGE_VIEW]
    row: Row = {name: 0.0 for name in COUNTS_AND_DURATIONS}
    for position, view in enumerate(views):
        count, duration = _COUNT_NAMES[view.page_type or PageType.PRODUCT]
        row[count] += 1
        if position < len(views) - 1:
            row[duration] += view.duration_seconds or 0.0
    cart_cents = sum((e.price_cents or 0) * (e.quantity or 1) for e in kept if e.kind == EventKind.ADD_TO_CART)
    unique_pages = len({v.page for v in views})
    started = visit.started_at
    row.update(
        BounceRates=1.0 if len(views) == 1 and len(kept) == 1 else 0.0,
        ExitRates=1.0 / len(views) if views else 0.0,
        PageValues=cart_cents / 100 / unique_pages if unique_pages else 0.0,
        SpecialDay=special_day(started.date()),
        Month=started.month,
        OperatingSystems=visit.operating_system,
        Browser=visit.browser,
        Region=visit.region,
        TrafficType=visit.traffic_source,
        VisitorType=visit.visitor_type,
        Weekend=started.weekday() >= 5,
    )
    return row


def is_purchase(events: Iterable[Event]) -> bool:
    return any(e.kind == EventKind.PURCHASE for e in events)
