"""Small data with a structure every learning model must find: two groups of items, and shoppers who stay
within one group."""

from __future__ import annotations

import numpy as np

from commerce.recommend.data import Histories

N_ITEMS = 24
GROUP_A = np.arange(0, 12)
GROUP_B = np.arange(12, 24)


def two_groups(shoppers: int = 120, length: int = 8, seed: int = 0) -> Histories:
    rng = np.random.default_rng(seed)
    sequences = []
    for user in range(shoppers):
        group = GROUP_A if user % 2 == 0 else GROUP_B
        sequences.append(rng.choice(group, size=length, replace=True))
    return Histories.from_sequences(sequences, N_ITEMS)
