"""Alembic environment: the URL comes from Settings, or a connection handed in by the caller (tests)."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from commerce import models
import knowledge_base.models  # noqa: F401  (its tables share the metadata)
from commerce.db import build_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = models.Base.metadata

# The database full-text structures of revisions 5c1e3f2a9b7d..b7e4c2d9a1f0 were never modelled.
_UNMODELLED_TABLE_PREFIX = "products_fts"
_UNMODELLED_COLUMNS = {("products", "search_vector")}
_UNMODELLED_INDEXES = {"ix_products_search_vector", "ix_products_search_filters"}


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    if type_ == "table" and name and name.startswith(_UNMODELLED_TABLE_PREFIX):
        return False
    if type_ == "column" and (obj.table.name, name) in _UNMODELLED_COLUMNS:
        return False
    if type_ == "index" and name in _UNMODELLED_INDEXES:
        return False
    return True


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    from commerce.config import get_settings

    context.configure(
        url=get_settings().DATABASE_URL,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    from commerce.config import get_settings

    engine = build_engine(get_settings().DATABASE_URL)
    with engine.connect() as connection:
        _configure(connection)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
