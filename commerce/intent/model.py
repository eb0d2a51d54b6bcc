"""The purchase-intent model as served: encoder, dense layers and calibration, all numpy.

Training (commerce.intent.training) fits a Keras network and hands its weights over once; scoring a request
is a few small matrix products here, never a Keras `predict`. Artefacts are arrays plus JSON metadata.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from commerce.intent.encoder import Encoder
from commerce.intent.features import FEATURES, Row

Band = Literal["low", "medium", "high"]
DEFAULT_BANDS = {"medium": 0.2, "high": 0.5}


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def forward(layers: Sequence[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    """One network's logit (its output before the sigmoid) per row: dense layers with ReLU, as Keras ran them."""
    h = x
    for w, b in layers[:-1]:
        h = np.maximum(h @ w + b, 0.0)
    w, b = layers[-1]
    return (h @ w + b)[:, 0]


@dataclass(frozen=True)
class Calibration:
    """Maps the network's logit to a probability fitted on held-out sessions (the network trains with
    class weights, so its own output overstates purchases)."""

    method: Literal["sigmoid", "isotonic"]
    x: list[float]  # sigmoid: [slope, intercept]; isotonic: logit knots
    y: list[float]  # isotonic: probability at each knot

    @classmethod
    def fit(cls, logits: np.ndarray, labels: np.ndarray, method: Literal["sigmoid", "isotonic"]) -> Calibration:
        if method == "sigmoid":
            from sklearn.linear_model import LogisticRegression

            platt = LogisticRegression(penalty=None).fit(logits.reshape(-1, 1), labels)
            return cls("sigmoid", [float(platt.coef_[0, 0]), float(platt.intercept_[0])], [])
        from sklearn.isotonic import IsotonicRegression

        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(logits, labels)
        return cls("isotonic", iso.X_thresholds_.tolist(), iso.y_thresholds_.tolist())

    def __call__(self, logits: np.ndarray) -> np.ndarray:
        if self.method == "sigmoid":
            return sigmoid(self.x[0] * logits + self.x[1])
        # Linear between knots and clipped outside them, as IsotonicRegression.predict does.
        return np.interp(logits, self.x, self.y)


@dataclass(frozen=True)
class Contribution:
    feature: str
    value: Any
    effect: float  # change in probability against a typical session


@dataclass(frozen=True)
class Score:
    probability: float
    band: Band
    top_features: list[Contribution]


class IntentModel:
    def __init__(
        self,
        encoder: Encoder,
        members: Sequence[Sequence[tuple[np.ndarray, np.ndarray]]],
        calibration: Calibration,
        reference: Row,
        bands: dict[str, float] | None = None,
        info: dict[str, Any] | None = None,
    ) -> None:
        self.encoder = encoder
        # Networks of the cross-fitted ensemble, each a list of (kernel, bias) of its dense layers.
        self.members = [[(np.asarray(w, np.float32), np.asarray(b, np.float32)) for w, b in m] for m in members]
        self.calibration = calibration
        self.reference = dict(reference)
        self.bands = dict(bands or DEFAULT_BANDS)
        self.info = dict(info or {})
        self._groups = list(encoder.groups().items())
        self._reference_x = encoder.encode([self.reference])[0]

    @property
    def version(self) -> str | None:
        return self.info.get("version")

    def logits(self, x: np.ndarray) -> np.ndarray:
        """The ensemble's mean logit per row."""
        return np.mean([forward(layers, x) for layers in self.members], axis=0)

    def predict_proba(self, rows: Sequence[Row]) -> np.ndarray:
        return self.calibration(self.logits(self.encoder.encode(rows)))

    def band(self, probability: float) -> Band:
        if probability >= self.bands["high"]:
            return "high"
        return "medium" if probability >= self.bands["medium"] else "low"

    def score(self, row: Row, top: int = 3) -> Score:
        """Probability, band, and the features that move it most: each feature in turn is set to its value in
        a typical training session and the change in probability is its effect (all in one batch)."""
        x = self.encoder.encode([row])[0]
        batch = np.repeat(x[None, :], len(self._groups) + 1, axis=0)
        for k, (_, columns) in enumerate(self._groups, start=1):
            batch[k, columns] = self._reference_x[columns]
        probs = self.calibration(self.logits(batch))
        effects = probs[0] - probs[1:]
        order = np.argsort(-np.abs(effects))[:top]
        contributions = [
            Contribution(self._groups[i][0], row[self._groups[i][0]], round(float(effects[i]), 4))
            for i in order
            if effects[i] != 0.0
        ]
        probability = float(probs[0])
        return Score(probability, self.band(probability), contributions)

    # Artefact form: arrays for the weights, JSON for everything else.
    def arrays(self) -> dict[str, np.ndarray]:
        out = {}
        for j, layers in enumerate(self.members):
            for i, (w, b) in enumerate(layers):
                out[f"m{j}_kernel_{i}"], out[f"m{j}_bias_{i}"] = w, b
        return out

    def metadata(self) -> dict[str, Any]:
        return {
            **self.info,
            "features": list(FEATURES),
            "encoder": self.encoder.to_dict(),
            "calibration": {"method": self.calibration.method, "x": self.calibration.x, "y": self.calibration.y},
            "reference": self.reference,
            "bands": self.bands,
            "members": len(self.members),
            "layers": len(self.members[0]),
        }

    @classmethod
    def from_artefact(cls, arrays: dict[str, np.ndarray], metadata: dict[str, Any]) -> IntentModel:
        if metadata.get("features") != list(FEATURES):
            raise ValueError("the artefact was trained on another feature schema; train again")
        members = [
            [(arrays[f"m{j}_kernel_{i}"], arrays[f"m{j}_bias_{i}"]) for i in range(int(metadata["layers"]))]
            for j in range(int(metadata["members"]))
        ]
        calibration = Calibration(**metadata["calibration"])
        known = {"features", "encoder", "calibration", "reference", "bands", "members", "layers"}
        info = {k: v for k, v in metadata.items() if k not in known}
        return cls(
            Encoder.from_dict(metadata["encoder"]), members, calibration, metadata["reference"], metadata["bands"], info
        )
