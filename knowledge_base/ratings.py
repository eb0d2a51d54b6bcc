"""Recording shoppers' ratings of answers, with the bounds that keep ballot stuffing small:
one vote per conversation per entry (a second vote replaces the first), and rate limits per conversation
and per client address (the action server's own address is trusted: it rates on behalf of many shoppers).

While a kb_retrieval experiment runs, a rating is an outcome of the conversation's exposure (answering.py):
`rated` for any rating, `helpful` for a helpful one (each counted once per conversation; a later change of mind
does not take a conversion back)."""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commerce.config import get_settings
from commerce.db import utcnow
from commerce.experiments import service as experiments
from commerce.experiments.models import Subject
from knowledge_base import repository
from knowledge_base.answering import experiment_unit
from knowledge_base.clusters import cluster_cache
from knowledge_base.config import get_kb_settings
from knowledge_base.encoder import from_bytes
from knowledge_base.exceptions import AnswerNotFound, RateLimited
from knowledge_base.models import Rating
from knowledge_base.schemas import RatingRequest, RatingResponse


def client_hash(address: str) -> str:
    """Client addresses are kept only as a keyed hash: enough to count, not to identify."""
    return hmac.new(get_settings().SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def rate(session: Session, request: RatingRequest, client_address: str) -> RatingResponse:
    settings = get_kb_settings()
    answer = repository.get_answer(session, request.answer_id)
    if answer is None or (answer.conversation_id is not None and answer.conversation_id != request.conversation_id):
        raise AnswerNotFound()

    since = utcnow() - timedelta(minutes=settings.RATE_WINDOW_MINUTES)
    client = client_hash(client_address)
    if repository.ratings_since(session, since, conversation_id=request.conversation_id) >= settings.RATINGS_PER_CONVERSATION:
        raise RateLimited("This conversation has rated many answers already; please try again later.")
    if client_address not in settings.TRUSTED_CLIENTS and (
        repository.ratings_since(session, since, client_hash=client) >= settings.RATINGS_PER_CLIENT
    ):
        raise RateLimited()

    cluster_id = cluster_cache().assign(session, from_bytes(answer.query_vector)[0], answer.question)
    comment = (request.comment or "").strip() or None
    earlier = repository.rating_of(session, request.conversation_id, answer.entry_id)
    if earlier is not None:
        earlier.helpful, earlier.comment, earlier.answer_id = request.helpful, comment, answer.id
        earlier.query_cluster_id = cluster_id
    else:
        session.add(Rating(answer_id=answer.id, entry_id=answer.entry_id, query_cluster_id=cluster_id,
                           conversation_id=request.conversation_id, helpful=request.helpful, comment=comment,
                           client_hash=client))
    try:
        _experiment_outcome(session, request.conversation_id, request.helpful)
        session.commit()
    except IntegrityError:
        # The same conversation voted twice at the same moment: the other vote was kept.
        session.rollback()
        raise RateLimited("This answer was just rated from this conversation.") from None
    return RatingResponse(answer_id=answer.id, helpful=request.helpful, replaced_earlier_vote=earlier is not None)


HELPFUL, RATED = "helpful", "rated"


def _experiment_outcome(session: Session, conversation_id: str, helpful: bool) -> None:
    """The running kb_retrieval experiment's outcomes for this conversation (ignored unless it was exposed)."""
    experiment = experiments.live(session, Subject.KB_RETRIEVAL)
    if experiment is None:
        return
    unit = experiment_unit(conversation_id)
    experiments.log_outcome(session, experiment, unit, RATED)
    if helpful:
        experiments.log_outcome(session, experiment, unit, HELPFUL)
