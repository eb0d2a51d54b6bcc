"""Shared by the knowledge-base benchmarks: cached encoding and the seed index."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from knowledge_base import text
from knowledge_base.encoder import MODEL_NAME, get_encoder
from knowledge_base.hybrid import HybridIndex
from knowledge_base.seed.content import ENTRIES

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "cache"
IMAGES = ROOT / "docs" / "img"


def encode_cached(texts: list[str], name: str) -> np.ndarray:
    """Encoder output, saved under var/cache/ keyed by the texts and the model (no pickles)."""
    digest = hashlib.sha256(("\x1f".join(texts) + MODEL_NAME).encode()).hexdigest()[:16]
    path = CACHE / f"{name}-{digest}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    vectors = get_encoder().encode(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors, allow_pickle=False)
    return vectors


def seed_passages() -> list[list[str]]:
    return [text.passages(e.question, list(e.phrasings), e.answer) for e in ENTRIES]


def seed_index() -> tuple[HybridIndex, dict[str, np.ndarray]]:
    """The demo FAQ indexed as the backend indexes it; also returns each entry's passage vectors by slug."""
    groups = seed_passages()
    flat = encode_cached([p for g in groups for p in g], "seed-passages")
    index, vectors, offset = HybridIndex(), {}, 0
    for entry, group in zip(ENTRIES, groups):
        vectors[entry.slug] = flat[offset:offset + len(group)]
        index.upsert(entry.slug, text.lexical_text(entry.question, list(entry.phrasings), entry.answer),
                     vectors[entry.slug])
        offset += len(group)
    return index, vectors
