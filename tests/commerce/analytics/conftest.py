"""Analytics fixtures: a tracker store file per test, the backend pointed at it, and staff log-ins."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.config import get_settings
from knowledge_base.models import Role
from tests.commerce.experiments.conftest import login as staff_login
from tests.commerce.experiments.conftest import make_experiment  # noqa: F401 (a fixture)


@pytest.fixture
def tracker_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "tracker.db"
    monkeypatch.setattr(get_settings(), "TRACKER_STORE_URL", f"sqlite:///{path}")
    return path


@pytest.fixture
def login(client: TestClient, db: Session) -> Callable[..., str]:
    return lambda role=Role.ADMIN: staff_login(client, db, role)
