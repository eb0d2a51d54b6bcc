"""The baseline every other model must beat: the same list, most interacted-with first, for everyone."""

from __future__ import annotations

import numpy as np

from commerce.recommend.data import Histories
from commerce.recommend.models.base import Recommender


class Popularity(Recommender):
    name = "popularity"

    def __init__(self) -> None:
        super().__init__()
        self.counts = np.zeros(0, np.float32)

    def fit(self, histories: Histories) -> Popularity:
        self.n_items = histories.n_items
        self.counts = np.asarray(histories.matrix().sum(axis=0), dtype=np.float32).ravel()
        return self

    def score(self, histories: Histories) -> np.ndarray:
        self._check_histories(histories)
        return np.broadcast_to(self.counts, (len(histories), self.n_items)).copy()

    def similar_items(self, items: np.ndarray) -> np.ndarray:
        self._check_fitted()
        return np.zeros((len(items), self.n_items), np.float32)

    def item_similarity(self, items: np.ndarray, others: np.ndarray) -> np.ndarray:
        self._check_fitted()
        return np.zeros((len(items), len(others)), np.float32)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"counts": self.counts}

    def _restore(self, arrays: dict[str, np.ndarray]) -> None:
        self.counts = arrays["counts"].astype(np.float32)
