"""Our updatable BM25 must score exactly like bm25s (Lucene variant) on the same tokens, after any edits."""
from __future__ import annotations

import random

import bm25s
import numpy as np
import Stemmer

from knowledge_base.lexical import LexicalIndex, tokenize

DOCS = {
    "a": "Delivery is free on orders over 50 EUR and costs 4.95 EUR below that.",
    "b": "You can return anything within 30 days; returns are free.",
    "c": "We accept cards, PayPal and Apple Pay. Payment is taken when you order.",
    "d": "Shoes come in EU sizes 37 to 45; check the size chart on the product page.",
    "e": "Every product has a two-year guarantee against faults.",
}
QUERIES = ["how much does delivery cost", "return shoes after 30 days", "pay with paypal", "guarantee faults",
           "nothing in common zzz"]


def reference_scores(docs: dict[str, str], query: str) -> dict[str, float]:
    keys = list(docs)
    model = bm25s.BM25()
    model.index([tokenize(docs[k]) for k in keys], show_progress=False)
    scores = model.get_scores(list(set(tokenize(query))))
    return dict(zip(keys, scores))


def our_scores(index: LexicalIndex, query: str) -> dict[str, float]:
    scores, _ = index.scores(query)
    return {key: float(scores[slot]) for key, slot in index.slot_of.items()}


def assert_same(index: LexicalIndex, docs: dict[str, str]) -> None:
    for query in QUERIES:
        ours, reference = our_scores(index, query), reference_scores(docs, query)
        assert ours.keys() == reference.keys()
        for key in ours:
            assert abs(ours[key] - reference[key]) < 1e-5, (query, key)


def test_tokens_are_stemmed_without_stop_words() -> None:
    assert tokenize("The Deliveries are DELIVERED!") == Stemmer.Stemmer("english").stemWords(["deliveries", "delivered"])
    assert tokenize("the and a I") == []


def test_scores_equal_bm25s() -> None:
    index = LexicalIndex()
    index.upsert(DOCS.items())
    assert_same(index, DOCS)


def test_scores_equal_bm25s_after_replacing_removing_and_adding() -> None:
    index = LexicalIndex()
    index.upsert(DOCS.items())
    index.scores("warm up so the rows are merged")
    docs = dict(DOCS)
    docs["b"] = "Returns are free for 30 days after delivery."
    docs["f"] = "Gift cards are sold online."
    del docs["c"]
    index.upsert([("b", docs["b"]), ("f", docs["f"])])
    index.remove(["c", "not-there"])
    assert len(index) == len(docs)
    assert_same(index, docs)


def test_compaction_keeps_scores() -> None:
    rng = random.Random(3)
    words = "delivery return refund payment size guarantee account privacy parcel order shoes card".split()
    docs = {i: " ".join(rng.choice(words) for _ in range(12)) for i in range(1500)}
    index = LexicalIndex()
    index.upsert(docs.items())
    index.scores("delivery")
    doomed = list(range(0, 1500, 3)) + list(range(1, 1500, 3))
    index.remove(doomed)
    for key in doomed:
        del docs[key]
    assert len(index.keys) < 1500  # compacted
    ours = our_scores(index, "refund parcel shoes")
    reference = reference_scores(docs, "refund parcel shoes")
    assert max(abs(ours[k] - reference[k]) for k in docs) < 1e-4


def test_bound_makes_coverage_comparable() -> None:
    index = LexicalIndex()
    index.upsert(DOCS.items())
    scores, bound = index.scores("delivery free")
    assert 0 < scores.max() < bound
    _, with_unknown = index.scores("delivery free xylophone")
    assert with_unknown > bound
    assert np.all(index.scores("")[0] == 0)
