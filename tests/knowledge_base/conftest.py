"""Knowledge-base tests reuse the commerce harness (Alembic-built database, SQLite or TEST_DATABASE_URL,
every test rolled back). The demo FAQ is seeded once per session and committed, so each test starts from it."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge_base import clusters, index
from knowledge_base.config import get_kb_settings
from knowledge_base.seed import seed
from tests.commerce.conftest import client, database_url, db, engine  # noqa: F401 - fixtures

ADMIN_PASSWORD = "juniper-admin-dev"


@pytest.fixture(scope="session")
def seeded(engine: Engine) -> Iterator[None]:  # noqa: F811
    with Session(engine) as session:
        seed(session)
    yield


@pytest.fixture(autouse=True)
def fresh_caches(seeded: None) -> Iterator[None]:
    """Each test builds its own in-memory index and cluster cache, as a freshly started worker would."""
    index.reset()
    clusters.reset()
    yield
    index.reset()
    clusters.reset()


@pytest.fixture
def kb_settings(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The live settings object; monkeypatch.setattr(kb_settings, NAME, value) changes one for a test."""
    return get_kb_settings()


def login(client: TestClient, email: str = "admin@juniperlane.example", password: str = ADMIN_PASSWORD) -> str:  # noqa: F811
    """Log in through the JSON API; returns the CSRF token (the cookie stays in the client)."""
    response = client.post("/v1/kb/admin/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]


def page_login(client: TestClient, email: str = "admin@juniperlane.example", password: str = ADMIN_PASSWORD) -> str:  # noqa: F811
    """Log in through the HTML form; returns the session's CSRF token as the pages embed it."""
    form = client.get("/admin/kb/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    response = client.post("/admin/kb/login", data={"email": email, "password": password, "csrf_token": token,
                                                    "next": "/admin/kb"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    listing = client.get("/admin/kb")
    return re.search(r'name="csrf_token" value="([^"]+)"', listing.text).group(1)  # type: ignore[union-attr]
