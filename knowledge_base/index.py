"""The process's search index, kept in step with the database.

Every edit of an entry gives it a new index_stamp and kb_state a new index_token, in the edit's
transaction. Before each search a process reads the token (one primary-key read); when it differs from the
one its copy was built at, it re-reads the published entries' stamps and re-indexes only the entries whose
stamp changed. So an edit saved through one backend worker is searched by every worker on the next
question, and tokens are random rather than counted, so a rolled-back transaction can never make two
different states look alike.
"""
from __future__ import annotations

import threading
from collections.abc import Hashable

import numpy as np
from sqlalchemy.orm import Session

from knowledge_base import repository, text
from knowledge_base.encoder import MODEL_NAME, from_bytes, get_encoder
from knowledge_base.hybrid import Candidate, HybridIndex
from knowledge_base.models import Entry, EntryStatus


def entry_vectors(entry: Entry) -> np.ndarray:
    """The stored passage vectors, or freshly encoded ones when they are missing or from another model."""
    passages = text.passages(entry.question, entry.phrasings, entry.answer)
    if entry.vectors and entry.vectors_model == MODEL_NAME:
        vectors = from_bytes(entry.vectors)
        if len(vectors) == len(passages):
            return vectors
    return get_encoder().encode(passages)


class LiveIndex:
    def __init__(self) -> None:
        self.index = HybridIndex()
        self.token: str | None = None
        self.stamps: dict[int, str] = {}
        self._lock = threading.Lock()

    def refresh(self, session: Session) -> None:
        token = repository.index_token(session)
        if token == self.token:
            return
        with self._lock:
            if token == self.token:
                return
            # Read after the token: the state read is at least as new as the token it is filed under.
            current = repository.published_stamps(session)
            gone: list[Hashable] = [entry_id for entry_id in self.stamps if entry_id not in current]
            changed = [entry_id for entry_id, stamp in current.items() if self.stamps.get(entry_id) != stamp]
            self.index.remove(gone)
            for entry in repository.entries_by_ids(session, changed):
                if entry.status != EntryStatus.PUBLISHED:  # unpublished between the two reads
                    self.index.remove([entry.id])
                    current.pop(entry.id, None)
                    continue
                self.index.upsert(
                    entry.id, text.lexical_text(entry.question, entry.phrasings, entry.answer), entry_vectors(entry)
                )
            self.stamps, self.token = current, token

    def search(self, session: Session, query: str, query_vector: np.ndarray, k: int = 10,
               semantic_weight: float | None = None) -> list[Candidate]:
        self.refresh(session)
        with self._lock:
            return self.index.search(query, query_vector, k, semantic_weight)


_live = LiveIndex()


def live_index() -> LiveIndex:
    return _live


def reset() -> None:
    """Forget the in-memory copy (tests that rebuild the database)."""
    global _live
    _live = LiveIndex()
