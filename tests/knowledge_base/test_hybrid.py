from __future__ import annotations

import numpy as np

from knowledge_base.encoder import get_encoder
from knowledge_base.hybrid import HybridIndex

ENTRIES = {
    1: ("How much does delivery cost?", "Delivery costs 4.95 EUR, free from 50 EUR."),
    2: ("Can I return an item?", "Returns are free within 30 days."),
    3: ("Which payment methods do you accept?", "Cards, PayPal, Apple Pay and Google Pay."),
}


def build() -> HybridIndex:
    index = HybridIndex()
    encoder = get_encoder()
    for key, (question, answer) in ENTRIES.items():
        index.upsert(key, f"{question} {answer}", encoder.encode([question, answer]))
    return index


def test_hybrid_combines_both_signals() -> None:
    index = build()
    query = "what are the postage charges"  # no word in common with entry 1
    vector = get_encoder().encode_one(query)
    ranked = index.search(query, vector, k=3)
    assert ranked[0].key == 1 and ranked[0].lexical == 0 and ranked[0].semantic > 0.4
    assert [c.fused for c in ranked] == sorted((c.fused for c in ranked), reverse=True)
    assert index.search_semantic(vector, 1) == [1]
    assert index.search_lexical("paypal", 3) == [3]


def test_replacing_and_removing_entries() -> None:
    index = build()
    encoder = get_encoder()
    index.upsert(3, "Do you sell gift cards? Yes.", encoder.encode(["Do you sell gift cards?"]))
    index.remove([2])
    query = "gift card"
    ranked = index.search(query, encoder.encode_one(query), k=5)
    assert ranked[0].key == 3 and {c.key for c in ranked} == {1, 3}
    assert len(index) == 2 and index.search_lexical("paypal", 3) == []


def test_empty_index() -> None:
    assert HybridIndex().search("anything", np.zeros(384, dtype=np.float32)) == []


def test_semantic_rows_stay_consistent_through_replacements_and_compaction() -> None:
    from knowledge_base.hybrid import SemanticIndex

    rng = np.random.default_rng(0)
    index = SemanticIndex()
    for key in range(3000):
        index.upsert(key, rng.standard_normal((2, 384)).astype(np.float32))
    for key in range(0, 3000, 2):
        index.upsert(key, rng.standard_normal((1, 384)).astype(np.float32))
    index.remove(list(range(0, 3000, 3)))  # leaves fewer than half the rows live: compacts
    live = sum(len(rows) for rows in index.rows_of.values())
    assert live == index._live == index._used == len(index.row_key)
    probe = rng.standard_normal(384).astype(np.float32)
    index.upsert("probe", probe[None, :])
    best = int(np.argmax(index.similarities(probe)))
    assert index.row_key[best] == "probe"
