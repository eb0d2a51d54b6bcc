"""BM25 (Lucene variant, as bm25s computes it) over stemmed words, updatable one document at a time.

bm25s precomputes every (term, document) score, so a single edit means re-indexing the whole corpus
(about 9 s at 100,000 entries here). This index keeps raw term counts in a sparse matrix instead and
applies BM25 at query time: an edit appends a row and marks the old one dead. Scores equal bm25s's on the
same tokens (tests/knowledge_base/test_lexical.py).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from commerce.arrays import grown

_WORD = re.compile(r"(?u)\b\w\w+\b")  # bm25s's (and scikit-learn's) token pattern
_STOPWORDS = frozenset(STOPWORDS_EN)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-cased words of two or more characters, English stop words removed, Snowball-stemmed."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]
    return _stemmer().stemWords(words)


class LexicalIndex:
    """Documents are added, replaced and removed by key; `scores` returns BM25 per slot (0 for dead slots)."""

    def __init__(self, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.vocab: dict[str, int] = {}
        self.keys: list[Hashable | None] = []                # slot -> key (None once removed)
        self.slot_of: dict[Hashable, int] = {}
        self._terms: list[tuple[np.ndarray, np.ndarray]] = []  # slot -> (term ids, counts)
        self._lengths = np.zeros(0, dtype=np.float32)        # words per slot, 0 once removed
        self._doc_freq = np.zeros(0, dtype=np.int64)         # live documents per term id
        self._counts = sp.csc_array((0, 0), dtype=np.float32)  # slots x terms; rows past its end are pending
        self._total_length = 0.0

    def __len__(self) -> int:
        return len(self.slot_of)

    def upsert(self, items: Iterable[tuple[Hashable, str]]) -> None:
        for key, text in items:
            self.remove([key])
            counts = Counter(self._term_id(t) for t in tokenize(text))
            ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            slot = len(self.keys)
            self.slot_of[key] = slot
            self.keys.append(key)
            self._terms.append((ids, tf))
            self._lengths = grown(self._lengths, slot + 1)
            self._lengths[slot] = tf.sum()
            self._total_length += float(tf.sum())
            self._doc_freq[ids] += 1

    def remove(self, keys: Iterable[Hashable]) -> None:
        for key in keys:
            slot = self.slot_of.pop(key, None)
            if slot is None:
                continue
            self._doc_freq[self._terms[slot][0]] -= 1
            self._total_length -= float(self._lengths[slot])
            self._lengths[slot] = 0.0
            self.keys[slot] = None
            self._terms[slot] = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        if len(self.keys) > 1000 and len(self.slot_of) < len(self.keys) // 2:
            self._compact()

    def idf(self, term_ids: np.ndarray) -> np.ndarray:
        n, df = len(self.slot_of), self._doc_freq[term_ids]
        return np.log1p((n - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> tuple[np.ndarray, float]:
        """(BM25 per slot, the query's best possible score). The bound is the sum of the idf of the query's
        distinct terms, unseen terms at the highest idf: score / bound says how much of the query a document
        covers, comparable across queries."""
        terms = set(tokenize(query))
        known = sorted(self.vocab[t] for t in terms if t in self.vocab and self._doc_freq[self.vocab[t]] > 0)
        term_ids = np.array(known, dtype=np.int64)
        n = len(self.slot_of)
        bound = float(self.idf(term_ids).sum()) + (len(terms) - len(known)) * math.log1p((n + 0.5) / 0.5)
        result = np.zeros(len(self.keys), dtype=np.float32)
        if not known or not n:
            return result, bound
        self._merge_pending()
        columns = self._counts[:, term_ids].tocoo()
        rows, tf = columns.coords[0], columns.data
        live = self._lengths[rows] > 0  # removed slots keep their counts until compaction
        rows, tf, cols = rows[live], tf[live], columns.coords[1][live]
        norm = self.k1 * (1 - self.b + self.b * self._lengths[rows] / (self._total_length / n))
        np.add.at(result, rows, (self.idf(term_ids)[cols] * tf / (tf + norm)).astype(np.float32))
        return result, bound

    def _term_id(self, term: str) -> int:
        term_id = self.vocab.get(term)
        if term_id is None:
            term_id = self.vocab[term] = len(self.vocab)
            self._doc_freq = grown(self._doc_freq, term_id + 1)
        return term_id

    def _merge_pending(self) -> None:
        merged = self._counts.shape[0]
        if merged == len(self.keys) and self._counts.shape[1] == len(self.vocab):
            return
        pending = self._terms[merged:]
        rows = np.repeat(np.arange(len(pending)), [len(ids) for ids, _ in pending])
        cols = np.concatenate([ids for ids, _ in pending]) if pending else np.zeros(0, dtype=np.int64)
        vals = np.concatenate([tf for _, tf in pending]) if pending else np.zeros(0, dtype=np.float32)
        new = sp.csc_array((vals, (rows, cols)), shape=(len(pending), len(self.vocab)), dtype=np.float32)
        old = self._counts.copy()
        old.resize((merged, len(self.vocab)))
        self._counts = sp.vstack([old, new], format="csc")

    def _compact(self) -> None:
        self._merge_pending()
        live = [slot for slot, key in enumerate(self.keys) if key is not None]
        self._counts = self._counts[live, :].tocsc()
        self._lengths = self._lengths[live]
        self._terms = [self._terms[slot] for slot in live]
        self.keys = [self.keys[slot] for slot in live]
        self.slot_of = {key: slot for slot, key in enumerate(self.keys)}
