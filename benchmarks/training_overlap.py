"""Guard: are any of our NLU training examples copies or near-copies of an evaluation set's sentences?

    .venv/bot/bin/python -m benchmarks.training_overlap [--threshold 0.75] [--min-words 3] [--datasets bitext ...]

A near-copy is a sentence with a place, an amount, a typo or a word or two changed. Text is lower-cased and every
amount masked, then for each of our examples the 5 closest sentences of the set by character 3-5-gram TF-IDF
(without idf, so a swapped rare place name does not hide the rest) are compared with difflib's ratio, and our
examples of at least --min-words words at or above the threshold are printed with the set's name and the ratio,
never the set's sentence. Short everyday phrases ("tell me a joke") match some set by nature; a data round is
checked by comparing the report before and after it.
"""
from __future__ import annotations

import argparse
import json
import re
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


AMOUNT = re.compile(r"(?:[$€£#]\s?)?\d[\d.,]*(?:\s?(?:dollars?|euros?|pounds?|bucks|[$€£]))?")


def normalise(text: str) -> str:
    """Lower-cased, every amount (with its currency word or sign) masked, whitespace collapsed. Place names are
    not masked: a swapped place still lowers the ratio a little."""
    return re.sub(r"\s+", " ", AMOUNT.sub("0", text.lower())).strip()


def near_copies(ours: List[str], theirs: List[str], threshold: float, candidates: int = 5) -> List[tuple]:
    """(index into ours, best ratio) for each of our texts at or above the threshold."""
    from difflib import SequenceMatcher

    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    ours_n, theirs_n = [normalise(t) for t in ours], [normalise(t) for t in theirs]
    if not ours_n or not theirs_n:
        return []
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), use_idf=False).fit(ours_n + theirs_n)
    theirs_m = vectorizer.transform(theirs_n).T
    hits = []
    for start in range(0, len(ours_n), 500):  # 500 rows at a time: the full matrix of a large set is ~650 MB
        block = (vectorizer.transform(ours_n[start:start + 500]) @ theirs_m).toarray()
        for offset, row in enumerate(block):
            i = start + offset
            nearest = np.argsort(-row)[:candidates]
            best = max(SequenceMatcher(None, ours_n[i], theirs_n[j], autojunk=False).ratio() for j in nearest)
            if best >= threshold:
                hits.append((i, best))
    return hits


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.training_overlap", description=__doc__.split("\n")[0])
    parser.add_argument("--threshold", type=float, default=0.75)
    parser.add_argument("--min-words", type=int, default=3)
    parser.add_argument("--datasets", nargs="+", choices=sorted(LOADERS), default=["bitext"])
    parser.add_argument("--data", type=Path, default=ROOT / "training_data" / "nlu")
    args = parser.parse_args(argv)
    examples = [e for e in training_examples(args.data) if len(e["text"].split()) >= args.min_words]
    for name in args.datasets:
        hits = near_copies([e["text"] for e in examples], LOADERS[name](), args.threshold)
        for i, ratio in sorted(hits, key=lambda hit: -hit[1]):
            print(json.dumps({"dataset": name, "ratio": round(ratio, 3), **examples[i]}))
        print(f"{name}: {len(hits)} of our {len(examples)} examples of >= {args.min_words} words at ratio"
              f" >= {args.threshold}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
