"""Fit the confidence calibration on our own held-out shop questions (offline; serving only reads the JSON):

    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m knowledge_base.calibrate [--write]

Indexes the seed entries, asks every question in knowledge_base/seed/questions.py, and labels the top answer
right or wrong (a question the knowledge base cannot answer is always wrong). Prints, for each fusion weight,
P@1 on the answerable questions, then 5-fold cross-validated calibration (ECE, Brier) and what abstaining
below the threshold does; --write saves the logistic model fitted on all questions to calibration.json.
"""
from __future__ import annotations

import argparse
import json

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from knowledge_base import calibration, text
from knowledge_base.config import get_kb_settings
from knowledge_base.encoder import get_encoder
from knowledge_base.evaluation import brier_score, expected_calibration_error
from knowledge_base.hybrid import SEMANTIC_WEIGHT, HybridIndex
from knowledge_base.seed.content import ENTRIES
from knowledge_base.seed.questions import ANSWERABLE, UNANSWERABLE


def seed_index(semantic_weight: float = SEMANTIC_WEIGHT) -> HybridIndex:
    encoder = get_encoder()
    index = HybridIndex(semantic_weight)
    for entry in ENTRIES:
        passages = text.passages(entry.question, list(entry.phrasings), entry.answer)
        index.upsert(entry.slug, text.lexical_text(entry.question, list(entry.phrasings), entry.answer),
                     encoder.encode(passages))
    return index


def labelled_features(index: HybridIndex) -> tuple[np.ndarray, np.ndarray]:
    questions = [(q, slug) for q, slug in ANSWERABLE] + [(q, None) for q in UNANSWERABLE]
    vectors = get_encoder().encode([q for q, _ in questions])
    x, y = [], []
    for (question, slug), vector in zip(questions, vectors):
        ranked = index.search(question, vector, k=10)
        x.append(calibration.features(ranked))
        y.append(slug is not None and ranked[0].key == slug)
    return np.array(x), np.array(y, dtype=int)


def main() -> None:
    parser = argparse.ArgumentParser(description="Fit the knowledge base's confidence calibration.")
    parser.add_argument("--write", action="store_true", help=f"save the fitted model to {calibration.PATH.name}")
    args = parser.parse_args()
    index = seed_index()
    vectors = get_encoder().encode([q for q, _ in ANSWERABLE])
    print("fusion weight -> P@1 on the answerable held-out questions")
    for weight in (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        index.semantic_weight = weight
        hits = [index.search(q, v, k=1)[0].key == slug for (q, slug), v in zip(ANSWERABLE, vectors)]
        print(f"  {weight:.1f}: {np.mean(hits):.4f}")
    index.semantic_weight = SEMANTIC_WEIGHT

    x, y = labelled_features(index)
    threshold = get_kb_settings().ABSTAIN_BELOW
    held_out = np.zeros(len(y))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
        held_out[test] = LogisticRegression(C=10.0).fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    answered = held_out >= threshold
    report = {
        "questions": {"answerable": len(ANSWERABLE), "unanswerable": len(UNANSWERABLE)},
        "semantic_weight": SEMANTIC_WEIGHT,
        "top1_right_share": round(float(y.mean()), 4),
        "cross_validated": {
            "ece": round(expected_calibration_error(held_out, y), 4),
            "brier": round(brier_score(held_out, y), 4),
            "abstain_below": threshold,
            "answered_share": round(float(answered.mean()), 4),
            "precision_when_answering": round(float(y[answered].mean()), 4) if answered.any() else None,
            "unanswerable_abstained": round(float((~answered[len(ANSWERABLE):]).mean()), 4),
            "answerable_right_and_answered": round(float((answered & (y == 1))[:len(ANSWERABLE)].mean()), 4),
        },
    }
    print(json.dumps(report, indent=2))
    if args.write:
        model = LogisticRegression(C=10.0).fit(x, y)
        calibration.PATH.write_text(json.dumps({
            "features": list(calibration.FEATURES),
            "intercept": round(float(model.intercept_[0]), 6),
            "coefficients": [round(float(c), 6) for c in model.coef_[0]],
            "semantic_weight": SEMANTIC_WEIGHT,
            "fitted_on": "knowledge_base/seed/questions.py (python -m knowledge_base.calibrate --write)",
            "cross_validated": report["cross_validated"],
        }, indent=2) + "\n")
        print(f"wrote {calibration.PATH}")


if __name__ == "__main__":
    main()
