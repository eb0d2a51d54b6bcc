"""Commerce test harness.

The schema is built once per session with Alembic (not create_all), on a temporary SQLite file or, when
TEST_DATABASE_URL is set, in a throw-away schema of that PostgreSQL database. Every test then runs inside a
transaction that is rolled back: code under test may commit, which only releases a SAVEPOINT.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from commerce.db import build_engine, get_db
from commerce.main import create_app

REPO_ROOT = Path(__file__).resolve().parents[2]


def migrate(engine: Engine) -> None:
    config = Config(str(REPO_ROOT / "commerce" / "alembic.ini"))
    config.attributes["configure_logger"] = False
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    """(url, engine kwargs) of an empty database for this test session."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'commerce-test.db'}", {}
        return
    if make_url(url).get_backend_name() != "postgresql":
        raise pytest.UsageError("TEST_DATABASE_URL must be a postgresql+psycopg:// URL")
    schema = f"commerce_test_{uuid.uuid4().hex[:10]}"
    admin = build_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: tuple[str, dict]) -> Iterator[Engine]:
    url, kwargs = database_url
    engine = build_engine(url, **kwargs)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(db: Session) -> Iterator[TestClient]:
    app = create_app()

    def request_session() -> Iterator[Session]:
        # As in production, where closing the request's session discards what it did not commit.
        try:
            yield db
        except Exception:
            db.rollback()
            raise

    app.dependency_overrides[get_db] = request_session
    with TestClient(app) as test_client:
        yield test_client
