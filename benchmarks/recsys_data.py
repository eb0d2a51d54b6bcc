"""Amazon Beauty as prepared by S3-Rec (one line per user: user id, then item ids in time order), read from
../shared/datasets at benchmark time and split leave-last-out: the last item of each user is the test target,
the one before it the validation target."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from commerce.config import REPO_ROOT
from commerce.recommend.data import Histories

BEAUTY = REPO_ROOT.parent / "shared" / "datasets" / "recsys" / "amazon_beauty.txt"


@dataclass(frozen=True)
class Split:
    train: Histories  # all but the last two items: what models are tuned on
    valid_targets: np.ndarray  # second-to-last items
    train_valid: Histories  # all but the last item: what the final models are fitted on and scored from
    test_targets: np.ndarray  # last items
    n_interactions: int


def load_beauty(path: Path = BEAUTY) -> Split:
    if not path.exists():
        raise SystemExit(f"{path} is missing: the shared datasets folder must sit next to the repository")
    sequences = []
    for line in path.read_text().splitlines():
        ids = [int(x) - 1 for x in line.split()[1:]]  # the file numbers items from 1
        sequences.append(ids)
    n_items = max(max(s) for s in sequences) + 1
    full = Histories.from_sequences(sequences, n_items)
    train_valid, test_targets = full.split_last()
    train, valid_targets = train_valid.split_last()
    return Split(train, valid_targets, train_valid, test_targets, sum(len(s) for s in sequences))
