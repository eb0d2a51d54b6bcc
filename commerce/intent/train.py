"""Train the purchase-intent model on the shop's event log and publish it as a new artefact version.

    python -m commerce.intent.train [--if-changed] [--out var/models/intent]

A stratified fifth of the visits is kept out of training; the metrics stored with the artefact are measured
on it. The running service picks the new version up by itself.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split
from sqlalchemy.orm import Session

from commerce.db import get_sessionmaker
from commerce.intent import dataset, training
from commerce.intent.features import FEATURES
from commerce.intent.metrics import evaluate
from commerce.intent.store import ArtefactStore, default_root
from commerce.intent.training import TrainingConfig

MIN_VISITS, MIN_PURCHASES = 100, 20


class NotEnoughData(Exception):
    pass


def is_current(store: ArtefactStore, data_fingerprint: str) -> bool:
    latest = store.latest()
    if latest is None:
        return False
    metadata = store.metadata(latest)
    return metadata.get("data", {}).get("fingerprint") == data_fingerprint and metadata.get("features") == list(FEATURES)


def run(session: Session, store: ArtefactStore, config: TrainingConfig | None = None,
        if_changed: bool = False) -> str | None:
    """Train and save; returns the new version, or None when `if_changed` and the data has not changed."""
    rows, labels = dataset.from_event_log(session)
    data_fingerprint = dataset.fingerprint(rows, labels)
    if if_changed and is_current(store, data_fingerprint):
        return None
    purchases = int(labels.sum())
    if len(rows) < MIN_VISITS or purchases < MIN_PURCHASES or len(rows) - purchases < MIN_PURCHASES:
        raise NotEnoughData(
            f"The event log has {len(rows):,} visits and {purchases:,} purchases; training needs at least "
            f"{MIN_VISITS} visits and {MIN_PURCHASES} with and without a purchase. Seed the demo shop (make db) "
            "or record more visits.")

    config = config or TrainingConfig()
    started = time.perf_counter()
    train_idx, test_idx = train_test_split(np.arange(len(rows)), test_size=0.2, stratify=labels,
                                           random_state=config.seed)
    model = training.fit([rows[i] for i in train_idx], labels[train_idx], config)
    test_metrics = evaluate(labels[test_idx], model.predict_proba([rows[i] for i in test_idx]))
    model.info["metrics"] = {"held_out_test": test_metrics, "test_visits": len(test_idx),
                             "test_purchase_rate": float(labels[test_idx].mean())}
    model.info["data"] = {"source": "event log", "fingerprint": data_fingerprint, "visits": len(rows),
                          "purchases": purchases}
    model.info["training"]["seconds"] = round(time.perf_counter() - started, 2)
    model.info["libraries"] = _library_versions()
    return store.save(model)


def _library_versions() -> dict[str, str]:
    import keras
    import sklearn
    import tensorflow as tf

    return {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__,
            "scikit-learn": sklearn.__version__}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m commerce.intent.train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="artefact folder (default: MODELS_DIR/intent)")
    parser.add_argument("--if-changed", action="store_true",
                        help="do nothing when the newest artefact was trained on exactly this event log")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--calibration", choices=("sigmoid", "isotonic"), default="sigmoid")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    store = ArtefactStore(args.out or default_root())
    with get_sessionmaker()() as session:
        try:
            config = TrainingConfig(seed=args.seed, calibration=args.calibration)
            version = run(session, store, config, if_changed=args.if_changed)
        except NotEnoughData as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return 1
    if version is None:
        print(f"Intent model {store.latest()} is current: the event log has not changed.")
        return 0
    metadata = store.metadata(version)
    test = metadata["metrics"]["held_out_test"]
    print(f"Intent model {version} saved in {store.root} ({time.perf_counter() - started:.1f} s, "
          f"{metadata['data']['visits']:,} visits, {metadata['training']['members']} networks): held-out ROC-AUC "
          f"{test['roc_auc']:.3f}, PR-AUC {test['pr_auc']:.3f}, Brier {test['brier']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
