"""Answering a shopper's question: hybrid retrieval, feedback re-ranking, calibrated confidence, abstention.

While a `kb_retrieval` experiment runs (commerce/experiments), the asking conversation is the unit: its variant's
config may set `semantic_weight` (the fusion weight of the ranking; 0 ranks by BM25 alone) and `feedback_weight`
(how far ratings move the ranking; 0 ignores them). Every question asked is the exposure (answered or not: a
variant that abstains more must not lose those conversations), a helpful rating the outcome (ratings.py). The
calibrated confidence is computed as always, from the chosen entry's scores and its lead under the variant's
ranking. Without a running experiment, or with neither key set, answering is exactly as before.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from commerce.experiments import service as experiments
from commerce.experiments.live import LiveExperiment
from commerce.experiments.models import Subject
from commerce.experiments.schemas import UNIT_PATTERN, Assignment, ExperimentArm
from knowledge_base import calibration, feedback, repository, text
from knowledge_base.clusters import cluster_cache
from knowledge_base.config import get_kb_settings
from knowledge_base.encoder import get_encoder, to_bytes
from knowledge_base.hybrid import Candidate
from knowledge_base.index import live_index
from knowledge_base.models import Answer, QueueReason, QueueStatus, UnansweredQuestion
from knowledge_base.schemas import AskRequest, AskResponse, Link, Suggestion

CANDIDATES = 10
SUGGESTIONS = 3
# Related entries are offered after an abstention only if they are at least this close in meaning.
SUGGEST_FROM_SIMILARITY = 0.4
_UNIT = re.compile(UNIT_PATTERN)


@lru_cache(maxsize=4096)
def _embed(question: str) -> np.ndarray:
    vector = get_encoder().encode_one(question)
    vector.setflags(write=False)
    return vector


def embed(question: str) -> np.ndarray:
    """Question vector; repeated questions (case and spacing aside) are encoded once per process."""
    return _embed(" ".join(question.lower().split()))


def rerank(session: Session, ranked: list[Candidate], query_vector: np.ndarray,
           feedback_weight: float | None = None) -> list[Candidate]:
    """Fused scores moved by each entry's helpfulness for this kind of question, best first."""
    if not ranked:
        return ranked
    cluster_id = cluster_cache().nearest(session, query_vector)
    votes = repository.votes(session, [c.key for c in ranked], cluster_id)
    return feedback.rerank(ranked, votes, feedback.FEEDBACK_WEIGHT if feedback_weight is None else feedback_weight)


def retrieve(session: Session, question: str, vector: np.ndarray,
             config: dict[str, Any] | None = None) -> list[Candidate]:
    """The best CANDIDATES entries, re-ranked by feedback; `config` is a kb_retrieval variant's (None: as ever)."""
    config = config or {}
    weight = config.get("semantic_weight")
    found = live_index().search(session, question, vector, CANDIDATES, None if weight is None else float(weight))
    feedback_weight = config.get("feedback_weight")
    return rerank(session, found, vector, None if feedback_weight is None else float(feedback_weight))


def experiment_unit(conversation_id: str) -> str:
    """The conversation as an experiment unit: as is when it is a valid unit (what the bot would send to the
    experiments API), else a digest of it (units are at most 80 of [A-Za-z0-9:_-])."""
    if _UNIT.match(conversation_id):
        return conversation_id
    return "conversation:" + hashlib.sha256(conversation_id.encode()).hexdigest()[:40]


def _arm(session: Session, conversation_id: str | None) -> tuple[LiveExperiment, Assignment] | None:
    if conversation_id is None:
        return None  # a question without a conversation cannot be followed to its rating
    experiment = experiments.live(session, Subject.KB_RETRIEVAL)
    if experiment is None:
        return None
    return experiment, experiments.assignment_of(experiment, experiment_unit(conversation_id))


def ask(session: Session, request: AskRequest) -> AskResponse:
    settings = get_kb_settings()
    vector = embed(request.question)
    arm = _arm(session, request.conversation_id)
    ranked = retrieve(session, request.question, vector, arm[1].config if arm is not None else None)
    if arm is not None:
        experiments.log_exposure(session, arm[0], arm[1].unit)  # committed with the answer or the queue entry
    served_under = ExperimentArm.of(arm[1]) if arm is not None else None
    confidence = round(calibration.load().confidence(ranked), 4)
    best = repository.get_entry(session, ranked[0].key) if ranked else None

    if best is None or confidence < settings.ABSTAIN_BELOW:
        _queue(session, request, vector, QueueReason.ABSTAINED, confidence, best.id if best else None)
        session.commit()
        close = [c.key for c in ranked if c.semantic >= SUGGEST_FROM_SIMILARITY][:SUGGESTIONS]
        related = {e.id: e for e in repository.entries_by_ids(session, close)}
        return AskResponse(
            answered=False, confidence=confidence,
            suggestions=[Suggestion(entry_id=related[key].id, question=related[key].question)
                         for key in close if key in related],
            experiment=served_under,
        )

    answer = Answer(id=uuid.uuid4().hex, entry_id=best.id, entry_version=best.version, question=request.question,
                    conversation_id=request.conversation_id, confidence=confidence,
                    query_vector=to_bytes(vector[None, :]))
    repository.add(session, answer)
    if confidence < settings.QUEUE_BELOW:
        _queue(session, request, vector, QueueReason.LOW_CONFIDENCE, confidence, best.id)
    session.commit()
    return AskResponse(
        answered=True, confidence=confidence, answer_id=answer.id, entry_id=best.id, question=best.question,
        answer_markdown=best.answer, answer_html=text.to_html(best.answer),
        links=[Link(**link) for link in best.links], experiment=served_under,
    )


def _queue(session: Session, request: AskRequest, vector: np.ndarray, reason: QueueReason, confidence: float,
           best_entry_id: int | None) -> None:
    session.add(UnansweredQuestion(
        question=request.question, conversation_id=request.conversation_id, reason=reason, confidence=confidence,
        best_entry_id=best_entry_id, query_vector=to_bytes(vector[None, :]), status=QueueStatus.OPEN,
    ))
