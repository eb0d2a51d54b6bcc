"""Visits to the shop and what people did in them.

Each visit gets a hidden purchase intent from its context (traffic source, visitor type, device, season).
Intent shapes the behaviour: how many product pages are seen and for how long, searches, cart additions,
checkout pages. Whether a visit ends in a purchase then depends on that behaviour (cart additions and
product-page engagement) rather than on the hidden intent directly, which is what a purchase-intent model
has to learn. Most visits end without a purchase, as in real shops.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta

from commerce import models
from commerce.behaviour.models import Device, EventKind, PageType, TrafficSource, VisitorType
from commerce.seed.catalog import SeededProduct, search_terms
from commerce.seed.customers import SeededCustomer
from commerce.seed.people import COUNTRIES, COUNTRY_WEIGHTS
from commerce.seed.writer import BulkWriter

SESSIONS_PER_SCALE = 2500

SOURCES = {  # weight, intent shift
    TrafficSource.DIRECT: (24, 0.3),
    TrafficSource.ORGANIC_SEARCH: (30, 0.0),
    TrafficSource.PAID_SEARCH: (12, 0.4),
    TrafficSource.SOCIAL: (12, -0.7),
    TrafficSource.EMAIL: (8, 0.8),
    TrafficSource.REFERRAL: (6, 0.2),
    TrafficSource.AFFILIATE: (4, 0.3),
    TrafficSource.DISPLAY: (4, -0.9),
}
DEVICES = {Device.DESKTOP: (42, 0.2), Device.MOBILE: (50, -0.35), Device.TABLET: (8, 0.0)}
OPERATING_SYSTEMS = {
    Device.DESKTOP: (("Windows", 62), ("macOS", 30), ("Linux", 5), ("ChromeOS", 3)),
    Device.MOBILE: (("Android", 58), ("iOS", 42)),
    Device.TABLET: (("iPadOS", 60), ("Android", 40)),
}
BROWSERS = {
    "Windows": (("Chrome", 65), ("Edge", 22), ("Firefox", 13)),
    "macOS": (("Safari", 55), ("Chrome", 38), ("Firefox", 7)),
    "Linux": (("Firefox", 55), ("Chrome", 45)),
    "ChromeOS": (("Chrome", 100),),
    "Android": (("Chrome", 78), ("Samsung Internet", 17), ("Firefox", 5)),
    "iOS": (("Safari", 88), ("Chrome", 12)),
    "iPadOS": (("Safari", 90), ("Chrome", 10)),
}
ADMIN_PAGES = ("/account", "/account/orders", "/login", "/account/addresses", "/wishlist")
CHECKOUT_PAGES = ("/cart", "/checkout/address", "/checkout/payment", "/checkout/confirmation")
INFO_PAGES = ("/help/shipping", "/help/returns", "/help/contact", "/about", "/help/size-guide", "/help/faq")


def gift_days(year: int) -> list[date]:
    """Days people shop ahead of: Valentine's Day, Mother's Day (2nd Sunday of May), Black Friday, Christmas."""
    may_first = date(year, 5, 1)
    mothers_day = may_first + timedelta(days=(6 - may_first.weekday()) % 7 + 7)
    nov_first = date(year, 11, 1)
    black_friday = nov_first + timedelta(days=(3 - nov_first.weekday()) % 7 + 22)
    return [date(year, 2, 14), mothers_day, black_friday, date(year, 12, 24)]


def days_to_gift_day(day: date) -> int:
    return min((d - day).days for d in gift_days(day.year) + gift_days(day.year + 1) if d >= day)


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method; means here stay small enough for it to be fast.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _start(rng: random.Random, now: datetime) -> datetime:
    while True:
        moment = now - timedelta(seconds=rng.random() * 365 * 86400)
        weight = 1.5 if moment.month in (11, 12) else 0.85 if moment.month in (1, 2) else 1.0
        if rng.random() * 1.5 < weight:
            return moment


def generate(
    writer: BulkWriter,
    rng: random.Random,
    total: int,
    customers: list[SeededCustomer],
    products: list[SeededProduct],
    now: datetime,
) -> None:
    sources, source_info = list(SOURCES), list(SOURCES.values())
    devices, device_info = list(DEVICES), list(DEVICES.values())
    for session_id in range(1, total + 1):
        source = rng.choices(sources, weights=[w for w, _ in source_info])[0]
        device = rng.choices(devices, weights=[w for w, _ in device_info])[0]
        visitor = rng.choices((VisitorType.RETURNING, VisitorType.NEW, VisitorType.OTHER), weights=(84, 15, 1))[0]
        started = _start(rng, now)
        system = _weighted(rng, OPERATING_SYSTEMS[device])
        country = rng.choices(COUNTRIES, weights=COUNTRY_WEIGHTS)[0]
        customer_id = None
        if visitor == VisitorType.RETURNING and rng.random() < 0.4:
            customer_id = customers[rng.randrange(len(customers))].id

        gift_soon = days_to_gift_day(started.date()) <= 10
        logit = -1.4 + SOURCES[source][1] + DEVICES[device][1] + rng.gauss(0, 0.9)
        logit += 0.5 if started.month == 11 else 0.25 if started.month == 12 else 0.0
        logit += 0.35 if visitor == VisitorType.NEW else 0.0
        logit += 0.1 if started.weekday() >= 5 else 0.0
        logit -= 0.3 if gift_soon else 0.0  # many look for gift ideas, fewer buy there and then
        intent = 1 / (1 + math.exp(-logit))

        writer.add(
            models.VisitSession,
            {
                "id": session_id,
                "session_key": f"{rng.getrandbits(128):032x}",
                "customer_id": customer_id,
                "visitor_type": visitor,
                "traffic_source": source,
                "device": device,
                "operating_system": system,
                "browser": _weighted(rng, BROWSERS[system]),
                "region": f"{country.code}-{rng.choice(country.cities)[0]}",
                "started_at": started,
            },
        )
        for event in _events(rng, intent, products, started):
            event["session_id"] = session_id
            writer.add(models.BehaviourEvent, event)


def _events(rng: random.Random, intent: float, products: list[SeededProduct], start: datetime) -> list[dict]:
    bounce = rng.random() < 0.45 * (1 - intent) ** 2
    steps: list[tuple[PageType, str, SeededProduct | None]] = []
    searches: list[str] = []
    if bounce:
        product = rng.choice(products)
        steps.append((PageType.PRODUCT, f"/products/{product.sku}", product))
    else:
        n_product = 1 + _poisson(rng, 1.5 + 28 * intent**1.4)
        n_admin = _poisson(rng, 0.4 + 3.0 * intent)
        n_info = _poisson(rng, 0.5 + 0.8 * (1 - intent))
        searches = [search_terms(products, rng) for _ in range(_poisson(rng, 0.3 + 1.6 * intent))]
        for _ in range(min(n_product, 160)):
            if rng.random() < 0.2:
                steps.append((PageType.PRODUCT, f"/c/{rng.choice(products).category_slug}", None))
            else:
                product = rng.choice(products)
                steps.append((PageType.PRODUCT, f"/products/{product.sku}", product))
        steps += [(PageType.ADMINISTRATIVE, rng.choice(ADMIN_PAGES), None) for _ in range(n_admin)]
        steps += [(PageType.INFORMATIONAL, rng.choice(INFO_PAGES), None) for _ in range(n_info)]
        first = steps[0]
        rest = steps[1:]
        rng.shuffle(rest)
        steps = [first, *rest]

    events: list[dict] = []
    clock = start
    cart: list[SeededProduct] = []
    product_seconds = 0.0
    search_slots = set(rng.sample(range(len(steps)), k=min(len(searches), len(steps))))
    for position, (page_type, page, product) in enumerate(steps):
        if position in search_slots and searches:
            query = searches.pop()
            events.append(_event(clock, EventKind.SEARCH, None, None, None, search_query=query))
            clock += timedelta(seconds=rng.randint(2, 15))
            events.append(
                _event(clock, EventKind.PAGE_VIEW, PageType.PRODUCT, f"/search?q={query.replace(' ', '+')}", None)
            )
        mean_log = {PageType.PRODUCT: 3.2 + 0.8 * intent, PageType.ADMINISTRATIVE: 2.9, PageType.INFORMATIONAL: 3.5}[
            page_type
        ]
        seconds = round(min(rng.lognormvariate(mean_log, 0.9), 1800.0), 1)
        events.append(_event(clock, EventKind.PAGE_VIEW, page_type, page, seconds, product=product))
        clock += timedelta(seconds=seconds)
        if product is not None:
            product_seconds += seconds
            if rng.random() < 0.03 + 0.22 * intent:
                clock += timedelta(seconds=rng.randint(1, 5))
                cart.append(product)
                events.append(
                    _event(clock, EventKind.ADD_TO_CART, PageType.PRODUCT, page, None, product=product, quantity=1)
                )

    engagement = math.log1p(product_seconds / 60)
    buys = bool(cart) and rng.random() < 1 / (1 + math.exp(-(-2.6 + 0.9 * len(cart) + 0.6 * engagement)))
    if buys:
        for page in CHECKOUT_PAGES:
            seconds = round(rng.lognormvariate(3.0, 0.6), 1)
            events.append(_event(clock, EventKind.PAGE_VIEW, PageType.ADMINISTRATIVE, page, seconds))
            clock += timedelta(seconds=seconds)
        value = sum(p.price_cents for p in cart)
        events.append(
            _event(clock, EventKind.PURCHASE, PageType.ADMINISTRATIVE, CHECKOUT_PAGES[-1], None, value_cents=value)
        )

    # Analytics cannot time the last page of a visit: nothing follows it.
    for event in reversed(events):
        if event["kind"] == EventKind.PAGE_VIEW:
            event["duration_seconds"] = None
            break
    return events


def _event(
    at: datetime,
    kind: EventKind,
    page_type: PageType | None,
    page: str | None,
    seconds: float | None,
    product: SeededProduct | None = None,
    search_query: str | None = None,
    quantity: int | None = None,
    value_cents: int | None = None,
) -> dict:
    return {
        "occurred_at": at,
        "kind": kind,
        "page_type": page_type,
        "page": page,
        "duration_seconds": seconds,
        "product_id": product.id if product else None,
        "search_query": search_query,
        "quantity": quantity,
        "order_id": None,
        "value_cents": value_cents,
    }
