"""The uplift model learned from the shop's own logged offer decisions, and where serving finds it.

Training rows are the randomised decisions only (`explored`: offer or not was decided at random, so the
difference between the arms is what the offer caused). The outcome is whether the shopper placed an order
within OUTCOME_WINDOW of the decision; decisions younger than that are left for the next training. Features
are what `decide` knew at the time (logged in the decision): the purchase-intent score, the basket, the
shopper's order count and the moment in the conversation. `features()` is shared by training and serving.

Artefacts are versions in a commerce.artefacts store (plain float arrays in npz, loaded with
allow_pickle=False, plus metadata.json); serving reloads a newer version by itself.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.artefacts import Reloader, VersionedStore, new_version
from commerce.config import get_settings
from commerce.orders.models import Order
from commerce.promo.models import Decision
from commerce.promo.uplift import UpliftModel

# intent_undecided = 4p(1-p): persuadable shoppers are usually the undecided ones, a shape a linear model of p
# alone cannot draw.
FEATURES = ("intent_probability", "intent_logit", "intent_undecided", "log_basket_eur", "has_ordered", "log_orders",
            "moment_price_question", "moment_hesitation", "moment_cart_abandonment")
OUTCOME_WINDOW = timedelta(days=2)
MIN_PER_ARM, MIN_BUYERS_PER_ARM = 200, 20


class NotEnoughData(Exception):
    pass


def features(p_buy: float, basket_cents: int, orders: int, moment: str | None) -> np.ndarray:
    p = min(max(float(p_buy), 1e-4), 1 - 1e-4)
    return np.array([
        p, math.log(p / (1 - p)), 4 * p * (1 - p), math.log1p(max(basket_cents, 0) / 100), float(orders > 0), math.log1p(orders),
        float(moment == "price_question"), float(moment == "hesitation"), float(moment == "cart_abandonment"),
    ])


@dataclass(frozen=True)
class TrainingData:
    X: np.ndarray
    treated: np.ndarray
    bought: np.ndarray

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for array in (self.X, self.treated, self.bought):
            digest.update(np.ascontiguousarray(array).tobytes())
        return digest.hexdigest()[:16]


def training_data(session: Session, now: datetime) -> TrainingData:
    """The randomised decisions whose outcome window has closed, with their outcome."""
    decisions = session.execute(
        select(Decision.customer_id, Decision.decided_at, Decision.intent_probability, Decision.offer_id,
               Decision.context)
        .where(Decision.explored.is_(True), Decision.intent_probability.is_not(None),
               Decision.decided_at <= now - OUTCOME_WINDOW)
        .order_by(Decision.id)
    ).all()
    if not decisions:
        return TrainingData(np.zeros((0, len(FEATURES))), np.zeros(0, np.int8), np.zeros(0, np.int8))
    first = min(d.decided_at for d in decisions)
    orders_by_customer: dict[int, list[datetime]] = {}
    for customer_id, placed_at in session.execute(
        select(Order.customer_id, Order.placed_at).where(Order.placed_at > first)
    ):
        orders_by_customer.setdefault(customer_id, []).append(placed_at)
    rows, treated, bought = [], [], []
    for d in decisions:
        context = d.context or {}
        rows.append(features(d.intent_probability, int(context.get("basket_cents") or 0),
                             int(context.get("orders") or 0), context.get("moment")))
        treated.append(d.offer_id is not None)
        end = d.decided_at + OUTCOME_WINDOW
        bought.append(any(d.decided_at < t <= end for t in orders_by_customer.get(d.customer_id, ())))
    return TrainingData(np.vstack(rows), np.array(treated, np.int8), np.array(bought, np.int8))


def default_root() -> Path:
    return get_settings().MODELS_DIR / "uplift"


def train(session: Session, root: Path, now: datetime | None = None,
          if_changed: bool = False) -> str | None:
    """Fit on the log and publish a new version; None when `if_changed` and the data is unchanged."""
    now = now or datetime.now(timezone.utc)
    data = training_data(session, now)
    fingerprint = data.fingerprint()
    store = VersionedStore(root)
    latest = store.latest()
    if if_changed and latest and store.metadata(latest).get("data", {}).get("fingerprint") == fingerprint:
        return None
    arms = {"with an offer": data.treated == 1, "without": data.treated == 0}
    for name, rows in arms.items():
        if rows.sum() < MIN_PER_ARM or data.bought[rows].sum() < MIN_BUYERS_PER_ARM:
            raise NotEnoughData(
                f"{int(rows.sum())} randomised decisions {name} ({int(data.bought[rows].sum())} followed by an "
                f"order); training needs {MIN_PER_ARM} per arm with {MIN_BUYERS_PER_ARM} orders. The exploration "
                "share keeps logging them; until then offers use the prior uplift.")
    model = UpliftModel.fit(data.X, data.treated, data.bought, C=0.5)
    rate = {name: round(float(data.bought[rows].mean()), 4) for name, rows in arms.items()}
    metadata = {"features": list(FEATURES), "outcome_window_days": OUTCOME_WINDOW.days,
                "data": {"fingerprint": fingerprint, "decisions": int(len(data.bought)),
                         "treated": int(data.treated.sum()), "order_rate": rate,
                         "average_uplift": round(rate["with an offer"] - rate["without"], 4)}}
    return store.save_arrays(model.arrays(), metadata, version=new_version(now))


class UpliftHolder(Reloader[UpliftModel]):
    """The newest trained uplift model (checked for at most once a second); a version trained on other features
    than this code computes is skipped."""

    def __init__(self, root: Path) -> None:
        self.root = root
        store = VersionedStore(root)
        super().__init__(store, lambda version: self._read(store, version), "uplift model", check_every=1.0)

    @staticmethod
    def _read(store: VersionedStore, version: str) -> UpliftModel:
        if store.metadata(version).get("features") != list(FEATURES):
            raise ValueError(f"trained on other features than {list(FEATURES)}")
        return UpliftModel.from_arrays(store.load_arrays(version))

    def current(self, clock: float | None = None) -> UpliftModel | None:
        return super().current(clock)


_holder: UpliftHolder | None = None


def get_uplift_holder() -> UpliftHolder:
    global _holder
    if _holder is None:
        _holder = UpliftHolder(default_root())
    return _holder
