"""Answering a shopper's question: hybrid retrieval, feedback re-ranking, calibrated confidence, abstention."""
from __future__ import annotations

import uuid
from functools import lru_cache

import numpy as np
from sqlalchemy.orm import Session

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


@lru_cache(maxsize=4096)
def _embed(question: str) -> np.ndarray:
    vector = get_encoder().encode_one(question)
    vector.setflags(write=False)
    return vector


def embed(question: str) -> np.ndarray:
    """Question vector; repeated questions (case and spacing aside) are encoded once per process."""
    return _embed(" ".join(question.lower().split()))


def rerank(session: Session, ranked: list[Candidate], query_vector: np.ndarray) -> list[Candidate]:
    """Fused scores moved by each entry's helpfulness for this kind of question, best first."""
    if not ranked:
        return ranked
    cluster_id = cluster_cache().nearest(session, query_vector)
    return feedback.rerank(ranked, repository.votes(session, [c.key for c in ranked], cluster_id))


def ask(session: Session, request: AskRequest) -> AskResponse:
    settings = get_kb_settings()
    vector = embed(request.question)
    ranked = rerank(session, live_index().search(session, request.question, vector, CANDIDATES), vector)
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
        links=[Link(**link) for link in best.links],
    )


def _queue(session: Session, request: AskRequest, vector: np.ndarray, reason: QueueReason, confidence: float,
           best_entry_id: int | None) -> None:
    session.add(UnansweredQuestion(
        question=request.question, conversation_id=request.conversation_id, reason=reason, confidence=confidence,
        best_entry_id=best_entry_id, query_vector=to_bytes(vector[None, :]), status=QueueStatus.OPEN,
    ))
