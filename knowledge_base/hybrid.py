"""In-memory hybrid search over entries: BM25 over each entry's text plus cosine similarity to its passages.

Pure data structure (no database): the benchmarks use it directly, knowledge_base.index keeps one per
process in step with the database.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from knowledge_base.encoder import DIMENSIONS
from knowledge_base.lexical import LexicalIndex

# Fused score = SEMANTIC_WEIGHT * best passage cosine + (1 - SEMANTIC_WEIGHT) * BM25 coverage.
# Chosen on our own held-out shop questions (python -m knowledge_base.calibrate), not on a benchmark.
SEMANTIC_WEIGHT = 0.7
# Candidates examined per query from each side before fusing.
LEXICAL_CANDIDATES = 20
PASSAGE_CANDIDATES = 64


@dataclass(frozen=True)
class Candidate:
    key: Hashable
    semantic: float   # best cosine between the query and one of the entry's passages
    lexical: float    # BM25 / the query's best possible BM25: the share of the query the entry covers
    fused: float


class SemanticIndex:
    """Passage vectors of many keys in one matrix; rows of replaced keys are reused after compaction."""

    def __init__(self) -> None:
        self.vectors = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.row_key: list[Hashable | None] = []
        self.rows_of: dict[Hashable, list[int]] = {}
        self._used = 0
        self._live = 0  # rows that belong to a key (kept as a count: summing rows_of per upsert is quadratic)

    def upsert(self, key: Hashable, vectors: np.ndarray) -> None:
        self.remove([key])
        n = len(vectors)
        if self._used + n > len(self.vectors):
            grown = np.zeros((max(self._used + n, 2 * len(self.vectors), 256), DIMENSIONS), dtype=np.float32)
            grown[: self._used] = self.vectors[: self._used]
            self.vectors = grown
        self.vectors[self._used:self._used + n] = vectors
        self.rows_of[key] = list(range(self._used, self._used + n))
        self.row_key.extend([key] * n)
        self._used += n
        self._live += n

    def remove(self, keys: list[Hashable]) -> None:
        for key in keys:
            for row in self.rows_of.pop(key, []):
                self.vectors[row] = 0.0
                self.row_key[row] = None
                self._live -= 1
        if self._used > 4096 and self._live < self._used // 2:
            self._compact()

    def similarities(self, query_vector: np.ndarray) -> np.ndarray:
        return self.vectors[: self._used] @ query_vector

    def _compact(self) -> None:
        live = [row for row in range(self._used) if self.row_key[row] is not None]
        self.vectors = self.vectors[live].copy()
        self.row_key = [self.row_key[row] for row in live]
        self.rows_of = {}
        for row, key in enumerate(self.row_key):
            self.rows_of.setdefault(key, []).append(row)
        self._used = self._live = len(live)


class HybridIndex:
    def __init__(self, semantic_weight: float = SEMANTIC_WEIGHT) -> None:
        self.semantic_weight = semantic_weight
        self.lexical = LexicalIndex()
        self.semantic = SemanticIndex()

    def __len__(self) -> int:
        return len(self.lexical)

    def upsert(self, key: Hashable, text: str, passage_vectors: np.ndarray) -> None:
        self.lexical.upsert([(key, text)])
        self.semantic.upsert(key, passage_vectors)

    def remove(self, keys: list[Hashable]) -> None:
        self.lexical.remove(keys)
        self.semantic.remove(keys)

    def search(self, query: str, query_vector: np.ndarray, k: int = 10,
               semantic_weight: float | None = None) -> list[Candidate]:
        """The k best entries by fused score, best first; `semantic_weight` overrides the index's own mix (an
        experiment's variant; 0 ranks by BM25 alone)."""
        weight = self.semantic_weight if semantic_weight is None else semantic_weight
        if not len(self):
            return []
        bm25, bound = self.lexical.scores(query)
        similarities = self.semantic.similarities(query_vector)
        keys: set[Hashable] = set()
        for slot in _top(bm25, LEXICAL_CANDIDATES):
            if bm25[slot] > 0:
                keys.add(self.lexical.keys[slot])
        for row in _top(similarities, PASSAGE_CANDIDATES):
            keys.add(self.semantic.row_key[row])
        keys.discard(None)
        candidates = []
        for key in keys:
            semantic = float(similarities[self.semantic.rows_of[key]].max())
            lexical = float(bm25[self.lexical.slot_of[key]]) / bound if bound > 0 else 0.0
            fused = weight * semantic + (1 - weight) * lexical
            candidates.append(Candidate(key, semantic, lexical, fused))
        candidates.sort(key=lambda c: (-c.fused, str(c.key)))
        return candidates[:k]

    def search_lexical(self, query: str, k: int = 10) -> list[Hashable]:
        bm25, _ = self.lexical.scores(query)
        return [self.lexical.keys[s] for s in _top(bm25, k) if bm25[s] > 0]

    def search_semantic(self, query_vector: np.ndarray, k: int = 10) -> list[Hashable]:
        similarities = self.semantic.similarities(query_vector)
        best: dict[Hashable, float] = {}
        for row in _top(similarities, max(PASSAGE_CANDIDATES, 8 * k)):
            key = self.semantic.row_key[row]
            if key is not None and key not in best:
                best[key] = float(similarities[row])
        return sorted(best, key=lambda key: -best[key])[:k]


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n largest scores, largest first."""
    if len(scores) <= n:
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, n)[:n]
    return part[np.argsort(-scores[part], kind="stable")]
