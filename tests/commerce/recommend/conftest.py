"""Recommendation fixtures: a client whose model holder reads a temporary artefact folder (empty until a test
trains into it), and the small two-department shop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.recommend.store import ArtefactStore, ModelHolder, get_holder
from tests.commerce.recommend import shop as shop_builder
from tests.commerce.recommend.shop import Shop


@pytest.fixture
def store(tmp_path: Path) -> ArtefactStore:
    return ArtefactStore(tmp_path / "recs")


@pytest.fixture
def holder(store: ArtefactStore) -> ModelHolder:
    # No waiting between looks for a new version: a test trains and asks straight away.
    return ModelHolder(store, check_every=0.0, fallback_ttl=0.0)


@pytest.fixture
def api(client: TestClient, holder: ModelHolder) -> Iterator[TestClient]:
    client.app.dependency_overrides[get_holder] = lambda: holder  # type: ignore[attr-defined]
    yield client


@pytest.fixture
def shop(db: Session) -> Shop:
    return shop_builder.build(db)
