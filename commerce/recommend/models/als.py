"""Matrix factorisation for implicit feedback: implicit's ALS (Hu, Koren & Volinsky 2008).

Only item factors are kept. A shopper's factors are solved at scoring time from their history (implicit's
`recalculate_user`, the exact least-squares step of training), so a visit's newest events count at once and
shoppers unseen in training are served too. Recent events weigh more (decay, as in ItemKNN): on Amazon Beauty
that alone lifts HR@10 from 0.073 to 0.086 (docs/bench/recommendations.md).
"""

from __future__ import annotations

import numpy as np
from implicit.cpu.als import AlternatingLeastSquares
from threadpoolctl import threadpool_limits

from commerce.recommend.data import Histories
from commerce.recommend.models.base import Recommender, cosine


class ALS(Recommender):
    name = "als"
    defaults = {"factors": 256, "regularization": 10.0, "alpha": 40.0, "iterations": 10, "decay": 0.5, "seed": 0}

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self._als = self._implicit()

    def _implicit(self) -> AlternatingLeastSquares:
        # implicit parallelises itself; a multi-threaded BLAS underneath would oversubscribe the cores.
        with threadpool_limits(1, "blas"):
            return AlternatingLeastSquares(
                factors=int(self.params["factors"]),
                regularization=float(self.params["regularization"]),
                alpha=float(self.params["alpha"]),
                iterations=int(self.params["iterations"]),
                random_state=int(self.params["seed"]),
            )

    @property
    def item_factors(self) -> np.ndarray:
        return self._als.item_factors

    def fit(self, histories: Histories) -> ALS:
        self._als = self._implicit()
        with threadpool_limits(1, "blas"):
            self._als.fit(histories.matrix(), show_progress=False)
        self.n_items = histories.n_items
        return self

    def user_factors(self, histories: Histories) -> np.ndarray:
        self._check_histories(histories)
        matrix = histories.matrix(self.params["decay"])
        with threadpool_limits(1, "blas"):
            return self._als.recalculate_user(np.arange(len(histories)), matrix)

    def score(self, histories: Histories) -> np.ndarray:
        return self.user_factors(histories) @ self.item_factors.T

    def similar_items(self, items: np.ndarray) -> np.ndarray:
        self._check_fitted()
        return cosine(self.item_factors, items)

    def item_similarity(self, items: np.ndarray, others: np.ndarray) -> np.ndarray:
        self._check_fitted()
        return cosine(self.item_factors, items, others)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"item_factors": self.item_factors}

    def _restore(self, arrays: dict[str, np.ndarray]) -> None:
        self._als = self._implicit()
        self._als.item_factors = np.ascontiguousarray(arrays["item_factors"], dtype=np.float32)
