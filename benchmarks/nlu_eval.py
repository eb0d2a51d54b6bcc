"""NLU benchmarks for the bot's pipeline (run with the bot env).

    .venv/bot/bin/python -m benchmarks.nlu_eval bitext [--model models/shopassist.tar.gz] [--errors /tmp/FILE]
    .venv/bot/bin/python -m benchmarks.nlu_eval banking77|clinc150 [--config config.yml|stock] [--limit-train N]
    .venv/bot/bin/python -m benchmarks.nlu_eval hwu64 [--config ...] [--folds 10]

bitext: the shipped model, never trained on it, parses every utterance; accuracy and macro-F1 over the 27
intents (a prediction outside them counts as wrong), on the whole file and on two fixed stratified halves:
the "read" half may be read for error analysis (--errors), the "unread" half never is. The others train a
throw-away NLU model on the set's own train split with the chosen config (ours or Rasa 3.6's stock default) and test on its test split.
Prints one JSON line per run with the figures, the training time and the parse latency.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SHOPASSIST_DATASETS", ROOT.parent / "shared" / "datasets")) / "nlu"
STOCK_CONFIG = "stock"
Examples = List[Tuple[str, str]]


def load_bitext() -> Examples:
    with open(DATA / "bitext" / "bitext_customer_support_dev.csv", newline="") as f:
        return [(r["instruction"], r["intent"]) for r in csv.DictReader(f)]


def load_banking77(split: str) -> Examples:
    with open(DATA / "banking77" / f"{split}.csv", newline="") as f:
        return [(r["text"], r["category"]) for r in csv.DictReader(f)]


def load_clinc150(split: str) -> Examples:
    data = json.loads((DATA / "clinc150" / "data_full.json").read_text())
    rows = data[split] + data[f"oos_{split}"]
    return [(text, "out_of_scope" if label == "oos" else label) for text, label in rows]


def load_hwu64_folds() -> List[Examples]:
    folds = []
    for k in range(1, 11):
        raw = json.loads((DATA / "hwu64" / "rasa_json_10fold" / f"KFold_{k}_test.json").read_text())
        folds.append([(e["text"], e["intent"]) for e in raw["rasa_nlu_data"]["common_examples"]])
    return folds


def stock_config_path() -> Path:
    import rasa.engine.recipes

    return Path(rasa.engine.recipes.__file__).parent / "config_files" / "default_config.yml"


def write_nlu_yaml(examples: Examples, path: Path) -> None:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    messages = [Message.build(text=" ".join(text.split()), intent=intent) for text, intent in examples if text.strip()]
    RasaYAMLWriter().dump(path, TrainingData(training_examples=messages))


def train_nlu_model(config: Path, train: Examples, workdir: Path) -> Tuple[Path, float]:
    from rasa.model_training import train_nlu

    nlu_file = workdir / "nlu.yml"
    write_nlu_yaml(train, nlu_file)
    started = time.perf_counter()
    model = train_nlu(str(config), str(nlu_file), str(workdir / "models"), fixed_model_name="bench")
    return Path(model), time.perf_counter() - started


def parse_all(model: Path, texts: Sequence[str]) -> Tuple[List[Tuple[str, float]], List[float]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run() -> Tuple[List[Tuple[str, float]], List[float]]:
        out, latencies = [], []
        for text in texts:
            started = time.perf_counter()
            parsed = await agent.parse_message(text)
            latencies.append((time.perf_counter() - started) * 1000)
            ranking = [r for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
            top = ranking[0] if ranking else {"name": None, "confidence": 0.0}
            out.append((top["name"], float(top["confidence"])))
        return out, latencies

    return asyncio.run(run())


def scores(gold: Sequence[str], predicted: Sequence[Optional[str]], labels: Sequence[str]) -> Dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    pred = [p if p is not None else "<none>" for p in predicted]
    return {
        "accuracy": round(100 * accuracy_score(gold, pred), 2),
        "macro_f1": round(100 * f1_score(gold, pred, labels=list(labels), average="macro", zero_division=0), 2),
    }


def latency_summary(latencies: Sequence[float]) -> Dict[str, float]:
    ordered = sorted(latencies)
    return {"parse_p50_ms": round(statistics.median(ordered), 1), "parse_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1)}


def bitext_halves(rows: Examples, seed: int = 42) -> Tuple[List[int], List[int]]:
    """Row indices of two stratified halves of the Bitext file, the same on every run (keyed to the file's row
    order, which SHA256SUMS fixes). The "read" half's errors may be read for error analysis (never copied); the
    "unread" half is never read row by row. Bitext's sentences come in families (one wording with other places,
    amounts, typos), and both halves hold members of the same families: the unread figure tests other members
    of them, not unseen phrasings."""
    import random

    from benchmarks.nlu_public import by_intent

    rng = random.Random(seed)
    read: List[int] = []
    for group in by_intent([(i, intent) for i, (_, intent) in enumerate(rows)]):
        indices = [i for i, _ in group]
        rng.shuffle(indices)
        read += indices[: len(indices) // 2]
    read_set = set(read)
    return sorted(read), [i for i in range(len(rows)) if i not in read_set]


def bitext_figures(rows: Examples, predicted: Sequence[Optional[str]], labels: Sequence[str]) -> Dict:
    result: Dict = {"n": len(rows), **scores([i for _, i in rows], predicted, labels)}
    errors: Dict[str, int] = {}
    for (_, gold), pred in zip(rows, predicted):
        if gold != pred:
            errors[f"{gold} -> {pred}"] = errors.get(f"{gold} -> {pred}", 0) + 1
    result["top_confusions"] = sorted(errors.items(), key=lambda kv: -kv[1])[:12]
    right: Dict[str, List[int]] = {label: [0, 0] for label in labels}  # intent -> [right, of]
    for (_, gold), pred in zip(rows, predicted):
        right[gold][0] += gold == pred
        right[gold][1] += 1
    result["per_intent_right"] = {label: f"{r}/{n}" for label, (r, n) in sorted(right.items(), key=lambda kv: kv[1][0] / max(kv[1][1], 1))}
    return result


def run_bitext(model: Path, errors_file: Optional[Path] = None) -> Dict:
    rows = load_bitext()
    labels = sorted({intent for _, intent in rows})
    parsed, latencies = parse_all(model, [t for t, _ in rows])
    predicted = [p for p, _ in parsed]
    read, unread = bitext_halves(rows)
    result = {"dataset": "bitext", "model": str(model), **bitext_figures(rows, predicted, labels)}
    for name, half in (("read_half", read), ("unread_half", unread)):
        figures = bitext_figures([rows[i] for i in half], [predicted[i] for i in half], labels)
        result[name] = {key: figures[key] for key in ("n", "accuracy", "macro_f1", "top_confusions")}
    if errors_file is not None:
        with errors_file.open("w") as out:
            for i in read:
                if predicted[i] != rows[i][1]:
                    out.write(json.dumps({"text": rows[i][0], "gold": rows[i][1], "predicted": predicted[i],
                                          "confidence": round(parsed[i][1], 3)}) + "\n")
    return {**result, **latency_summary(latencies)}


def evaluate_split(config: Path, train: Examples, test: Examples, name: str, oos_threshold: Optional[float]) -> Dict:
    with tempfile.TemporaryDirectory() as tmp:
        model, seconds = train_nlu_model(config, train, Path(tmp))
        predicted, latencies = parse_all(model, [t for t, _ in test])
    gold = [i for _, i in test]
    labels = sorted(set(gold))
    result = {"dataset": name, "config": str(config), "n_train": len(train), "n_test": len(test),
              "train_seconds": round(seconds, 1), **latency_summary(latencies)}
    if "out_of_scope" in labels:
        # CLINC150 protocol: in-scope accuracy over in-scope queries, OOS recall over OOS queries. A prediction
        # below the confidence threshold counts as out of scope.
        final = [
            "out_of_scope" if oos_threshold is not None and conf < oos_threshold else pred for pred, conf in predicted
        ]
        ins = [(g, p) for g, p in zip(gold, final) if g != "out_of_scope"]
        oos = [(g, p) for g, p in zip(gold, final) if g == "out_of_scope"]
        result["in_scope_accuracy"] = round(100 * sum(g == p for g, p in ins) / len(ins), 2)
        result["oos_recall"] = round(100 * sum(p == "out_of_scope" for _, p in oos) / len(oos), 2)
        result["oos_threshold"] = oos_threshold
    else:
        result.update(scores(gold, [p for p, _ in predicted], labels))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", choices=["bitext", "banking77", "clinc150", "hwu64"])
    parser.add_argument("--model", default=str(ROOT / "models" / "shopassist.tar.gz"))
    parser.add_argument("--config", default=str(ROOT / "config.yml"), help="a config file, or 'stock'")
    parser.add_argument("--folds", type=int, default=10, help="hwu64: how many of the 10 folds to run")
    parser.add_argument("--oos-threshold", type=float, default=None, help="clinc150: confidence below = out of scope")
    parser.add_argument("--limit-train", type=int, default=None, help="use only the first N training examples")
    parser.add_argument("--errors", type=Path, default=None,
                        help="bitext: write the read half's misclassified rows here (JSON lines, outside the repo)")
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's per-message debug lines would otherwise flood the output
    config = stock_config_path() if args.config == STOCK_CONFIG else Path(args.config)

    if args.errors is not None:
        if args.dataset != "bitext" or ROOT in args.errors.resolve().parents:
            parser.error("--errors is for bitext only, and its file must be outside the repository"
                         " (dataset sentences are never committed)")
        args.errors.open("w").close()  # a bad path fails now, not after parsing the whole file
    if args.dataset == "bitext":
        results = [run_bitext(Path(args.model), args.errors)]
    elif args.dataset == "banking77":
        results = [evaluate_split(config, load_banking77("train")[: args.limit_train], load_banking77("test"), "banking77", None)]
    elif args.dataset == "clinc150":
        results = [evaluate_split(config, load_clinc150("train")[: args.limit_train], load_clinc150("test"), "clinc150", args.oos_threshold)]
    else:
        folds = load_hwu64_folds()
        results = []
        for k in range(args.folds):
            train = [ex for j, fold in enumerate(folds) if j != k for ex in fold][: args.limit_train]
            results.append(evaluate_split(config, train, folds[k], f"hwu64-fold{k + 1}", None))
            print(json.dumps(results[-1]), flush=True)
        mean = {key: round(statistics.mean(r[key] for r in results), 2) for key in ("accuracy", "macro_f1", "train_seconds")}
        results.append({"dataset": "hwu64-mean", "folds": args.folds, **mean})
    for result in results[-1:] if args.dataset == "hwu64" else results:
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
