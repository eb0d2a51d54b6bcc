from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES
from commerce.experiments import repository, service
from commerce.experiments.models import Status
from commerce.experiments.report import ALPHA, Report
from commerce.experiments.schemas import (
    ArmPublic, Assignment, ComparisonPublic, ExperimentIn, ExperimentPublic, ExperimentUpdate, ExposureIn, OutcomeIn,
    OutcomeRecorded, ReportPublic, Unit,
)
from knowledge_base.auth import AdminDep
from knowledge_base.exceptions import AUTH_RESPONSES

router = APIRouter(prefix="/v1/experiments", tags=["experiments"], responses=ERROR_RESPONSES)
admin = APIRouter(prefix="/v1/admin/experiments", tags=["experiments admin"],
                  responses={**ERROR_RESPONSES, **AUTH_RESPONSES})
KeyPath = Annotated[str, Path(min_length=2, max_length=60, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


@router.get("/{key}/assignment", response_model=Assignment,
            summary="The variant a unit (customer:<id>, visit:<session key>, a conversation id) is in; logs nothing")
def get_assignment(key: KeyPath, unit: Annotated[Unit, Query()], session: SessionDep) -> Assignment:
    return service.assign(session, key, unit)


@router.post("/{key}/exposures", response_model=Assignment,
             summary="The unit was shown its variant (the bot after using it); returns the assignment")
def post_exposure(key: KeyPath, body: ExposureIn, session: SessionDep) -> Assignment:
    result = service.log_exposure(session, service.get(session, key), body.unit)
    session.commit()
    return result


@router.post("/{key}/outcomes", response_model=OutcomeRecorded,
             summary="The unit converted (clicked, redeemed, rated helpful); counted once, for its exposed variant")
def post_outcome(key: KeyPath, body: OutcomeIn, session: SessionDep) -> OutcomeRecorded:
    result = service.log_outcome(session, service.get(session, key), body.unit, body.metric)
    session.commit()
    return result


@admin.get("", response_model=list[ExperimentPublic], summary="All experiments, newest first (admin)")
def list_experiments(_: AdminDep, session: SessionDep) -> list[ExperimentPublic]:
    return [ExperimentPublic.model_validate(e) for e in repository.all_experiments(session)]


@admin.post("", response_model=ExperimentPublic, status_code=status.HTTP_201_CREATED,
            summary="Create an experiment in draft (admin)")
def create_experiment(body: ExperimentIn, _: AdminDep, session: SessionDep) -> ExperimentPublic:
    return ExperimentPublic.model_validate(service.create(session, body))


@admin.get("/{key}", response_model=ExperimentPublic, summary="One experiment (admin)")
def get_experiment(key: KeyPath, _: AdminDep, session: SessionDep) -> ExperimentPublic:
    return ExperimentPublic.model_validate(service.get(session, key))


@admin.patch("/{key}", response_model=ExperimentPublic,
             summary="Start, stop or edit an experiment; the split is frozen once it runs (admin)")
def update_experiment(key: KeyPath, body: ExperimentUpdate, _: AdminDep, session: SessionDep) -> ExperimentPublic:
    return ExperimentPublic.model_validate(service.update(session, key, body))


@admin.get("/{key}/report", response_model=ReportPublic,
           summary="Units, conversions, lift with confidence intervals, p-value, sample size, verdict (admin)")
def get_report(
    key: KeyPath, _: AdminDep, session: SessionDep,
    mde: Annotated[float, Query(gt=0, le=10, description="minimum detectable relative lift, 0.1 = +10%")] = 0.1,
    alpha: Annotated[float, Query(ge=0.001, le=0.2)] = ALPHA,
    metric: Annotated[str | None, Query(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")] = None,
) -> ReportPublic:
    experiment, used_metric, result = service.build_report(session, key, mde, alpha, metric)
    return public_report(experiment.key, experiment.status, used_metric, result)


def public_report(key: str, status_: Status, metric: str, result: Report) -> ReportPublic:
    return ReportPublic(
        experiment=key, status=status_, metric=metric,
        arms=[ArmPublic(variant=a.variant, weight=a.weight, units=a.units, conversions=a.conversions, rate=a.rate)
              for a in result.arms],
        comparisons=[ComparisonPublic(**c.__dict__) for c in result.comparisons],
        horizon_per_arm=result.horizon_per_arm, horizon_reached=result.horizon_reached,
        srm_p_value=result.srm_p_value, mde=result.mde, required_per_arm=result.required_per_arm,
        alpha=result.alpha, winner=result.winner, notes=result.notes,
    )

