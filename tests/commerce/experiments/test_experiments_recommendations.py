"""The one wired consumer: a running recommendation_model experiment decides between the trained model and the
popularity list, the list shown is the exposure and a click on it the outcome."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.experiments import service
from commerce.experiments.models import Experiment, Exposure, Outcome
from commerce.recommend import train
from commerce.recommend.store import ArtefactStore
from tests.commerce.recommend.shop import Shop, add_events


def _visit(key: str) -> dict[str, str]:
    return {"session_key": key, "visitor_type": "new", "traffic_source": "direct", "device": "mobile",
            "operating_system": "Android", "browser": "Chrome", "region": "NL-Utrecht",
            "started_at": (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()}


def _click(api: TestClient, key: str, sku: str) -> None:
    body = {"visit": _visit(key), "sku": sku, "position": 1,
            "occurred_at": (datetime.now(timezone.utc) - timedelta(seconds=5)).isoformat()}
    assert api.post("/v1/recommendations/clicks", json=body).status_code == 202


def _rows(db: Session, model: type[Exposure] | type[Outcome], experiment: Experiment) -> dict[str, str]:
    return dict(db.execute(select(model.unit, model.variant).where(model.experiment_id == experiment.id)).tuples().all())


def test_each_arm_serves_its_model_and_logs_the_exposure(
    api: TestClient, db: Session, shop: Shop, store: ArtefactStore, make_experiment: Callable[..., Experiment]
) -> None:
    train.run(db, store)
    experiment = make_experiment()
    arms: dict[str, int] = {}
    for customer in shop.shoppers["a"]:
        arms.setdefault(service.assign(db, experiment.key, f"customer:{customer.id}").variant, customer.id)
    assert set(arms) == {"a", "b"}

    bodies = {v: api.get(f"/v1/customers/{c}/recommendations", params={"k": 4}).json() for v, c in arms.items()}
    assert bodies["a"]["strategy"] == "personalised" and bodies["b"]["strategy"] == "popular"
    assert bodies["b"]["experiment"] == {"key": experiment.key, "variant": "b"}
    assert _rows(db, Exposure, experiment) == {f"customer:{c}": v for v, c in arms.items()}


def test_a_click_is_the_outcome_of_the_unit_that_saw_the_list(
    api: TestClient, db: Session, shop: Shop, make_experiment: Callable[..., Experiment]
) -> None:
    experiment = make_experiment()
    shown = api.get("/v1/recommendations", params={"k": 3, "session_key": "visit-shown-1"}).json()
    customer = shop.shoppers["b"][0]
    signed_in = add_events(db, [], customer_id=customer.id)  # a visit of the customer, as after signing in
    api.get(f"/v1/customers/{customer.id}/recommendations", params={"k": 3})

    _click(api, "visit-shown-1", shown["items"][0]["product"]["sku"])
    _click(api, signed_in, shown["items"][0]["product"]["sku"])
    _click(api, "visit-never-shown", shown["items"][0]["product"]["sku"])
    exposures = _rows(db, Exposure, experiment)
    assert _rows(db, Outcome, experiment) == {
        "visit:visit-shown-1": exposures["visit:visit-shown-1"],
        f"customer:{customer.id}": exposures[f"customer:{customer.id}"],
    }


def test_without_a_running_experiment_nothing_changes_and_nothing_is_logged(
    api: TestClient, db: Session, shop: Shop, store: ArtefactStore, make_experiment: Callable[..., Experiment]
) -> None:
    train.run(db, store)
    draft = make_experiment(running=False)
    customer = shop.shoppers["a"][0]
    body = api.get(f"/v1/customers/{customer.id}/recommendations", params={"k": 4}).json()
    assert body["strategy"] == "personalised" and body["experiment"] is None
    anonymous = api.get("/v1/recommendations", params={"k": 4}).json()
    assert anonymous["experiment"] is None
    assert db.scalar(select(Exposure.id)) is None and _rows(db, Exposure, draft) == {}
