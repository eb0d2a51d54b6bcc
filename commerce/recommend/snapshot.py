"""An in-memory copy of what the candidate filter looks at for every active product (category, price, whether
in stock) and of the category tree, so a request can rule out thousands of products without asking the database.

The copy is a pre-filter only. The few products that make a list are read again from the database, by primary
key, before they are shown, so a product sold out a moment ago is never recommended; a stale copy can only keep a
restocked product off lists until the next refresh, or cost a few extra rows in that final read. The copy is
rebuilt every `ttl` seconds, in a background thread when the request's session is bound to an engine (the
request that notices goes on with the old copy), in place otherwise (tests, whose sessions share a connection).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from commerce.recommend import repository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ItemView:
    """The snapshot seen through one artefact's item indices: one entry per item."""

    active: np.ndarray  # bool: the product exists and is active
    category_ids: np.ndarray  # int64, -1 where not active
    price_cents: np.ndarray  # int64
    in_stock: np.ndarray  # bool


@dataclass(frozen=True)
class CatalogSnapshot:
    product_ids: np.ndarray  # int64, ascending: active products
    category_ids: np.ndarray  # int64
    price_cents: np.ndarray  # int64
    in_stock: np.ndarray  # bool
    category_slugs: dict[str, int]  # slug -> category id
    children: dict[int, list[int]]  # category id -> its direct children
    taken_at: float  # time.monotonic() when read
    _views: dict[int, tuple[np.ndarray, ItemView]] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @classmethod
    def read(cls, session: Session) -> CatalogSnapshot:
        rows = repository.catalog_rows(session)
        # Column by column: numpy reads 20k SQLAlchemy rows fifty times slower than it reads tuples of ints.
        columns = [np.array(c, dtype=np.int64) for c in zip(*rows)] if rows else [np.zeros(0, np.int64)] * 4
        table = np.stack(columns, axis=1)[np.argsort(columns[0])]  # id, category_id, price_cents, stock; by id
        slugs: dict[str, int] = {}
        children: dict[int, list[int]] = {}
        for category_id, slug, parent_id in repository.category_tree(session):
            slugs[slug] = category_id
            if parent_id is not None:
                children.setdefault(parent_id, []).append(category_id)
        return cls(product_ids=table[:, 0].copy(), category_ids=table[:, 1].copy(), price_cents=table[:, 2].copy(),
                   in_stock=table[:, 3] > 0, category_slugs=slugs, children=children, taken_at=time.monotonic())

    def category_ids_under(self, slug: str) -> list[int]:
        """The category with this slug and its children (empty when the slug is unknown here)."""
        root = self.category_slugs.get(slug)
        return [] if root is None else [root, *self.children.get(root, [])]

    def category_ids_with_slugs(self, slugs: Iterable[str]) -> set[int]:
        return {c for slug in slugs for c in self.category_ids_under(slug)}

    def view(self, product_ids: np.ndarray) -> ItemView:
        """Per-item arrays for an artefact's products (cached per artefact: product_ids is its array)."""
        key = id(product_ids)
        cached = self._views.get(key)
        if cached is not None and cached[0] is product_ids:
            return cached[1]
        n = len(self.product_ids)
        if n:
            pos = np.minimum(np.searchsorted(self.product_ids, product_ids), n - 1)
            active = self.product_ids[pos] == product_ids
        else:
            pos = np.zeros(len(product_ids), dtype=np.int64)
            active = np.zeros(len(product_ids), dtype=bool)
        view = ItemView(
            active=active,
            category_ids=np.where(active, self.category_ids[pos] if n else -1, -1),
            price_cents=np.where(active, self.price_cents[pos] if n else 0, 0),
            in_stock=active & (self.in_stock[pos] if n else False),
        )
        with self._lock:
            if len(self._views) > 4:  # artefacts come and go (a new model, the fallback's refreshes)
                self._views.clear()
            self._views[key] = (product_ids, view)
        return view


class SnapshotCache:
    """Hands out the current snapshot and keeps it at most about `ttl` seconds old."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl = ttl
        self._snapshot: CatalogSnapshot | None = None
        self._refreshing = False
        self._lock = threading.Lock()

    def get(self, session: Session) -> CatalogSnapshot:
        snapshot = self._snapshot
        if snapshot is not None and time.monotonic() - snapshot.taken_at < self.ttl:
            return snapshot
        bind = session.get_bind()
        if snapshot is None or not isinstance(bind, Engine):
            self._snapshot = snapshot = CatalogSnapshot.read(session)
            return snapshot
        with self._lock:
            if self._refreshing:
                return snapshot
            self._refreshing = True
        threading.Thread(target=self._refresh, args=(bind,), name="recs-catalog-snapshot", daemon=True).start()
        return snapshot

    def _refresh(self, engine: Engine) -> None:
        try:
            with Session(engine) as session:
                self._snapshot = CatalogSnapshot.read(session)
        except Exception:  # keep serving the old copy; the next request past the ttl tries again
            log.exception("cannot refresh the recommendation catalog snapshot")
        finally:
            with self._lock:
                self._refreshing = False
