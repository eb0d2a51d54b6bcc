"""Purchase-intent scores of a visit, or of a customer's latest visit."""
from __future__ import annotations

from sqlalchemy import Row as SQLRow
from sqlalchemy.orm import Session

from commerce.intent import repository
from commerce.intent.exceptions import NoVisitForCustomer, VisitNotFound
from commerce.intent.features import session_row
from commerce.intent.model import IntentModel
from commerce.intent.schemas import FeatureEffect, IntentBatch, IntentScore
from commerce.intent.store import ModelHolder


def score_session(session: Session, holder: ModelHolder, session_key: str) -> IntentScore:
    model = holder.get()  # 503 before any database work when nothing is trained
    visit = repository.visit_by_key(session, session_key)
    if visit is None:
        raise VisitNotFound()
    return _score(session, model, visit)


def score_customer(session: Session, holder: ModelHolder, customer_id: int) -> IntentScore:
    model = holder.get()
    visit = repository.latest_visit_of_customer(session, customer_id)
    if visit is None:
        raise NoVisitForCustomer()
    return _score(session, model, visit)


def score_sessions(session: Session, holder: ModelHolder, session_keys: list[str]) -> IntentBatch:
    """Many visits in two queries: what a caller scoring a page of shoppers (the promo engine, a report) uses."""
    model = holder.get()
    wanted = list(dict.fromkeys(session_keys))  # asked twice, scored once
    visits = repository.visits_by_keys(session, wanted)
    events = repository.events_of_visits(session, [v.id for v in visits.values()])
    return IntentBatch(
        scores=[_scored(model, visits[k], events.get(visits[k].id, [])) for k in wanted if k in visits],
        unknown=[k for k in wanted if k not in visits],
    )


def _score(session: Session, model: IntentModel, visit: SQLRow) -> IntentScore:
    return _scored(model, visit, repository.events_of(session, visit.id))


def _scored(model: IntentModel, visit: SQLRow, events: list) -> IntentScore:
    row = session_row(repository.to_visit(visit), events)
    score = model.score(row)
    return IntentScore(
        session_key=visit.session_key,
        customer_id=visit.customer_id,
        probability=round(score.probability, 4),
        band=score.band,
        top_features=[FeatureEffect(feature=c.feature, value=c.value, effect=c.effect) for c in score.top_features],
        model_version=model.version or "unversioned",
    )
