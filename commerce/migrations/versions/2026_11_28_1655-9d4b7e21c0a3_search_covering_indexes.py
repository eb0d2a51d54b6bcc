"""search covering indexes

Keeps product search fast at 50,000 products: covering indexes for browsing and filtering, and on SQLite
an FTS index holding only active products (so a text query alone never touches the products table) plus a
covering index for joining matches to the filter columns.

Revision ID: 9d4b7e21c0a3
Revises: 5c1e3f2a9b7d
Create Date: 2026-11-28 16:55:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "9d4b7e21c0a3"
down_revision: str | None = "5c1e3f2a9b7d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_COLUMNS = "title, search_text, description"

SQLITE_ACTIVE_ONLY_TRIGGERS = (
    "DROP TRIGGER products_fts_insert",
    "DROP TRIGGER products_fts_delete",
    "DROP TRIGGER products_fts_update",
    f"""
    CREATE TRIGGER products_fts_insert AFTER INSERT ON products WHEN new.is_active BEGIN
        INSERT INTO products_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.title, new.search_text, new.description);
    END
    """,
    f"""
    CREATE TRIGGER products_fts_delete AFTER DELETE ON products WHEN old.is_active BEGIN
        INSERT INTO products_fts(products_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.search_text, old.description);
    END
    """,
    f"""
    CREATE TRIGGER products_fts_update AFTER UPDATE OF title, search_text, description, is_active ON products BEGIN
        INSERT INTO products_fts(products_fts, rowid, {FTS_COLUMNS})
        SELECT 'delete', old.id, old.title, old.search_text, old.description WHERE old.is_active;
        INSERT INTO products_fts(rowid, {FTS_COLUMNS})
        SELECT new.id, new.title, new.search_text, new.description WHERE new.is_active;
    END
    """,
    f"""
    INSERT INTO products_fts(products_fts, rowid, {FTS_COLUMNS})
    SELECT 'delete', id, title, search_text, description FROM products WHERE NOT is_active
    """,
    """
    CREATE INDEX ix_products_search_filters
    ON products (id, is_active, category_id, brand_id, price_cents, stock, created_at)
    """,
)

SQLITE_BACK_TO_ALL_PRODUCTS = (
    "DROP INDEX ix_products_search_filters",
    "DROP TRIGGER products_fts_insert",
    "DROP TRIGGER products_fts_delete",
    "DROP TRIGGER products_fts_update",
    f"""
    CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
        INSERT INTO products_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.title, new.search_text, new.description);
    END
    """,
    f"""
    CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
        INSERT INTO products_fts(products_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.search_text, old.description);
    END
    """,
    f"""
    CREATE TRIGGER products_fts_update AFTER UPDATE OF title, search_text, description ON products BEGIN
        INSERT INTO products_fts(products_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.search_text, old.description);
        INSERT INTO products_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.title, new.search_text, new.description);
    END
    """,
    "INSERT INTO products_fts(products_fts) VALUES ('rebuild')",
)


def upgrade() -> None:
    # The browse indexes lead with category_id and brand_id, so they also serve the foreign keys.
    op.drop_index("ix_products_category_price", table_name="products")
    op.drop_index("ix_products_category_id", table_name="products")
    op.drop_index("ix_products_brand_id", table_name="products")
    op.create_index(
        "ix_products_category_browse",
        "products",
        ["category_id", "is_active", "price_cents", "stock", "created_at", "brand_id"],
    )
    op.create_index(
        "ix_products_brand_browse",
        "products",
        ["brand_id", "is_active", "price_cents", "stock", "created_at", "category_id"],
    )
    op.create_index("ix_products_browse", "products", ["is_active", "created_at"])
    op.create_index("ix_products_title", "products", ["is_active", "title"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_ACTIVE_ONLY_TRIGGERS:
            op.execute(statement)
    op.execute("ANALYZE")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_BACK_TO_ALL_PRODUCTS:
            op.execute(statement)
    op.drop_index("ix_products_title", table_name="products")
    op.drop_index("ix_products_browse", table_name="products")
    op.drop_index("ix_products_brand_browse", table_name="products")
    op.drop_index("ix_products_category_browse", table_name="products")
    op.create_index("ix_products_brand_id", "products", ["brand_id"])
    op.create_index("ix_products_category_id", "products", ["category_id"])
    op.create_index("ix_products_category_price", "products", ["category_id", "price_cents"])
