"""Evaluation of purchase probabilities, as pure functions over labels and scores."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    f1_score,
    recall_score,
    roc_auc_score,
)


def evaluate(labels: np.ndarray, probabilities: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    """Ranking (ROC-AUC, PR-AUC as average precision), calibration (Brier) and decisions at `threshold`."""
    y = np.asarray(labels).astype(int)
    p = np.asarray(probabilities, dtype=float)
    decided = (p >= threshold).astype(int)
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "f1": float(f1_score(y, decided, zero_division=0)),
        "accuracy": float(accuracy_score(y, decided)),
        "tpr": float(recall_score(y, decided, zero_division=0)),
        "tnr": float(recall_score(y, decided, pos_label=0, zero_division=0)),
    }
