"""Feature rows -> the network's input vector: numbers mapped to normal scores by their training quantiles
(optionally with a "> 0" indicator), the chosen categorical features one-hot.

Counts, durations and page values are heavy-tailed and full of zeros; a quantile map to a standard normal
handles both and beat log scaling + standardisation in the benchmark (docs/benchmarks.md, purchase intent).
Fitted on training rows only; its parameters are plain JSON, so the artefact needs no pickle. The same
`encode` serves a batch in training and one row per request.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import ndtri
from sklearn.preprocessing import QuantileTransformer

from commerce.intent.features import CATEGORIES, COUNTS_AND_DURATIONS, FLAGS, RATES, Row

NUMERIC = (*COUNTS_AND_DURATIONS, *RATES)
_BOUND = 1e-7  # scikit-learn's BOUNDS_THRESHOLD
_CLIP_LOW, _CLIP_HIGH = ndtri(_BOUND - np.spacing(1)), ndtri(1 - (_BOUND - np.spacing(1)))


@dataclass
class Encoder:
    quantiles: list[list[float]]  # one row per quantile, one column per numeric feature
    references: list[float]  # the probability level of each quantile
    # Per categorical feature, the values seen often enough in training; slot 0 of each block is "other".
    vocabularies: dict[str, list[str]]
    # Numbers that also get a "> 0" indicator column (e.g. PageValues: any cart value at all).
    positive_flags: list[str] = field(default_factory=list)
    _quantiles: np.ndarray = field(init=False, repr=False, compare=False)
    _references: np.ndarray = field(init=False, repr=False, compare=False)
    _references_descending: np.ndarray = field(init=False, repr=False, compare=False)
    _columns: list[tuple[np.ndarray, np.ndarray]] = field(init=False, repr=False, compare=False)
    _lookups: dict[str, dict[str, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._quantiles = np.asarray(self.quantiles, dtype=np.float64)
        self._references = np.asarray(self.references, dtype=np.float64)
        self._references_descending = -self._references[::-1].copy()
        self._columns = [(column.copy(), -column[::-1].copy()) for column in self._quantiles.T]
        self._lookups = {name: {v: i + 1 for i, v in enumerate(vocab)} for name, vocab in self.vocabularies.items()}

    @classmethod
    def fit(cls, rows: Sequence[Row], min_count: int = 10, n_quantiles: int = 200,
            categories: Sequence[str] = CATEGORIES, positive_flags: Sequence[str] = ()) -> Encoder:
        """`categories`: the categorical features the network sees (one-hot); the others are left out."""
        numbers = _quantile_transformer(min(n_quantiles, len(rows))).fit(_numeric(rows))
        vocabularies = {}
        for name in CATEGORIES:
            if name in categories:
                counts = Counter(str(row[name]) for row in rows)
                vocabularies[name] = sorted(value for value, n in counts.items() if n >= min_count)
        return cls(numbers.quantiles_.tolist(), numbers.references_.tolist(), vocabularies, list(positive_flags))

    @property
    def width(self) -> int:
        return (len(NUMERIC) + len(self.positive_flags) + len(FLAGS)
                + sum(len(v) + 1 for v in self.vocabularies.values()))

    def groups(self) -> dict[str, list[int]]:
        """The input columns of each feature (a number's "> 0" indicator belongs to the number)."""
        out = {name: [i] for i, name in enumerate(NUMERIC)}
        start = len(NUMERIC)
        for name in self.positive_flags:
            out[name].append(start)
            start += 1
        for name in FLAGS:
            out[name] = [start]
            start += 1
        for name in self.vocabularies:
            size = len(self.vocabularies[name]) + 1
            out[name] = list(range(start, start + size))
            start += size
        return out

    def encode(self, rows: Sequence[Row]) -> np.ndarray:
        out = np.zeros((len(rows), self.width), dtype=np.float32)
        numbers = _numeric(rows)
        out[:, : len(NUMERIC)] = self._normal_scores(numbers)
        start = len(NUMERIC)
        for name in self.positive_flags:
            out[:, start] = numbers[:, NUMERIC.index(name)] > 0
            start += 1
        for name in FLAGS:
            out[:, start] = [float(bool(row[name])) for row in rows]
            start += 1
        for name in self.vocabularies:
            index = self._lookups[name]
            columns = [start + index.get(str(row[name]), 0) for row in rows]
            out[np.arange(len(rows)), columns] = 1.0
            start += len(self.vocabularies[name]) + 1
        return out

    def _normal_scores(self, values: np.ndarray) -> np.ndarray:
        """QuantileTransformer(output_distribution="normal").transform, step for step in numpy: scikit-learn's
        own takes about 5 ms per call (scipy.stats overhead), more than the whole scoring budget."""
        uniform = np.empty_like(values)
        for j, (ascending, descending) in enumerate(self._columns):
            # Both directions averaged, so a value shared by several quantiles (many zeros) maps to the middle.
            uniform[:, j] = 0.5 * (np.interp(values[:, j], ascending, self._references)
                                   - np.interp(-values[:, j], descending, self._references_descending))
        uniform = np.where(values + _BOUND > self._quantiles[-1], 1.0, uniform)
        uniform = np.where(values - _BOUND < self._quantiles[0], 0.0, uniform)
        return np.clip(ndtri(uniform), _CLIP_LOW, _CLIP_HIGH)

    def to_dict(self) -> dict[str, Any]:
        return {"quantiles": self.quantiles, "references": self.references, "vocabularies": self.vocabularies,
                "positive_flags": self.positive_flags}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Encoder:
        vocabularies = {name: list(data["vocabularies"][name]) for name in CATEGORIES if name in data["vocabularies"]}
        return cls(data["quantiles"], data["references"], vocabularies, list(data.get("positive_flags", [])))


def _quantile_transformer(n_quantiles: int) -> QuantileTransformer:
    return QuantileTransformer(n_quantiles=n_quantiles, output_distribution="normal", subsample=None, random_state=0)


def _numeric(rows: Sequence[Row]) -> np.ndarray:
    return np.array([[float(row[name]) for name in NUMERIC] for row in rows], dtype=np.float64).reshape(-1, len(NUMERIC))
