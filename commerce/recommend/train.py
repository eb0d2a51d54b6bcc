"""Train a recommender on the shop's own events and publish it as a new artefact version.

    python -m commerce.recommend.train [--model hybrid] [--if-changed] [--out var/models/recs]

The last product of every shopper with three or more is held out first: the chosen model and popularity are
scored on it (HR@10, NDCG@10, ranked against the whole catalog) and the figures stored with the artefact. The
model is then fitted on everything. The running service picks the new version up by itself.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from commerce.db import get_sessionmaker
from commerce.recommend import dataset
from commerce.recommend.data import Histories
from commerce.recommend.evaluation import evaluate
from commerce.recommend.models import Popularity, Recommender, SASRec, registered
from commerce.recommend.store import DEFAULT_ROOT, Artefact, ArtefactStore

DEFAULT_MODEL = "hybrid"
MIN_SHOPPERS, MIN_ITEMS = 10, 2


class NotEnoughData(Exception):
    pass


def holdout(histories: Histories) -> tuple[Histories, np.ndarray, np.ndarray]:
    """Training histories with the last event of every 3+-event history removed, those histories (as input) and
    their removed items (as targets)."""
    held = np.array([u for u, items in enumerate(histories.items) if len(items) >= 3], dtype=np.int64)
    head, targets = histories[held].split_last() if len(held) else (histories[[]], np.zeros(0, np.int32))
    items, weights = list(histories.items), list(histories.weights)
    for row, user in enumerate(held):
        items[user], weights[user] = head.items[row], head.weights[row]
    return Histories(items, weights, histories.n_items), held, targets


def is_current(store: ArtefactStore, fingerprint: str, model: str) -> bool:
    latest = store.latest()
    if latest is None:
        return False
    metadata = store.metadata(latest)
    return metadata.get("data", {}).get("fingerprint") == fingerprint and metadata.get("model") == model


def run(session: Session, store: ArtefactStore, model_name: str = DEFAULT_MODEL, if_changed: bool = False,
        params: dict[str, Any] | None = None) -> str | None:
    """Train and save; returns the new version, or None when `if_changed` and neither data nor model changed."""
    data = dataset.from_shop(session)
    if if_changed and is_current(store, data.fingerprint, model_name):
        return None
    shoppers = sum(1 for items in data.histories.items if len(items) >= 2)
    if shoppers < MIN_SHOPPERS or data.histories.n_items < MIN_ITEMS:
        raise NotEnoughData(
            f"The shop has {shoppers} shoppers with two or more product events and {data.histories.n_items} "
            f"products; training needs {MIN_SHOPPERS} and {MIN_ITEMS}. Seed the demo shop (make db) or wait for "
            "more visits."
        )
    make = registered()[model_name]
    train, held, targets = holdout(data.histories)
    metrics: dict[str, Any] = {"held_out_shoppers": len(held)}
    for name, model in (("popularity", Popularity()), (model_name, make(**(params or {})))):
        started = time.perf_counter()
        if isinstance(model, SASRec):
            model.fit(train, validation=(train[held], targets))
            params = {**model.params, "epochs": _best_epoch(model)}
        else:
            model.fit(train)
        metrics[name] = {k: round(v, 4) for k, v in evaluate(model, train[held], targets, ks=(10,)).items()}
        metrics[name]["fit_seconds"] = round(time.perf_counter() - started, 2)

    started = time.perf_counter()
    final = make(**(params or {})).fit(data.histories)
    seconds = time.perf_counter() - started
    info = {
        "model": model_name,
        "params": final.params,
        "metrics": metrics,
        "data": {"fingerprint": data.fingerprint, "events": data.events, "shoppers": len(data.histories),
                 "products": int(data.histories.n_items)},
        "training_seconds": round(seconds, 2),
    }
    artefact = Artefact(data.product_ids, data.category_ids, data.trending, final, info=info)
    return store.save(artefact)


def _best_epoch(model: Recommender) -> int:
    log = [e for e in getattr(model, "training_log", []) if "val_ndcg@10" in e]
    return int(max(log, key=lambda e: e["val_ndcg@10"])["epoch"]) if log else int(model.params["epochs"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m commerce.recommend.train", description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=sorted(registered()), default=DEFAULT_MODEL)
    parser.add_argument("--out", type=Path, default=DEFAULT_ROOT, help="artefact folder (default: %(default)s)")
    parser.add_argument("--if-changed", action="store_true",
                        help="do nothing when the newest artefact is this model trained on exactly these events")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    store = ArtefactStore(args.out)
    with get_sessionmaker()() as session:
        try:
            version = run(session, store, args.model, if_changed=args.if_changed)
        except NotEnoughData as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return 1
    if version is None:
        print(f"Recommendation model {store.latest()} is current: same model, same events.")
        return 0
    meta = store.metadata(version)
    ours, popular = meta["metrics"][args.model], meta["metrics"]["popularity"]
    print(f"Recommendation model {version} ({args.model}) saved in {store.root} in "
          f"{time.perf_counter() - started:.1f} s ({meta['data']['events']:,} events, {meta['data']['shoppers']:,} "
          f"shoppers, {meta['data']['products']:,} products). Held-out last items of "
          f"{meta['metrics']['held_out_shoppers']:,} shoppers, HR@10 / NDCG@10: {args.model} "
          f"{ours['hr@10']:.4f} / {ours['ndcg@10']:.4f}, popularity {popular['hr@10']:.4f} / {popular['ndcg@10']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
