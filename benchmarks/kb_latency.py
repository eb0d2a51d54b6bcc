"""Retrieval latency at 100, 10,000 and 100,000 entries (backend env):

    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.kb_latency [--sizes 100 10000 100000]

Each index holds the 67 demo entries plus synthetic ones: 40-word texts drawn from the demo FAQ's own word
frequencies (so BM25 posting lists look like a real FAQ's) and two passage vectors each, made by perturbing
demo passage vectors (the dot products cost the same as real ones; encoding 200,000 synthetic texts would
only measure the encoder). Queries are our 139 held-out shopper questions, asked in turn; each one is
encoded afresh (no cache), searched, re-ranked and given a confidence, as /v1/kb/ask does.

--api also times POST /v1/kb/ask end to end (FastAPI + SQLite in a temporary file: index-token check,
feedback votes, answer row written and committed) with 100 and 10,000 stored entries.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from collections import Counter

import numpy as np

from benchmarks.kb_common import encode_cached, seed_index, seed_passages
from knowledge_base import calibration, text
from knowledge_base.encoder import DIMENSIONS, get_encoder
from knowledge_base.feedback import rerank
from knowledge_base.hybrid import HybridIndex
from knowledge_base.seed.questions import ANSWERABLE


def percentiles(samples_s: list[float]) -> dict[str, float]:
    ms = np.array(samples_s) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2),
            "p99_ms": round(float(np.percentile(ms, 99)), 2)}


class Synthetic:
    """Texts and vectors for made-up entries that look statistically like the demo FAQ."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        counts = Counter(w for group in seed_passages() for p in group for w in re.findall(r"[a-z]{2,}", p.lower()))
        self.words = list(counts)
        weights = np.array([counts[w] for w in self.words], dtype=float)
        self.weights = weights / weights.sum()
        flat = encode_cached([p for group in seed_passages() for p in group], "seed-passages")
        self.base = flat

    def texts(self, n: int, words: int = 40) -> list[str]:
        picks = self.rng.choice(len(self.words), size=(n, words), p=self.weights)
        return [" ".join(self.words[i] for i in row) for row in picks]

    def vectors(self, n: int) -> np.ndarray:
        base = self.base[self.rng.integers(0, len(self.base), size=n)]
        noisy = base + self.rng.normal(0, 0.04, size=(n, DIMENSIONS)).astype(np.float32)
        return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


def build(size: int, synthetic: Synthetic) -> tuple[HybridIndex, float]:
    started = time.perf_counter()
    index, _ = seed_index()
    extra = max(0, size - len(index))
    texts, vectors = synthetic.texts(extra), synthetic.vectors(2 * extra)
    for i in range(extra):
        index.upsert(f"synthetic-{i}", texts[i], vectors[2 * i:2 * i + 2])
    index.search("warm up", vectors[0] if extra else np.zeros(DIMENSIONS, np.float32))
    return index, time.perf_counter() - started


def measure(index: HybridIndex, queries: list[str]) -> dict:
    encoder, model = get_encoder(), calibration.load()
    encode_s, search_s, total_s = [], [], []
    for query in queries:
        t0 = time.perf_counter()
        vector = encoder.encode_one(query)
        t1 = time.perf_counter()
        ranked = rerank(index.search(query, vector, k=10), {})
        model.confidence(ranked)
        t2 = time.perf_counter()
        encode_s.append(t1 - t0)
        search_s.append(t2 - t1)
        total_s.append(t2 - t0)
    return {"total": percentiles(total_s), "encode_query": percentiles(encode_s), "search": percentiles(search_s)}


def api_latency(size: int, synthetic: Synthetic, queries: list[str]) -> dict:
    """POST /v1/kb/ask through FastAPI against a fresh SQLite database holding `size` published entries."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/kb-latency.db"
        from alembic import command
        from alembic.config import Config
        from fastapi.testclient import TestClient
        from sqlalchemy import insert

        from benchmarks.kb_common import ROOT
        from commerce.config import get_settings
        from commerce.db import get_engine, get_sessionmaker, utcnow
        from knowledge_base import index as live
        from knowledge_base.encoder import MODEL_NAME, to_bytes
        from knowledge_base.models import Entry, EntryStatus
        from knowledge_base.repository import new_token, touch_index
        from knowledge_base.seed import seed

        for cached in (get_settings, get_engine, get_sessionmaker):
            cached.cache_clear()
        live.reset()
        command.upgrade(Config(str(ROOT / "commerce" / "alembic.ini")), "head")
        with get_sessionmaker()() as session:
            seed(session)
            extra = max(0, size - 67)
            texts, vectors, now = synthetic.texts(extra), synthetic.vectors(2 * extra), utcnow()
            rows = [{"slug": f"synthetic-{i}", "question": texts[i][:120], "phrasings": [], "answer": texts[i],
                     "category": "synthetic", "tags": [], "links": [], "status": EntryStatus.PUBLISHED, "version": 1,
                     "created_at": now, "updated_at": now, "index_stamp": new_token(), "vectors_model": MODEL_NAME,
                     "vectors": to_bytes(vectors[2 * i:2 * i + 2])}
                    for i in range(extra)]
            # Synthetic answers are one passage (question + answer vectors = 2 rows), as text.passages gives.
            assert not rows or len(text.passages(rows[0]["question"], [], rows[0]["answer"])) == 2
            for start in range(0, len(rows), 2000):
                session.execute(insert(Entry), rows[start:start + 2000])
            touch_index(session)
            session.commit()
        from commerce.main import create_app

        from knowledge_base.answering import _embed

        _embed.cache_clear()  # time real encoding, as for a question never asked before
        client = TestClient(create_app())
        started = time.perf_counter()
        client.post("/v1/kb/ask", json={"question": "warm up the index"})
        first_s = time.perf_counter() - started
        samples = []
        for n, query in enumerate(queries):
            started = time.perf_counter()
            response = client.post("/v1/kb/ask", json={"question": query, "conversation_id": f"bench-{n}"})
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
        get_engine().dispose()
        return {**percentiles(samples), "first_request_builds_index_s": round(first_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description="Knowledge-base retrieval latency.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=278, help="questions timed per size (held-out set in turn)")
    parser.add_argument("--api", action="store_true", help="also time POST /v1/kb/ask at 100 and 10,000 entries")
    args = parser.parse_args()
    queries = [ANSWERABLE[i % len(ANSWERABLE)][0] for i in range(args.queries)]
    synthetic = Synthetic()
    get_encoder().encode_one("load the encoder before timing")
    report: dict = {"queries_per_size": len(queries), "cpu_count": os.cpu_count(),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()], "in_process": {}}
    for size in args.sizes:
        index, build_s = build(size, synthetic)
        report["in_process"][size] = {"build_s": round(build_s, 1), **measure(index, queries)}
        del index
    if args.api:
        report["api"] = {size: api_latency(size, synthetic, queries) for size in (100, 10_000)}
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
