"""The running experiment of a subject, as the consumers on the hot path see it: read at most once every
TTL_SECONDS per database and subject, shared by every consumer (recommendations, offers, KB answers).

Without it every recommendation list, offer decision and KB answer would read the experiments table. With it, a
change made through the experiments API reaches the worker that made it at once (`create` and `update` call
`invalidate()`), and every other worker within TTL_SECONDS, still with no restart or redeploy.

What is cached is a detached, immutable snapshot of the few columns assignment and logging need (`LiveExperiment`),
never an ORM object of some request's session. Entries are kept per bind (the session's engine, or in the tests the
connection a test runs in), so two databases in one process never see each other's experiments.

The price of the TTL: for up to TTL_SECONDS after an admin stops an experiment, another worker may still assign
units and log exposures and outcomes for it (a few seconds at the end of a test that ran for weeks).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from commerce.experiments import repository
from commerce.experiments.models import Experiment, Status, Subject

TTL_SECONDS = 3.0


@dataclass(frozen=True)
class LiveExperiment:
    """What `service.assignment_of`, `log_exposure` and `log_outcome` read of an experiment."""

    id: int
    key: str
    subject: Subject
    salt: str
    metric: str
    variants: tuple[dict[str, Any], ...]
    status: Status

    @classmethod
    def of(cls, experiment: Experiment) -> LiveExperiment:
        variants = tuple({"name": v["name"], "weight": int(v["weight"]), "config": dict(v.get("config") or {})}
                         for v in experiment.variants)
        return cls(experiment.id, experiment.key, experiment.subject, experiment.salt, experiment.metric, variants,
                   experiment.status)


_lock = threading.Lock()
# bind -> subject -> (read at, snapshot or None); weak keys: a disposed engine or a closed test connection goes.
_entries: weakref.WeakKeyDictionary[Any, dict[Subject, tuple[float, LiveExperiment | None]]] = (
    weakref.WeakKeyDictionary())
_generation = 0


def running(session: Session, subject: Subject, clock: Callable[[], float] = time.monotonic) -> LiveExperiment | None:
    """The subject's running experiment, at most TTL_SECONDS old; None when none runs."""
    bind = session.get_bind()
    now = clock()
    with _lock:
        cached = _entries.get(bind, {}).get(subject)
        generation = _generation
    if cached is not None and now - cached[0] < TTL_SECONDS:
        return cached[1]
    experiment = repository.running(session, subject)
    snapshot = LiveExperiment.of(experiment) if experiment is not None else None
    with _lock:
        if generation == _generation:  # not invalidated while we were reading
            _entries.setdefault(bind, {})[subject] = (now, snapshot)
    return snapshot


def invalidate() -> None:
    """Forget every cached answer (this worker changed an experiment)."""
    global _generation
    with _lock:
        _entries.clear()
        _generation += 1
