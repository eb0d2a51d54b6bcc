"""Intent fixtures: small synthetic feature rows, one tiny model trained once per test session, and a test
client whose model holder reads a temporary artefact folder."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.db import get_db
from commerce.intent import training
from commerce.intent.features import Row
from commerce.intent.model import IntentModel
from commerce.intent.store import ArtefactStore, ModelHolder, get_holder
from commerce.intent.training import TrainingConfig
from commerce.main import create_app
from tests.commerce.intent.helpers import synthetic_rows


@pytest.fixture(scope="session")
def tiny_config() -> TrainingConfig:
    """Small and quick: the tests check behaviour, the benchmark checks accuracy."""
    return TrainingConfig(hidden=(8,), members=2, learning_rate=0.01, max_epochs=30, patience=6, batch_size=64,
                          min_category_count=3)


@pytest.fixture(scope="session")
def tiny_model(tiny_config: TrainingConfig) -> IntentModel:
    rows, labels = synthetic_rows(600)
    return training.fit(rows, labels, tiny_config)


@pytest.fixture
def store(tmp_path: Path) -> ArtefactStore:
    return ArtefactStore(tmp_path / "models")


@pytest.fixture
def holder(store: ArtefactStore) -> ModelHolder:
    return ModelHolder(store, check_every=0.0)


@pytest.fixture
def intent_client(db: Session, holder: ModelHolder) -> Iterator[TestClient]:
    app = create_app()

    def request_session() -> Iterator[Session]:
        try:
            yield db
        except Exception:
            db.rollback()
            raise

    app.dependency_overrides[get_db] = request_session
    app.dependency_overrides[get_holder] = lambda: holder
    with TestClient(app) as client:
        yield client


@pytest.fixture
def rows_factory() -> Callable[..., tuple[list[Row], np.ndarray]]:
    return synthetic_rows
