"""The numpy MiniLM must reproduce sentence-transformers: the fixture holds vectors computed with
sentence-transformers 6.2 / torch 2.13 (CPU) from the same wheel's files, for sentences of ours. The
optimised forward pass is also checked against a plain float64 transcription of BERT below."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf

from knowledge_base.encoder import DIMENSIONS, _gelu_, from_bytes, get_encoder, model_dir, to_bytes

REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "minilm_reference.json").read_text())
# Texts of different lengths in one batch, so padding and the attention mask are exercised.
MIXED = ["Hi", "Where is my parcel?", "Do you ship to Norway and how long does it take to get there?",
         "Rückgabe", "refund refund refund", "Can I change the size of shoes I ordered yesterday evening?"]


def cosine_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = a.astype(np.float64), b.astype(np.float64)
    return 1 - (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def plain_bert(texts: list[str]) -> np.ndarray:
    """BERT + mean pooling written out as in the paper, one text at a time, in float64."""
    w = {k: v.astype(np.float64) for k, v in load_file(str(model_dir() / "model.safetensors")).items()}
    tokenizer = get_encoder().tokenizer

    def linear(x: np.ndarray, name: str) -> np.ndarray:
        return x @ w[name + ".weight"].T + w[name + ".bias"]

    def norm(x: np.ndarray, name: str) -> np.ndarray:
        centred = x - x.mean(axis=-1, keepdims=True)
        return centred / np.sqrt(centred.var(axis=-1, keepdims=True) + 1e-12) * w[name + ".weight"] + w[name + ".bias"]

    out = []
    for text in texts:
        ids = np.array(tokenizer.encode(text).ids)
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:len(ids)]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = norm(x, "embeddings.LayerNorm")
        for i in range(6):
            p = f"encoder.layer.{i}."
            q, k, v = (linear(x, p + "attention.self." + n).reshape(len(ids), 12, 32).transpose(1, 0, 2)
                       for n in ("query", "key", "value"))
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(32)
            weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights /= weights.sum(axis=-1, keepdims=True)
            context = (weights @ v).transpose(1, 0, 2).reshape(len(ids), DIMENSIONS)
            x = norm(x + linear(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            inner = linear(x, p + "intermediate.dense")
            inner = 0.5 * inner * (1 + erf(inner / math.sqrt(2)))
            x = norm(x + linear(inner, p + "output.dense"), p + "output.LayerNorm")
        pooled = x.mean(axis=0)
        out.append(pooled / np.linalg.norm(pooled))
    return np.array(out)


def test_matches_sentence_transformers() -> None:
    ours = get_encoder().encode(REFERENCE["sentences"])
    reference = np.array(REFERENCE["vectors"], dtype=np.float32)
    assert ours.shape == reference.shape == (len(REFERENCE["sentences"]), DIMENSIONS)
    assert np.abs(ours - reference).max() < 1e-5
    assert cosine_distance(ours, reference).max() < 1e-5


def test_matches_a_plain_float64_forward_pass_in_batches_and_alone() -> None:
    reference = plain_bert(MIXED)
    batched = get_encoder().encode(MIXED)
    alone = np.vstack([get_encoder().encode_one(text) for text in MIXED])
    for ours in (batched, alone):
        assert ours.dtype == np.float32
        assert cosine_distance(ours, reference).max() < 1e-5
        assert np.abs(ours - reference).max() < 1e-5


def test_gelu_follows_the_erf_definition() -> None:
    x = np.linspace(-12, 12, 200_001)
    exact = 0.5 * x * (1 + erf(x / math.sqrt(2)))
    ours = _gelu_(x.astype(np.float32))
    assert ours.dtype == np.float32
    assert np.abs(ours - exact).max() < 2e-6


def test_vectors_are_unit_length_and_batching_does_not_change_them() -> None:
    encoder = get_encoder()
    sentences = REFERENCE["sentences"][:3]
    together = encoder.encode(sentences)
    alone = np.vstack([encoder.encode_one(s) for s in sentences])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.abs(together - alone).max() < 1e-5


def test_paraphrases_are_closer_than_unrelated_sentences() -> None:
    a, b, c = get_encoder().encode(["How much is delivery?", "What does shipping cost?", "I forgot my password"])
    assert a @ b > a @ c + 0.2


def test_empty_input_and_byte_round_trip() -> None:
    assert get_encoder().encode([]).shape == (0, DIMENSIONS)
    vectors = get_encoder().encode(["one", "two"])
    assert np.array_equal(from_bytes(to_bytes(vectors)), vectors)
