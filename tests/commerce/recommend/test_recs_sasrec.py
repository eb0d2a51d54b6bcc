"""The numpy forward pass that serves SASRec computes what the Keras model it was trained as computes."""

from __future__ import annotations

import numpy as np

from commerce.recommend.models import SASRec, sasrec_training
from tests.commerce.recommend.synthetic import N_ITEMS, two_groups

PARAMS = {"max_len": 6, "dim": 8, "heads": 2, "blocks": 2, "dropout": 0.0}


def test_numpy_serving_matches_keras_with_and_without_leading_padding() -> None:
    import keras

    model = SASRec(**PARAMS)
    model.n_items = N_ITEMS
    keras.utils.set_random_seed(3)
    network = sasrec_training.build(N_ITEMS, model.params)
    model.weights = sasrec_training.export(network, model.params["blocks"])
    sequences = model.padded(two_groups(shoppers=4, length=4, seed=5))
    for cut in (sequences, sequences[:, -4:]):
        expected = keras.ops.convert_to_numpy(network(cut, training=False))[:, -1, :]
        np.testing.assert_allclose(model.hidden(cut), expected, atol=1e-5)


def test_training_pairs_predict_each_next_item() -> None:
    histories = two_groups(shoppers=2, length=4)
    inputs, targets = sasrec_training.training_pairs(histories, length=5)
    first = histories.items[0] + 1
    assert list(inputs[0]) == [0, 0, *first[:-1]] and list(targets[0]) == [0, 0, *first[1:]]


def test_validation_keeps_the_best_epoch_and_stops_when_it_stops_improving() -> None:
    train = two_groups(shoppers=40, length=6)
    held, targets = two_groups(shoppers=10, length=6, seed=9).split_last()
    model = SASRec(**{**PARAMS, "epochs": 40, "eval_every": 1, "patience": 2, "negatives": 8, "learning_rate": 0.02})
    model.fit(train, validation=(held, targets))
    evaluated = [e for e in model.training_log if "val_ndcg@10" in e]
    assert evaluated and len(model.training_log) <= 40
    if len(model.training_log) < 40:
        best = max(e["val_ndcg@10"] for e in evaluated)
        assert all(e["val_ndcg@10"] <= best for e in evaluated[-2:])
