"""Fitting the purchase-intent model: a Keras network (inputs -> ReLU layers -> sigmoid), then calibration.

Only training imports TensorFlow; the fitted weights move into a numpy IntentModel for serving.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.class_weight import compute_class_weight

from commerce.intent.encoder import NUMERIC, Encoder
from commerce.intent.features import CATEGORIES, FLAGS, Row
from commerce.intent.model import Calibration, IntentModel, forward


@dataclass(frozen=True)
class TrainingConfig:
    hidden: tuple[int, ...] = (64, 32)
    dropout: float = 0.2
    l2: float = 1e-4
    learning_rate: float = 1e-3
    batch_size: int = 64
    max_epochs: int = 200
    patience: int = 20
    # Cross-fitted ensemble: network k trains on all folds but k and stops early on fold k; the out-of-fold
    # logits of all networks fit the calibration, so every training row is used for both.
    members: int = 5
    # Networks per fold, each from another seed (members * repeats networks in all).
    repeats: int = 1
    # "balanced" weights purchases up to half the loss; AUC only ranks, so "none" may do as well or better.
    class_weight: Literal["balanced", "none"] = "balanced"
    calibration: Literal["sigmoid", "isotonic"] = "sigmoid"
    min_category_count: int = 10
    # Categorical features given to the network. Month and visitor type carry signal; browser, OS, region and
    # traffic source (dozens of sparse one-hot columns) only added variance in selection CV (docs/benchmarks.md).
    categories: tuple[str, ...] = ("Month", "VisitorType")
    positive_flags: tuple[str, ...] = ()  # numbers that also get a "> 0" indicator input
    seed: int = 42

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "hidden": list(self.hidden), "categories": list(self.categories),
                "positive_flags": list(self.positive_flags)}


def _keras() -> Any:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    try:
        # Two cores are shared with the web server and other jobs; more threads only add contention.
        tf.config.threading.set_intra_op_parallelism_threads(2)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        pass  # already initialised by an earlier fit in this process
    import keras

    return keras


def build_network(width: int, config: TrainingConfig) -> Any:
    keras = _keras()
    regulariser = keras.regularizers.l2(config.l2)
    layers: list[Any] = [keras.Input((width,))]
    for units in config.hidden:
        layers += [
            keras.layers.Dense(units, activation="relu", kernel_regularizer=regulariser),
            keras.layers.Dropout(config.dropout),
        ]
    layers.append(keras.layers.Dense(1, activation="sigmoid"))
    model = keras.Sequential(layers)
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate),
        loss="binary_crossentropy",
        metrics=[keras.metrics.AUC(name="auc")],
    )
    return model


def train_network(
    x_fit: np.ndarray, y_fit: np.ndarray, x_val: np.ndarray, y_val: np.ndarray, config: TrainingConfig
) -> tuple[list[tuple[np.ndarray, np.ndarray]], int]:
    """Dense-layer weights of the network with the best validation AUC, and the epochs it trained."""
    keras = _keras()
    keras.utils.set_random_seed(config.seed)
    model = build_network(x_fit.shape[1], config)
    # Class imbalance is handled here, on the fitting rows only; calibration undoes the shift it causes.
    weights = (compute_class_weight("balanced", classes=np.array([0, 1]), y=y_fit)
               if config.class_weight == "balanced" else np.ones(2))
    stop = keras.callbacks.EarlyStopping(
        monitor="val_auc", mode="max", patience=config.patience, restore_best_weights=True
    )
    history = model.fit(
        x_fit,
        y_fit,
        validation_data=(x_val, y_val),
        epochs=config.max_epochs,
        batch_size=config.batch_size,
        class_weight={0: float(weights[0]), 1: float(weights[1])},
        callbacks=[stop],
        verbose=0,
    )
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    return [tuple(np.asarray(w) for w in layer.get_weights()) for layer in dense], len(history.history["loss"])


def typical_row(rows: Sequence[Row]) -> Row:
    """Median of each number and most common value of each category: the baseline of explanations."""
    row: Row = {name: float(np.median([float(r[name]) for r in rows])) for name in NUMERIC}
    for name in (*CATEGORIES, *FLAGS):
        row[name] = Counter(r[name] for r in rows).most_common(1)[0][0]
    return row


def fit(rows: Sequence[Row], labels: Sequence[int] | np.ndarray, config: TrainingConfig | None = None) -> IntentModel:
    config = config or TrainingConfig()
    y = np.asarray(labels, dtype=np.int64)
    if min(np.bincount(y, minlength=2)) < config.members:
        raise ValueError(f"training needs at least {config.members} sessions with and without a purchase")
    # The encoder uses no labels, so fitting it on every training row leaks nothing into early stopping.
    encoder = Encoder.fit(rows, min_count=config.min_category_count, categories=config.categories,
                          positive_flags=config.positive_flags)
    x = encoder.encode(rows)
    folds = StratifiedKFold(config.members, shuffle=True, random_state=config.seed).split(x, y)
    members, epochs = [], []
    out_of_fold = np.zeros(len(y), dtype=np.float32)
    for k, (fit_idx, val_idx) in enumerate(folds):
        for r in range(config.repeats):
            member_config = replace(config, seed=config.seed + k + 1000 * r)
            layers, trained = train_network(x[fit_idx], y[fit_idx], x[val_idx], y[val_idx], member_config)
            members.append(layers)
            epochs.append(trained)
            out_of_fold[val_idx] += forward(layers, x[val_idx]) / config.repeats
    calibration = Calibration.fit(out_of_fold, y, config.calibration)
    info = {"training": {**config.to_dict(), "epochs": epochs, "rows": len(y)}}
    return IntentModel(encoder, members, calibration, typical_row(rows), info=info)
