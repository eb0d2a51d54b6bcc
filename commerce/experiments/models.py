from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commerce.db import Base, JSONDocument, UTCDateTime, enum_column, utcnow


class Subject(str, enum.Enum):
    """What an experiment varies; the consumer of that subject reads the variant's config."""

    RECOMMENDATION_MODEL = "recommendation_model"
    OFFER_POLICY = "offer_policy"
    KB_RETRIEVAL = "kb_retrieval"


class Status(str, enum.Enum):
    DRAFT = "draft"
    RUNNING = "running"
    STOPPED = "stopped"


class Experiment(Base):
    """An A/B test. Variants are [{"name", "weight", "config"}], weights in percent summing to 100, the first
    variant being the control. While running, everything that decides who sees what is frozen."""

    __tablename__ = "experiments"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(1000), default="")
    subject: Mapped[Subject] = mapped_column(enum_column(Subject, "experiment_subject"), index=True)
    metric: Mapped[str] = mapped_column(String(40))  # the outcome the report is about, e.g. "click"
    variants: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    salt: Mapped[str] = mapped_column(String(32))
    status: Mapped[Status] = mapped_column(enum_column(Status, "experiment_status"), default=Status.DRAFT)
    horizon_per_arm: Mapped[int] = mapped_column(Integer)  # planned units per variant before any verdict
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Exposure(Base):
    """The first time a unit (a customer or a visit) was shown its variant: one row per unit and experiment."""

    __tablename__ = "experiment_exposures"
    __table_args__ = (UniqueConstraint("experiment_id", "unit", name="uq_experiment_exposures_unit"),
                      Index("ix_experiment_exposures_variant", "experiment_id", "variant"))

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiments.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(String(80))
    variant: Mapped[str] = mapped_column(String(30))
    exposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Outcome(Base):
    """The first time an exposed unit did `metric` (clicked, redeemed, rated helpful): the report's conversions
    are units, so repeats add nothing and are not stored."""

    __tablename__ = "experiment_outcomes"
    __table_args__ = (UniqueConstraint("experiment_id", "unit", "metric", name="uq_experiment_outcomes_unit"),
                      Index("ix_experiment_outcomes_variant", "experiment_id", "metric", "variant"))

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiments.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(String(80))
    variant: Mapped[str] = mapped_column(String(30))
    metric: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
