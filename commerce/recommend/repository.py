"""Every query of the recommend package: shoppers' histories, candidate products, counts for popularity."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Row, Select, bindparam, case, cast, func, literal_column, null, or_, select, type_coerce, union_all
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from commerce.behaviour.models import BehaviourEvent, EventKind, VisitSession
from commerce.catalog.models import Brand, Category, Product
from commerce.customers.models import Customer
from commerce.db import UTCDateTime
from commerce.orders.models import Order, OrderItem, OrderStatus

VIEW, CART, PURCHASE = "view", "cart", "purchase"
_KINDS = {EventKind.PAGE_VIEW: VIEW, EventKind.ADD_TO_CART: CART}


@dataclass(frozen=True)
class Interaction:
    user: str  # "c<customer id>" or "s<visit id>" for a visit nobody signed in to
    product_id: int
    kind: str  # view, cart or purchase
    at: datetime


@dataclass
class Shopper:
    """What one request needs to know about the shopper, from one query (see shopper())."""

    customer_found: bool = False
    context_id: int | None = None  # the product on screen, when its SKU names an active product
    events: list[tuple[int, str, datetime]] = field(default_factory=list)  # views, carts and purchases
    bought: set[int] = field(default_factory=set)  # every product ordered, cancelled orders aside


# The request-time reads below run prepared Core statements on the session's connection: no ORM objects, no
# statement building, no autoflush (a recommendation request has nothing pending).
_FOUND, _CONTEXT, _VIEW, _CART, _PURCHASE = range(5)
_TAGS = {_VIEW: VIEW, _CART: CART, _PURCHASE: PURCHASE}


@lru_cache(maxsize=8)
def _shopper_statement(customer: bool, visit: bool, sku: bool) -> Select:
    """Built once per shape and reused: SQLAlchemy then skips building the statement and its cache key."""
    tag = literal_column
    # A typed NULL: PostgreSQL types an untyped NULL in a UNION's first branch as text, then refuses timestamps.
    no_time = cast(null(), BehaviourEvent.occurred_at.type)
    parts: list[Select] = []
    if customer:
        parts.append(select(tag(str(_FOUND)).label("tag"), Customer.id.label("product_id"), no_time.label("at"))
                     .where(Customer.id == bindparam("customer_id")))
    if sku:
        parts.append(select(tag(str(_CONTEXT)).label("tag"), Product.id.label("product_id"), no_time.label("at"))
                     .where(Product.sku == bindparam("sku"), Product.is_active.is_(True)))
    if customer or visit:
        owners = []
        if customer:
            owners.append(VisitSession.customer_id == bindparam("customer_id"))
        if visit:
            owners.append(VisitSession.session_key == bindparam("session_key"))
        newest = (
            select(case((BehaviourEvent.kind == EventKind.ADD_TO_CART, tag(str(_CART))), else_=tag(str(_VIEW)))
                   .label("tag"), BehaviourEvent.product_id, BehaviourEvent.occurred_at.label("at"))
            .join(VisitSession, VisitSession.id == BehaviourEvent.session_id)
            .where(or_(*owners), BehaviourEvent.product_id.is_not(None), BehaviourEvent.kind.in_(list(_KINDS)))
            .order_by(BehaviourEvent.occurred_at.desc(), BehaviourEvent.id.desc())
            .limit(bindparam("limit"))
            .subquery()
        )
        parts.append(select(newest.c.tag, newest.c.product_id, newest.c.at))
    if customer:
        parts.append(
            select(tag(str(_PURCHASE)).label("tag"), OrderItem.product_id.label("product_id"),
                   Order.placed_at.label("at"))
            .join(Order, Order.id == OrderItem.order_id)
            .where(Order.customer_id == bindparam("customer_id"), Order.status != OrderStatus.CANCELLED,
                   OrderItem.product_id.is_not(None))
        )
    rows = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    return select(rows.c.tag, rows.c.product_id, type_coerce(rows.c.at, UTCDateTime()))


def shopper(
    session: Session, customer_id: int | None, session_key: str | None, sku: str | None, limit: int
) -> Shopper:
    """In one round trip: whether the customer exists, the product on screen, the newest `limit` product views
    and cart additions of the customer's visits and/or the current visit, and every product the customer
    ordered (with when: the service keeps the newest for the history and all of them as bought)."""
    out = Shopper()
    if customer_id is None and session_key is None and sku is None:
        return out
    statement = _shopper_statement(customer_id is not None, session_key is not None, sku is not None)
    params = {"customer_id": customer_id, "session_key": session_key, "sku": sku, "limit": limit}
    for tag, product_id, at in session.connection().execute(statement, params):
        if tag == _FOUND:
            out.customer_found = True
        elif tag == _CONTEXT:
            out.context_id = product_id
        else:
            out.events.append((product_id, _TAGS[tag], at))
            if tag == _PURCHASE:
                out.bought.add(product_id)
    return out


_LISTING = (
    select(Product.id, Product.sku, Product.title, Product.category_id, Product.price_cents, Product.currency,
           Product.stock, Product.image_url, Brand.name.label("brand"), Category.name.label("category"))
    .join(Brand, Brand.id == Product.brand_id)
    .join(Category, Category.id == Product.category_id)
    .where(Product.id.in_(bindparam("ids", expanding=True)), Product.is_active.is_(True))
)


def listing(session: Session, ids: Sequence[int]) -> dict[int, Row]:
    """Active products by id, read now, with what the rules check and a product card shows (brand and category
    names included): the final, authoritative read of the few products a list may show."""
    if not ids:
        return {}
    return {row.id: row for row in session.connection().execute(_LISTING, {"ids": list(ids)})}


_CATALOG = (
    select(Product.id, Product.category_id, Product.price_cents, Product.stock).where(Product.is_active.is_(True))
)
_CATEGORY_TREE = select(Category.id, Category.slug, Category.parent_id)


def catalog_rows(session: Session) -> list[tuple[int, int, int, int]]:
    """(id, category id, price in cents, stock) of every active product, in no particular order."""
    connection = session.connection()
    sql = _compiled(_CATALOG, connection.dialect)
    # Straight through the driver's cursor: plain tuples come back three times as fast as SQLAlchemy rows, and
    # this reads the whole catalog (in a background thread, but it holds the GIL while it builds them).
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


@lru_cache(maxsize=4)
def _compiled(statement: Select, dialect: Dialect) -> str:
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def category_tree(session: Session) -> list[tuple[int, str, int | None]]:
    """(id, slug, parent id) of every category."""
    return session.connection().execute(_CATEGORY_TREE).all()  # type: ignore[return-value]


def product_id_by_sku(session: Session, sku: str) -> int | None:
    return session.scalar(select(Product.id).where(Product.sku == sku, Product.is_active.is_(True)))


def visit_customer(session: Session, session_key: str) -> int | None:
    return session.scalar(select(VisitSession.customer_id).where(VisitSession.session_key == session_key))


def category_ids_under(session: Session, slug: str) -> list[int]:
    """The category with this slug and its children (empty when the slug is unknown)."""
    root = session.scalar(select(Category.id).where(Category.slug == slug))
    if root is None:
        return []
    return [root, *session.scalars(select(Category.id).where(Category.parent_id == root))]


def active_products(session: Session) -> list[tuple[int, int]]:
    """(product id, category id) of every active product, by id."""
    return [tuple(r) for r in session.execute(
        select(Product.id, Product.category_id).where(Product.is_active.is_(True)).order_by(Product.id)
    )]


def event_counts(session: Session, since: datetime) -> list[tuple[int, str, int]]:
    """(product id, kind, count) of product views and cart additions since a moment."""
    stmt = (
        select(BehaviourEvent.product_id, BehaviourEvent.kind, func.count())
        .where(
            BehaviourEvent.occurred_at >= since,
            BehaviourEvent.product_id.is_not(None),
            BehaviourEvent.kind.in_(list(_KINDS)),
        )
        .group_by(BehaviourEvent.product_id, BehaviourEvent.kind)
    )
    return [(product_id, _KINDS[kind], n) for product_id, kind, n in session.execute(stmt)]


def purchase_counts(session: Session, since: datetime) -> list[tuple[int, int]]:
    stmt = (
        select(OrderItem.product_id, func.count())
        .join(Order, Order.id == OrderItem.order_id)
        .where(Order.placed_at >= since, Order.status != OrderStatus.CANCELLED, OrderItem.product_id.is_not(None))
        .group_by(OrderItem.product_id)
    )
    return [(product_id, n) for product_id, n in session.execute(stmt)]


def latest_activity(session: Session) -> datetime | None:
    """When the newest event or order happened."""
    return max(
        (t for t in (session.scalar(select(func.max(BehaviourEvent.occurred_at))),
                     session.scalar(select(func.max(Order.placed_at)))) if t is not None),
        default=None,
    )


def all_interactions(session: Session, batch_size: int = 10_000) -> Iterator[Interaction]:
    """Every product view, cart addition and purchase in the shop, streamed (order within a user: by time)."""
    events = (
        select(VisitSession.customer_id, VisitSession.id, BehaviourEvent.product_id, BehaviourEvent.kind,
               BehaviourEvent.occurred_at)
        .join(VisitSession, VisitSession.id == BehaviourEvent.session_id)
        .where(BehaviourEvent.product_id.is_not(None), BehaviourEvent.kind.in_(list(_KINDS)))
        .execution_options(yield_per=batch_size)
    )
    for customer_id, visit_id, product_id, kind, at in session.execute(events):
        user = f"c{customer_id}" if customer_id is not None else f"s{visit_id}"
        yield Interaction(user, product_id, _KINDS[kind], at)
    bought = (
        select(Order.customer_id, OrderItem.product_id, Order.placed_at)
        .join(Order, Order.id == OrderItem.order_id)
        .where(Order.status != OrderStatus.CANCELLED, OrderItem.product_id.is_not(None))
        .execution_options(yield_per=batch_size)
    )
    for customer_id, product_id, at in session.execute(bought):
        yield Interaction(f"c{customer_id}", product_id, PURCHASE, at)
