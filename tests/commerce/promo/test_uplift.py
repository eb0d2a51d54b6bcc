"""The uplift model on synthetic randomised experiments whose true uplift is known."""

from pathlib import Path

import numpy as np
import pytest

from commerce.promo.uplift import UpliftModel


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def experiment(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """X (n, 5) on different scales; offers at random (40% treated); the offer raises the purchase logit by
    1.5 * x1 + 0.2 (x1 ~ N(0, 1)), so the true uplift goes from strongly negative to strongly positive while
    the baseline purchase propensity depends on x0 only. Returns X, t, y and the true uplift."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5)) * np.array([1.0, 1.0, 10.0, 0.1, 3.0]) + np.array([0.0, 0.0, 50.0, 0.0, -2.0])
    base = -1.0 + 0.8 * X[:, 0]
    lift = 1.5 * X[:, 1] + 0.2
    true_uplift = _sigmoid(base + lift) - _sigmoid(base)
    t = (rng.random(n) < 0.4).astype(int)
    y = (rng.random(n) < _sigmoid(base + t * lift)).astype(int)
    return X, t, y, true_uplift


@pytest.fixture(scope="module")
def fitted() -> UpliftModel:
    X, t, y, _ = experiment(20_000, seed=1)
    return UpliftModel.fit(X, t, y)


def test_high_uplift_rows_rank_above_low_uplift_rows(fitted: UpliftModel) -> None:
    X, _, _, true_uplift = experiment(5_000, seed=2)
    predicted = fitted.predict_uplift(X)
    assert predicted.shape == (5_000,)
    order = np.argsort(-predicted)
    top, bottom = true_uplift[order[:1500]], true_uplift[order[-1500:]]
    assert top.mean() > 0.15 > 0.0 > bottom.mean()
    # Rank agreement with the truth (Spearman's rho from ranks).
    rank = lambda v: np.argsort(np.argsort(v))
    assert np.corrcoef(rank(predicted), rank(true_uplift))[0, 1] > 0.85
    # Average effect recovered within sampling error (its standard error here is about 0.007).
    assert abs(predicted.mean() - true_uplift.mean()) < 0.03


def test_outcome_probabilities_are_consistent_with_uplift(fitted: UpliftModel) -> None:
    X, _, _, _ = experiment(100, seed=3)
    p = fitted.predict_outcomes(X)
    assert p.shape == (100, 2) and np.all((p > 0) & (p < 1))
    np.testing.assert_allclose(p[:, 1] - p[:, 0], fitted.predict_uplift(X))


def test_save_load_round_trip_gives_identical_predictions(fitted: UpliftModel, tmp_path: Path) -> None:
    path = tmp_path / "uplift.npz"
    np.savez(path, **fitted.arrays())
    with np.load(path, allow_pickle=False) as arrays:
        loaded = UpliftModel.from_arrays(arrays)
    X, _, _, _ = experiment(1_000, seed=4)
    assert np.array_equal(loaded.predict_uplift(X), fitted.predict_uplift(X))
    assert all(a.dtype == np.float64 for a in fitted.arrays().values())


def test_one_row_is_scored_as_a_batch_of_one(fitted: UpliftModel) -> None:
    rows = experiment(3, seed=5)[0]
    assert fitted.predict_uplift(rows[0]).shape == (1,)
    assert np.allclose(fitted.predict_uplift(rows[0])[0], fitted.predict_uplift(rows)[0])


def test_constant_column_and_bad_input_are_handled() -> None:
    X, t, y, _ = experiment(2_000, seed=6)
    X[:, 3] = 7.0  # constant: scale 1, no division by zero
    model = UpliftModel.fit(X, t, y)
    assert np.all(np.isfinite(model.predict_uplift(X)))
    with pytest.raises(ValueError, match="features"):
        model.predict_uplift(X[:, :4])
    with pytest.raises(ValueError, match="0/1"):
        UpliftModel.fit(X, t * 2, y)
    with pytest.raises(ValueError, match="both outcomes"):
        UpliftModel.fit(X, t, np.where(t == 1, 1, y))
    with pytest.raises(ValueError, match="lacks"):
        UpliftModel.from_arrays({"mean": model.mean})
