"""Feedback-loop simulation (backend env):

    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.kb_feedback_sim [--rounds 20] [--seeds 5]

The demo FAQ plus deliberately poor answers: for a share of our held-out shopper questions (30% by default)
a duplicate of the right entry is added with the same question and phrasings but an answer that restates the
question and says nothing ("... Please check our help pages for the details."), so retrieval often prefers
it. Simulated shoppers ask every question once per round and rate the answer they get: helpful with
probability 0.8 when it is the right entry, 0.15 otherwise. After each round we count the questions whose
top answer is the right entry, for four rankings of the same retrieval candidates:
  none           retrieval only,
  counter        fused score + 0.02 x (helpful - unhelpful votes): a raw counter,
  entry_bound    the Bayesian lower bound per entry (knowledge_base.feedback, without query clusters),
  entry_cluster  the shipped ranking: per entry and per query cluster (leader clustering of the questions).
Writes docs/img/kb_feedback_sim.png and prints the shares after 0, 1, 3, 5, 10 and the last round.
"""
from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks.kb_common import IMAGES, encode_cached, seed_index  # noqa: E402
from knowledge_base import text  # noqa: E402
from knowledge_base.clusters import Leaders  # noqa: E402
from knowledge_base.feedback import Votes, rerank  # noqa: E402
from knowledge_base.hybrid import Candidate  # noqa: E402
from knowledge_base.seed.content import ENTRIES  # noqa: E402
from knowledge_base.seed.questions import ANSWERABLE  # noqa: E402

P_HELPFUL_RIGHT, P_HELPFUL_WRONG = 0.8, 0.15
STRATEGIES = ("none", "counter", "entry_bound", "entry_cluster")
COUNTER_STEP = 0.02


def poor_answer(question: str) -> str:
    return f"{question} Please check our help pages for the details."


def rank(strategy: str, candidates: list[Candidate], cluster: int,
         votes: dict[tuple[str, int], list[int]]) -> list[Candidate]:
    if strategy == "none":
        return candidates
    per_entry: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (key, _), (helpful, total) in votes.items():
        per_entry[key][0] += helpful
        per_entry[key][1] += total
    if strategy == "counter":
        scored = [(c.fused + COUNTER_STEP * (2 * per_entry[c.key][0] - per_entry[c.key][1]), c) for c in candidates]
        return [c for _, c in sorted(scored, key=lambda sc: -sc[0])]
    tallies = {}
    for c in candidates:
        helpful, total = per_entry[c.key] if c.key in per_entry else (0, 0)
        in_cluster = votes.get((c.key, cluster), [0, 0]) if strategy == "entry_cluster" else [0, 0]
        tallies[c.key] = Votes(helpful, total, in_cluster[0], in_cluster[1])
    return rerank(candidates, tallies)


def simulate(seed: int, decoy_share: float, rounds: int) -> dict[str, list[float]]:
    rng = random.Random(seed)
    index, vectors = seed_index()
    by_slug = {e.slug: e for e in ENTRIES}
    decoyed = rng.sample(range(len(ANSWERABLE)), round(decoy_share * len(ANSWERABLE)))
    poor_vectors = dict(zip(by_slug, encode_cached([poor_answer(e.question) for e in ENTRIES], "poor-answers")))
    for slug in sorted({ANSWERABLE[i][1] for i in decoyed}):
        entry = by_slug[slug]
        index.upsert(f"decoy:{slug}", text.lexical_text(entry.question, list(entry.phrasings), poor_answer(entry.question)),
                     np.vstack([vectors[slug][: 1 + len(entry.phrasings)], poor_vectors[slug][None, :]]))

    questions = [q for q, _ in ANSWERABLE]
    query_vectors = encode_cached(questions, "held-out-questions")
    candidates = [index.search(q, v, k=10) for q, v in zip(questions, query_vectors)]
    leaders = Leaders()
    clusters = [leaders.assign(v) for v in query_vectors]

    shares: dict[str, list[float]] = {}
    for strategy in STRATEGIES:
        votes: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        shopper = random.Random(f"{seed}:{strategy}")

        def share() -> float:
            return float(np.mean([rank(strategy, candidates[i], clusters[i], votes)[0].key == ANSWERABLE[i][1]
                                  for i in range(len(questions))]))

        curve = [share()]
        for _ in range(rounds):
            for i in shopper.sample(range(len(questions)), len(questions)):
                shown = rank(strategy, candidates[i], clusters[i], votes)[0].key
                right = shown == ANSWERABLE[i][1]
                tally = votes[(shown, clusters[i])]
                tally[0] += shopper.random() < (P_HELPFUL_RIGHT if right else P_HELPFUL_WRONG)
                tally[1] += 1
            curve.append(share())
        shares[strategy] = curve
    return shares


def plot(results: dict[str, np.ndarray], decoy_share: float) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for strategy, runs in results.items():
        mean, low, high = runs.mean(axis=0), runs.min(axis=0), runs.max(axis=0)
        x = np.arange(len(mean))
        ax.plot(x, mean, label=strategy)
        ax.fill_between(x, low, high, alpha=0.15)
    ax.axhline(0.95, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("ratings per question (simulated shoppers)")
    ax.set_ylabel("questions answered with the right entry")
    ax.set_title(f"Feedback loop: demo FAQ + poor duplicates for {decoy_share:.0%} of the questions")
    ax.set_ylim(0.5, 1.0)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(IMAGES / "kb_feedback_sim.png", dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description="Simulate shoppers' ratings feeding the ranking.")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--decoy-share", type=float, default=0.3)
    args = parser.parse_args()
    runs = [simulate(seed, args.decoy_share, args.rounds) for seed in range(args.seeds)]
    results = {s: np.array([run[s] for run in runs]) for s in STRATEGIES}
    plot(results, args.decoy_share)
    marks = sorted({0, 1, 3, 5, 10, args.rounds} & set(range(args.rounds + 1)))
    summary = {
        "questions": len(ANSWERABLE), "decoy_share": args.decoy_share, "seeds": args.seeds,
        "share_right_by_ratings_per_question": {
            s: {n: f"{r[:, n].mean():.3f} (min {r[:, n].min():.3f})" for n in marks} for s, r in results.items()},
        "first_n_with_mean_at_least_0.95": {
            s: next((n for n in range(args.rounds + 1) if r[:, n].mean() >= 0.95), None) for s, r in results.items()},
        "plot": "docs/img/kb_feedback_sim.png",
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
