"""Every query of the recommend package: shoppers' histories, candidate products, counts for popularity."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import Session, joinedload

from commerce.behaviour.models import BehaviourEvent, EventKind, VisitSession
from commerce.catalog.models import Category, Product
from commerce.customers.models import Customer
from commerce.orders.models import Order, OrderItem, OrderStatus

VIEW, CART, PURCHASE = "view", "cart", "purchase"
_KINDS = {EventKind.PAGE_VIEW: VIEW, EventKind.ADD_TO_CART: CART}


@dataclass(frozen=True)
class Interaction:
    user: str  # "c<customer id>" or "s<visit id>" for a visit nobody signed in to
    product_id: int
    kind: str  # view, cart or purchase
    at: datetime


def customer_exists(session: Session, customer_id: int) -> bool:
    return session.scalar(select(Customer.id).where(Customer.id == customer_id)) is not None


def recent_events(
    session: Session, customer_id: int | None, session_key: str | None, limit: int
) -> list[tuple[int, str, datetime]]:
    """A shopper's newest product views and cart additions (customer's visits and/or one visit), oldest first."""
    owners = []
    if customer_id is not None:
        owners.append(VisitSession.customer_id == customer_id)
    if session_key is not None:
        owners.append(VisitSession.session_key == session_key)
    if not owners:
        return []
    stmt = (
        select(BehaviourEvent.product_id, BehaviourEvent.kind, BehaviourEvent.occurred_at)
        .join(VisitSession, VisitSession.id == BehaviourEvent.session_id)
        .where(or_(*owners), BehaviourEvent.product_id.is_not(None), BehaviourEvent.kind.in_(list(_KINDS)))
        .order_by(BehaviourEvent.occurred_at.desc(), BehaviourEvent.id.desc())
        .limit(limit)
    )
    rows = session.execute(stmt).all()
    return [(product_id, _KINDS[kind], at) for product_id, kind, at in reversed(rows)]


def purchases(session: Session, customer_id: int, limit: int) -> list[tuple[int, str, datetime]]:
    """Products a customer ordered (cancelled orders aside), newest `limit`, oldest first."""
    stmt = (
        select(OrderItem.product_id, Order.placed_at)
        .join(Order, Order.id == OrderItem.order_id)
        .where(
            Order.customer_id == customer_id,
            Order.status != OrderStatus.CANCELLED,
            OrderItem.product_id.is_not(None),
        )
        .order_by(Order.placed_at.desc(), OrderItem.id.desc())
        .limit(limit)
    )
    return [(product_id, PURCHASE, at) for product_id, at in reversed(session.execute(stmt).all())]


def products(session: Session, ids: Sequence[int]) -> dict[int, Product]:
    """Active products by id, with brand and category (and its parent) loaded for cards and filters."""
    if not ids:
        return {}
    stmt = (
        select(Product)
        .where(Product.id.in_(list(ids)), Product.is_active.is_(True))
        .options(joinedload(Product.brand), joinedload(Product.category).joinedload(Category.parent))
    )
    return {p.id: p for p in session.scalars(stmt)}


def candidates(session: Session, ids: Sequence[int]) -> dict[int, Row[tuple[int, int, int, int]]]:
    """Active products by id, with only what the list's rules look at (id, category_id, stock, price_cents):
    cheap enough to check a pool of candidates before loading the few that make the list with products()."""
    if not ids:
        return {}
    stmt = select(Product.id, Product.category_id, Product.stock, Product.price_cents).where(
        Product.id.in_(list(ids)), Product.is_active.is_(True)
    )
    return {row.id: row for row in session.execute(stmt)}


def titles(session: Session, ids: Sequence[int]) -> dict[int, Row[tuple[int, str, str]]]:
    """(id, title, sku) of active products by id."""
    if not ids:
        return {}
    stmt = select(Product.id, Product.title, Product.sku).where(Product.id.in_(list(ids)), Product.is_active.is_(True))
    return {row.id: row for row in session.execute(stmt)}


def product_id_by_sku(session: Session, sku: str) -> int | None:
    return session.scalar(select(Product.id).where(Product.sku == sku, Product.is_active.is_(True)))


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


def category_ids_with_slugs(session: Session, slugs: frozenset[str]) -> set[int]:
    """Ids of the categories with these slugs and of their children."""
    roots = set(session.scalars(select(Category.id).where(Category.slug.in_(sorted(slugs)))))
    if not roots:
        return set()
    return roots | set(session.scalars(select(Category.id).where(Category.parent_id.in_(roots))))


def bought(session: Session, customer_id: int) -> list[int]:
    """Every product a customer has ordered (cancelled orders aside)."""
    stmt = (
        select(OrderItem.product_id)
        .join(Order, Order.id == OrderItem.order_id)
        .where(
            Order.customer_id == customer_id,
            Order.status != OrderStatus.CANCELLED,
            OrderItem.product_id.is_not(None),
        )
        .distinct()
    )
    return list(session.scalars(stmt))
