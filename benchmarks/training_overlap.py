"""Guard: are any of our NLU training examples copies or near-copies of an evaluation set's sentences?

    .venv/bot/bin/python -m benchmarks.training_overlap [--threshold 0.9] [--min-words 5] [--datasets bitext ...]

Compares every example under training_data/nlu with every sentence of the chosen sets by cosine similarity of
character 3-5-gram TF-IDF vectors (lower-cased, so case and punctuation alone do not hide a copy) and prints our
examples of at least --min-words words at or above the threshold, with the set's name and the similarity, never
the set's sentence. Short everyday phrases ("tell me a joke") match some set by nature, hence the word floor; a
data round is checked by comparing the report before and after it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List

from benchmarks.nlu_eval import ROOT, load_banking77, load_bitext, load_clinc150, load_hwu64_folds

LOADERS = {
    "bitext": lambda: [t for t, _ in load_bitext()],
    "banking77": lambda: [t for split in ("train", "test") for t, _ in load_banking77(split)],
    "clinc150": lambda: [t for split in ("train", "val", "test") for t, _ in load_clinc150(split)],
    "hwu64": lambda: [t for fold in load_hwu64_folds() for t, _ in fold],
}


def training_examples(path: Path) -> List[Dict[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [{"text": m.get("text"), "intent": m.get("intent")} for m in data.intent_examples]


def near_copies(ours: List[str], theirs: List[str], threshold: float) -> List[tuple]:
    """(index into ours, best similarity) for each of our texts at or above the threshold."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True).fit(ours + theirs)
    similarity = vectorizer.transform(ours) @ vectorizer.transform(theirs).T  # rows are L2-normalised
    best = similarity.max(axis=1).toarray().ravel()
    return [(i, float(best[i])) for i in range(len(ours)) if best[i] >= threshold]


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.training_overlap", description=__doc__.split("\n")[0])
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--min-words", type=int, default=5)
    parser.add_argument("--datasets", nargs="+", choices=sorted(LOADERS), default=["bitext"])
    parser.add_argument("--data", type=Path, default=ROOT / "training_data" / "nlu")
    args = parser.parse_args(argv)
    examples = [e for e in training_examples(args.data) if len(e["text"].split()) >= args.min_words]
    for name in args.datasets:
        hits = near_copies([e["text"] for e in examples], LOADERS[name](), args.threshold)
        for i, similarity in sorted(hits, key=lambda hit: -hit[1]):
            print(json.dumps({"dataset": name, "similarity": round(similarity, 3), **examples[i]}))
        print(f"{name}: {len(hits)} of our {len(examples)} examples of >= {args.min_words} words at similarity"
              f" >= {args.threshold}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
