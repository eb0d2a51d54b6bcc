"""Catalog reads used by the API and the shop pages."""

from __future__ import annotations

import math

from sqlalchemy.orm import Session

from commerce.catalog import repository, text
from commerce.catalog.exceptions import OutOfStock, ProductNotFound
from commerce.catalog.models import Category, Product
from commerce.catalog.search_index import CatalogIndex, Filters
from commerce.catalog.schemas import CategoryRef, ProductPage, ProductPublic, ProductQuery, ProductSummary
from commerce.money import to_cents


def get_product(session: Session, sku: str) -> Product:
    product = repository.get_by_sku(session, sku.strip().upper())
    if product is None:
        raise ProductNotFound()
    return product


def featured(session: Session, limit: int = 12) -> list[Product]:
    return repository.featured(session, limit)


def departments(session: Session) -> list[tuple[Category, int]]:
    return repository.top_categories_with_counts(session)


def category_path(category: Category) -> list[Category]:
    path = [category]
    while path[0].parent is not None:
        path.insert(0, path[0].parent)
    return path


def product_detail(session: Session, sku: str) -> ProductPublic:
    product = get_product(session, sku)
    path = [CategoryRef(slug=c.slug, name=c.name) for c in category_path(product.category)]
    return ProductPublic.from_product_with_path(product, path)


def search(session: Session, index: CatalogIndex, query: ProductQuery) -> ProductPage:
    category_ids = None
    if query.category:
        category_ids = repository.category_ids_under(session, query.category.strip().lower())
    brand_id = None
    if query.brand:
        # An unknown brand matches nothing rather than being ignored.
        brand_id = repository.brand_id_by_slug(session, query.brand.strip().lower()) or -1
    filters = Filters(
        category_ids=category_ids,
        brand_id=brand_id,
        min_cents=to_cents(query.min_price) if query.min_price is not None else None,
        max_cents=to_cents(query.max_price) if query.max_price is not None else None,
        in_stock=query.in_stock,
    )
    offset = (query.page - 1) * query.page_size
    ids, total = index.search(session, text.query_words(query.q or ""), filters, query.sort, offset, query.page_size)
    products = repository.by_ids(session, ids) if ids else []
    return ProductPage(
        items=[ProductSummary.from_product(p) for p in products],
        total=total,
        page=query.page,
        page_size=query.page_size,
        pages=math.ceil(total / query.page_size),
    )


def restock(session: Session, product_id: int, quantity: int) -> None:
    repository.add_stock(session, product_id, quantity)


def take_stock(session: Session, sku: str, quantity: int) -> Product:
    """Reserve stock for an order line, or raise OutOfStock / ProductNotFound."""
    product = repository.take_stock(session, sku, quantity)
    if product is not None:
        return product
    available = repository.stock_of(session, sku)
    if available is None:
        raise ProductNotFound(f"No product has the SKU {sku}; search the catalog to find the right one.")
    raise OutOfStock(
        f"Only {available} of {sku} left; lower the quantity." if available else f"{sku} is out of stock right now."
    )
