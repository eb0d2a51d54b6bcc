"""products.updated_at; the database full-text structures give way to the in-memory search index

Product search moved into commerce/catalog/search_index.py, which reads the products changed since its last
look through the new indexed `updated_at` column. The FTS5 table and its triggers (SQLite) and the tsvector
column with its GIN index (PostgreSQL) are no longer read, so they stop costing every product write.

Revision ID: b7e4c2d9a1f0
Revises: 32455fedeb47
Create Date: 2026-12-02 18:30:00+00:00
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

import commerce.db

revision: str = "b7e4c2d9a1f0"
down_revision: str | None = "32455fedeb47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_DROP = (
    "DROP INDEX IF EXISTS ix_products_search_filters",
    "DROP TRIGGER IF EXISTS products_fts_update",
    "DROP TRIGGER IF EXISTS products_fts_delete",
    "DROP TRIGGER IF EXISTS products_fts_insert",
    "DROP TABLE IF EXISTS products_fts",
)
POSTGRES_DROP = (
    "DROP INDEX IF EXISTS ix_products_search_vector",
    "ALTER TABLE products DROP COLUMN IF EXISTS search_vector",
)


def upgrade() -> None:
    # A constant default lets SQLite add a NOT NULL column; every row then takes its creation time.
    op.add_column(
        "products",
        sa.Column("updated_at", commerce.db.UTCDateTime(), nullable=False, server_default="1970-01-01 00:00:00"),
    )
    op.execute("UPDATE products SET updated_at = created_at")
    op.create_index("ix_products_updated_at", "products", ["updated_at"])
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DROP if dialect == "sqlite" else POSTGRES_DROP:
        op.execute(statement)
    if dialect == "postgresql":
        op.alter_column("products", "updated_at", server_default=None)


def _earlier(name: str) -> ModuleType:
    path = next(Path(__file__).parent.glob(f"*{name}.py"))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade() -> None:
    """Rebuilds the full-text structures exactly as the two search migrations left them."""
    search_index = _earlier("5c1e3f2a9b7d_product_search_index")
    covering = _earlier("9d4b7e21c0a3_search_covering_indexes")
    if op.get_bind().dialect.name == "sqlite":
        search_index._run(search_index.SQLITE_UP)
        search_index._run(covering.SQLITE_ACTIVE_ONLY_TRIGGERS)
    else:
        search_index._run(search_index.POSTGRES_UP)
    op.drop_index("ix_products_updated_at", table_name="products")
    op.drop_column("products", "updated_at")
