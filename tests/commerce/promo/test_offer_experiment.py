"""Offer policy A/B tests (issue 11): the customer an offer decision is made for is assigned a variant of the
running offer_policy experiment; variant A is today's policy (the trained uplift model), variant B the prior
uplift; the decision is the exposure, a redeemed code (and an order, through the checkout hook) the outcome."""
from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commerce.customers.models import Customer
from commerce.experiments import service as experiments
from commerce.experiments.assignment import customer_unit
from commerce.experiments.models import Exposure, Status
from commerce.experiments.schemas import ExperimentIn, ExperimentUpdate
from commerce.intent.store import ArtefactStore, ModelHolder
from commerce.promo import service
from commerce.promo.models import Decision
from tests.commerce import factories
from tests.commerce.promo.test_offers import checkout

HOLDER = ModelHolder(ArtefactStore(Path("/nonexistent")))  # unused: the tests set the probability
BASKET = 10_000  # 5 EUR off 100 EUR: worth it under the prior uplift of an undecided shopper (0.077)


class NobodyIsPersuadable:
    """A trained uplift model that finds no shopper an offer would move."""

    def predict_uplift(self, X: np.ndarray) -> np.ndarray:
        return np.zeros(np.atleast_2d(X).shape[0])


@pytest.fixture
def learned_model(uplift_models: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uplift_models, "current", lambda clock=None: NobodyIsPersuadable())


@pytest.fixture
def offer_experiment(db: Session) -> Callable[..., Any]:
    def make(running: bool = True, **overrides: Any) -> Any:
        fields = {"key": f"offers-{random.randrange(10**9)}", "name": "Learned uplift against the prior",
                  "subject": "offer_policy", "metric": "redemption", "horizon_per_arm": 1000,
                  "variants": [{"name": "a", "weight": 50, "config": {"uplift": "current"}},
                               {"name": "b", "weight": 50, "config": {"uplift": "prior"}}], **overrides}
        experiment = experiments.create(db, ExperimentIn.model_validate(fields))
        if running:
            experiments.update(db, experiment.key, ExperimentUpdate(status=Status.RUNNING))
        return experiment
    return make


def five_euros_off(make_campaign: Callable[..., Any]) -> None:
    """The one campaign of these tests, with budget to spare."""
    make_campaign(kind="fixed", value=500, max_discount_cents=None, total_budget_cents=1_000_000,
                  daily_budget_cents=500_000)


def decide(db: Session, customer_id: int) -> service.OfferDecision:
    return service.decide(db, HOLDER, customer_id, service.Context(basket_cents=BASKET), rng=random.Random(7))


def customers_by_variant(db: Session, key: str, n: int = 20) -> dict[str, list[int]]:
    by_variant: dict[str, list[int]] = {}
    for _ in range(n):
        customer = factories.customer(db)
        variant = experiments.assign(db, key, customer_unit(customer.id)).variant
        by_variant.setdefault(variant, []).append(customer.id)
    assert set(by_variant) == {"a", "b"}, by_variant
    return by_variant


def report(db: Session, key: str, metric: str | None = None) -> dict[str, tuple[int, int]]:
    return {a.variant: (a.units, a.conversions) for a in experiments.build_report(db, key, 0.1, 0.05, metric)[2].arms}


def test_without_an_experiment_offers_are_decided_as_before(client: TestClient, db: Session, make_campaign,
                                                           buying_probability, no_exploration, learned_model,
                                                           offer_experiment) -> None:
    five_euros_off(make_campaign)
    buying_probability(0.4)
    offer_experiment(running=False)  # a draft changes nothing
    shopper = factories.customer(db)
    decision = decide(db, shopper.id)
    assert decision.offer is None and "adds too little" in decision.reason and decision.experiment is None
    body = client.get(f"/v1/customers/{factories.customer(db).id}/offers?basket_cents={BASKET}").json()
    assert set(body) == {"offer", "reason", "intent_probability", "uplift", "explored"}  # no experiment key
    logged = db.scalar(select(Decision).where(Decision.customer_id == shopper.id))
    assert logged.context["uplift_from"] == "learned" and "experiment" not in logged.context
    assert db.scalar(select(func.count()).select_from(Exposure)) == 0


def test_each_variant_decides_by_its_own_policy_and_every_decision_is_an_exposure(
    client: TestClient, db: Session, make_campaign, buying_probability, no_exploration, learned_model,
    offer_experiment,
) -> None:
    five_euros_off(make_campaign)
    buying_probability(0.4)
    experiment = offer_experiment()
    groups = customers_by_variant(db, experiment.key)
    for customer_id in groups["a"]:  # today's policy: the learned model sees no one worth an offer
        decision = decide(db, customer_id)
        assert decision.offer is None and "adds too little" in decision.reason
        assert (decision.experiment.key, decision.experiment.variant) == (experiment.key, "a")
    for customer_id in groups["b"]:  # the prior: an undecided shopper is worth 5 EUR off
        decision = decide(db, customer_id)
        assert decision.offer is not None and decision.experiment.variant == "b"
        assert decision.uplift == pytest.approx(0.0768)
    sources = {d.context["experiment"]["variant"]: d.context["uplift_from"]
               for d in db.scalars(select(Decision).where(Decision.context.is_not(None)))
               if "experiment" in (d.context or {})}
    assert sources == {"a": "learned", "b": "prior"}

    # The same customer stays in their variant, through the API too, and a second decision adds no unit.
    again = client.get(f"/v1/customers/{groups['a'][0]}/offers?basket_cents={BASKET}").json()
    assert again["experiment"] == {"key": experiment.key, "variant": "a"} and again["offer"] is None
    assert experiments.assign(db, experiment.key, customer_unit(groups["b"][0])).variant == "b"
    assert report(db, experiment.key) == {"a": (len(groups["a"]), 0), "b": (len(groups["b"]), 0)}


def test_a_shopper_without_an_intent_score_is_not_exposed(db: Session, make_campaign, no_exploration,
                                                         buying_probability, offer_experiment) -> None:
    five_euros_off(make_campaign)
    buying_probability(None)
    experiment = offer_experiment()
    decision = decide(db, factories.customer(db).id)
    assert decision.offer is None and decision.experiment is None
    assert report(db, experiment.key) == {"a": (0, 0), "b": (0, 0)}


def test_a_redeemed_code_and_an_order_are_the_outcomes_of_the_exposed_variant(
    client: TestClient, db: Session, make_campaign, buying_probability, no_exploration, learned_model,
    offer_experiment,
) -> None:
    five_euros_off(make_campaign)
    buying_probability(0.4)
    experiment = offer_experiment()
    groups = customers_by_variant(db, experiment.key)
    winner = db.get(Customer, groups["b"][0])
    code = decide(db, winner.id).offer.code
    decide(db, groups["a"][0])
    product = factories.product(db, price_cents=5000, stock=10)
    placed = checkout(client, winner.email, product.sku, code, quantity=2)
    assert placed.status_code == 201, placed.text
    assert report(db, experiment.key) == {"a": (1, 0), "b": (1, 1)}

    # The order outcome: the checkout reports every order placed, with a code or without.
    assert report(db, experiment.key, "order") == {"a": (1, 0), "b": (1, 1)}
    assert checkout(client, winner.email, product.sku, None, quantity=1).status_code == 201  # counted once
    never_exposed = db.get(Customer, groups["a"][1])
    assert checkout(client, never_exposed.email, product.sku, None, quantity=1).status_code == 201
    assert report(db, experiment.key, "order") == {"a": (1, 0), "b": (1, 1)}
    exposed_a = db.get(Customer, groups["a"][0])
    assert checkout(client, exposed_a.email, product.sku, None, quantity=1).status_code == 201
    assert report(db, experiment.key, "order") == {"a": (1, 1), "b": (1, 1)}


def test_stopping_the_experiment_through_the_api_restores_todays_policy_at_once(
    client: TestClient, db: Session, make_campaign, buying_probability, no_exploration, learned_model,
    offer_experiment,
) -> None:
    from tests.commerce.experiments.conftest import login

    five_euros_off(make_campaign)
    buying_probability(0.4)
    experiment = offer_experiment()
    groups = customers_by_variant(db, experiment.key)
    assert decide(db, groups["b"][0]).offer is not None
    headers = {"X-CSRF-Token": login(client, db)}
    stopped = client.patch(f"/v1/admin/experiments/{experiment.key}", json={"status": "stopped"}, headers=headers)
    assert stopped.status_code == 200, stopped.text
    after = decide(db, groups["b"][1])
    assert after.offer is None and after.experiment is None and "adds too little" in after.reason
    assert report(db, experiment.key) == {"a": (0, 0), "b": (1, 0)}


def test_offer_policy_variants_are_validated() -> None:
    fields = {"key": "offers-bad", "name": "Bad policy", "subject": "offer_policy", "metric": "redemption",
              "horizon_per_arm": 100, "variants": [{"name": "a", "weight": 50, "config": {"uplift": "current"}},
                                                   {"name": "b", "weight": 50, "config": {"uplift": "always"}}]}
    with pytest.raises(ValueError, match="uplift"):
        ExperimentIn.model_validate(fields)
