"""Recommendation artefacts (versions as in commerce/artefacts.py), and the holder that serves the newest one.

A version holds `model/` (the model's weights.npz and model.json), `catalog.npz` (which product each item index
is, its category when trained, how much it is trending) and `metadata.json` (metrics, data, timings).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from commerce.artefacts import Reloader, VersionedStore
from commerce.config import REPO_ROOT
from commerce.recommend.models import Recommender
from commerce.recommend.snapshot import CatalogSnapshot, SnapshotCache

DEFAULT_ROOT = REPO_ROOT / "var" / "models" / "recs"
MODEL_DIR, CATALOG = "model", "catalog.npz"


@dataclass
class Artefact:
    """What serving needs: a model over item indices 0..n-1 and the products those indices stand for."""

    product_ids: np.ndarray  # int64, ascending: item index -> product id
    category_ids: np.ndarray  # int64 per item, as when trained (the database has the last word)
    trending: np.ndarray  # float32 per item: recent interactions, newest weighing most
    model: Recommender | None = None  # None: popularity only (no trained model yet)
    version: str = "unversioned"
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if np.any(np.diff(self.product_ids) <= 0):
            raise ValueError("product_ids must be ascending and unique")
        if not len(self.product_ids) == len(self.category_ids) == len(self.trending):
            raise ValueError("product_ids, category_ids and trending must have one entry per item")
        if self.model is not None and self.model.n_items != len(self.product_ids):
            raise ValueError(f"the model knows {self.model.n_items} items, the catalog {len(self.product_ids)}")

    @property
    def n_items(self) -> int:
        return len(self.product_ids)

    def indices(self, product_ids: list[int] | np.ndarray) -> np.ndarray:
        """Item index of each product id, -1 for products the artefact does not know."""
        ids = np.asarray(product_ids, dtype=np.int64)
        if not self.n_items:
            return np.full(len(ids), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.product_ids, ids), self.n_items - 1)
        return np.where(self.product_ids[pos] == ids, pos, -1)


class ArtefactStore(VersionedStore):
    def save(self, artefact: Artefact) -> str:
        if artefact.model is None:
            raise ValueError("only trained artefacts are saved")
        model = artefact.model

        def write(directory: Path) -> None:
            model.save(directory / MODEL_DIR)
            np.savez(directory / CATALOG, product_ids=artefact.product_ids, category_ids=artefact.category_ids,
                     trending=artefact.trending)

        return self.publish(write, artefact.info)

    def load(self, version: str) -> Artefact:
        directory = self.path(version)
        with np.load(directory / CATALOG, allow_pickle=False) as catalog:
            arrays = {name: catalog[name] for name in catalog.files}
        return Artefact(
            product_ids=arrays["product_ids"].astype(np.int64),
            category_ids=arrays["category_ids"].astype(np.int64),
            trending=arrays["trending"].astype(np.float32),
            model=Recommender.load(directory / MODEL_DIR),
            version=version,
            info=self.metadata(version),
        )


class ModelHolder(Reloader[Artefact]):
    """The artefact requests are served with (commerce/artefacts.Reloader). Until anything is trained it hands
    out a popularity fallback, rebuilt every `fallback_ttl` seconds. It also keeps the catalog snapshot requests
    filter candidates with, at most about `catalog_ttl` seconds old (snapshot.py)."""

    def __init__(
        self, store: ArtefactStore, check_every: float = 2.0, fallback_ttl: float = 60.0, catalog_ttl: float = 30.0
    ) -> None:
        super().__init__(store, lambda version: store.load(version), "recommendation model", check_every)
        self.fallback_ttl = fallback_ttl
        self.snapshots = SnapshotCache(catalog_ttl)
        self._fallback: tuple[float, Artefact] | None = None

    def get(self) -> Artefact | None:
        return self.current()

    def get_or_fallback(self, build: Callable[[], Artefact]) -> Artefact:
        artefact = self.get()
        if artefact is not None:
            return artefact
        cached = self._fallback
        if cached is not None and time.monotonic() < cached[0]:
            return cached[1]
        fallback = build()
        self._fallback = (time.monotonic() + self.fallback_ttl, fallback)
        return fallback

    def catalog(self, session: Session) -> CatalogSnapshot:
        return self.snapshots.get(session)


@lru_cache
def process_holder() -> ModelHolder:
    return ModelHolder(ArtefactStore(DEFAULT_ROOT))


async def get_holder() -> ModelHolder:
    """The routes' dependency: async, so resolving it costs no thread-pool hop."""
    return process_holder()
