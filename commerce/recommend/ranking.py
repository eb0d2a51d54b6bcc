"""What a recommendation list may hold and in which order, as pure functions of the candidates."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")

# Categories (or their departments) whose products run out and are bought again: a past purchase of one of
# these does not keep it off the list. Slugs of the demo shop's catalog.
CONSUMABLE_CATEGORIES = frozenset({"coffee-tea", "skincare", "hair-care", "bath", "notebooks", "pens"})
CATEGORY_SHARE = 0.3  # at most this share of a list (rounded up) from one category, while others are there


def diversify(ranked: Sequence[T], k: int, key: Callable[[T], Hashable], share: float = CATEGORY_SHARE) -> list[T]:
    """The first k of `ranked` taking at most ceil(share × k) per key; places left over (too few keys) go to the
    best of the rest. The result keeps the ranked order."""
    cap = max(1, math.ceil(share * k))
    taken: Counter[Hashable] = Counter()
    chosen: list[int] = []
    skipped: list[int] = []
    for position, candidate in enumerate(ranked):
        if len(chosen) == k:
            break
        group = key(candidate)
        if taken[group] < cap:
            taken[group] += 1
            chosen.append(position)
        else:
            skipped.append(position)
    chosen += skipped[: k - len(chosen)]
    return [ranked[p] for p in sorted(chosen)]
