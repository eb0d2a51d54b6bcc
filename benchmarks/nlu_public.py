"""NLU pipeline benchmarks for issue 4: our own data (5-fold CV) and public sets, for any pipeline config.

    .venv/bot/bin/python -m benchmarks.nlu_public ours       --config config.yml            # 5-fold CV
    .venv/bot/bin/python -m benchmarks.nlu_public banking77  --config config.yml            # train -> test
    .venv/bot/bin/python -m benchmarks.nlu_public banking77 --shots 10 --config benchmarks/configs/rasa_default.yml
    .venv/bot/bin/python -m benchmarks.nlu_public banking77 --validation 0.1 --scales 3,6,12  # select on val
    .venv/bot/bin/python -m benchmarks.nlu_public clinc150   --config config.yml            # full, oos class
    .venv/bot/bin/python -m benchmarks.nlu_public hwu64      --config config.yml            # 10-fold
    .venv/bot/bin/python -m benchmarks.nlu_public hwu64 --first-fold 4 --config config.yml  # folds 4-10 only
    (add --limit 300 to try a tiny subset first; --out FILE appends the JSON results there)

Run from the repository root (our config reads var/catalog_terms.json relative to it), one run at a time
under `flock /tmp/shopassist-cpu.lock`, with stderr to /dev/null (Rasa logs the texts it parses).

Each run converts the dataset to Rasa YAML in a temporary directory (nothing from the datasets is written
into the repository), trains an NLU-only model with `rasa.model_training.train_nlu` (Rasa's training cache
disabled, so every run trains from scratch), loads it with `Agent.load` and parses the test split in process
in batches through the model's graph (the same graph `parse_message` runs, many messages per call). Metrics
are computed with scikit-learn:

- intents: accuracy, macro-F1 and weighted-F1 over the gold labels; the prediction is the top intent of the
  ranking other than `nlu_fallback` (so the fallback threshold does not count against the classifier);
- CLINC150 (Larson et al. 2019, "oos as an extra class"): out-of-scope queries are trained as intent `oos`;
  in-scope accuracy over in-scope test queries and OOS recall over OOS test queries, for the argmax
  prediction and again with the pipeline's own FallbackClassifier (`nlu_fallback` counts as `oos`); then with
  the fallback threshold chosen on CLINC's validation split (val + oos_val), applied once to the test split:
  by the highest val in-scope accuracy + OOS recall, and by the highest val OOS recall that keeps val in-scope
  accuracy at the target (--min-in-scope, 95);
- entities (our data, HWU64): token-level micro-F1 over entity labels (whitespace tokens, `no_entity`
  excluded, every extractor's output merged: a label the dataset does not have counts as a false positive),
  and span-level exact-match micro-F1;
- training time: wall clock of `train_nlu` (2 cores); parse latency p50/p95: `Agent.parse_message`, one
  message at a time, on a seeded sample of test texts (before the batch parse).

Seeds: numpy/random 42 (also fixes Rasa's unseeded StratifiedKFold in `generate_folds`) and the sampling
of few-shot sets; the configs fix their classifiers' seeds themselves.
"""

from __future__ import annotations

import os

# Rasa caches trained components by fingerprint; a benchmark must train from scratch every time.
os.environ.setdefault("RASA_MAX_CACHE_SIZE", "0")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

import argparse
import asyncio
import json
import logging
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SHOPASSIST_DATASETS", ROOT.parent / "shared" / "datasets")) / "nlu"
SEED = 42
OOS = "oos"
FALLBACK = "nlu_fallback"

# One example: text, intent, entities [{"start", "end", "entity", "value"}]
Example = Tuple[str, str, List[Dict[str, Any]]]


# ----------------------------------------------------------------------------------------------- datasets
def load_banking77(split: str) -> List[Example]:
    import csv

    with open(DATA / "banking77" / f"{split}.csv", newline="") as f:
        return [(r["text"], r["category"], []) for r in csv.DictReader(f)]


def load_clinc150(split: str) -> List[Example]:
    data = json.loads((DATA / "clinc150" / "data_full.json").read_text())
    return [(text, OOS if label == "oos" else label, []) for text, label in data[split] + data[f"oos_{split}"]]


def load_hwu64_folds() -> List[List[Example]]:
    folds = []
    for k in range(1, 11):
        raw = json.loads((DATA / "hwu64" / "rasa_json_10fold" / f"KFold_{k}_test.json").read_text())
        folds.append([(e["text"], e["intent"], e.get("entities", [])) for e in raw["rasa_nlu_data"]["common_examples"]])
    return folds


def by_intent(examples: Sequence[Example]) -> List[List[Example]]:
    """The examples grouped by intent, intents in sorted order (so seeded sampling is repeatable)."""
    groups: Dict[str, List[Example]] = defaultdict(list)
    for ex in examples:
        groups[ex[1]].append(ex)
    return [groups[intent] for intent in sorted(groups)]


def few_shot(train: List[Example], shots: int, seed: int) -> List[Example]:
    """A seeded stratified sample: `shots` examples of every intent."""
    rng = random.Random(seed)
    return [ex for group in by_intent(train) for ex in rng.sample(group, min(shots, len(group)))]


def validation_split(train: List[Example], fraction: float, seed: int) -> Tuple[List[Example], List[Example]]:
    """A seeded stratified hold-out of the train split: (rest of train, validation)."""
    rng = random.Random(seed)
    rest: List[Example] = []
    held: List[Example] = []
    for group in by_intent(train):
        shuffled = rng.sample(group, len(group))
        k = max(1, round(fraction * len(group)))
        held += shuffled[:k]
        rest += shuffled[k:]
    return rest, held


def with_scale(config: Path, scale: float, workdir: Path) -> Path:
    """A copy of the config whose MiniLM featurizer multiplies its vectors by `scale`."""
    from rasa.shared.utils.io import read_yaml_file, write_yaml

    data = read_yaml_file(str(config))
    steps = [step for step in data.get("pipeline") or [] if str(step.get("name", "")).endswith("MiniLMFeaturizer")]
    if not steps:
        raise SystemExit(f"{config} has no MiniLMFeaturizer to scale")
    for step in steps:
        step["scale"] = scale
    out = workdir / f"config_scale{scale:g}.yml"
    write_yaml(data, out)
    return out


def reuse_fine_tuning(store: Path) -> None:
    """Within this process, fine-tune MiniLM once per (texts, labels, settings), keep the result in `store` and
    copy it to later trainings that ask for the same: settings after the encoder (e.g. `scale`) can then be
    compared cheaply."""
    import dataclasses
    import hashlib
    import shutil

    import bot.components.minilm_tuning as tuning

    original = tuning.fine_tune

    def fine_tune(texts, labels, out_file, config=tuning.TuningConfig(), source=None, log=print):
        key = hashlib.sha256(json.dumps([list(texts), list(labels), dataclasses.asdict(config),
                                         str(source)]).encode()).hexdigest()
        cached = store / f"{key}.safetensors"
        if not cached.exists():
            original(texts, labels, cached, config, source, log)
        Path(out_file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, out_file)
        return Path(out_file)

    tuning.fine_tune = fine_tune


def limit(examples: List[Example], n: Optional[int], seed: int) -> List[Example]:
    if n is None or n >= len(examples):
        return examples
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    return shuffled[:n]


def clean_entities(text: str, entities: Iterable[Dict[str, Any]]) -> Tuple[str, List[Dict[str, Any]]]:
    """Collapse whitespace (Rasa's YAML writer needs single-line texts) and keep only valid spans."""
    if " ".join(text.split()) == text:
        return text, [e for e in entities if 0 <= e["start"] < e["end"] <= len(text)]
    # Rebuild offsets after collapsing whitespace: new position of every non-space character.
    new_chars: List[str] = []
    pos: Dict[int, int] = {}
    for i, ch in enumerate(text):
        if ch.isspace():
            if new_chars and new_chars[-1] != " ":
                new_chars.append(" ")
        else:
            pos[i] = len(new_chars)
            new_chars.append(ch)
    new_text = "".join(new_chars).rstrip()
    out = []
    for e in entities:
        inside = [pos[i] for i in range(e["start"], min(e["end"], len(text))) if i in pos]
        if inside:
            s, t = inside[0], inside[-1] + 1
            out.append({**e, "start": s, "end": t, "value": new_text[s:t]})
    return new_text, out


def to_training_data(examples: Sequence[Example]):
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    messages = []
    for text, intent, entities in examples:
        text, entities = clean_entities(text, entities)
        if not text:
            continue
        data: Dict[str, Any] = {"text": text, "intent": intent}
        if entities:
            data["entities"] = [{k: e[k] for k in ("start", "end", "entity", "value")} for e in entities]
        messages.append(Message(data=data))
    return TrainingData(training_examples=messages)


def from_training_data(td) -> List[Example]:
    return [(m.get("text"), m.get("intent"), [dict(e) for e in m.get("entities", []) or []]) for m in td.intent_examples]


# ------------------------------------------------------------------------------------- embedding cache
class _CachedEncoder:
    """Memoises MiniLM sentence vectors by text inside this process (HWU64's folds and the CV folds encode
    the same sentences again and again; the vectors are deterministic, so only time changes)."""

    def __init__(self, encoder: Any) -> None:
        self._encoder = encoder
        self._cache: Dict[str, np.ndarray] = {}
        self.enabled = True

    def encode(self, texts: Sequence[str], *args: Any, **kwargs: Any) -> np.ndarray:
        if not self.enabled:
            return self._encoder.encode(texts, *args, **kwargs)
        todo = sorted({t for t in texts if t not in self._cache})
        if todo:
            for text, vector in zip(todo, self._encoder.encode(todo, *args, **kwargs)):
                self._cache[text] = vector
        return np.stack([self._cache[t] for t in texts])


CACHED: Optional[_CachedEncoder] = None


def enable_embedding_cache() -> None:
    global CACHED
    import bot.components.minilm_featurizer as featurizer

    CACHED = _CachedEncoder(featurizer.get_encoder())
    featurizer.get_encoder = lambda: CACHED  # type: ignore[assignment]


# ------------------------------------------------------------------------------------- train and parse
def train(config: Path, train_examples: Sequence[Example], workdir: Path) -> Tuple[Path, float]:
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    nlu_file = workdir / "nlu.yml"
    RasaYAMLWriter().dump(nlu_file, to_training_data(train_examples))
    return train_file(config, nlu_file, workdir)


def train_file(config: Path, nlu_file: Path, workdir: Path) -> Tuple[Path, float]:
    from rasa.model_training import train_nlu

    started = time.perf_counter()
    model = train_nlu(str(config), str(nlu_file), str(workdir / "models"), fixed_model_name="bench")
    seconds = time.perf_counter() - started
    if not model:
        raise RuntimeError("train_nlu produced no model")
    return Path(model), seconds


def load_agent(model: Path):
    from rasa.core.agent import Agent

    return Agent.load(str(model))


def measure_latency(agent, texts: Sequence[str]) -> Dict[str, float]:
    """One message at a time through Agent.parse_message, as the bot parses a shopper's turn."""
    if CACHED is not None:
        CACHED.enabled = False

    async def run() -> List[float]:
        await agent.parse_message("warm up")
        out = []
        for text in texts:
            started = time.perf_counter()
            await agent.parse_message(text)
            out.append((time.perf_counter() - started) * 1000)
        return out

    latencies = sorted(asyncio.run(run()))
    if CACHED is not None:
        CACHED.enabled = True
    return {"parse_p50_ms": round(float(np.percentile(latencies, 50)), 1),
            "parse_p95_ms": round(float(np.percentile(latencies, 95)), 1), "latency_n": len(latencies)}


def parse_batch(agent, texts: Sequence[str], batch: int) -> List[Dict[str, Any]]:
    """The model's NLU graph over many messages per call (what `parse_message` runs for one)."""
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER

    processor = agent.processor
    target = processor.model_metadata.nlu_target
    out: List[Dict[str, Any]] = []
    for i in range(0, len(texts), batch):
        messages = [UserMessage(text=t) for t in texts[i:i + batch]]
        results = processor.graph_runner.run(
            inputs={PLACEHOLDER_MESSAGE: messages, PLACEHOLDER_TRACKER: None}, targets=[target]
        )
        for parsed in results[target]:
            out.append(parsed.as_dict(only_output_properties=True))
    return out


def top_intent(parsed: Dict[str, Any]) -> Tuple[Optional[str], Optional[str]]:
    """(top intent other than nlu_fallback, the pipeline's own top intent)."""
    pipeline = (parsed.get("intent") or {}).get("name")
    argmax = confidences(parsed)[0] or (pipeline if pipeline != FALLBACK else None)
    return argmax, pipeline


# ------------------------------------------------------------------------------------------- metrics
def confidences(parsed: Dict[str, Any]) -> Tuple[Optional[str], float, Optional[float]]:
    """(top intent other than nlu_fallback, its confidence, the runner-up's confidence or None)."""
    ranking = [r for r in parsed.get("intent_ranking") or [] if r["name"] != FALLBACK]
    if not ranking:
        return None, 0.0, None
    return ranking[0]["name"], ranking[0]["confidence"], ranking[1]["confidence"] if len(ranking) > 1 else None


def with_threshold(parsed: Sequence[Dict[str, Any]], threshold: float, ambiguity: float) -> List[Optional[str]]:
    """What the FallbackClassifier would predict at `threshold` (nlu_fallback counted as `oos`)."""
    out: List[Optional[str]] = []
    for p in parsed:
        name, top, second = confidences(p)
        ambiguous = second is not None and top - second < ambiguity  # Rasa checks it only with a runner-up
        out.append(OOS if name is None or top < threshold or ambiguous else name)
    return out


def fallback_setting(config: Path) -> Tuple[float, float]:
    """(threshold, ambiguity_threshold) of the config's FallbackClassifier, Rasa's defaults filled in."""
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
    from rasa.shared.utils.io import read_yaml_file

    for step in read_yaml_file(str(config)).get("pipeline") or []:
        if step.get("name") == "FallbackClassifier":
            settings = {**FallbackClassifier.get_default_config(), **step}
            return float(settings["threshold"]), float(settings["ambiguity_threshold"])
    return 0.0, 0.0


def threshold_from_val(config: Path, val_parsed: Sequence[Dict[str, Any]], val_gold: Sequence[str],
                       test_parsed: Sequence[Dict[str, Any]], test_gold: Sequence[str],
                       min_in_scope: float) -> Dict[str, Any]:
    """The fallback threshold chosen on the validation split, then applied once to the test split, by two
    criteria: the highest val in-scope accuracy + OOS recall, and the highest val OOS recall that keeps val
    in-scope accuracy >= min_in_scope (the issue's in-scope target). The config's ambiguity threshold is kept."""
    configured, ambiguity = fallback_setting(config)
    curve = []
    for threshold in [round(0.01 * k, 2) for k in range(0, 100)]:
        scores = clinc_scores(val_gold, with_threshold(val_parsed, threshold, ambiguity))
        curve.append({"threshold": threshold, **scores})
    by_sum = max(curve, key=lambda c: (c["in_scope_accuracy"] + c["oos_recall"], -c["threshold"]))
    allowed = [c for c in curve if c["in_scope_accuracy"] >= min_in_scope]
    by_floor = max(allowed or curve[:1], key=lambda c: (c["oos_recall"], -c["threshold"]))

    def chosen(c: Dict[str, Any]) -> Dict[str, Any]:
        return {"threshold": c["threshold"], "val": c,
                "test": clinc_scores(test_gold, with_threshold(test_parsed, c["threshold"], ambiguity))}

    return {"ambiguity_threshold": ambiguity,
            # The emulation must agree with the FallbackClassifier at the config's own threshold ("with_fallback").
            "test_at_config_threshold": clinc_scores(test_gold, with_threshold(test_parsed, configured, ambiguity)),
            "max_val_sum": chosen(by_sum),
            # No threshold keeps val in-scope accuracy at the floor: threshold 0 is reported, marked as such.
            f"max_val_oos_recall_with_in_scope_{min_in_scope:g}": {**chosen(by_floor), "floor_met_on_val": bool(allowed)},
            "val_curve": [{k: c[k] for k in ("threshold", "in_scope_accuracy", "oos_recall")} for c in curve[::5]]}


def intent_scores(gold: Sequence[str], pred: Sequence[Optional[str]]) -> Dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    pred = [p if p is not None else "<none>" for p in pred]
    labels = sorted(set(gold))
    return {
        "intent_accuracy": round(100 * accuracy_score(gold, pred), 2),
        "intent_macro_f1": round(100 * f1_score(gold, pred, labels=labels, average="macro", zero_division=0), 2),
        "intent_weighted_f1": round(100 * f1_score(gold, pred, labels=labels, average="weighted", zero_division=0), 2),
    }


def clinc_scores(gold: Sequence[str], pred: Sequence[Optional[str]]) -> Dict[str, float]:
    ins = [(g, p) for g, p in zip(gold, pred) if g != OOS]
    oos = [(g, p) for g, p in zip(gold, pred) if g == OOS]
    return {"in_scope_accuracy": round(100 * sum(g == p for g, p in ins) / max(1, len(ins)), 2),
            "oos_recall": round(100 * sum(p == OOS for _, p in oos) / max(1, len(oos)), 2),
            "n_in_scope": len(ins), "n_oos": len(oos)}


_TOKEN = re.compile(r"\S+")


def _token_labels(text: str, entities: Sequence[Dict[str, Any]]) -> List[str]:
    labels = []
    for m in _TOKEN.finditer(text):
        label = "no_entity"
        for e in entities:
            if "start" in e and e["start"] < m.end() and m.start() < e["end"]:
                label = e["entity"]
                break
        labels.append(label)
    return labels


def entity_scores(texts: Sequence[str], gold: Sequence[Sequence[Dict[str, Any]]],
                  pred: Sequence[Sequence[Dict[str, Any]]]) -> Dict[str, Any]:
    from sklearn.metrics import f1_score, precision_score, recall_score

    g_tok, p_tok = [], []
    for text, g, p in zip(texts, gold, pred):
        g_tok.extend(_token_labels(text, g))
        p_tok.extend(_token_labels(text, p))
    labels = sorted((set(g_tok) | set(p_tok)) - {"no_entity"})
    gold_labels = sorted(set(g_tok) - {"no_entity"})
    if not labels:
        return {}
    spans_g = {(i, e["start"], e["end"], e["entity"]) for i, g in enumerate(gold) for e in g}
    spans_p = {(i, e["start"], e["end"], e["entity"]) for i, p in enumerate(pred) for e in p if "start" in e}
    tp = len(spans_g & spans_p)
    sp = tp / len(spans_p) if spans_p else 0.0
    sr = tp / len(spans_g) if spans_g else 0.0
    extra = sorted(set(labels) - set(gold_labels))
    return {
        "entity_token_micro_f1": round(100 * f1_score(g_tok, p_tok, labels=labels, average="micro", zero_division=0), 2),
        "entity_token_micro_precision": round(100 * precision_score(g_tok, p_tok, labels=labels, average="micro", zero_division=0), 2),
        "entity_token_micro_recall": round(100 * recall_score(g_tok, p_tok, labels=labels, average="micro", zero_division=0), 2),
        # The same over the dataset's own labels only (predictions of labels it does not have ignored).
        "entity_token_micro_f1_gold_labels": round(100 * f1_score(g_tok, p_tok, labels=gold_labels, average="micro", zero_division=0), 2),
        "entity_token_weighted_f1_gold_labels": round(100 * f1_score(g_tok, p_tok, labels=gold_labels, average="weighted", zero_division=0), 2),
        "entity_span_micro_f1": round(100 * (2 * sp * sr / (sp + sr) if sp + sr else 0.0), 2),
        "predicted_labels_not_in_gold": extra,
    }


# ---------------------------------------------------------------------------------------------- runs
def evaluate(config: Path, train_ex: Sequence[Example], test_ex: Sequence[Example], args, name: str,
             with_entities: bool = False, threshold_ex: Sequence[Example] = ()) -> Dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="nlu_public_") as tmp:
        model, seconds = train(config, train_ex, Path(tmp))
        agent = load_agent(model)
        texts = [t for t, _, _ in test_ex]
        sample = random.Random(SEED).sample(texts, min(args.latency_n, len(texts))) if args.latency_n else []
        latency = measure_latency(agent, sample) if sample else {}
        started = time.perf_counter()
        parsed = parse_batch(agent, texts, args.batch)
        batch_seconds = time.perf_counter() - started
        val_parsed = parse_batch(agent, [t for t, _, _ in threshold_ex], args.batch) if threshold_ex else []
    gold = [i for _, i, _ in test_ex]
    argmax, pipeline = zip(*(top_intent(p) for p in parsed)) if parsed else ((), ())
    result: Dict[str, Any] = {
        "dataset": name, "config": str(config), "n_train": len(train_ex), "n_test": len(test_ex),
        "n_intents_train": len({i for _, i, _ in train_ex}), "train_seconds": round(seconds, 1), **latency,
        "batch_parse_msgs_per_s": round(len(texts) / batch_seconds, 1) if batch_seconds else None,
    }
    result.update(intent_scores(gold, argmax))
    if OOS in gold:
        result["argmax"] = clinc_scores(gold, argmax)
        result["with_fallback"] = clinc_scores(gold, [OOS if p == FALLBACK else p for p in pipeline])
        if threshold_ex:
            result["threshold_from_val"] = threshold_from_val(config, val_parsed, [i for _, i, _ in threshold_ex],
                                                              parsed, gold, args.min_in_scope)
        if args.save_confidences:  # labels and confidences only (no texts), to study thresholds without retraining
            with open(args.save_confidences, "w") as f:
                for split, rows, labels in (("test", parsed, gold), ("val", val_parsed, [i for _, i, _ in threshold_ex])):
                    for p, g in zip(rows, labels):
                        f.write(json.dumps({"split": split, "gold": g, "top": confidences(p)}) + "\n")
    if with_entities:
        result.update(entity_scores([p.get("text", t) for p, t in zip(parsed, texts)],
                                    [e for _, _, e in test_ex], [p.get("entities") or [] for p in parsed]))
    confusions: Dict[str, int] = defaultdict(int)
    for g, p in zip(gold, argmax):
        if g != p:
            confusions[f"{g} -> {p}"] += 1
    result["top_confusions"] = sorted(confusions.items(), key=lambda kv: -kv[1])[:10]
    return result


def mean_of(results: Sequence[Dict[str, Any]], name: str) -> Dict[str, Any]:
    keys = [k for k, v in results[0].items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    out: Dict[str, Any] = {"dataset": name, "folds": len(results), "config": results[0]["config"]}
    for k in keys:
        values = [r[k] for r in results if isinstance(r.get(k), (int, float))]
        if len(values) == len(results):
            out[k] = round(statistics.mean(values), 2)
            if len(values) > 1 and k.startswith(("intent_", "entity_")):
                out[k + "_sd"] = round(statistics.stdev(values), 2)
    out["train_seconds_first_fold"] = results[0]["train_seconds"]
    return out


def run_ours(config: Path, args) -> List[Dict[str, Any]]:
    """5-fold CV on training_data/nlu with Rasa's own fold generator (stratified by intent)."""
    from rasa.nlu.test import generate_folds
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "training_data" / "nlu"))
    if args.limit:
        keep = set(id(m) for m in limit(list(data.intent_examples), args.limit, SEED))  # type: ignore[arg-type]
        from rasa.shared.nlu.training_data.training_data import TrainingData

        data = TrainingData([m for m in data.intent_examples if id(m) in keep], data.entity_synonyms,
                            data.regex_features, data.lookup_tables)
    np.random.seed(SEED)  # generate_folds uses StratifiedKFold(shuffle=True) without a random_state
    results = []
    for k, (train_td, test_td) in enumerate(generate_folds(args.cv_folds, data)):
        from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

        with tempfile.TemporaryDirectory(prefix="nlu_public_") as tmp:
            nlu_file = Path(tmp) / "nlu.yml"
            RasaYAMLWriter().dump(nlu_file, train_td)  # keeps regexes, lookups and synonyms
            model, seconds = train_file(config, nlu_file, Path(tmp))
            agent = load_agent(model)
            test_ex = from_training_data(test_td)
            texts = [t for t, _, _ in test_ex]
            latency = measure_latency(agent, random.Random(SEED).sample(texts, min(args.latency_n, len(texts)))) \
                if args.latency_n and k == 0 else {}
            parsed = parse_batch(agent, texts, args.batch)
        gold = [i for _, i, _ in test_ex]
        argmax = [top_intent(p)[0] for p in parsed]
        r = {"dataset": f"ours-fold{k + 1}", "config": str(config), "n_train": len(train_td.intent_examples),
             "n_test": len(test_ex), "train_seconds": round(seconds, 1), **latency, **intent_scores(gold, argmax)}
        r.update(entity_scores([p.get("text", t) for p, t in zip(parsed, texts)], [e for _, _, e in test_ex],
                               [p.get("entities") or [] for p in parsed]))
        r["_pairs"] = (gold, argmax, texts, [e for _, _, e in test_ex], [p.get("entities") or [] for p in parsed])
        results.append(r)
        print(json.dumps({k2: v for k2, v in r.items() if k2 != "_pairs"}), flush=True)
    # Pooled over the five test folds (what `rasa test nlu --cross-validation` reports), beside the fold mean.
    gold, pred, texts, ge, pe = ([], [], [], [], [])
    for r in results:
        g, p, t, e1, e2 = r.pop("_pairs")
        gold += g; pred += p; texts += t; ge += e1; pe += e2
    summary = mean_of(results, "ours-cv-mean")
    summary["pooled"] = {**intent_scores(gold, pred), **entity_scores(texts, ge, pe)}
    summary["n_examples"] = len(gold)
    confusions: Dict[str, int] = defaultdict(int)
    for g, p in zip(gold, pred):
        if g != p:
            confusions[f"{g} -> {p}"] += 1
    summary["top_confusions"] = sorted(confusions.items(), key=lambda kv: -kv[1])[:12]
    return results + [summary]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", choices=["ours", "banking77", "clinc150", "hwu64"])
    parser.add_argument("--config", default="config.yml", help="pipeline config file (NLU part is used)")
    parser.add_argument("--shots", type=int, default=None, help="banking77: N training examples per intent")
    parser.add_argument("--limit", type=int, default=None, help="debug: at most N train and N test examples")
    parser.add_argument("--folds", type=int, default=None,
                        help="hwu64: how many of the 10 folds to run (default: all from --first-fold to 10)")
    parser.add_argument("--first-fold", type=int, default=1,
                        help="hwu64: the first fold to run, 1-10 (e.g. --first-fold 4 --folds 7 runs folds 4-10)")
    parser.add_argument("--cv-folds", type=int, default=5, help="ours: number of CV folds")
    parser.add_argument("--batch", type=int, default=256, help="messages per graph call when parsing")
    parser.add_argument("--latency-n", type=int, default=300, help="texts parsed one by one for p50/p95")
    parser.add_argument("--cache-embeddings", action="store_true",
                        help="memoise MiniLM vectors across folds (hwu64/ours; report the first fold's time)")
    parser.add_argument("--out", default=None, help="append the JSON results to this file")
    parser.add_argument("--validation", type=float, default=None,
                        help="banking77: test on this stratified share of the train split instead (e.g. 0.1)")
    parser.add_argument("--scales", type=lambda v: [float(x) for x in v.split(",")], default=None,
                        help="banking77: one run per MiniLM featurizer scale (e.g. 3,6,12), fine-tuning done once")
    parser.add_argument("--min-in-scope", type=float, default=95.0,
                        help="clinc150: in-scope accuracy the val-chosen threshold must keep (second criterion)")
    parser.add_argument("--save-confidences", default=None,
                        help="clinc150: write gold label, top intent and top-2 confidences per test/val query here")
    args = parser.parse_args()
    if not 1 <= args.first_fold <= 10:
        parser.error("--first-fold must be between 1 and 10")
    if args.folds is None:
        args.folds = 11 - args.first_fold
    if args.folds < 1 or args.first_fold + args.folds - 1 > 10:
        parser.error(f"--folds {args.folds} from fold {args.first_fold} goes past fold 10")

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    random.seed(SEED)
    np.random.seed(SEED)
    logging.getLogger().setLevel(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    config = Path(args.config).resolve()
    if args.cache_embeddings:
        enable_embedding_cache()
    # Scratch files of this run (fine-tuned encoders reused across scales, scaled configs), removed at exit.
    scratch = tempfile.TemporaryDirectory(prefix="nlu_public_")
    if args.scales:
        reuse_fine_tuning(Path(scratch.name))

    started = time.time()
    if args.dataset == "ours":
        results = run_ours(config, args)
    elif args.dataset == "banking77":
        tr, te = load_banking77("train"), load_banking77("test")
        name = "banking77"
        if args.shots:
            tr, name = few_shot(tr, args.shots, SEED), f"banking77-{args.shots}shot"
        if args.validation:  # select settings here, never on the test split
            tr, te = validation_split(tr, args.validation, SEED)
            name += f"-val{args.validation:g}"
        results = []
        for scale in args.scales or [None]:
            run_config = with_scale(config, scale, Path(scratch.name)) if scale is not None else config
            results.append(evaluate(run_config, limit(tr, args.limit, SEED), limit(te, args.limit, SEED), args,
                                    name if scale is None else f"{name}-scale{scale:g}"))
            print(json.dumps(results[-1]), flush=True)
    elif args.dataset == "clinc150":
        results = [evaluate(config, limit(load_clinc150("train"), args.limit, SEED),
                            limit(load_clinc150("test"), args.limit, SEED), args, "clinc150-full",
                            threshold_ex=limit(load_clinc150("val"), args.limit, SEED))]
    else:
        folds = load_hwu64_folds()
        results = []
        for k in range(args.first_fold - 1, args.first_fold - 1 + args.folds):
            tr = [ex for j, fold in enumerate(folds) if j != k for ex in fold]
            results.append(evaluate(config, limit(tr, args.limit, SEED), limit(folds[k], args.limit, SEED), args,
                                    f"hwu64-fold{k + 1}", with_entities=True))
            print(json.dumps(results[-1]), flush=True)
            if args.out:  # each fold as it finishes, so an interrupted run keeps what it measured
                with open(args.out, "a") as f:
                    f.write(json.dumps({**results[-1], "limit": args.limit}) + "\n")
        last = args.first_fold + args.folds - 1
        name = "hwu64-mean" if (args.first_fold, last) == (1, 10) else f"hwu64-mean-folds{args.first_fold}-{last}"
        results.append(mean_of(results, name))
        results[-1]["fold_range"] = [args.first_fold, last]
    for r in results:
        r["limit"] = args.limit
        r["shots"] = args.shots
        r["total_wall_seconds"] = round(time.time() - started, 1)
    final = results[-1]
    print(json.dumps(final), flush=True)
    if args.out:
        with open(args.out, "a") as f:
            for r in results[-1:] if args.dataset == "hwu64" else results:
                f.write(json.dumps(r) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
