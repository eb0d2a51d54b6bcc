"""The numpy MiniLM must reproduce sentence-transformers: the fixture holds vectors computed with
sentence-transformers 6.2 / torch 2.13 (CPU) from the same wheel's files, for sentences of ours."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from knowledge_base.encoder import DIMENSIONS, from_bytes, get_encoder, to_bytes

REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "minilm_reference.json").read_text())


def test_matches_sentence_transformers_to_1e_4() -> None:
    ours = get_encoder().encode(REFERENCE["sentences"])
    reference = np.array(REFERENCE["vectors"], dtype=np.float32)
    assert ours.shape == reference.shape == (len(REFERENCE["sentences"]), DIMENSIONS)
    assert np.abs(ours - reference).max() < 1e-4


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
