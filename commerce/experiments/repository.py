from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from commerce.experiments.models import Experiment, Exposure, Outcome, Status, Subject


def by_key(session: Session, key: str) -> Experiment | None:
    return session.scalar(select(Experiment).where(Experiment.key == key))


def all_experiments(session: Session) -> list[Experiment]:
    return list(session.scalars(select(Experiment).order_by(Experiment.created_at.desc(), Experiment.id.desc())))


def running(session: Session, subject: Subject) -> Experiment | None:
    return session.scalar(select(Experiment).where(Experiment.subject == subject, Experiment.status == Status.RUNNING)
                          .order_by(Experiment.id).limit(1))


def _insert_new(session: Session, table: Any, values: dict[str, Any], columns: list[str]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING: True if the row is new. Two requests of one unit may race here."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=columns)
                 .returning(table.c.id))
    return session.execute(statement).scalar() is not None


def add_exposure(session: Session, experiment_id: int, unit: str, variant: str, at: datetime) -> bool:
    return _insert_new(session, Exposure.__table__,
                       {"experiment_id": experiment_id, "unit": unit, "variant": variant, "exposed_at": at},
                       ["experiment_id", "unit"])


def exposed_variant(session: Session, experiment_id: int, unit: str) -> str | None:
    return session.scalar(select(Exposure.variant).where(Exposure.experiment_id == experiment_id, Exposure.unit == unit))


def add_outcome(session: Session, experiment_id: int, unit: str, variant: str, metric: str, at: datetime) -> bool:
    return _insert_new(session, Outcome.__table__,
                       {"experiment_id": experiment_id, "unit": unit, "variant": variant, "metric": metric,
                        "occurred_at": at},
                       ["experiment_id", "unit", "metric"])


def counts(session: Session, experiment_id: int, metric: str) -> dict[str, tuple[int, int]]:
    """variant -> (exposed units, units with the outcome)."""
    units = session.execute(select(Exposure.variant, func.count()).where(Exposure.experiment_id == experiment_id)
                            .group_by(Exposure.variant))
    converted = dict(session.execute(
        select(Outcome.variant, func.count()).where(Outcome.experiment_id == experiment_id, Outcome.metric == metric)
        .group_by(Outcome.variant)).tuples().all())
    return {variant: (n, converted.get(variant, 0)) for variant, n in units.tuples().all()}
