"""The interface every recommender implements, after benfred/implicit's `RecommenderBase`.

fit(histories) learns from interactions; score(histories) gives every item a score for each history, which
need not have been seen in training (a new session is folded in at request time); recommend() is the top k of
score() without what the user already has. Artefacts are a `weights.npz` of plain arrays (loaded with
allow_pickle=False) and a `model.json` of parameters: never a pickle.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from commerce.recommend.data import Histories

WEIGHTS, CONFIG = "weights.npz", "model.json"
FORMAT = 1
_REGISTRY: dict[str, type[Recommender]] = {}


class NotFitted(RuntimeError):
    pass


class Recommender(ABC):
    name: ClassVar[str]
    defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            _REGISTRY[cls.name] = cls

    def __init__(self, **params: Any) -> None:
        unknown = set(params) - set(self.defaults)
        if unknown:
            raise TypeError(f"{self.name} has no parameter {', '.join(sorted(unknown))}")
        self.params: dict[str, Any] = {**self.defaults, **params}
        self.n_items = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.params.items())})"

    @abstractmethod
    def fit(self, histories: Histories) -> Recommender:
        """Learn from the histories; returns self."""

    @abstractmethod
    def score(self, histories: Histories) -> np.ndarray:
        """(users × items) float32 scores, higher is better; items in a history are not excluded here."""

    @abstractmethod
    def similar_items(self, items: np.ndarray) -> np.ndarray:
        """(len(items) × n_items) similarity of each given item to every item (0 where the model knows none)."""

    def item_similarity(self, items: np.ndarray, others: np.ndarray) -> np.ndarray:
        """(len(items) × len(others)) similarity, as similar_items() but only for some items."""
        return self.similar_items(items)[:, np.asarray(others)]

    @abstractmethod
    def arrays(self) -> dict[str, np.ndarray]:
        """Everything fit() learned, as named arrays."""

    @abstractmethod
    def _restore(self, arrays: dict[str, np.ndarray]) -> None:
        """Set the learned state from arrays() output."""

    def recommend(self, histories: Histories, k: int = 10, exclude_seen: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Top-k item indices and their scores per user, best first; by default without items already seen."""
        scores = self.score(histories)
        if exclude_seen:
            exclude_history(scores, histories)
        return top_k(scores, k)

    def _check_fitted(self) -> None:
        if not self.n_items:
            raise NotFitted(f"{self.name} is not fitted; call fit() or load() first")

    def _check_histories(self, histories: Histories) -> None:
        self._check_fitted()
        if histories.n_items != self.n_items:
            raise ValueError(f"histories index {histories.n_items} items, the model {self.n_items}")

    def save(self, directory: Path | str) -> None:
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        np.savez(directory / WEIGHTS, **self.arrays())
        config = {"format": FORMAT, "model": self.name, "params": self.params, "n_items": self.n_items}
        (directory / CONFIG).write_text(json.dumps(config, indent=2, sort_keys=True))

    @staticmethod
    def load(directory: Path | str) -> Recommender:
        directory = Path(directory)
        config = json.loads((directory / CONFIG).read_text())
        if config.get("format") != FORMAT or config.get("model") not in _REGISTRY:
            raise ValueError(f"{directory} holds no model this version can read ({config.get('model')!r})")
        with np.load(directory / WEIGHTS, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        return from_arrays(config["model"], config["params"], int(config["n_items"]), arrays)


def from_arrays(name: str, params: dict[str, Any], n_items: int, arrays: dict[str, np.ndarray]) -> Recommender:
    model = _REGISTRY[name](**params)
    model.n_items = n_items
    model._restore(arrays)
    return model


def registered() -> dict[str, type[Recommender]]:
    return dict(_REGISTRY)


def exclude_history(scores: np.ndarray, histories: Histories) -> None:
    """Set the score of every item a user has already interacted with to -inf, in place."""
    for row, items in enumerate(histories.items):
        scores[row, items] = -np.inf


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values of the k largest scores per row, best first (ties: lower index first)."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k] if k < scores.shape[1] else np.tile(
        np.arange(scores.shape[1]), (scores.shape[0], 1)
    )
    values = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -values), axis=1)
    items = np.take_along_axis(part, order, axis=1)
    return items, np.take_along_axis(scores, items, axis=1)


def max_normalised(scores: np.ndarray) -> np.ndarray:
    """Each row divided by its largest absolute value, so scores of different models can be blended."""
    peak = np.abs(scores).max(axis=1, keepdims=True)
    return scores / np.where(peak > 0, peak, 1.0)


def cosine(vectors: np.ndarray, items: np.ndarray, others: np.ndarray | None = None) -> np.ndarray:
    """Cosine similarity of the given items' vectors to the others' (default: every item's)."""
    a = vectors[np.asarray(items)]
    b = vectors if others is None else vectors[np.asarray(others)]
    na = np.linalg.norm(a, axis=1)
    nb = np.linalg.norm(b, axis=1)
    return ((a @ b.T) / (np.where(na > 0, na, 1.0)[:, None] * np.where(nb > 0, nb, 1.0)[None, :])).astype(np.float32)
