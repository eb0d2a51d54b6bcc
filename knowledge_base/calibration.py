"""Calibrated confidence: P(the top answer is right) from the retrieval scores, by logistic regression.

The coefficients live in calibration.json, written by `python -m knowledge_base.calibrate` (trained on our
own held-out shop questions); serving only reads them.
"""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge_base.hybrid import Candidate

PATH = Path(__file__).with_name("calibration.json")
FEATURES = ("semantic", "lexical", "margin")


def features(ranked: Sequence[Candidate], chosen: int = 0) -> list[float]:
    """What the confidence is computed from: the chosen entry's semantic and lexical scores, and how far its
    fused score is ahead of the best other candidate (a near tie means the question is ambiguous)."""
    top = ranked[chosen]
    others = [c.fused for i, c in enumerate(ranked) if i != chosen]
    return [top.semantic, top.lexical, top.fused - (max(others) if others else 0.0)]


@dataclass(frozen=True)
class Calibration:
    intercept: float
    coefficients: tuple[float, ...]

    def probability(self, x: Sequence[float]) -> float:
        z = self.intercept + sum(c * v for c, v in zip(self.coefficients, x))
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def confidence(self, ranked: Sequence[Candidate], chosen: int = 0) -> float:
        return self.probability(features(ranked, chosen)) if ranked else 0.0


@lru_cache(maxsize=1)
def load(path: Path = PATH) -> Calibration:
    data = json.loads(path.read_text())
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path} was fitted on features {data['features']}, expected {FEATURES}")
    return Calibration(float(data["intercept"]), tuple(float(c) for c in data["coefficients"]))
