"""The consumers' view of the running experiment (commerce/experiments/live.py): read at most once per TTL, a
change through the service seen at once, another worker's change within the TTL."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update
from sqlalchemy.orm import Session

from commerce.experiments import live, service
from commerce.experiments.models import Experiment, Status, Subject
from commerce.experiments.schemas import ExperimentUpdate


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_change_through_the_service_is_seen_at_once_and_another_workers_within_the_ttl(
    db: Session, make_experiment: Callable[..., Experiment]
) -> None:
    clock = Clock()
    assert live.running(db, Subject.RECOMMENDATION_MODEL, clock) is None
    experiment = make_experiment()  # service.update invalidates this worker's cache
    seen = live.running(db, Subject.RECOMMENDATION_MODEL, clock)
    assert seen is not None and (seen.id, seen.key, seen.status) == (experiment.id, experiment.key, Status.RUNNING)
    assert service.assignment_of(seen, "customer:1") == service.assign(db, experiment.key, "customer:1")

    # Another worker stops it (a direct write: nothing invalidates this worker's cache).
    db.execute(update(Experiment).where(Experiment.id == experiment.id).values(status=Status.STOPPED))
    clock.now += live.TTL_SECONDS / 2
    assert live.running(db, Subject.RECOMMENDATION_MODEL, clock) == seen  # still within the TTL
    clock.now += live.TTL_SECONDS
    assert live.running(db, Subject.RECOMMENDATION_MODEL, clock) is None


def test_stopping_through_the_service_is_seen_at_once(db: Session, make_experiment: Callable[..., Experiment]) -> None:
    clock = Clock()
    experiment = make_experiment(subject="kb_retrieval", metric="helpful",
                                 variants=[{"name": "a", "weight": 50, "config": {}},
                                           {"name": "b", "weight": 50, "config": {"semantic_weight": 0.0}}])
    assert live.running(db, Subject.KB_RETRIEVAL, clock).key == experiment.key
    assert live.running(db, Subject.OFFER_POLICY, clock) is None  # one entry per subject
    service.update(db, experiment.key, ExperimentUpdate(status=Status.STOPPED))
    assert live.running(db, Subject.KB_RETRIEVAL, clock) is None


def test_the_snapshot_is_detached_and_logs_like_the_row(db: Session, make_experiment: Callable[..., Experiment]
                                                        ) -> None:
    experiment = make_experiment()
    snapshot = live.running(db, Subject.RECOMMENDATION_MODEL)
    db.expunge_all()  # the request that read it is gone
    assignment = service.log_exposure(db, snapshot, "visit:detached")
    assert service.log_outcome(db, snapshot, "visit:detached").variant == assignment.variant
    counts = {a.variant: (a.units, a.conversions) for a in service.build_report(db, experiment.key, 0.1, 0.05)[2].arms}
    assert counts[assignment.variant] == (1, 1)
