"""product search index

Full-text search over title, brand, category path, attribute values and description, built the way each
database does it best: an FTS5 table kept in step by triggers on SQLite, a weighted tsvector column with a
GIN index on PostgreSQL. commerce.catalog.search queries whichever one the dialect has.

Revision ID: 5c1e3f2a9b7d
Revises: 8fbf9dbd9068
Create Date: 2026-11-28 16:10:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "5c1e3f2a9b7d"
down_revision: str | None = "8fbf9dbd9068"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = (
    """
    CREATE VIRTUAL TABLE products_fts USING fts5(
        title, search_text, description,
        content='products', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
        INSERT INTO products_fts(rowid, title, search_text, description)
        VALUES (new.id, new.title, new.search_text, new.description);
    END
    """,
    """
    CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
        INSERT INTO products_fts(products_fts, rowid, title, search_text, description)
        VALUES ('delete', old.id, old.title, old.search_text, old.description);
    END
    """,
    """
    CREATE TRIGGER products_fts_update AFTER UPDATE OF title, search_text, description ON products BEGIN
        INSERT INTO products_fts(products_fts, rowid, title, search_text, description)
        VALUES ('delete', old.id, old.title, old.search_text, old.description);
        INSERT INTO products_fts(rowid, title, search_text, description)
        VALUES (new.id, new.title, new.search_text, new.description);
    END
    """,
    "INSERT INTO products_fts(products_fts) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS products_fts_update",
    "DROP TRIGGER IF EXISTS products_fts_delete",
    "DROP TRIGGER IF EXISTS products_fts_insert",
    "DROP TABLE IF EXISTS products_fts",
)

POSTGRES_UP = (
    """
    ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(search_text, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX ix_products_search_vector ON products USING gin (search_vector)",
)
POSTGRES_DOWN = (
    "DROP INDEX IF EXISTS ix_products_search_vector",
    "ALTER TABLE products DROP COLUMN IF EXISTS search_vector",
)


def _run(statements: tuple[str, ...]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRES_UP)
    else:
        raise NotImplementedError(f"product search supports SQLite and PostgreSQL, not {dialect}")
    # Browsing a category sorted by price is the most common filter.
    op.create_index("ix_products_category_price", "products", ["category_id", "price_cents"])


def downgrade() -> None:
    op.drop_index("ix_products_category_price", table_name="products")
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(POSTGRES_DOWN)
