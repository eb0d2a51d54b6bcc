"""Purchase-intent accuracy on UCI Online Shoppers: stratified k-fold CV of our Keras model and, in the same
run and folds, scikit-learn's HistGradientBoosting and logistic regression.

    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.purchase_intent

Every model sees only its training fold; class weighting and calibration happen inside it. Writes a JSON
summary and the reliability and ROC/PR plots (docs/img/purchase_intent_*.png).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from benchmarks.purchase_intent_data import DATASETS, load
from commerce.config import REPO_ROOT
from commerce.intent import training
from commerce.intent.encoder import NUMERIC
from commerce.intent.features import CATEGORIES, FEATURES, FLAGS, Row
from commerce.intent.metrics import evaluate

PUBLISHED = {"name": "XGBoost + feature selection + oversampling (Heliyon 2023)", "roc_auc": 0.937, "pr_auc": 0.754,
             "accuracy": 0.9065}
Fit = Callable[[Sequence[Row], np.ndarray, int], Callable[[Sequence[Row]], np.ndarray]]


def _frame(rows: Sequence[Row]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=list(FEATURES))
    for name in CATEGORIES:
        frame[name] = frame[name].astype(str).astype("category")
    frame["Weekend"] = frame["Weekend"].astype(int)
    return frame


def fit_keras(rows: Sequence[Row], y: np.ndarray, seed: int) -> Callable[[Sequence[Row]], np.ndarray]:
    model = training.fit(rows, y, training.TrainingConfig(seed=seed))
    return model.predict_proba


def fit_hgb(rows: Sequence[Row], y: np.ndarray, seed: int) -> Callable[[Sequence[Row]], np.ndarray]:
    train = _frame(rows)
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=seed).fit(train, y)

    def predict(test: Sequence[Row]) -> np.ndarray:
        frame = _frame(test)
        for name in CATEGORIES:  # unseen categories become missing values, as HGB expects
            frame[name] = pd.Categorical(frame[name], categories=train[name].cat.categories)
        return model.predict_proba(frame)[:, 1]

    return predict


def fit_logreg(rows: Sequence[Row], y: np.ndarray, seed: int) -> Callable[[Sequence[Row]], np.ndarray]:
    columns = ColumnTransformer([
        ("numbers", StandardScaler(), [*NUMERIC, *FLAGS]),
        ("categories", OneHotEncoder(handle_unknown="ignore"), list(CATEGORIES)),
    ])
    model = make_pipeline(columns, LogisticRegression(max_iter=2000, random_state=seed)).fit(_frame(rows), y)
    return lambda test: model.predict_proba(_frame(test))[:, 1]


MODELS: dict[str, tuple[str, Fit]] = {
    "keras": ("Keras MLP, ours (month + visitor one-hot, Platt)", fit_keras),
    "hgb": ("HistGradientBoosting (scikit-learn defaults)", fit_hgb),
    "logreg": ("Logistic regression (standardised + one-hot)", fit_logreg),
}


def cross_validate(rows: list[Row], y: np.ndarray, names: Sequence[str], folds: int, seed: int) -> dict:
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    out_of_fold = {name: np.zeros(len(y)) for name in names}
    per_fold: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for fold, (train_idx, test_idx) in enumerate(splitter.split(np.zeros(len(y)), y)):
        train_rows, test_rows = [rows[i] for i in train_idx], [rows[i] for i in test_idx]
        for name in names:
            started = time.perf_counter()
            predict = MODELS[name][1](train_rows, y[train_idx], seed + fold)
            fitted = time.perf_counter() - started
            p = predict(test_rows)
            out_of_fold[name][test_idx] = p
            per_fold[name].append({**evaluate(y[test_idx], p), "fit_seconds": fitted})
            print(f"fold {fold + 1}/{folds} {name:7s} ROC-AUC {per_fold[name][-1]['roc_auc']:.4f} "
                  f"PR-AUC {per_fold[name][-1]['pr_auc']:.4f} ({fitted:.1f} s)", flush=True)
    summary = {}
    for name in names:
        keys = per_fold[name][0].keys()
        summary[name] = {
            "label": MODELS[name][0],
            "mean": {k: float(np.mean([f[k] for f in per_fold[name]])) for k in keys},
            "std": {k: float(np.std([f[k] for f in per_fold[name]])) for k in keys},
            "folds": per_fold[name],
        }
    return {"summary": summary, "out_of_fold": out_of_fold}


def plot(y: np.ndarray, out_of_fold: dict[str, np.ndarray], img_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import precision_recall_curve, roc_curve

    img_dir.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0, 1], [0, 1], ":", color="grey", label="perfectly calibrated")
    for name, p in out_of_fold.items():
        true, predicted = calibration_curve(y, p, n_bins=10, strategy="quantile")
        ax.plot(predicted, true, "o-", label=MODELS[name][0])
    ax.set(xlabel="predicted purchase probability (out of fold)", ylabel="observed purchase rate",
           title="Reliability, UCI Online Shoppers, 5-fold CV")
    ax.legend(fontsize=7, loc="upper left")
    reliability = img_dir / "purchase_intent_reliability.png"
    fig.tight_layout()
    fig.savefig(reliability, dpi=110)
    plt.close(fig)

    fig, (roc_ax, pr_ax) = plt.subplots(1, 2, figsize=(10, 4.5))
    for name, p in out_of_fold.items():
        fpr, tpr, _ = roc_curve(y, p)
        precision, recall, _ = precision_recall_curve(y, p)
        roc_ax.plot(fpr, tpr, label=MODELS[name][0])
        pr_ax.plot(recall, precision, label=MODELS[name][0])
    roc_ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC (pooled out-of-fold)")
    pr_ax.set(xlabel="recall", ylabel="precision", title="Precision-recall (pooled out-of-fold)")
    roc_ax.legend(fontsize=7)
    curves = img_dir / "purchase_intent_curves.png"
    fig.tight_layout()
    fig.savefig(curves, dpi=110)
    plt.close(fig)
    return [reliability, curves]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.purchase_intent", description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS, help="folder of the shared evaluation datasets")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ",".join(MODELS))
    parser.add_argument("--img-dir", type=Path, default=REPO_ROOT / "docs" / "img")
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "var" / "bench" / "purchase_intent.json")
    parser.add_argument("--no-plots", action="store_true")
    args = parser.parse_args(argv)

    rows, y = load(args.datasets)
    names = [n for n in args.models.split(",") if n]
    print(f"{len(y):,} sessions, {y.mean():.1%} with a purchase; {args.folds}-fold stratified CV, seed {args.seed}")
    result = cross_validate(rows, y, names, args.folds, args.seed)

    print(f"\n{'model':50s} {'ROC-AUC':>15s} {'PR-AUC':>15s} {'F1':>6s} {'acc':>6s} {'TPR':>6s} {'TNR':>6s} {'Brier':>7s}")
    for name, s in result["summary"].items():
        m, sd = s["mean"], s["std"]
        print(f"{s['label']:50s} {m['roc_auc']:.4f} ± {sd['roc_auc']:.4f} {m['pr_auc']:.4f} ± {sd['pr_auc']:.4f} "
              f"{m['f1']:.3f}  {m['accuracy']:.3f}  {m['tpr']:.3f}  {m['tnr']:.3f}  {m['brier']:.4f}")
    print(f"{PUBLISHED['name']:50s} {PUBLISHED['roc_auc']:.3f}{'':10s} {PUBLISHED['pr_auc']:.3f}")

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"folds": args.folds, "seed": args.seed, "sessions": len(y),
                                     "published": PUBLISHED, "models": result["summary"]}, indent=2))
    print(f"\nwrote {args.json}")
    if not args.no_plots:
        for path in plot(y, result["out_of_fold"], args.img_dir):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
