from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from commerce.behaviour.models import EventKind, PageType
from commerce.intent.features import FEATURES, Event, Visit, is_purchase, session_row, special_day

# A Saturday in November.
VISIT = Visit(datetime(2026, 11, 14, 10, 0, tzinfo=timezone.utc), "returning", "email", "Android", "Chrome",
              "NL-Utrecht")


def view(page: str, seconds: float | None, page_type: PageType = PageType.PRODUCT) -> Event:
    return Event(EventKind.PAGE_VIEW, page_type, page, seconds)


def cart(price_cents: int, quantity: int = 1) -> Event:
    return Event(EventKind.ADD_TO_CART, PageType.PRODUCT, None, None, quantity, price_cents)


BROWSING = [
    view("/products/A", 30.0),
    view("/help/returns", 20.0, PageType.INFORMATIONAL),
    view("/products/B", 50.0),
    cart(2500, quantity=2),
    view("/account", 10.0, PageType.ADMINISTRATIVE),
    view("/products/A", 40.0),
]


def test_counts_durations_rates_and_context() -> None:
    row = session_row(VISIT, BROWSING)
    assert set(row) == set(FEATURES)
    assert (row["ProductRelated"], row["Informational"], row["Administrative"]) == (3, 1, 1)
    # The last page view is still open: its 40 s are not known at the decision point.
    assert row["ProductRelated_Duration"] == 80.0
    assert row["Informational_Duration"] == 20.0 and row["Administrative_Duration"] == 10.0
    assert row["BounceRates"] == 0.0 and row["ExitRates"] == pytest.approx(1 / 5)
    # 2 x 25.00 in the cart over 4 unique pages.
    assert row["PageValues"] == pytest.approx(12.5)
    assert (row["Month"], row["Weekend"], row["TrafficType"], row["VisitorType"]) == (11, True, "email", "returning")
    assert (row["OperatingSystems"], row["Browser"], row["Region"]) == ("Android", "Chrome", "NL-Utrecht")


def test_buyer_and_browser_with_the_same_path_get_the_same_row() -> None:
    checkout = [view("/cart", 12.0, PageType.ADMINISTRATIVE), view("/checkout/payment", 30.0, PageType.ADMINISTRATIVE),
                Event(EventKind.PURCHASE, PageType.ADMINISTRATIVE, "/checkout/confirmation")]
    bought = [*BROWSING[:-1], view("/products/A", 40.0), *checkout]
    left = [*BROWSING[:-1], view("/products/A", None)]
    assert is_purchase(bought) and not is_purchase(left)
    assert session_row(VISIT, bought) == session_row(VISIT, left)


def test_a_single_page_visit_is_a_bounce_and_an_empty_visit_scores_zeros() -> None:
    single = session_row(VISIT, [view("/products/A", None)])
    assert (single["BounceRates"], single["ExitRates"], single["ProductRelated"]) == (1.0, 1.0, 1)
    searched = session_row(VISIT, [view("/products/A", None), Event(EventKind.SEARCH)])
    assert searched["BounceRates"] == 0.0
    empty = session_row(VISIT, [])
    assert empty["ProductRelated"] == 0 and empty["ExitRates"] == 0.0 and empty["PageValues"] == 0.0


@pytest.mark.parametrize(("day", "closeness"), [
    (date(2026, 2, 8), 1.0),  # six days before Valentine's Day
    (date(2026, 2, 4), 0.2),
    (date(2026, 2, 12), 0.2),
    (date(2026, 2, 13), 0.0),
    (date(2026, 1, 20), 0.0),
    (date(2026, 12, 18), 1.0),  # six days before Christmas Eve
])
def test_special_day_closeness(day: date, closeness: float) -> None:
    assert special_day(day) == closeness
