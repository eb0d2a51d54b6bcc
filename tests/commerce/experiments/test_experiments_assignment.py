from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.experiments import assignment, service
from commerce.experiments.models import Experiment, Exposure, Outcome, Status
from commerce.experiments.schemas import ExperimentUpdate


def test_the_bucket_depends_only_on_key_salt_and_unit() -> None:
    first = [assignment.bucket("recs", "s1", f"visit:{i}") for i in range(200)]
    assert first == [assignment.bucket("recs", "s1", f"visit:{i}") for i in range(200)]
    assert first != [assignment.bucket("recs", "s2", f"visit:{i}") for i in range(200)]
    assert first != [assignment.bucket("offers", "s1", f"visit:{i}") for i in range(200)]
    assert all(0 <= b < assignment.BUCKETS for b in first)


def test_variants_own_contiguous_shares_of_the_buckets() -> None:
    variants = [{"name": "a", "weight": 30}, {"name": "b", "weight": 50}, {"name": "c", "weight": 20}]
    names = [assignment.variant_for(variants, b)["name"] for b in (0, 2999, 3000, 7999, 8000, 9999)]
    assert names == ["a", "a", "b", "b", "c", "c"]


def test_units_are_split_as_configured(db: Session, make_experiment: Callable[..., Experiment]) -> None:
    experiment = make_experiment(variants=[{"name": "a", "weight": 20, "config": {"model": "current"}},
                                           {"name": "b", "weight": 80, "config": {"model": "popularity"}}])
    shares = Counter(service.assignment_of(experiment, f"customer:{i}").variant for i in range(20_000))
    # Binomial standard error at n = 20,000 is 0.28 points; 1.5 points is over five of them.
    assert abs(shares["a"] / 20_000 - 0.20) < 0.015 and shares["a"] + shares["b"] == 20_000


def test_the_same_unit_gets_the_same_variant_on_every_call(db: Session, make_experiment: Callable[..., Experiment]) -> None:
    experiment = make_experiment()
    first = {u: service.assign(db, experiment.key, u).variant for u in ("customer:1", "visit:abcdefgh", "conv-7")}
    db.expire_all()  # read again from the database, as another worker would
    assert first == {u: service.assign(db, experiment.key, u).variant for u in first}


def test_everyone_gets_the_control_unless_the_experiment_runs(db: Session, make_experiment: Callable[..., Experiment]) -> None:
    draft = make_experiment(running=False)
    assert {service.assign(db, draft.key, f"customer:{i}").variant for i in range(50)} == {"a"}
    assert not service.assign(db, draft.key, "customer:1").running
    service.log_exposure(db, draft, "customer:1")
    assert db.scalar(select(Exposure).where(Exposure.experiment_id == draft.id)) is None


def test_an_exposure_is_logged_once_and_outcomes_only_for_exposed_units(
    db: Session, make_experiment: Callable[..., Experiment]
) -> None:
    experiment = make_experiment()
    seen = service.log_exposure(db, experiment, "visit:seen-visit")
    service.log_exposure(db, experiment, "visit:seen-visit")
    assert service.log_outcome(db, experiment, "visit:never-shown").recorded is False
    recorded = service.log_outcome(db, experiment, "visit:seen-visit")
    assert recorded.recorded and recorded.variant == seen.variant
    assert service.log_outcome(db, experiment, "visit:seen-visit").recorded is False  # counted once
    db.commit()
    exposures = db.scalars(select(Exposure.variant).where(Exposure.experiment_id == experiment.id)).all()
    outcomes = db.scalars(select(Outcome.unit).where(Outcome.experiment_id == experiment.id)).all()
    assert exposures == [seen.variant] and outcomes == ["visit:seen-visit"]
    service.update(db, experiment.key, ExperimentUpdate(status=Status.STOPPED))
    assert service.log_outcome(db, experiment, "visit:seen-visit", metric="order").recorded is False


def test_a_stopped_experiment_can_be_reported_but_changes_no_one(db: Session, make_experiment: Callable[..., Experiment]) -> None:
    experiment = make_experiment()
    service.log_exposure(db, experiment, "customer:5")
    service.update(db, experiment.key, ExperimentUpdate(status=Status.STOPPED))
    _, metric, report = service.build_report(db, experiment.key, mde=0.1, alpha=0.05)
    assert metric == "click" and sum(a.units for a in report.arms) == 1
    assert service.assign(db, experiment.key, "customer:5").variant == "a"
