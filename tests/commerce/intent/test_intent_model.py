from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from commerce.intent import training
from commerce.intent.features import FEATURES
from commerce.intent.metrics import evaluate
from commerce.intent.model import Calibration, IntentModel, forward, sigmoid


def test_numpy_forward_pass_matches_keras() -> None:
    config = training.TrainingConfig(hidden=(16, 8))
    network = training.build_network(12, config)
    x = np.random.default_rng(0).normal(size=(64, 12)).astype(np.float32)
    dense = [layer for layer in network.layers if not layer.name.startswith("dropout")]
    layers = [tuple(np.asarray(w) for w in layer.get_weights()) for layer in dense]
    keras_out = np.asarray(network(x, training=False))[:, 0]
    np.testing.assert_allclose(sigmoid(forward(layers, x)), keras_out, rtol=1e-4, atol=1e-6)


def test_trained_model_ranks_unseen_visits_well(tiny_model: IntentModel, rows_factory) -> None:
    rows, labels = rows_factory(400, seed=1)
    metrics = evaluate(labels, tiny_model.predict_proba(rows))
    # The rule that generated the labels, minus its noise, is the best any model can do.
    oracle = roc_auc_score(labels, [0.1 * r["ProductRelated"] + 3.5 * (r["PageValues"] > 0) for r in rows])
    assert metrics["roc_auc"] > oracle - 0.06
    assert len(tiny_model.members) == 2 and tiny_model.info["training"]["rows"] == 600


def test_probabilities_are_calibrated_not_class_weighted(tiny_model: IntentModel, rows_factory) -> None:
    rows, labels = rows_factory(2000, seed=2)
    p = tiny_model.predict_proba(rows)
    # Class weights alone would put the mean prediction near 0.5; calibration brings it to the base rate.
    assert abs(p.mean() - labels.mean()) < 0.05


def test_artefact_form_round_trips_without_pickle(tiny_model: IntentModel, rows_factory) -> None:
    rows, _ = rows_factory(50, seed=3)
    metadata = json.loads(json.dumps(tiny_model.metadata()))
    restored = IntentModel.from_artefact(dict(tiny_model.arrays()), metadata)
    np.testing.assert_allclose(restored.predict_proba(rows), tiny_model.predict_proba(rows), rtol=1e-6)
    assert metadata["features"] == list(FEATURES)


def test_artefact_of_another_feature_schema_is_refused(tiny_model: IntentModel) -> None:
    metadata = {**tiny_model.metadata(), "features": ["PageValues"]}
    with pytest.raises(ValueError, match="feature schema"):
        IntentModel.from_artefact(tiny_model.arrays(), metadata)


def test_score_gives_band_and_the_features_that_move_it(tiny_model: IntentModel, rows_factory) -> None:
    rows, _ = rows_factory(200, seed=4)
    probabilities = tiny_model.predict_proba(rows)
    keen = rows[int(np.argmax(probabilities))]
    score = tiny_model.score(keen)
    assert score.probability == pytest.approx(float(probabilities.max()), rel=1e-5)
    assert score.band == tiny_model.band(score.probability)
    assert 1 <= len(score.top_features) <= 3
    effects = [abs(c.effect) for c in score.top_features]
    assert effects == sorted(effects, reverse=True)
    # In this data a cart value is what drives purchases; it must show up for the keenest visit.
    assert "PageValues" in [c.feature for c in score.top_features]
    assert score.top_features[0].value == keen[score.top_features[0].feature]


def test_typical_visit_has_no_feature_effects(tiny_model: IntentModel) -> None:
    assert tiny_model.score(tiny_model.reference).top_features == []


@pytest.mark.parametrize(("probability", "band"), [(0.05, "low"), (0.2, "medium"), (0.49, "medium"), (0.5, "high")])
def test_bands(tiny_model: IntentModel, probability: float, band: str) -> None:
    assert tiny_model.band(probability) == band


def test_isotonic_and_platt_calibration_are_monotone() -> None:
    rng = np.random.default_rng(5)
    logits = rng.normal(size=500)
    labels = (rng.random(500) < sigmoid(2 * logits - 1)).astype(int)
    grid = np.linspace(-4, 4, 50)
    for method in ("sigmoid", "isotonic"):
        p = Calibration.fit(logits, labels, method)(grid)
        assert np.all(np.diff(p) >= 0) and p.min() >= 0 and p.max() <= 1


def test_repeats_class_weighting_off_and_an_indicator_input(tiny_config: training.TrainingConfig, rows_factory) -> None:
    from dataclasses import replace

    rows, labels = rows_factory(400, seed=6)
    config = replace(tiny_config, repeats=2, class_weight="none", positive_flags=("PageValues",), max_epochs=10,
                     categories=("Month", "VisitorType", "Browser"))
    model = training.fit(rows, labels, config)
    assert len(model.members) == 4 and model.info["training"]["positive_flags"] == ["PageValues"]
    assert set(model.encoder.vocabularies) == {"Month", "VisitorType", "Browser"}
    score = model.score(rows[int(np.argmax(model.predict_proba(rows)))], top=20)
    # The indicator counts towards its number; an explanation names only schema features.
    assert {c.feature for c in score.top_features} <= set(FEATURES)
    restored = IntentModel.from_artefact(dict(model.arrays()), json.loads(json.dumps(model.metadata())))
    np.testing.assert_allclose(restored.predict_proba(rows), model.predict_proba(rows), rtol=1e-6)
