"""Schemathesis drives every documented operation with generated input: no 500s, and every response matches
the OpenAPI document (status codes, content type, body schema). Runs against a small seeded shop inside the
rolled-back test transaction."""

from __future__ import annotations

from collections.abc import Iterator

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
from sqlalchemy.orm import Session

from commerce.db import get_db
from commerce.main import create_app
from commerce.seed import Sizes, seed

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


app = create_app()
app.dependency_overrides[get_db] = _request_session
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


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
