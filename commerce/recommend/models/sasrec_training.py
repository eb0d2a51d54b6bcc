"""Keras training of the SASRec model served by sasrec.py; imported only when a SASRec model is fitted.

Each history predicts its own next item at every position (input s[:-1], targets s[1:]); the loss is the
softmax cross-entropy over the whole catalog at the positions that hold an item, with the output layer tied to
the item embeddings.
"""

from __future__ import annotations

import sqlite3  # noqa: F401  (must load before TensorFlow, see below)
import time
from typing import Any

# TensorFlow bundles an SQLite without FTS5; once it is loaded first, Python's sqlite3 binds to it and the catalog's
# full-text tables stop working in the same process (the training command, the tests).
import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from commerce.recommend.data import Histories
from commerce.recommend.models.sasrec import LN_EPSILON


class Positions(layers.Layer):
    """A learned vector per position counted back from the newest item, added to the item embeddings; a batch
    may be shorter than max_len (its leading padding cut off)."""

    def __init__(self, length: int, dim: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.length = length
        self.table = self.add_weight(shape=(length, dim), initializer="glorot_uniform", name="table")

    def call(self, x: Any) -> Any:
        return x + self.table[self.length - ops.shape(x)[1] :][None, :, :]


def build(n_items: int, p: dict[str, Any]) -> keras.Model:
    length, dim, heads = int(p["max_len"]), int(p["dim"]), int(p["heads"])
    sequence = keras.Input((None,), dtype="int32")
    valid = ops.cast(ops.greater(sequence, 0), "float32")[..., None]
    x = layers.Embedding(n_items + 1, dim, name="items")(sequence)
    x = Positions(length, dim, name="positions")(x)
    x = layers.Dropout(p["dropout"])(x) * valid
    # May attend to earlier positions that hold an item (the causal part is use_causal_mask below).
    keys = ops.cast(valid[..., 0][:, None, :] * ops.ones_like(valid), "bool")
    for b in range(int(p["blocks"])):
        h = layers.LayerNormalization(epsilon=LN_EPSILON, name=f"block{b}_ln_att")(x)
        h = layers.MultiHeadAttention(heads, dim // heads, name=f"block{b}_att")(
            h, h, attention_mask=keys, use_causal_mask=True
        )
        x = x + layers.Dropout(p["dropout"])(h)
        h = layers.LayerNormalization(epsilon=LN_EPSILON, name=f"block{b}_ln_ffn")(x)
        h = layers.Dense(dim, activation="relu", name=f"block{b}_ffn1")(h)
        h = layers.Dense(dim, name=f"block{b}_ffn2")(layers.Dropout(p["dropout"])(h))
        x = (x + layers.Dropout(p["dropout"])(h)) * valid
    x = layers.LayerNormalization(epsilon=LN_EPSILON, name="ln_out")(x)
    return keras.Model(sequence, x)


def export(model: keras.Model, blocks: int) -> dict[str, np.ndarray]:
    """The trained weights under the names sasrec.SASRec reads."""
    w = {"items": model.get_layer("items").embeddings, "positions": model.get_layer("positions").table}
    for b in range(blocks):
        att = model.get_layer(f"block{b}_att")
        for part, dense in (("query", att.query_dense), ("key", att.key_dense), ("value", att.value_dense),
                            ("output", att.output_dense)):
            w[f"block{b}.att.{part}.kernel"], w[f"block{b}.att.{part}.bias"] = dense.kernel, dense.bias
        for name in ("ln_att", "ln_ffn"):
            layer = model.get_layer(f"block{b}_{name}")
            w[f"block{b}.{name}.gamma"], w[f"block{b}.{name}.beta"] = layer.gamma, layer.beta
        for name in ("ffn1", "ffn2"):
            layer = model.get_layer(f"block{b}_{name}")
            w[f"block{b}.{name}.kernel"], w[f"block{b}.{name}.bias"] = layer.kernel, layer.bias
    out = model.get_layer("ln_out")
    w["ln_out.gamma"], w["ln_out.beta"] = out.gamma, out.beta
    return {k: np.asarray(v.numpy(), dtype=np.float32) for k, v in w.items()}


def training_pairs(histories: Histories, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Left-padded inputs and next-item targets (1-based ids, 0 = nothing to predict)."""
    usable = [s for s in histories.items if len(s) >= 2]
    inputs = np.zeros((len(usable), length), dtype=np.int32)
    targets = np.zeros((len(usable), length), dtype=np.int32)
    for row, items in enumerate(usable):
        seq = items[-(length + 1) :] + 1
        n = len(seq) - 1
        inputs[row, length - n :] = seq[:-1]
        targets[row, length - n :] = seq[1:]
    return inputs, targets


def train(
    histories: Histories, p: dict[str, Any], validation: tuple[Histories, np.ndarray] | None
) -> tuple[dict[str, np.ndarray], list[dict[str, float]]]:
    from commerce.recommend.models.sasrec import SASRec

    keras.utils.set_random_seed(int(p["seed"]))
    model = build(histories.n_items, p)
    item_table = model.get_layer("items").embeddings
    optimizer = keras.optimizers.Adam(learning_rate=float(p["learning_rate"]))
    inputs, targets = training_pairs(histories, int(p["max_len"]))
    if not len(inputs):
        raise ValueError("SASRec needs histories of two or more events to learn from")

    n_items, negatives = histories.n_items, p["negatives"]

    def loss_of(hidden: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
        """Softmax cross-entropy of each next item against the whole catalog, or against `negatives` items
        drawn uniformly for the batch (the next item's own draws are masked out)."""
        if negatives is None:
            logits = tf.matmul(hidden, item_table[1:], transpose_b=True)
            return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels - 1, logits=logits)
        positive = tf.reduce_sum(hidden * tf.gather(item_table, labels), axis=-1)
        drawn = tf.random.uniform((int(negatives),), 1, n_items + 1, dtype=tf.int32)
        negative = tf.matmul(hidden, tf.gather(item_table, drawn), transpose_b=True)
        negative = tf.where(drawn[None, :] == labels[:, None], tf.constant(-1e9, hidden.dtype), negative)
        return tf.reduce_logsumexp(tf.concat([positive[:, None], negative], axis=1), axis=1) - positive

    @tf.function(reduce_retracing=True)
    def step(x: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            mask = y > 0
            hidden = tf.boolean_mask(model(x, training=True), mask)
            loss = tf.reduce_mean(loss_of(hidden, tf.boolean_mask(y, mask)))
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    rng = np.random.default_rng(int(p["seed"]))
    if validation is not None and len(validation[0]) > int(p["val_users"]):
        sample = np.sort(rng.choice(len(validation[0]), int(p["val_users"]), replace=False))
        validation = (validation[0][sample], validation[1][sample])
    batch = int(p["batch_size"])
    lengths = (targets > 0).sum(axis=1)
    started = time.perf_counter()
    log: list[dict[str, float]] = []
    best: tuple[float, dict[str, np.ndarray]] | None = None
    waited = 0
    for epoch in range(1, int(p["epochs"]) + 1):
        losses = [float(step(inputs[rows, -longest:], targets[rows, -longest:]))
                  for rows, longest in _batches(lengths, batch, rng)]
        entry = {"epoch": epoch, "loss": float(np.mean(losses)), "seconds": time.perf_counter() - started}
        out_of_time = entry["seconds"] > float(p["max_seconds"])
        if validation is not None and (epoch % int(p["eval_every"]) == 0 or out_of_time):
            candidate = export(model, int(p["blocks"]))
            entry["val_ndcg@10"] = _validation_ndcg(SASRec, p, histories.n_items, candidate, validation)
            if best is None or entry["val_ndcg@10"] > best[0]:
                best, waited = (entry["val_ndcg@10"], candidate), 0
            else:
                waited += 1
        log.append(entry)
        if out_of_time or waited >= int(p["patience"]):
            break
    return (best[1] if best else export(model, int(p["blocks"]))), log


def _batches(lengths: np.ndarray, size: int, rng: np.random.Generator) -> list[tuple[np.ndarray, int]]:
    """Batches of histories of about the same length, each with its longest length, in random order: most
    histories are short, and cutting their padding off is most of the training time saved."""
    order = np.lexsort((rng.random(len(lengths)), lengths))
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    return [(batches[j], int(lengths[batches[j]].max())) for j in rng.permutation(len(batches))]


def _validation_ndcg(cls: type, p: dict[str, Any], n_items: int, weights: dict[str, np.ndarray],
                     validation: tuple[Histories, np.ndarray]) -> float:
    from commerce.recommend.evaluation import rank_targets
    from commerce.recommend.metrics import ndcg_at_k

    scorer = cls(**p)
    scorer.n_items, scorer.weights = n_items, weights
    return ndcg_at_k(rank_targets(scorer.score, *validation), 10)
