"""The unanswered queue: questions the bot abstained on or answered with low confidence, grouped into
clusters of similar questions that an editor turns into a new entry, adds to an existing one, or dismisses."""
from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sqlalchemy.orm import Session

from knowledge_base import audit, entries, repository
from knowledge_base.audit import Actor
from knowledge_base.encoder import from_bytes
from knowledge_base.exceptions import NothingOpen
from knowledge_base.models import QueueStatus, UnansweredQuestion
from knowledge_base.schemas import EntryCreate, QueueCluster, QueuedQuestion

# Questions closer than this cosine distance (average linkage) end up in one cluster.
DISTANCE_THRESHOLD = 0.45
MAX_QUEUE = 1000


def clusters(session: Session) -> list[QueueCluster]:
    """Open questions (the newest MAX_QUEUE) grouped by meaning, biggest group first."""
    rows = repository.open_questions(session, MAX_QUEUE)
    if not rows:
        return []
    if len(rows) == 1:
        labels = np.zeros(1, dtype=int)
    else:
        vectors = np.vstack([from_bytes(r.query_vector) for r in rows])
        labels = AgglomerativeClustering(
            n_clusters=None, distance_threshold=DISTANCE_THRESHOLD, metric="cosine", linkage="average"
        ).fit_predict(vectors)
    groups: dict[int, list[UnansweredQuestion]] = {}
    for row, label in zip(rows, labels):
        groups.setdefault(int(label), []).append(row)
    result = [_cluster(members) for members in groups.values()]
    result.sort(key=lambda c: (-c.size, -max(c.question_ids)))
    return result


def _cluster(members: list[UnansweredQuestion]) -> QueueCluster:
    vectors = np.vstack([from_bytes(m.query_vector) for m in members])
    representative = members[int(np.argmax(vectors @ vectors.mean(axis=0)))]
    closest = Counter(m.best_entry_id for m in members if m.best_entry_id is not None).most_common(1)
    return QueueCluster(
        size=len(members), representative=representative.question, question_ids=[m.id for m in members],
        questions=[QueuedQuestion(id=m.id, question=m.question, reason=m.reason, confidence=m.confidence,
                                  created_at=m.created_at) for m in members],
        closest_entry_id=closest[0][0] if closest else None,
    )


def _open(session: Session, ids: list[int]) -> list[UnansweredQuestion]:
    rows = repository.questions_by_ids(session, ids)
    if not rows:
        raise NothingOpen()
    return rows


def create_entry(session: Session, actor: Actor, ids: list[int], data: EntryCreate) -> int:
    rows = _open(session, ids)
    entry = entries.create(session, actor, data, commit=False)
    _resolve(session, actor, rows, entry.id, "queue_new_entry")
    session.commit()
    return entry.id


def attach(session: Session, actor: Actor, ids: list[int], entry_id: int) -> int:
    """Add the questions to an existing entry as phrasings, so the next shopper asking them is answered."""
    rows = _open(session, ids)
    entries.add_phrasings(session, actor, entry_id, [r.question[:300] for r in rows if len(r.question) >= 3])
    _resolve(session, actor, rows, entry_id, "queue_attached")
    session.commit()
    return entry_id


def dismiss(session: Session, actor: Actor, ids: list[int]) -> int:
    rows = _open(session, ids)
    for row in rows:
        row.status = QueueStatus.DISMISSED
    audit.record(session, actor, "queue_dismissed", "queue", None, question_ids=[r.id for r in rows])
    session.commit()
    return len(rows)


def _resolve(session: Session, actor: Actor, rows: list[UnansweredQuestion], entry_id: int, action: str) -> None:
    for row in rows:
        row.status, row.resolved_entry_id = QueueStatus.RESOLVED, entry_id
    audit.record(session, actor, action, "entry", entry_id, question_ids=[r.id for r in rows])
