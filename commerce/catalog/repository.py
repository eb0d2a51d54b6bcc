"""All catalog queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session, joinedload

from commerce.catalog.models import Brand, Category, Product


def get_by_sku(session: Session, sku: str) -> Product | None:
    stmt = (
        select(Product)
        .where(Product.sku == sku, Product.is_active.is_(True))
        .options(joinedload(Product.brand), joinedload(Product.category).joinedload(Category.parent))
    )
    return session.scalars(stmt).one_or_none()


def featured(session: Session, limit: int) -> list[Product]:
    """In-stock products, most recently added first (a stable order: ties broken by id)."""
    stmt = (
        select(Product)
        .where(Product.is_active.is_(True), Product.stock > 0)
        .order_by(Product.created_at.desc(), Product.id.desc())
        .limit(limit)
        .options(joinedload(Product.brand), joinedload(Product.category))
    )
    return list(session.scalars(stmt))


def top_categories_with_counts(session: Session) -> list[tuple[Category, int]]:
    # The tree is two levels deep (department > category): a product's department is its category's parent.
    top_id = func.coalesce(Category.parent_id, Category.id)
    counts = (
        select(top_id.label("top_id"), func.count(Product.id).label("n"))
        .join(Product, Product.category_id == Category.id)
        .where(Product.is_active.is_(True))
        .group_by(top_id)
        .subquery()
    )
    stmt = (
        select(Category, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.top_id == Category.id)
        .where(Category.parent_id.is_(None))
        .order_by(Category.name)
    )
    return [(c, n) for c, n in session.execute(stmt).all()]


def count_products(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Product)) or 0


def count_brands(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Brand)) or 0


def category_ids_under(session: Session, slug: str) -> list[int]:
    """The category with this slug and its children (empty when the slug is unknown)."""
    root = session.scalar(select(Category.id).where(Category.slug == slug))
    if root is None:
        return []
    children = session.scalars(select(Category.id).where(Category.parent_id == root))
    return [root, *children]


def brand_id_by_slug(session: Session, slug: str) -> int | None:
    return session.scalar(select(Brand.id).where(Brand.slug == slug))


def latest_product_change(session: Session) -> datetime | None:
    return session.scalar(select(func.max(Product.updated_at)))


def index_rows(session: Session, since: datetime | None) -> Sequence[Row[Any]]:
    """What the search index keeps of every product changed since `since` (all products when None)."""
    stmt = select(
        Product.id, Product.title, Product.search_text, Product.description, Product.category_id, Product.brand_id,
        Product.price_cents, Product.stock, Product.created_at, Product.is_active,
    )
    if since is not None:
        stmt = stmt.where(Product.updated_at >= since)
    return session.execute(stmt).all()


def by_ids(session: Session, ids: list[int]) -> list[Product]:
    """These products in this order, with brand and category; ids no longer in the database are skipped."""
    loaded = session.scalars(
        select(Product).where(Product.id.in_(ids)).options(joinedload(Product.brand), joinedload(Product.category))
    ).all()
    by_id = {p.id: p for p in loaded}
    return [by_id[i] for i in ids if i in by_id]


def add_stock(session: Session, product_id: int, quantity: int) -> None:
    session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(stock=Product.stock + quantity)
        .execution_options(synchronize_session=False)
    )


def take_stock(session: Session, sku: str, quantity: int) -> Product | None:
    """Atomically remove quantity from stock if that much is there; returns the product or None.

    The check and the decrement are one statement, so two buyers of the last unit cannot both get it.
    """
    stmt = (
        update(Product)
        .where(Product.sku == sku, Product.is_active.is_(True), Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
        .returning(Product.id)
        .execution_options(synchronize_session=False)
    )
    product_id = session.execute(stmt).scalar_one_or_none()
    if product_id is None:
        return None
    return session.scalars(
        select(Product).where(Product.id == product_id).execution_options(populate_existing=True)
    ).one()


def stock_of(session: Session, sku: str) -> int | None:
    return session.scalar(select(Product.stock).where(Product.sku == sku, Product.is_active.is_(True)))
