"""Interaction histories, the one input every recommender takes.

A history is what one shopper did, oldest first: the item index of each event and its weight (a view counts
less than a purchase). Models read either the summed user × item matrix or the ordered sequences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class Histories:
    items: list[np.ndarray]  # int32 item indices per user, oldest first
    weights: list[np.ndarray]  # float32 weight of each event, same lengths as items
    n_items: int

    @classmethod
    def from_sequences(
        cls, sequences: Sequence[Sequence[int]], n_items: int, weights: Sequence[Sequence[float]] | None = None
    ) -> Histories:
        items = [np.asarray(s, dtype=np.int32) for s in sequences]
        if weights is None:
            w = [np.ones(len(s), dtype=np.float32) for s in items]
        else:
            w = [np.asarray(x, dtype=np.float32) for x in weights]
        if any(len(a) != len(b) for a, b in zip(items, w, strict=True)):
            raise ValueError("every event needs exactly one weight")
        if any(len(s) and (s.min() < 0 or s.max() >= n_items) for s in items):
            raise ValueError(f"item indices must lie in [0, {n_items})")
        return cls(items, w, n_items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, users: slice | Sequence[int] | np.ndarray) -> Histories:
        if isinstance(users, slice):
            return Histories(self.items[users], self.weights[users], self.n_items)
        return Histories([self.items[u] for u in users], [self.weights[u] for u in users], self.n_items)

    def matrix(self, decay: float | None = None) -> sp.csr_matrix:
        """Summed weights per user and item. With `decay`, an event n steps before the user's latest counts
        decay**n times its weight, so what a shopper did last matters most."""
        if len(self.items) == 1:
            return self._one_row(decay)
        lengths = np.fromiter((len(s) for s in self.items), dtype=np.int64, count=len(self.items))
        rows = np.repeat(np.arange(len(self.items)), lengths)
        cols = np.concatenate(self.items) if len(self.items) else np.zeros(0, np.int32)
        data = np.concatenate(self.weights) if len(self.items) else np.zeros(0, np.float32)
        if decay is not None and len(data):
            steps_back = np.concatenate([np.arange(n - 1, -1, -1) for n in lengths])
            data = data * np.power(np.float32(decay), steps_back).astype(np.float32)
        matrix = sp.csr_matrix((data, (rows, cols)), shape=(len(self.items), self.n_items), dtype=np.float32)
        matrix.sum_duplicates()
        return matrix

    def _one_row(self, decay: float | None) -> sp.csr_matrix:
        """matrix() for one shopper, the request-time case, built straight as CSR (a third of the time)."""
        items, data = self.items[0], self.weights[0]
        if decay is not None and len(data):
            data = data * np.power(np.float32(decay), np.arange(len(data) - 1, -1, -1)).astype(np.float32)
        columns, inverse = np.unique(items, return_inverse=True)
        sums = np.zeros(len(columns), dtype=np.float32)
        np.add.at(sums, inverse, data)
        return sp.csr_matrix((sums, columns.astype(np.int32), np.array([0, len(columns)], dtype=np.int32)),
                             shape=(1, self.n_items))

    def split_last(self) -> tuple[Histories, np.ndarray]:
        """Every history without its last event, and that event's item (users need two or more events)."""
        if any(len(s) < 2 for s in self.items):
            raise ValueError("split_last needs at least two events per user")
        head = Histories([s[:-1] for s in self.items], [w[:-1] for w in self.weights], self.n_items)
        return head, np.array([s[-1] for s in self.items], dtype=np.int32)
