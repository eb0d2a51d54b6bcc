"""Query clusters for feedback: groups of shopper questions that mean much the same.

Leader clustering: a rated question joins the first cluster whose founding question is at least
SIMILARITY close, otherwise it founds a new one. Clusters are only added, never moved, so each process
caches the centroids and reloads them when kb_state.clusters_token changes.
"""
from __future__ import annotations

import threading

import numpy as np
from sqlalchemy.orm import Session

from knowledge_base import repository
from knowledge_base.encoder import DIMENSIONS, from_bytes, to_bytes
from knowledge_base.models import QueryCluster

SIMILARITY = 0.75


class Leaders:
    """The clustering itself, without storage: the benchmarks use it directly."""

    def __init__(self, centroids: np.ndarray | None = None) -> None:
        self.centroids = np.zeros((0, DIMENSIONS), dtype=np.float32) if centroids is None else centroids

    def nearest(self, vector: np.ndarray) -> int | None:
        """Position of the closest founding question at least SIMILARITY close, or None."""
        if not len(self.centroids):
            return None
        similarities = self.centroids @ vector
        best = int(np.argmax(similarities))
        return best if similarities[best] >= SIMILARITY else None

    def assign(self, vector: np.ndarray) -> int:
        found = self.nearest(vector)
        if found is not None:
            return found
        self.centroids = np.vstack([self.centroids, vector[None, :].astype(np.float32)])
        return len(self.centroids) - 1


class ClusterCache:
    """Leaders as stored in kb_query_clusters, cached per process."""

    def __init__(self) -> None:
        self.token: str | None = None
        self.ids = np.zeros(0, dtype=np.int64)
        self.leaders = Leaders()
        self._lock = threading.Lock()

    def refresh(self, session: Session) -> None:
        token = repository.clusters_token(session)
        if token == self.token:
            return
        rows = repository.all_clusters(session)
        with self._lock:
            self.ids = np.array([r.id for r in rows], dtype=np.int64)
            self.leaders = Leaders(np.vstack([from_bytes(r.centroid) for r in rows]) if rows else None)
            self.token = token

    def nearest(self, session: Session, vector: np.ndarray) -> int | None:
        self.refresh(session)
        with self._lock:
            position = self.leaders.nearest(vector)
            return None if position is None else int(self.ids[position])

    def assign(self, session: Session, vector: np.ndarray, label: str) -> int:
        """The cluster of this question, founding a new one if none is close enough."""
        found = self.nearest(session, vector)
        if found is not None:
            return found
        cluster = QueryCluster(centroid=to_bytes(vector[None, :]), label=label[:500])
        repository.add(session, cluster)
        repository.touch_clusters(session)
        return cluster.id


_cache = ClusterCache()


def cluster_cache() -> ClusterCache:
    return _cache


def reset() -> None:
    global _cache
    _cache = ClusterCache()
