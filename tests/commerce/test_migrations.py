"""The migrations build exactly the tables the models describe (on SQLite, and on PostgreSQL in the PG run)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

import commerce.models  # noqa: F401 - registers every table on Base.metadata
from commerce.db import Base


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == [], "write a migration for: " + repr(differences)
