"""SASRec-style sequential recommender (Kang & McAuley 2018): a causal Transformer over the shopper's last items.

Trained in Keras (sasrec_training.py, which alone imports TensorFlow) with a full softmax over the catalog,
which on sparse data such as Amazon Beauty trains far better than the paper's one sampled negative
(Klenitskiy & Vasilev, RecSys 2023). Served here in numpy: two small Transformer blocks for one shopper are a
few matrix products, and the server never loads TensorFlow.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from commerce.recommend.data import Histories
from commerce.recommend.models.base import Recommender, cosine

LN_EPSILON = 1e-6


class SASRec(Recommender):
    name = "sasrec"
    defaults: dict[str, Any] = {
        "max_len": 50,
        "dim": 64,
        "blocks": 2,
        "heads": 1,
        "dropout": 0.3,
        "negatives": 1024,  # per batch, drawn uniformly; None: softmax over the whole catalog (slower)
        "learning_rate": 3e-3,
        "batch_size": 256,
        "epochs": 200,
        "patience": 4,  # evaluations without a better validation NDCG@10 before training stops
        "eval_every": 5,
        "val_users": 5000,  # validation histories scored per evaluation (a fixed random sample of them)
        "max_seconds": 780.0,
        "seed": 0,
    }

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.weights: dict[str, np.ndarray] = {}
        self.training_log: list[dict[str, float]] = []

    def fit(self, histories: Histories, validation: tuple[Histories, np.ndarray] | None = None) -> SASRec:
        """Train; with validation (histories and their next items), keep the epoch of best NDCG@10 and stop
        after `patience` evaluations without improvement."""
        from commerce.recommend.models import sasrec_training  # TensorFlow loads only to train

        self.weights, self.training_log = sasrec_training.train(histories, self.params, validation)
        self.n_items = histories.n_items
        return self

    def padded(self, histories: Histories) -> np.ndarray:
        """The last max_len items of each history as 1-based ids, left-padded with 0."""
        length = int(self.params["max_len"])
        out = np.zeros((len(histories), length), dtype=np.int32)
        for row, items in enumerate(histories.items):
            tail = items[-length:]
            if len(tail):
                out[row, length - len(tail) :] = tail + 1
        return out

    def hidden(self, sequences: np.ndarray) -> np.ndarray:
        """The Transformer's output at the last position of each padded sequence: (users × dim)."""
        w = self.weights
        valid = sequences > 0
        length = sequences.shape[1]
        # Positions count back from the newest item, so a sequence may be given without its leading padding.
        x = (w["items"][sequences] + w["positions"][None, -length:, :]) * valid[..., None]
        allowed = np.tril(np.ones((length, length), dtype=bool))[None, :, :] & valid[:, None, :]
        for b in range(int(self.params["blocks"])):
            p = f"block{b}."
            h = _layer_norm(x, w[p + "ln_att.gamma"], w[p + "ln_att.beta"])
            x = x + self._attention(h, allowed, p)
            h = _layer_norm(x, w[p + "ln_ffn.gamma"], w[p + "ln_ffn.beta"])
            h = np.maximum(h @ w[p + "ffn1.kernel"] + w[p + "ffn1.bias"], 0.0)
            x = (x + h @ w[p + "ffn2.kernel"] + w[p + "ffn2.bias"]) * valid[..., None]
        return _layer_norm(x[:, -1, :], w["ln_out.gamma"], w["ln_out.beta"])

    def _attention(self, h: np.ndarray, allowed: np.ndarray, p: str) -> np.ndarray:
        # Keras MultiHeadAttention's computation with its kernels: (dim, heads, key_dim) in, (heads, key_dim, dim) out.
        w = self.weights
        batch, length, dim = h.shape
        heads, key_dim = w[p + "att.query.bias"].shape

        def project(part: str) -> np.ndarray:  # (batch, heads, length, key_dim)
            kernel = w[p + f"att.{part}.kernel"].reshape(dim, heads * key_dim)
            out = h @ kernel + w[p + f"att.{part}.bias"].reshape(-1)
            return out.reshape(batch, length, heads, key_dim).transpose(0, 2, 1, 3)

        q, k, v = project("query"), project("key"), project("value")
        logits = (q * np.float32(1.0 / np.sqrt(key_dim))) @ k.transpose(0, 1, 3, 2)
        logits = np.where(allowed[:, None, :, :], logits, np.float32(-1e9))
        logits -= logits.max(axis=-1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=-1, keepdims=True)
        out = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, heads * key_dim)
        return out @ w[p + "att.output.kernel"].reshape(heads * key_dim, dim) + w[p + "att.output.bias"]

    def score(self, histories: Histories, batch_size: int = 1024) -> np.ndarray:
        self._check_histories(histories)
        items = self.weights["items"][1:]
        padded = self.padded(histories)
        lengths = (padded > 0).sum(axis=1)
        # Similar lengths together, each batch cut to its longest history: padding is most of a short one.
        order = np.argsort(lengths, kind="stable")
        out = np.empty((len(histories), self.n_items), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            longest = max(int(lengths[rows].max()), 1)
            out[rows] = self.hidden(padded[rows, -longest:]) @ items.T
        return out

    def similar_items(self, items: np.ndarray) -> np.ndarray:
        self._check_fitted()
        return cosine(self.weights["items"][1:], items)

    def item_similarity(self, items: np.ndarray, others: np.ndarray) -> np.ndarray:
        self._check_fitted()
        return cosine(self.weights["items"][1:], items, others)

    def arrays(self) -> dict[str, np.ndarray]:
        return dict(self.weights)

    def _restore(self, arrays: dict[str, np.ndarray]) -> None:
        self.weights = {k: v.astype(np.float32) for k, v in arrays.items()}


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LN_EPSILON) * gamma + beta
