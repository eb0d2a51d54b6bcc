"""Schemathesis drives every documented operation with generated input: no 500s, and every response matches
the OpenAPI document (status codes, content type, body schema). Runs against a small seeded shop inside the
rolled-back test transaction, with a small purchase-intent model so the scoring endpoints answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from commerce.db import get_db
from commerce.intent.model import IntentModel
from commerce.intent.store import ArtefactStore, ModelHolder, get_holder
from commerce.main import create_app
from commerce.seed import Sizes, seed
from tests.commerce.intent.conftest import tiny_config, tiny_model  # noqa: F401 - fixtures

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# Schemathesis collects its tests from a schema object at import time, so the app is built here and its
# database session is supplied per test by the fixture below.
_bound: dict[str, Session] = {}


def _request_session() -> Iterator[Session]:
    db = _bound["db"]
    try:
        yield db
    except Exception:
        db.rollback()
        raise


# A body over the size limit is refused with 413 before validation; that is a rejection too.
REJECTED = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
config = schemathesis.config.SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REJECTED}}}
)

app = create_app()
app.dependency_overrides[get_db] = _request_session
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


@pytest.fixture(scope="module", autouse=True)
def _intent_model(engine: Engine, tiny_model: IntentModel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # engine first: migrate before training; in the other order the FTS5 migration failed ("no such module")
    store = ArtefactStore(Path(tmp_path_factory.mktemp("intent")))
    store.save(tiny_model)
    holder = ModelHolder(store, check_every=3600.0)
    app.dependency_overrides[get_holder] = lambda: holder
    yield
    app.dependency_overrides.pop(get_holder, None)


@pytest.fixture(autouse=True)
def _seeded_shop(db: Session) -> Iterator[None]:
    seed(db, Sizes(products=60, customers=30, sessions=5))
    _bound["db"] = db
    yield
    _bound.clear()


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_no_server_errors_and_responses_match_the_spec(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
