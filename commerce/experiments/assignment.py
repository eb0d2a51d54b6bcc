"""Deterministic assignment: sha256(key:salt:unit) -> one of 10,000 buckets -> the variant owning that bucket.

The same unit always lands in the same variant of an experiment, on every server and after every restart, with
no assignment table to read. The salt makes two experiments' splits independent of each other, and lets an admin
reshuffle a draft without renaming it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

BUCKETS = 10_000


def bucket(key: str, salt: str, unit: str) -> int:
    digest = hashlib.sha256(f"{key}:{salt}:{unit}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def variant_for(variants: Sequence[dict[str, Any]], bucket_: int) -> dict[str, Any]:
    """The variant whose share of the buckets holds bucket_; weights are percent and sum to 100."""
    upper = 0
    for variant in variants:
        upper += int(variant["weight"]) * BUCKETS // 100
        if bucket_ < upper:
            return variant
    return variants[-1]


def customer_unit(customer_id: int) -> str:
    """A signed-in shopper as a unit: the same variant on every device."""
    return f"customer:{customer_id}"


def visit_unit(session_key: str) -> str:
    """An anonymous visit (the shop's session key) as a unit."""
    return f"visit:{session_key}"
