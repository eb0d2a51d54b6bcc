"""numpy helpers shared by the in-memory indexes (catalog search, knowledge-base BM25)."""

from __future__ import annotations

import numpy as np


def grown(array: np.ndarray, size: int) -> np.ndarray:
    """`array` with room for at least `size` items (capacity doubles, so n appends cost O(n))."""
    if size <= len(array):
        return array
    bigger = np.zeros(max(size, 2 * len(array), 64), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger
