"""Uplift model: the incremental purchase probability an offer causes, P(buy | offer) - P(buy | no offer).

Method (chosen by measurement, see docs/bench/uplift.md): a T-learner, i.e. two L2-regularised logistic
regressions on standardised features, one fitted on the shoppers who were offered (t = 1) and one on those who
were not (t = 0); the uplift of a row is the difference of their probabilities. On Hillstrom it ranked shoppers
at least as well as scikit-uplift's class transformation and two-model gradient boosting, and it serves as two
dot products.

Training needs scikit-learn (imported only inside `fit`); scoring is numpy only: the standardisation and both
regressions are kept as plain arrays (`arrays()` / `from_arrays()`), saved with `np.savez` and loaded with
`allow_pickle=False`. The data must come from randomised offers (an exploration share where the offer was given
at random), otherwise the difference is not causal.
"""

from __future__ import annotations

import numpy as np

ARRAY_NAMES = ("mean", "scale", "coef", "intercept")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # Split by sign so that large |z| never overflows exp.
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def _binary(name: str, v: np.ndarray, n: int) -> np.ndarray:
    v = np.asarray(v).ravel()
    if v.shape[0] != n:
        raise ValueError(f"{name} has {v.shape[0]} rows, X has {n}")
    if not np.isin(v, (0, 1)).all():
        raise ValueError(f"{name} must be 0/1")
    return v.astype(np.int8)


class UpliftModel:
    """T-learner of two logistic regressions, scored in numpy.

    Parameters (all float64 arrays; `d` = number of features):
      mean, scale: (d,)  standardisation fitted on all training rows (scale 1 for constant columns);
      coef:       (2, d) row 0 = control (no offer) model, row 1 = treated (offer) model, on standardised X;
      intercept:  (2,)   their intercepts.
    """

    def __init__(self, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> None:
        self.mean = np.asarray(mean, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        d = self.mean.shape[0]
        shapes = (self.mean.shape, self.scale.shape, self.coef.shape, self.intercept.shape)
        if shapes != ((d,), (d,), (2, d), (2,)):
            raise ValueError(
                f"inconsistent shapes: mean {self.mean.shape}, scale {self.scale.shape}, "
                f"coef {self.coef.shape}, intercept {self.intercept.shape}"
            )
        if not (np.all(np.isfinite(self.scale)) and np.all(self.scale > 0)):
            raise ValueError("scale must be finite and positive")
        # Fold the standardisation into the weights once: ((x - m) / s) @ w + b = x @ (w / s) + (b - m/s @ w).
        self._w = (self.coef / self.scale).T.copy()  # (d, 2)
        self._b = self.intercept - self._w.T @ self.mean  # (2,)

    @property
    def n_features(self) -> int:
        return int(self.mean.shape[0])

    @classmethod
    def fit(cls, X: np.ndarray, t: np.ndarray, y: np.ndarray, C: float = 1.0, max_iter: int = 1000) -> UpliftModel:
        """Fit on a randomised experiment. X: (n, d) float features, already encoded; t: 0/1 offer given;
        y: 0/1 outcome. `C` is the inverse L2 strength of both regressions (scikit-learn's convention).

        Each arm needs both outcomes present; raises ValueError otherwise."""
        from sklearn.linear_model import LogisticRegression

        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError("X must be a non-empty 2-D array")
        if not np.all(np.isfinite(X)):
            raise ValueError("X contains NaN or infinite values")
        t = _binary("t", t, X.shape[0])
        y = _binary("y", y, X.shape[0])
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        scale[scale < 1e-12] = 1.0
        Z = (X - mean) / scale
        coef = np.zeros((2, X.shape[1]))
        intercept = np.zeros(2)
        for arm in (0, 1):
            rows = t == arm
            outcomes = np.unique(y[rows])
            if outcomes.size < 2:
                arm_name = "treated" if arm else "control"
                raise ValueError(f"the {arm_name} arm needs both outcomes, has only {outcomes.tolist()}")
            reg = LogisticRegression(C=C, max_iter=max_iter).fit(Z[rows], y[rows])
            coef[arm], intercept[arm] = reg.coef_[0], reg.intercept_[0]
        return cls(mean, scale, coef, intercept)

    def _check(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected rows of {self.n_features} features, got shape {X.shape}")
        return X

    def predict_outcomes(self, X: np.ndarray) -> np.ndarray:
        """(n, 2): column 0 = P(y | no offer), column 1 = P(y | offer). Useful to tell sure buyers and
        never-buyers (both probabilities high / both low) from persuadables."""
        return _sigmoid(self._check(X) @ self._w + self._b)

    def predict_uplift(self, X: np.ndarray) -> np.ndarray:
        """(n,) incremental probability P(y | offer) - P(y | no offer); a 1-D X is one row."""
        p = self.predict_outcomes(X)
        return p[:, 1] - p[:, 0]

    def arrays(self) -> dict[str, np.ndarray]:
        """Plain float arrays for `np.savez(path, **model.arrays())`."""
        return {"mean": self.mean.copy(), "scale": self.scale.copy(), "coef": self.coef.copy(),
                "intercept": self.intercept.copy()}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> UpliftModel:
        """Inverse of `arrays()`; accepts the mapping `np.load(path, allow_pickle=False)` returns."""
        missing = [k for k in ARRAY_NAMES if k not in arrays]
        if missing:
            raise ValueError(f"uplift artefact lacks {missing}")
        return cls(*(np.asarray(arrays[k]) for k in ARRAY_NAMES))
