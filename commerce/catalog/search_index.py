"""The catalog search index: BM25F over title, brand/category/attributes and description with prefix
matching, and the filters and sort orders on numpy columns, held in memory by each backend process.

Why in memory: a broad word ("jacket") matches most of a large catalog, and ranking, filtering and counting all
of those rows in SQL cost 48 ms p95 on SQLite and 57 ms on PostgreSQL at 50,000 products (docs/benchmarks.md).
Here it is a few vectorised passes over arrays, the same code on both databases. The matched page is then read
from the database by primary key, so what a shopper sees (price, stock, title) is always the stored row.

Freshness: every search first asks the database for the newest `products.updated_at` (an index lookup) and
applies the rows changed since its last look, re-reading a few seconds back for transactions that committed
late; a price, stock or text change is searchable on the next request. Text changes rebuild the term matrix
(lazily, once per batch of changes); stock and price changes only overwrite array cells.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy.orm import Session

from commerce.arrays import grown
from commerce.catalog import repository, text
from commerce.catalog.schemas import ProductSort

FIELD_WEIGHTS = np.array([3.0, 1.5, 1.0], dtype=np.float32)  # title, brand/category/attributes, description
K1, B = 1.2, 0.75
PREFIX_MIN_LENGTH = 3  # shorter words match whole words only: "s" would be a prefix of half the catalog
PREFIX_WEIGHT = 0.8  # "run" ranks products about running above those about a runway
MAX_EXPANSIONS = 50  # a short prefix expands to its most frequent completions only
LATE_COMMIT = timedelta(seconds=5)


@dataclass(frozen=True)
class Filters:
    category_ids: list[int] | None = None  # None: any category
    brand_id: int | None = None
    min_cents: int | None = None
    max_cents: int | None = None
    in_stock: bool | None = None


@dataclass
class _Document:
    terms: np.ndarray  # int64 term ids
    fields: np.ndarray  # int64 field of each entry (0 title, 1 brand/category/attributes, 2 description)
    counts: np.ndarray  # float32 occurrences
    lengths: np.ndarray  # float32 words per field


_EMPTY = _Document(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(3, np.float32))


class CatalogIndex:
    """Positions are assigned to products in the order they are first seen and never reused."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._n = 0
        self._position: dict[int, int] = {}
        self._columns: dict[str, np.ndarray] = {
            name: np.zeros(0, dtype=dtype)
            for name, dtype in [("id", np.int64), ("category", np.int64), ("brand", np.int64), ("price", np.int64),
                                ("stock", np.int64), ("created", np.int64), ("active", bool)]
        }
        self._titles: list[str] = []
        self._text_keys: list[int] = []
        self._documents: list[_Document] = []
        self._vocab: dict[str, int] = {}  # stem -> term id
        self._surface: dict[str, int] = {}  # word as written -> its stem's term id, for prefix matching
        self._sorted_surface: list[str] = []
        self._matrix = sp.csc_array((0, 0), dtype=np.float32)  # positions x terms: saturated BM25F term weight
        self._idf = np.zeros(0, dtype=np.float32)
        self._title_rank = np.zeros(0, dtype=np.int64)
        self._stale = True
        self._watermark: datetime | None = None

    def search(
        self, session: Session, words: list[str], filters: Filters, sort: ProductSort, offset: int, limit: int
    ) -> tuple[list[int], int]:
        """Product ids of one page of matches, best first, and the number of matches."""
        latest = repository.latest_product_change(session)  # outside the lock: the common case reads no rows
        with self._lock:
            self._catch_up(session, latest)
            if self._stale:
                self._rebuild()
            return self._page(words, filters, sort, offset, limit)

    def _catch_up(self, session: Session, latest: datetime | None) -> None:
        if latest is None or (self._watermark is not None and latest <= self._watermark):
            return
        since = None if self._watermark is None else self._watermark - LATE_COMMIT
        for row in repository.index_rows(session, since):
            self._apply(row)
        self._watermark = latest

    def _apply(self, row: Any) -> None:
        position = self._position.get(row.id)
        if position is None:
            position = self._position[row.id] = self._n
            self._n += 1
            for name, column in self._columns.items():
                self._columns[name] = grown(column, self._n)
            self._titles.append("")
            self._text_keys.append(0)
            self._documents.append(_EMPTY)
        c = self._columns
        was_active = bool(c["active"][position])
        c["id"][position] = row.id
        c["category"][position] = row.category_id
        c["brand"][position] = row.brand_id
        c["price"][position] = row.price_cents
        c["stock"][position] = row.stock
        c["created"][position] = int(row.created_at.timestamp() * 1_000_000)
        c["active"][position] = row.is_active
        text_key = hash((row.title, row.search_text, row.description))
        if text_key != self._text_keys[position]:
            self._text_keys[position] = text_key
            self._titles[position] = row.title
            self._documents[position] = self._document((row.title, row.search_text, row.description))
            self._stale = True
        elif was_active != bool(row.is_active):
            self._stale = True  # document frequencies count active products only

    def _document(self, fields: tuple[str, str, str]) -> _Document:
        terms, field_of, counts, lengths = [], [], [], np.zeros(3, dtype=np.float32)
        for field, value in enumerate(fields):
            surface = text.words(value or "")
            lengths[field] = len(surface)
            per_term: dict[int, int] = {}
            for word, stem in zip(surface, text.stems(surface)):
                term = self._vocab.setdefault(stem, len(self._vocab))
                self._surface.setdefault(word, term)
                per_term[term] = per_term.get(term, 0) + 1
            terms.extend(per_term)
            field_of.extend([field] * len(per_term))
            counts.extend(per_term.values())
        return _Document(np.array(terms, np.int64), np.array(field_of, np.int64), np.array(counts, np.float32),
                         lengths)

    def _rebuild(self) -> None:
        n, active = self._n, self._columns["active"][: self._n]
        live = [p for p in range(n) if active[p]]
        docs = [self._documents[p] for p in live]
        rows = np.repeat(np.array(live, dtype=np.int64), [len(d.terms) for d in docs])
        if docs:
            terms = np.concatenate([d.terms for d in docs])
            fields = np.concatenate([d.fields for d in docs])
            counts = np.concatenate([d.counts for d in docs])
            lengths = np.stack([d.lengths for d in docs])
            average = np.maximum(lengths.mean(axis=0), 1.0)
            doc_lengths = np.repeat(lengths, [len(d.terms) for d in docs], axis=0)[np.arange(len(terms)), fields]
        else:
            terms = fields = np.zeros(0, np.int64)
            counts = doc_lengths = np.zeros(0, np.float32)
            average = np.ones(3, np.float32)
        # BM25F: field-weighted, length-normalised counts summed over fields, then saturated once.
        weighted = FIELD_WEIGHTS[fields] * counts / (1 - B + B * doc_lengths / average[fields])
        matrix = sp.csc_array((weighted.astype(np.float32), (rows, terms)), shape=(n, len(self._vocab)))
        matrix.sum_duplicates()
        matrix.data = matrix.data / (K1 + matrix.data)
        document_frequency = np.diff(matrix.indptr)
        self._idf = np.log1p((len(live) - document_frequency + 0.5) / (document_frequency + 0.5)).astype(np.float32)
        self._matrix = matrix
        self._sorted_surface = sorted(self._surface)
        order = sorted(range(n), key=lambda p: (self._titles[p], self._columns["id"][p]))
        self._title_rank = np.empty(n, dtype=np.int64)
        self._title_rank[order] = np.arange(n)
        self._stale = False

    def _expansions(self, word: str) -> dict[int, float]:
        """Term ids a query word matches, with their weight: its own stem fully, completions of it a little less."""
        found: dict[int, float] = {}
        if len(word) >= PREFIX_MIN_LENGTH:
            start = bisect.bisect_left(self._sorted_surface, word)
            end = bisect.bisect_left(self._sorted_surface, word + "\U0010ffff")
            completions = {self._surface[w] for w in self._sorted_surface[start:end]}
            indptr = self._matrix.indptr
            frequent = sorted(completions, key=lambda t: indptr[t] - indptr[t + 1])[:MAX_EXPANSIONS]
            found = dict.fromkeys(frequent, PREFIX_WEIGHT)
        own = self._vocab.get(text.stems([word])[0])
        if own is not None:
            found[own] = 1.0
        return found

    def _word_scores(self, word: str) -> np.ndarray:
        scores = np.zeros(self._n, dtype=np.float32)
        indptr, indices, data = self._matrix.indptr, self._matrix.indices, self._matrix.data
        for term, weight in self._expansions(word).items():
            rows = indices[indptr[term] : indptr[term + 1]]
            values = data[indptr[term] : indptr[term + 1]] * (self._idf[term] * weight)
            scores[rows] = np.maximum(scores[rows], values)
        return scores

    def _page(
        self, words: list[str], filters: Filters, sort: ProductSort, offset: int, limit: int
    ) -> tuple[list[int], int]:
        n, c = self._n, {name: column[: self._n] for name, column in self._columns.items()}
        mask = c["active"].copy()
        score = np.zeros(n, dtype=np.float32)
        for word in words:  # every word must match (in any field)
            word_scores = self._word_scores(word)
            mask &= word_scores > 0
            score += word_scores
        if filters.category_ids is not None:
            mask &= np.isin(c["category"], filters.category_ids)
        if filters.brand_id is not None:
            mask &= c["brand"] == filters.brand_id
        if filters.min_cents is not None:
            mask &= c["price"] >= filters.min_cents
        if filters.max_cents is not None:
            mask &= c["price"] <= filters.max_cents
        if filters.in_stock is not None:
            mask &= (c["stock"] > 0) == filters.in_stock
        candidates = np.flatnonzero(mask)
        total = len(candidates)
        if offset >= total:
            return [], total
        ids = c["id"][candidates]
        # (primary, tie-break) keys, smaller first.
        if sort == ProductSort.PRICE_ASC:
            keys = (c["price"][candidates], ids)
        elif sort == ProductSort.PRICE_DESC:
            keys = (-c["price"][candidates], ids)
        elif sort == ProductSort.TITLE:
            keys = (self._title_rank[candidates], ids)
        elif sort == ProductSort.RELEVANCE and words:
            keys = (-score[candidates], ids)
        else:  # newest first
            keys = (-c["created"][candidates], -ids)
        return ids[_first(keys, offset + limit)][offset:].tolist(), total


def _first(keys: tuple[np.ndarray, np.ndarray], k: int) -> np.ndarray:
    """Indices of the k smallest (primary, tie-break) pairs, in order; only those near the cut are sorted."""
    primary, tie_break = keys
    if k < len(primary):
        cut = np.partition(primary, k - 1)[k - 1]
        near = np.flatnonzero(primary <= cut)
    else:
        near = np.arange(len(primary))
    order = np.lexsort((tie_break[near], primary[near]))
    return near[order][:k]
