"""Experiments: the admin's changes, the assignment every consumer asks for, and the exposure and outcome logs.

The admin's and the bot's calls read the database on each call (one indexed row by key). The backend's own
consumers ask `live(session, subject)`, a snapshot at most live.TTL_SECONDS old (see live.py): a change reaches the
worker that made it at once and every other worker within seconds, without a redeploy.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commerce.db import utcnow
from commerce.errors import Invalid
from commerce.experiments import assignment, live as live_cache, report, repository
from commerce.experiments.exceptions import BadTransition, ExperimentLocked, ExperimentNotFound, KeyTaken, SubjectBusy
from commerce.experiments.live import LiveExperiment
from commerce.experiments.models import Experiment, Status, Subject
from commerce.experiments.schemas import Assignment, ExperimentIn, ExperimentUpdate, OutcomeRecorded

FROZEN_WHILE_LIVE = ("metric", "variants", "horizon_per_arm", "salt")
_TRANSITIONS = {(Status.DRAFT, Status.RUNNING), (Status.RUNNING, Status.STOPPED)}


def get(session: Session, key: str) -> Experiment:
    experiment = repository.by_key(session, key)
    if experiment is None:
        raise ExperimentNotFound()
    return experiment


def create(session: Session, body: ExperimentIn) -> Experiment:
    values = body.model_dump()
    values["salt"] = body.salt or secrets.token_hex(8)
    experiment = Experiment(**values, status=Status.DRAFT)
    try:
        with session.begin_nested():
            session.add(experiment)
    except IntegrityError:
        raise KeyTaken() from None
    session.commit()
    live_cache.invalidate()
    return experiment


def update(session: Session, key: str, body: ExperimentUpdate) -> Experiment:
    experiment = get(session, key)
    changes = body.model_dump(mode="json", exclude_unset=True)
    if experiment.status != Status.DRAFT and any(f in changes for f in FROZEN_WHILE_LIVE):
        raise ExperimentLocked()
    if "variants" in changes:
        try:
            ExperimentIn.model_validate({**_as_input(experiment), "variants": changes["variants"]})
        except ValidationError as exc:
            raise Invalid(f"variants: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
    status = Status(changes.pop("status", experiment.status.value))
    if status != experiment.status:
        if (experiment.status, status) not in _TRANSITIONS:
            raise BadTransition()
        if status == Status.RUNNING:
            busy = repository.running(session, experiment.subject)
            if busy is not None:
                raise SubjectBusy(f"Experiment {busy.key} is running on {experiment.subject.value}; stop it first.")
            experiment.started_at = utcnow()
        else:
            experiment.stopped_at = utcnow()
        experiment.status = status
    for name, value in changes.items():
        setattr(experiment, name, value)
    session.commit()
    live_cache.invalidate()
    return experiment


def _as_input(experiment: Experiment) -> dict[str, object]:
    return {"key": experiment.key, "name": experiment.name, "subject": experiment.subject, "metric": experiment.metric,
            "variants": experiment.variants, "horizon_per_arm": experiment.horizon_per_arm}


def assignment_of(experiment: Experiment | LiveExperiment, unit: str) -> Assignment:
    """The unit's variant; the control for everyone while the experiment is not running."""
    if experiment.status == Status.RUNNING:
        variant = assignment.variant_for(experiment.variants, assignment.bucket(experiment.key, experiment.salt, unit))
    else:
        variant = experiment.variants[0]
    return Assignment(experiment=experiment.key, unit=unit, variant=variant["name"], config=variant["config"],
                      running=experiment.status == Status.RUNNING)


def assign(session: Session, key: str, unit: str) -> Assignment:
    return assignment_of(get(session, key), unit)


def log_exposure(session: Session, experiment: Experiment | LiveExperiment, unit: str,
                 at: datetime | None = None) -> Assignment:
    """Record that the unit saw its variant (the first time counts); nothing is logged unless running. The
    caller commits."""
    result = assignment_of(experiment, unit)
    if result.running:
        repository.add_exposure(session, experiment.id, unit, result.variant, at or utcnow())
    return result


def log_outcome(session: Session, experiment: Experiment | LiveExperiment, unit: str, metric: str | None = None,
                at: datetime | None = None) -> OutcomeRecorded:
    """Count the unit's outcome for the variant it was exposed to (never the one it claims): an outcome without
    an exposure, or after the experiment stopped, is not part of the test. The caller commits."""
    if experiment.status != Status.RUNNING:
        return OutcomeRecorded(recorded=False, variant=None)
    variant = repository.exposed_variant(session, experiment.id, unit)
    if variant is None:
        return OutcomeRecorded(recorded=False, variant=None)
    new = repository.add_outcome(session, experiment.id, unit, variant, metric or experiment.metric, at or utcnow())
    return OutcomeRecorded(recorded=new, variant=variant)


def running(session: Session, subject: Subject) -> Experiment | None:
    """The subject's running experiment, read now (admin paths; consumers use `live`)."""
    return repository.running(session, subject)


def live(session: Session, subject: Subject) -> LiveExperiment | None:
    """The subject's running experiment as the consumers see it: a snapshot at most live.TTL_SECONDS old, shared
    by the recommendation, offer and knowledge-base consumers."""
    return live_cache.running(session, subject)


def build_report(session: Session, key: str, mde: float, alpha: float, metric: str | None = None
                 ) -> tuple[Experiment, str, report.Report]:
    experiment = get(session, key)
    metric = metric or experiment.metric
    counts = repository.counts(session, experiment.id, metric)
    arms = [report.Arm(v["name"], int(v["weight"]), *counts.get(v["name"], (0, 0))) for v in experiment.variants]
    return experiment, metric, report.build(arms, experiment.horizon_per_arm, mde, alpha)
