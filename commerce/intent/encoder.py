"""Feature rows -> the network's input vector: log scaling, standardisation, one-hot categories.

Fitted on training rows only; its parameters are plain JSON, so the artefact needs no pickle. The same
`encode` serves a batch in training and one row per request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from commerce.intent.features import CATEGORIES, COUNTS_AND_DURATIONS, FLAGS, RATES, Row

NUMERIC = (*COUNTS_AND_DURATIONS, *RATES)
# Counts, durations and money are heavy-tailed; rates are already on a 0..1 scale.
_LOG_SCALED = np.array([name in (*COUNTS_AND_DURATIONS, "PageValues") for name in NUMERIC])


@dataclass
class Encoder:
    means: list[float]
    stds: list[float]
    # Per categorical feature, the values seen often enough in training; slot 0 of each block is "other".
    vocabularies: dict[str, list[str]]
    _lookups: dict[str, dict[str, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._lookups = {name: {v: i + 1 for i, v in enumerate(vocab)} for name, vocab in self.vocabularies.items()}

    @classmethod
    def fit(cls, rows: Sequence[Row], min_count: int = 10) -> Encoder:
        numeric = _numeric(rows)
        vocabularies = {}
        for name in CATEGORIES:
            counts = Counter(str(row[name]) for row in rows)
            vocabularies[name] = sorted(value for value, n in counts.items() if n >= min_count)
        stds = numeric.std(axis=0)
        return cls(numeric.mean(axis=0).tolist(), np.where(stds > 0, stds, 1.0).tolist(), vocabularies)

    @property
    def width(self) -> int:
        return len(NUMERIC) + len(FLAGS) + sum(len(v) + 1 for v in self.vocabularies.values())

    def groups(self) -> dict[str, slice]:
        """The input columns of each feature."""
        out = {name: slice(i, i + 1) for i, name in enumerate((*NUMERIC, *FLAGS))}
        start = len(NUMERIC) + len(FLAGS)
        for name in CATEGORIES:
            size = len(self.vocabularies[name]) + 1
            out[name] = slice(start, start + size)
            start += size
        return out

    def encode(self, rows: Sequence[Row]) -> np.ndarray:
        out = np.zeros((len(rows), self.width), dtype=np.float32)
        out[:, : len(NUMERIC)] = (_numeric(rows) - self.means) / self.stds
        for j, name in enumerate(FLAGS, start=len(NUMERIC)):
            out[:, j] = [float(bool(row[name])) for row in rows]
        start = len(NUMERIC) + len(FLAGS)
        for name in CATEGORIES:
            index = self._lookups[name]
            columns = [start + index.get(str(row[name]), 0) for row in rows]
            out[np.arange(len(rows)), columns] = 1.0
            start += len(self.vocabularies[name]) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"means": self.means, "stds": self.stds, "vocabularies": self.vocabularies}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Encoder:
        return cls(list(data["means"]), list(data["stds"]), {k: list(v) for k, v in data["vocabularies"].items()})


def _numeric(rows: Sequence[Row]) -> np.ndarray:
    values = np.array([[float(row[name]) for name in NUMERIC] for row in rows], dtype=np.float64).reshape(
        -1, len(NUMERIC)
    )
    values[:, _LOG_SCALED] = np.log1p(np.maximum(values[:, _LOG_SCALED], 0.0))
    return values
