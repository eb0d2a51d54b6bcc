"""All catalog queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.orm import Session, joinedload

from commerce.catalog import fulltext
from commerce.catalog.models import Brand, Category, Product
from commerce.catalog.schemas import ProductSort


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


@dataclass(frozen=True)
class SearchCriteria:
    words: list[str]
    category_ids: list[int] | None  # None: any category
    brand_id: int | None
    min_cents: int | None
    max_cents: int | None
    in_stock: bool | None
    sort: ProductSort
    offset: int
    limit: int


def category_ids_under(session: Session, slug: str) -> list[int]:
    """The category with this slug and its children (empty when the slug is unknown)."""
    root = session.scalar(select(Category.id).where(Category.slug == slug))
    if root is None:
        return []
    children = session.scalars(select(Category.id).where(Category.parent_id == root))
    return [root, *children]


def brand_id_by_slug(session: Session, slug: str) -> int | None:
    return session.scalar(select(Brand.id).where(Brand.slug == slug))


def search(session: Session, criteria: SearchCriteria) -> tuple[list[Product], int]:
    """One page of matching products and the total number of matches."""
    filters = [Product.is_active.is_(True)]
    if criteria.category_ids is not None:
        filters.append(Product.category_id.in_(criteria.category_ids))
    if criteria.brand_id is not None:
        filters.append(Product.brand_id == criteria.brand_id)
    if criteria.min_cents is not None:
        filters.append(Product.price_cents >= criteria.min_cents)
    if criteria.max_cents is not None:
        filters.append(Product.price_cents <= criteria.max_cents)
    if criteria.in_stock is True:
        filters.append(Product.stock > 0)
    elif criteria.in_stock is False:
        filters.append(Product.stock == 0)

    if criteria.words:
        ids, total = _text_page(session, criteria, filters)
    else:
        stmt = select(Product.id).where(*filters)
        total = _count(session, stmt)
        page = stmt.order_by(*_ordering(criteria.sort, Product, None))
        ids = (
            list(session.scalars(page.offset(criteria.offset).limit(criteria.limit))) if total > criteria.offset else []
        )
    if not ids:
        return [], total
    loaded = session.scalars(
        select(Product).where(Product.id.in_(ids)).options(joinedload(Product.brand), joinedload(Product.category))
    ).all()
    by_id = {p.id: p for p in loaded}
    return [by_id[i] for i in ids], total


def _text_page(session: Session, criteria: SearchCriteria, filters: list[ColumnElement[bool]]) -> tuple[list[int], int]:
    ranked = criteria.sort == ProductSort.RELEVANCE
    # Only the column the sort needs: on SQLite the others would cost a table read per match.
    sort_column = {
        ProductSort.PRICE_ASC: Product.price_cents,
        ProductSort.PRICE_DESC: Product.price_cents,
        ProductSort.TITLE: Product.title,
    }.get(criteria.sort, Product.created_at)
    stmt = select(Product.id, sort_column)
    stmt, score = fulltext.apply(stmt, session.get_bind().dialect.name, criteria.words, ranked)
    # Matches and filters are settled first (materialised), then sorted and counted in one pass. Ordering
    # inside would tempt a planner to walk the price or date index and test the text match row by row.
    candidates = stmt.add_columns(score.label("score")).where(*filters).cte("candidates").prefix_with("MATERIALIZED")
    page = (
        select(candidates.c.id, func.count().over())
        .order_by(*_ordering(criteria.sort, candidates.c, candidates.c.score))
        .offset(criteria.offset)
        .limit(criteria.limit)
    )
    rows = session.execute(page).all()
    if rows:
        return [row[0] for row in rows], rows[0][1]
    if criteria.offset == 0:
        return [], 0
    # A page past the end: the window count came back with no rows, so count separately.
    return [], session.scalar(select(func.count()).select_from(candidates)) or 0


def _count(session: Session, stmt: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def _ordering(sort: ProductSort, columns: Any, score: ColumnElement[float] | None) -> list[ColumnElement[Any]]:
    """Sort keys over Product or over a subquery's columns of the same names; id breaks ties."""
    if sort == ProductSort.PRICE_ASC:
        return [columns.price_cents.asc(), columns.id.asc()]
    if sort == ProductSort.PRICE_DESC:
        return [columns.price_cents.desc(), columns.id.asc()]
    if sort == ProductSort.TITLE:
        return [columns.title.asc(), columns.id.asc()]
    if sort == ProductSort.RELEVANCE and score is not None:
        return [score.desc(), columns.id.asc()]
    return [columns.created_at.desc(), columns.id.desc()]


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
