"""The shop's own events as model input: who looked at, carted and bought which product, in time order.

A shopper is a customer (all their visits and orders) or, when nobody signed in, one visit. Events weigh
by what they say about interest: a view 1, a cart addition 3, a purchase 5. Repeats of the same product in a
row (a view, then adding it to the cart) collapse into one event with the largest weight.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

import numpy as np
from sqlalchemy.orm import Session

from commerce.recommend import repository
from commerce.recommend.data import Histories
from commerce.recommend.repository import CART, PURCHASE, VIEW

EVENT_WEIGHTS = {VIEW: 1.0, CART: 3.0, PURCHASE: 5.0}
TRENDING_HALF_LIFE_DAYS = 7.0


@dataclass(frozen=True)
class ShopData:
    histories: Histories
    product_ids: np.ndarray  # item index -> product id, ascending
    category_ids: np.ndarray
    trending: np.ndarray
    events: int
    fingerprint: str


def collapse(events: Iterable[tuple[int, str]]) -> tuple[list[int], list[float]]:
    """(item, kind) events in time order -> items and weights, runs of one item merged at their largest weight."""
    items: list[int] = []
    weights: list[float] = []
    for item, kind in events:
        weight = EVENT_WEIGHTS[kind]
        if items and items[-1] == item:
            weights[-1] = max(weights[-1], weight)
        else:
            items.append(item)
            weights.append(weight)
    return items, weights


def trending_scores(
    item_index: np.ndarray, kinds: Sequence[str], ages_days: np.ndarray, n_items: int
) -> np.ndarray:
    """Interactions per item, each weighted by its kind and halved for every TRENDING_HALF_LIFE_DAYS of age."""
    weights = np.array([EVENT_WEIGHTS[k] for k in kinds], dtype=np.float64)
    decayed = weights * np.power(0.5, np.asarray(ages_days, dtype=np.float64) / TRENDING_HALF_LIFE_DAYS)
    return np.bincount(item_index, weights=decayed, minlength=n_items).astype(np.float32)


def from_shop(session: Session) -> ShopData:
    catalog = repository.active_products(session)
    product_ids = np.array([p for p, _ in catalog], dtype=np.int64)
    category_ids = np.array([c for _, c in catalog], dtype=np.int64)
    index = {int(p): i for i, p in enumerate(product_ids)}
    rows = sorted(
        ((r.user, r.at, index[r.product_id], r.kind) for r in repository.all_interactions(session)
         if r.product_id in index),
        key=lambda r: (r[0], r[1]),
    )
    sequences, weights = [], []
    for _, group in groupby(rows, key=lambda r: r[0]):
        items, w = collapse((item, kind) for _, _, item, kind in group)
        sequences.append(items)
        weights.append(w)
    histories = Histories.from_sequences(sequences, len(product_ids), weights)
    trending = np.zeros(len(product_ids), dtype=np.float32)
    if rows:
        latest = max(r[1] for r in rows)
        ages = np.array([(latest - r[1]).total_seconds() / 86400 for r in rows])
        trending = trending_scores(np.array([r[2] for r in rows]), [r[3] for r in rows], ages, len(product_ids))
    return ShopData(histories, product_ids, category_ids, trending, len(rows), _fingerprint(product_ids, rows))


def _fingerprint(product_ids: np.ndarray, rows: list[tuple[str, datetime, int, str]]) -> str:
    digest = hashlib.sha256(product_ids.tobytes())
    for user, at, item, kind in rows:
        digest.update(f"{user}|{at.isoformat()}|{item}|{kind}\n".encode())
    return digest.hexdigest()[:16]
