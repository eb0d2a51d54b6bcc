"""StackFAQ retrieval benchmark for the knowledge base (backend env):

    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.kb_stackfaq

Protocol (shared/datasets/README.md): one document per thread = its question + all its answers; every
paraphrase is a query whose one relevant document is its thread; nothing is trained or tuned on the set.
Reports P@1, MRR (= MAP here, one relevant document per query) and Recall@5 for
  - bm25s_stopwords: the library baseline a practitioner would pick (bm25s, English stop words, no stemming),
  - lexical: our BM25 (stop words + Snowball stemming), alone,
  - semantic: all-MiniLM-L6-v2 (our numpy encoder), best cosine over the thread's question and answers,
  - hybrid: the shipped fusion of both (weights chosen on our own shop questions),
and the calibrated confidence's expected calibration error on this unseen domain.
Embeddings are cached in var/cache/ (keyed by the dataset's and the model's contents) to make re-runs quick.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import bm25s
import numpy as np

from benchmarks.kb_common import ROOT, encode_cached
from knowledge_base import calibration
from knowledge_base.evaluation import brier_score, expected_calibration_error, ranking_metrics
from knowledge_base.hybrid import HybridIndex

DATA = Path(os.environ.get("SHOPASSIST_DATASETS", ROOT.parent / "shared" / "datasets")) / "faq" / "stackfaq"
PUBLISHED = {"BERT-FAQ toolkit, unsupervised (MAP)": 0.6366}
BAR = {"BM25 with stop words (datasets README)": {"p_at_1": 0.646, "mrr": 0.751, "recall_at_5": 0.896}}


def load_threads() -> list[dict]:
    return json.loads((DATA / "stackfaq_dev.json").read_text())


def run(limit: int | None = None) -> dict:
    threads = load_threads()[:limit]
    queries = [(p, t["id"]) for t in threads for p in t["paraphrases"]]
    relevant = [tid for _, tid in queries]
    passages = [[t["question"], *t["answers"]] for t in threads]
    flat = [p for group in passages for p in group]

    started = time.perf_counter()
    passage_vectors = encode_cached(flat, "stackfaq-passages")
    query_vectors = encode_cached([q for q, _ in queries], "stackfaq-queries")
    encode_s = time.perf_counter() - started

    index = HybridIndex()
    offset = 0
    for thread, group in zip(threads, passages):
        index.upsert(thread["id"], " ".join(group), passage_vectors[offset:offset + len(group)])
        offset += len(group)

    baseline = bm25s.BM25()
    baseline.index(bm25s.tokenize([" ".join(g) for g in passages], stopwords="en", show_progress=False),
                   show_progress=False)
    ids = [t["id"] for t in threads]
    baseline_hits, _ = baseline.retrieve(
        bm25s.tokenize([q for q, _ in queries], stopwords="en", show_progress=False), k=len(ids),
        show_progress=False,
    )

    rankings: dict[str, list[list]] = {"bm25s_stopwords": [[ids[i] for i in row] for row in baseline_hits],
                                       "lexical": [], "semantic": [], "hybrid": []}
    confidence, correct = [], []
    model = calibration.load()
    for (query, tid), vector in zip(queries, query_vectors):
        rankings["lexical"].append(index.search_lexical(query, k=len(ids)))
        rankings["semantic"].append(index.search_semantic(vector, k=len(ids)))
        hybrid = index.search(query, vector, k=len(ids))
        rankings["hybrid"].append([c.key for c in hybrid])
        confidence.append(model.confidence(hybrid))
        correct.append(hybrid[0].key == tid)

    return {
        "dataset": f"StackFAQ ({len(threads)} threads, {len(flat) - len(threads)} answers, {len(queries)} paraphrases)",
        "results": {name: ranking_metrics(r, relevant, k=5) for name, r in rankings.items()},
        "hybrid_confidence": {
            "ece": round(expected_calibration_error(np.array(confidence), np.array(correct)), 4),
            "brier": round(brier_score(np.array(confidence), np.array(correct)), 4),
            "mean_confidence": round(float(np.mean(confidence)), 4),
        },
        "published": PUBLISHED,
        "bar": BAR,
        "encode_seconds": round(encode_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N threads only (smoke runs)")
    print(json.dumps(run(parser.parse_args().limit), indent=2))


if __name__ == "__main__":
    main()
