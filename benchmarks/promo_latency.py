"""Offer decision latency: `/v1/customers/{id}/offers` on the demo shop, in process and through the app.

    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.promo_latency [--requests 1000]

A fresh SQLite demo shop (the real migrations and seeds: 2,000 customers, 2,500 visits, the three demo campaigns,
their budgets raised so they never run dry during the run), the purchase-intent model trained on it by the real
command, then one decision per customer with a visit, each in its own database session as a request would be:
intent score of the customer's latest visit, order history, live campaigns and eligibility, the uplift gate,
the auction, a code issued with its budget reserved, the decision logged and committed. Timed: the whole
`service.decide` call, and apart the intent scoring inside it; then the same decisions for other customers
over HTTP: uvicorn (one worker) on a free local port, one keep-alive client sending requests one after another.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commerce.config import REPO_ROOT


def percentiles(values: list[float]) -> dict[str, float]:
    a = np.array(values)
    return {"p50_ms": round(float(np.percentile(a, 50)), 2), "p99_ms": round(float(np.percentile(a, 99)), 2),
            "n": len(values)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=800)
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'shop.db'}"
        env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(REPO_ROOT)}
        for command in ([str(Path(python).parent / "alembic"), "-c", "commerce/alembic.ini", "upgrade", "head"],
                        [python, "-m", "commerce.seed"], [python, "-m", "commerce.promo.seed"],
                        [python, "-m", "commerce.intent.train", "--out", str(Path(tmp) / "models" / "intent")]):
            subprocess.run(command, cwd=REPO_ROOT, env=env, check=True, capture_output=True)
        os.environ["DATABASE_URL"] = url

        from commerce.behaviour.models import VisitSession
        from commerce.db import build_engine
        from commerce.intent.store import ArtefactStore, ModelHolder
        from commerce.promo import learning, service
        from commerce.promo.models import Campaign

        engine = build_engine(url)
        holder = ModelHolder(ArtefactStore(Path(tmp) / "models" / "intent"))
        learning._holder = learning.UpliftHolder(Path(tmp) / "models" / "uplift")  # none trained: the prior
        with Session(engine) as s:
            s.execute(update(Campaign).values(total_budget_cents=10**9, daily_budget_cents=10**8))
            s.commit()
            customers = sorted(set(s.scalars(select(VisitSession.customer_id).where(
                VisitSession.customer_id.is_not(None)))))
        random.Random(5).shuffle(customers)
        half = min(args.requests, len(customers) // 2)
        direct, over_app = customers[:half], customers[half:2 * half]

        scoring_times: list[float] = []
        real_probability = service._intent_probability

        def timed_probability(*a):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return real_probability(*a)
            finally:
                scoring_times.append((time.perf_counter() - t) * 1000)

        service._intent_probability = timed_probability
        decide_times, offered = [], 0
        for i, customer_id in enumerate(direct):
            with Session(engine) as s:
                t = time.perf_counter()
                decision = service.decide(s, holder, customer_id, service.Context(basket_cents=6000,
                                                                                    moment="price_question"))
                elapsed = (time.perf_counter() - t) * 1000
            if i >= 20:  # warm-up
                decide_times.append(elapsed)
            offered += decision.offer is not None
        service._intent_probability = real_probability

        from benchmarks.commerce_api import serve

        server, base = serve({**env, "MODELS_DIR": str(Path(tmp) / "models")}, workers=1)
        http_times = []
        try:
            with httpx.Client(base_url=base, timeout=10) as client:
                for i, customer_id in enumerate(over_app):
                    t = time.perf_counter()
                    response = client.get(f"/v1/customers/{customer_id}/offers",
                                          params={"basket_cents": 6000, "moment": "price_question"})
                    elapsed = (time.perf_counter() - t) * 1000
                    assert response.status_code == 200, response.text
                    assert response.json()["intent_probability"] is not None, response.text
                    if i >= 20:
                        http_times.append(elapsed)
        finally:
            server.terminate()
            server.wait(timeout=30)
        engine.dispose()
    result = {"decide": percentiles(decide_times), "intent_scoring_inside": percentiles(scoring_times[20:]),
              "http": percentiles(http_times), "offers_made": offered, "decisions": len(direct)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
