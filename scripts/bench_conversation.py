"""Per-message latency of the order conversation over Rasa's REST channel, all three services real.

    .venv/bot/bin/python scripts/bench_conversation.py [--conversations 50]

Seeds a fresh SQLite shop in a temp dir, starts the stack on free ports, runs the conversation
(ask -> order number -> e-mail -> answer) N times in sequence and prints p50/p95/max per message.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import requests

from stack import Stack, free_port, prepare_database

TURNS = ["where is my order?", "SA-100001", "demo@example.com"]


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'bench.db'}"
        prepare_database(db)
        with Stack(backend_port=free_port(), actions_port=free_port(), rasa_port=free_port(),
                   database_url=db, log_to=Path(tmp) / "logs") as stack:
            url = stack.url("rasa") + "/webhooks/rest/webhook"
            per_turn = {t: [] for t in TURNS}
            requests.post(url, json={"sender": "warmup", "message": "hi"}, timeout=30)
            for _ in range(args.conversations):
                sender = uuid.uuid4().hex
                for text in TURNS:
                    started = time.perf_counter()
                    resp = requests.post(url, json={"sender": sender, "message": text}, timeout=30)
                    per_turn[text].append((time.perf_counter() - started) * 1000)
                    resp.raise_for_status()
                assert "SA-100001" in resp.json()[0]["text"], resp.json()
    every = [ms for values in per_turn.values() for ms in values]
    print(f"{args.conversations} conversations, {len(every)} messages")
    print(f"{'message':<24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for text, values in list(per_turn.items()) + [("all messages", every)]:
        print(f"{text:<24} {statistics.median(values):8.1f} {percentile(values, 95):8.1f} {max(values):8.1f}")


if __name__ == "__main__":
    main()
