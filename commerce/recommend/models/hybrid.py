"""A weighted blend of other models' scores, each scaled to a maximum of 1 per shopper first.

ALS captures what a shopper's whole history has in common; the recency-weighted item kNN what goes with their
last few items. Blended half and half they beat either alone on Amazon Beauty (docs/bench/recsys.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from commerce.recommend.data import Histories
from commerce.recommend.models.base import Recommender, max_normalised, registered

DEFAULT_COMPONENTS = [
    {"model": "als", "weight": 0.5, "params": {}},
    {"model": "itemknn", "weight": 0.5, "params": {}},
]


class Hybrid(Recommender):
    name = "hybrid"
    defaults: dict[str, Any] = {"components": DEFAULT_COMPONENTS}

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        models = registered()
        self.components: list[Recommender] = []
        self.weights: list[float] = []
        for spec in self.params["components"]:
            if spec["model"] == self.name or spec["model"] not in models:
                raise ValueError(f"a hybrid cannot blend {spec['model']!r}")
            self.components.append(models[spec["model"]](**spec.get("params", {})))
            self.weights.append(float(spec["weight"]))
        # Keep every component's full parameters, defaults included, in what save() writes.
        self.params = {
            "components": [
                {"model": m.name, "weight": w, "params": m.params} for m, w in zip(self.components, self.weights)
            ]
        }

    @classmethod
    def of(cls, models: list[Recommender], weights: list[float]) -> Hybrid:
        """A blend of models fitted already (all on the same items)."""
        if len({m.n_items for m in models}) != 1:
            raise ValueError("the models must be fitted on the same items")
        hybrid = cls(components=[{"model": m.name, "weight": w, "params": m.params} for m, w in zip(models, weights)])
        hybrid.components, hybrid.n_items = list(models), models[0].n_items
        return hybrid

    def fit(self, histories: Histories) -> Hybrid:
        for model in self.components:
            model.fit(histories)
        self.n_items = histories.n_items
        return self

    def score(self, histories: Histories) -> np.ndarray:
        self._check_histories(histories)
        return self._blend([m.score(histories) for m in self.components])

    def similar_items(self, items: np.ndarray) -> np.ndarray:
        # The components' similarities are all cosines, on one scale already: a plain weighted sum.
        self._check_fitted()
        return sum(w * m.similar_items(items) for m, w in zip(self.components, self.weights))

    def item_similarity(self, items: np.ndarray, others: np.ndarray) -> np.ndarray:
        self._check_fitted()
        return sum(w * m.item_similarity(items, others) for m, w in zip(self.components, self.weights))

    def _blend(self, parts: list[np.ndarray]) -> np.ndarray:
        total = np.zeros_like(parts[0], dtype=np.float32)
        for weight, part in zip(self.weights, parts):
            total += weight * max_normalised(part).astype(np.float32)
        return total

    def arrays(self) -> dict[str, np.ndarray]:
        return {f"{i}.{key}": value for i, m in enumerate(self.components) for key, value in m.arrays().items()}

    def _restore(self, arrays: dict[str, np.ndarray]) -> None:
        for i, model in enumerate(self.components):
            prefix = f"{i}."
            model.n_items = self.n_items
            model._restore({k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)})
