"""Synthetic feature rows, and an intent model with random weights built in milliseconds without TensorFlow
for tests that need the endpoints to answer but not what they answer (e.g. the OpenAPI fuzz test:
`app.dependency_overrides[get_holder] = fixed_holder`)."""
from __future__ import annotations

import random

import numpy as np

from commerce.intent.encoder import Encoder
from commerce.intent.features import Row
from commerce.intent.model import Calibration, IntentModel
from commerce.intent.store import ModelHolder


def synthetic_rows(n: int, seed: int = 0) -> tuple[list[Row], np.ndarray]:
    """Visits whose purchase depends on cart value and product pages, with noise: learnable, not trivial."""
    rng = random.Random(seed)
    rows, labels = [], []
    for _ in range(n):
        products = rng.randint(1, 40)
        page_values = rng.choice([0.0, 0.0, 0.0, rng.uniform(5, 80)])
        logit = -3.5 + 0.1 * products + (3.5 if page_values else 0.0) + rng.gauss(0, 0.3)
        rows.append({
            "Administrative": rng.randint(0, 5), "Administrative_Duration": rng.uniform(0, 300),
            "Informational": rng.randint(0, 2), "Informational_Duration": rng.uniform(0, 100),
            "ProductRelated": products, "ProductRelated_Duration": products * rng.uniform(10, 60),
            "BounceRates": 1.0 if products == 1 else 0.0, "ExitRates": 1.0 / products, "PageValues": page_values,
            "SpecialDay": rng.choice([0.0, 0.0, 0.0, 0.4, 1.0]), "Month": rng.randint(1, 12),
            "OperatingSystems": rng.choice(["Windows", "Android", "iOS"]), "Browser": rng.choice(["Chrome", "Safari"]),
            "Region": rng.choice(["DE-Berlin", "NL-Utrecht", "FR-Lyon"]),
            "TrafficType": rng.choice(["direct", "email", "social"]),
            "VisitorType": rng.choice(["new", "returning"]), "Weekend": rng.random() < 0.3,
        })
        labels.append(int(rng.random() < 1 / (1 + np.exp(-logit))))
    return rows, np.array(labels)


def random_model(rows: list[Row], seed: int = 0) -> IntentModel:
    rng = np.random.default_rng(seed)
    encoder = Encoder.fit(rows, min_count=1)
    layers = [(rng.normal(size=(encoder.width, 4)), np.zeros(4)), (rng.normal(size=(4, 1)), np.zeros(1))]
    return IntentModel(encoder, [layers], Calibration("sigmoid", [1.0, 0.0], []), rows[0],
                       info={"version": "random-weights"})


class FixedHolder(ModelHolder):
    """Always serves the given model; no artefact folder involved."""

    def __init__(self, model: IntentModel) -> None:
        self._model = model

    def get(self) -> IntentModel:
        return self._model


def fixed_holder() -> FixedHolder:
    rows, _ = synthetic_rows(50)
    return FixedHolder(random_model(rows))
