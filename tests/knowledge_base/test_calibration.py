from __future__ import annotations

import json

from knowledge_base import calibration
from knowledge_base.hybrid import SEMANTIC_WEIGHT, Candidate


def test_the_shipped_model_matches_the_code() -> None:
    data = json.loads(calibration.PATH.read_text())
    assert tuple(data["features"]) == calibration.FEATURES
    assert data["semantic_weight"] == SEMANTIC_WEIGHT


def test_confidence_rises_with_every_score_and_stays_a_probability() -> None:
    model = calibration.load()

    def confidence(semantic: float, lexical: float, runner_up: float) -> float:
        best = Candidate("a", semantic, lexical, SEMANTIC_WEIGHT * semantic + (1 - SEMANTIC_WEIGHT) * lexical)
        return model.confidence([best, Candidate("b", 0, 0, runner_up)])

    assert 0 <= confidence(0.1, 0.0, 0.1) < confidence(0.5, 0.0, 0.1) < confidence(0.5, 0.6, 0.1) <= 1
    assert confidence(0.6, 0.5, 0.55) < confidence(0.6, 0.5, 0.2)  # a close runner-up means doubt
    assert model.confidence([]) == 0.0
