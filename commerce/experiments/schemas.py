from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from commerce.experiments.models import Status, Subject

Key = Annotated[str, Field(min_length=2, max_length=60, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
VariantName = Annotated[str, Field(min_length=1, max_length=30, pattern=r"^[a-z0-9_-]+$")]
Metric = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")]
# "customer:42", "visit:<session key>", a conversation id: never an e-mail address or a name.
UNIT_PATTERN = r"^[A-Za-z0-9:_-]{1,80}$"
Unit = Annotated[str, Field(min_length=1, max_length=80, pattern=UNIT_PATTERN)]
Text = Annotated[str, Field(max_length=1000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")]
ConfigValue = Annotated[str, Field(max_length=100)] | bool | int | Annotated[float, Field(allow_inf_nan=False)]

# What each subject's consumer understands; other subjects take any small config.
RECOMMENDATION_MODELS = ("current", "popularity")
# offer_policy: config.uplift: "current" (the trained uplift model when there is one, else the prior: today's
# policy) or "prior" (always the prior 4p(1-p) shape), see commerce/promo/service.py.
OFFER_UPLIFTS = ("current", "prior")
# kb_retrieval: optional config.semantic_weight (the ranking's fusion weight, 0 = BM25 alone) and
# config.feedback_weight (how far ratings move the ranking, 0 = ignored), see knowledge_base/answering.py.
KB_WEIGHTS = {"semantic_weight": (0.0, 1.0), "feedback_weight": (0.0, 2.0)}


class VariantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: VariantName
    weight: Annotated[int, Field(ge=1, le=99, description="percent of units; the weights sum to 100")]
    config: Annotated[dict[Annotated[str, Field(max_length=40)], ConfigValue], Field(max_length=10)] = {}


Variants = Annotated[list[VariantIn], Field(min_length=2, max_length=5, description="the first is the control")]


def _check_variants(subject: Subject, variants: list[VariantIn]) -> None:
    if sum(v.weight for v in variants) != 100:
        raise ValueError("the variants' weights must sum to 100")
    if len({v.name for v in variants}) != len(variants):
        raise ValueError("variant names must be different")
    if subject == Subject.RECOMMENDATION_MODEL:
        for v in variants:
            if v.config.get("model") not in RECOMMENDATION_MODELS:
                raise ValueError(f"a recommendation_model variant needs config.model, one of {RECOMMENDATION_MODELS}")
    if subject == Subject.OFFER_POLICY:
        for v in variants:
            if v.config.get("uplift", "current") not in OFFER_UPLIFTS:
                raise ValueError(f"an offer_policy variant's config.uplift is one of {OFFER_UPLIFTS}")
    if subject == Subject.KB_RETRIEVAL:
        for v in variants:
            for name, (low, high) in KB_WEIGHTS.items():
                value = v.config.get(name)
                if value is not None and (isinstance(value, (bool, str)) or not low <= value <= high):
                    raise ValueError(f"a kb_retrieval variant's config.{name} is a number from {low} to {high}")


class ExperimentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: Key
    name: Annotated[str, Field(min_length=2, max_length=120, pattern=r"^[^\x00-\x1f]+$")]
    description: Text = ""
    subject: Subject
    metric: Metric = Field(description="the outcome the report counts, e.g. click or redemption")
    variants: Variants
    horizon_per_arm: Annotated[int, Field(ge=100, le=10_000_000, description="units per variant before a verdict")]
    salt: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")] | None = None

    @model_validator(mode="after")
    def _variants(self) -> ExperimentIn:
        _check_variants(self.subject, self.variants)
        return self


class ExperimentUpdate(BaseModel):
    """Name, description and status any time; the rest only in draft (see ExperimentLocked)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=2, max_length=120, pattern=r"^[^\x00-\x1f]+$")] | None = None
    description: Text | None = None
    status: Status | None = None
    metric: Metric | None = None
    variants: Variants | None = None
    horizon_per_arm: Annotated[int, Field(ge=100, le=10_000_000)] | None = None
    salt: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")] | None = None

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("leave the field out instead of sending null")
        return value


class VariantPublic(BaseModel):
    name: str
    weight: int
    config: dict[str, Any]


class ExperimentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: str
    name: str
    description: str
    subject: Subject
    metric: str
    variants: list[VariantPublic]
    salt: str
    status: Status
    horizon_per_arm: int
    started_at: datetime | None
    stopped_at: datetime | None
    created_at: datetime
    updated_at: datetime


class Assignment(BaseModel):
    experiment: str
    unit: str
    variant: str
    config: dict[str, Any]
    running: bool = Field(description="false: the experiment is not running and everyone gets the control")


class ExperimentArm(BaseModel):
    """The experiment and variant a response was served under (on recommendation lists and offer decisions)."""

    key: str
    variant: str

    @classmethod
    def of(cls, assignment: Assignment) -> ExperimentArm:
        return cls(key=assignment.experiment, variant=assignment.variant)


class ExposureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: Unit


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: Unit
    metric: Metric | None = Field(None, description="defaults to the experiment's metric")


class OutcomeRecorded(BaseModel):
    recorded: bool = Field(description="false when the unit was never exposed, or this outcome was already counted")
    variant: str | None


class ArmPublic(BaseModel):
    variant: str
    weight: int
    units: int
    conversions: int
    rate: float | None


class ComparisonPublic(BaseModel):
    variant: str = Field(description="compared with the control, the first variant")
    absolute_lift: float | None
    absolute_ci: tuple[float, float] | None = Field(description="95% (Newcombe) unless alpha says otherwise")
    relative_lift: float | None
    relative_ci: tuple[float, float] | None = Field(description="Katz log interval")
    p_value: float | None
    verdict: str


class ReportPublic(BaseModel):
    experiment: str
    status: Status
    metric: str
    arms: list[ArmPublic]
    comparisons: list[ComparisonPublic]
    horizon_per_arm: int
    horizon_reached: bool
    srm_p_value: float | None
    mde: float
    required_per_arm: int | None = Field(description="units per arm to detect `mde` (relative), power 0.8")
    alpha: float
    winner: str | None = Field(description="set once the horizon is reached: the best significant variant, or the control")
    notes: list[str]
