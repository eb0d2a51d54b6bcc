"""Fine-tuning all-MiniLM-L6-v2 on the intents, in TensorFlow (Rasa's own), on the CPU.

The network is BERT's forward pass (the same one knowledge_base/encoder.py runs in numpy) written with
TensorFlow ops over variables loaded from the wheel's safetensors, followed by mean pooling, L2
normalisation and a cosine-softmax over the intents. After training the head is dropped and the tuned
tensors are written to a safetensors file under their original names, which the numpy Encoder reads over
the wheel's own (`Encoder(overrides=...)`): TensorFlow is only needed while training.

The word-embedding table (30,522 x 384, over half of the parameters) stays frozen: the shop's data is a few
thousand sentences, and rare or misspelt words keep the pre-trained vectors they would otherwise lose.
"""

from __future__ import annotations

import json
import math
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
from safetensors.numpy import load_file, save_file
from tokenizers import Tokenizer

from knowledge_base.encoder import MAX_TOKENS, model_dir

_FROZEN = ("embeddings.word_embeddings.weight",)
_MATRIX_SUFFIXES = ("query.weight", "key.weight", "value.weight", "dense.weight")


@dataclass(frozen=True)
class TuningConfig:
    epochs: int = 2
    learning_rate: float = 1e-4
    batch_size: int = 32
    warmup: float = 0.1  # share of the steps with a linearly rising learning rate
    weight_decay: float = 0.01
    dropout: float = 0.1
    # Cosine-softmax temperature: logits are scale * cos(sentence, intent).
    scale: float = 20.0
    max_tokens: int = 64  # training sentences are cut here (serving still reads up to MAX_TOKENS)
    seed: int = 42


def _tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(2)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        pass  # already initialised in this process
    return tf


def _to_variable_layout(name: str, array: np.ndarray) -> np.ndarray:
    # Linear weights are stored [out, in]; the TensorFlow graph multiplies x @ W, so it keeps [in, out].
    return array.T.copy() if name.endswith(_MATRIX_SUFFIXES) else array


class _Network:
    """MiniLM as TensorFlow variables, with an intent head; `encode` is the sentence vector."""

    def __init__(self, weights: Dict[str, np.ndarray], config: dict, intents: int, tuning: TuningConfig) -> None:
        tf = _tf()
        self.tf = tf
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.tuning = tuning
        self.variables: Dict[str, "tf.Variable"] = {
            name: tf.Variable(_to_variable_layout(name, array), trainable=self._tuned(name, array),
                              name=name.replace(".", "/"))
            for name, array in weights.items()
        }
        dims = weights["embeddings.word_embeddings.weight"].shape[1]
        self.head = tf.Variable(tf.zeros((dims, intents)), name="head")  # set to the intents' centroids

    @staticmethod
    def _tuned(name: str, array: np.ndarray) -> bool:
        # Besides the frozen table: integer buffers (position ids) and BERT's pooler, which mean pooling skips.
        return name not in _FROZEN and array.dtype.kind == "f" and not name.startswith("pooler.")

    def trainable(self) -> list:
        return [v for v in self.variables.values() if v.trainable] + [self.head]

    def _dense(self, x, prefix: str):
        return x @ self.variables[prefix + ".weight"] + self.variables[prefix + ".bias"]

    def _norm(self, x, prefix: str):
        tf = self.tf
        mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(variance + self.eps) * self.variables[prefix + ".weight"] + \
            self.variables[prefix + ".bias"]

    def _dropout(self, x, training: bool):
        return self.tf.nn.dropout(x, self.tuning.dropout) if training and self.tuning.dropout else x

    def encode(self, ids, mask, training: bool):
        tf, v = self.tf, self.variables
        batch, length = tf.shape(ids)[0], tf.shape(ids)[1]
        x = tf.gather(v["embeddings.word_embeddings.weight"], ids) \
            + v["embeddings.position_embeddings.weight"][:length] \
            + v["embeddings.token_type_embeddings.weight"][0]
        x = self._dropout(self._norm(x, "embeddings.LayerNorm"), training)
        dims = x.shape[-1]
        head_dim = dims // self.heads
        bias = (1.0 - mask)[:, None, None, :] * -1e9

        def split(t):
            return tf.transpose(tf.reshape(t, [batch, length, self.heads, head_dim]), [0, 2, 1, 3])

        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = split(self._dense(x, p + "attention.self.query"))
            k = split(self._dense(x, p + "attention.self.key"))
            val = split(self._dense(x, p + "attention.self.value"))
            scores = tf.nn.softmax(q @ tf.transpose(k, [0, 1, 3, 2]) / math.sqrt(head_dim) + bias, axis=-1)
            context = tf.reshape(tf.transpose(self._dropout(scores, training) @ val, [0, 2, 1, 3]), [batch, length, dims])
            attended = self._dropout(self._dense(context, p + "attention.output.dense"), training)
            x = self._norm(attended + x, p + "attention.output.LayerNorm")
            inner = tf.nn.gelu(self._dense(x, p + "intermediate.dense"), approximate=False)
            out = self._dropout(self._dense(inner, p + "output.dense"), training)
            x = self._norm(out + x, p + "output.LayerNorm")
        pooled = tf.reduce_sum(x * mask[:, :, None], axis=1) / tf.maximum(tf.reduce_sum(mask, axis=1, keepdims=True), 1e-9)
        return tf.math.l2_normalize(pooled, axis=-1)

    def logits(self, ids, mask, training: bool):
        tf = self.tf
        return self.tuning.scale * (self.encode(ids, mask, training) @ tf.math.l2_normalize(self.head, axis=0))

    def tuned_weights(self) -> Dict[str, np.ndarray]:
        return {name: np.ascontiguousarray(_to_variable_layout(name, variable.numpy()))
                for name, variable in self.variables.items() if variable.trainable}


def _batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> List[List[int]]:
    """Shuffled batches of similar lengths (padding is wasted work): sort within pools of 50 batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start:start + pool], key=lambda i: lengths[i])
        batches += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def fine_tune(texts: Sequence[str], labels: Sequence[str], out_file: Path, tuning: TuningConfig = TuningConfig(),
              source: Optional[Path] = None, log=print) -> Path:
    """Fine-tunes MiniLM to tell the labels apart and writes the tuned tensors to out_file (safetensors)."""
    if len(texts) != len(labels) or not texts:
        raise ValueError("fine_tune needs as many labels as texts, and at least one")
    source = source or model_dir()
    tf = _tf()
    tf.random.set_seed(tuning.seed)
    config = json.loads((source / "config.json").read_text())
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.enable_truncation(min(tuning.max_tokens, MAX_TOKENS))
    tokenizer.no_padding()
    lengths = [len(e.ids) for e in tokenizer.encode_batch(list(texts))]
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of each batch
    names = sorted(set(labels))
    index = {name: i for i, name in enumerate(names)}
    y = np.array([index[label] for label in labels], dtype=np.int32)

    network = _Network(load_file(str(source / "model.safetensors")), config, len(names), tuning)
    variables = network.trainable()
    rng = random.Random(tuning.seed)
    steps = tuning.epochs * math.ceil(len(texts) / tuning.batch_size)
    warmup = max(1, int(steps * tuning.warmup))

    class Schedule(tf.keras.optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            step = tf.cast(step, tf.float32)
            rise = step / warmup
            fall = tf.maximum(0.0, (steps - step) / max(1, steps - warmup))
            return tuning.learning_rate * tf.minimum(rise, fall)

    optimizer = tf.keras.optimizers.AdamW(learning_rate=Schedule(), weight_decay=tuning.weight_decay)
    optimizer.exclude_from_weight_decay(var_names=["bias", "LayerNorm", "head"])

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.float32),
                                  tf.TensorSpec([None], tf.int32)])
    def step(batch_ids, batch_mask, batch_y):
        with tf.GradientTape() as tape:
            logits = network.logits(batch_ids, batch_mask, training=True)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(batch_y, logits))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    def padded(batch: List[int]):
        encodings = tokenizer.encode_batch([texts[i] for i in batch])
        return (np.array([e.ids for e in encodings], dtype=np.int32),
                np.array([e.attention_mask for e in encodings], dtype=np.float32))

    # The head starts at each intent's mean pre-trained sentence vector, so training starts from a working
    # nearest-centroid classifier instead of a random one that would first pull the encoder off course.
    vectors = np.zeros((len(texts), network.head.shape[0]), dtype=np.float32)
    by_length = sorted(range(len(texts)), key=lambda i: lengths[i])
    for batch in (by_length[i:i + 128] for i in range(0, len(texts), 128)):
        vectors[batch] = network.encode(*padded(batch), training=False).numpy()
    centroids = np.stack([vectors[y == k].mean(axis=0) for k in range(len(names))], axis=1)
    network.head.assign(centroids / np.linalg.norm(centroids, axis=0, keepdims=True))

    for epoch in range(tuning.epochs):
        losses = []
        for batch in _batches(lengths, tuning.batch_size, rng):
            losses.append(float(step(*padded(batch), y[batch])))
        log(f"MiniLM fine-tuning: epoch {epoch + 1}/{tuning.epochs}, loss {np.mean(losses):.4f}")

    out_file.parent.mkdir(parents=True, exist_ok=True)
    save_file(network.tuned_weights(), str(out_file))
    return out_file
