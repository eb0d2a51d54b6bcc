"""Experiment fixtures: staff accounts (the knowledge base's, as for every admin API), an experiment factory,
and the recommendation tests' small shop with a model holder on a temporary folder."""
from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.experiments import service
from commerce.experiments.models import Experiment, Status
from commerce.experiments.schemas import ExperimentIn, ExperimentUpdate
from commerce.recommend.store import ArtefactStore, ModelHolder, get_holder
from knowledge_base import auth
from knowledge_base.audit import SYSTEM
from knowledge_base.models import Role
from tests.commerce.recommend import shop as shop_builder
from tests.commerce.recommend.shop import Shop

PASSWORD = "experiments-staff-password"


def login(client: TestClient, db: Session, role: Role = Role.ADMIN) -> str:
    """Log a staff member in on the client; returns the CSRF token changes must echo."""
    email = f"{role.value}.{random.randrange(10**9)}@example.com"
    auth.create_user(db, SYSTEM, email, PASSWORD, role)
    db.commit()
    response = client.post("/v1/kb/admin/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]


def experiment_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "key": f"recs-{random.randrange(10**9)}", "name": "Model against popularity",
        "subject": "recommendation_model", "metric": "click", "horizon_per_arm": 1000,
        "variants": [{"name": "a", "weight": 50, "config": {"model": "current"}},
                     {"name": "b", "weight": 50, "config": {"model": "popularity"}}],
        **overrides,
    }


@pytest.fixture
def make_experiment(db: Session) -> Callable[..., Experiment]:
    def make(running: bool = True, **overrides: Any) -> Experiment:
        experiment = service.create(db, ExperimentIn.model_validate(experiment_fields(**overrides)))
        if running:
            service.update(db, experiment.key, ExperimentUpdate(status=Status.RUNNING))
        return experiment
    return make


@pytest.fixture
def store(tmp_path: Path) -> ArtefactStore:
    return ArtefactStore(tmp_path / "recs")


@pytest.fixture
def api(client: TestClient, store: ArtefactStore) -> Iterator[TestClient]:
    holder = ModelHolder(store, check_every=0.0, fallback_ttl=0.0)
    client.app.dependency_overrides[get_holder] = lambda: holder  # type: ignore[attr-defined]
    yield client


@pytest.fixture
def shop(db: Session) -> Shop:
    return shop_builder.build(db)
