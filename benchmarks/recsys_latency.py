"""Serving latency and memory of recommendations at 1k, 20k and 200k products.

    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.recsys_latency

For each size: a synthetic shop in a fresh SQLite file (products in 60 categories, 5,000 customers, 20,000 visits
whose shoppers keep to a few categories, a purchase or two each), the default model trained on it by the real
training command, then requests through the real service: customers with history, anonymous visitors with the
product on screen, and category-filtered lists (k=10). Timed per request: the whole service call (database reads
included), the part of it spent in the database queries, and, apart, the model's scoring; and the same requests
over HTTP (in-process ASGI client) at one size. Memory: the artefact on disk and the process's resident memory
before and after loading it. Also the cost of one read of the in-memory catalog snapshot the candidate filter
uses (every 30 s, in a background thread) and its size.
Writes var/bench/recsys_latency.json and docs/img/recsys_latency.png.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
from alembic import command
from alembic.config import Config
from sqlalchemy import insert
from sqlalchemy.orm import Session

from commerce import models
from commerce.behaviour.models import Device, EventKind, PageType, TrafficSource, VisitorType
from commerce.config import REPO_ROOT
from commerce.db import build_engine
from commerce.orders.models import OrderStatus
from commerce.recommend import repository, service, train
from commerce.recommend.data import Histories
from commerce.recommend.schemas import RecommendationQuery
from commerce.recommend.snapshot import CatalogSnapshot
from commerce.recommend.store import ArtefactStore, ModelHolder

SIZES = (1_000, 20_000, 200_000)
CATEGORIES, DEPARTMENTS = 60, 12
CUSTOMERS, VISITS, VIEWS_PER_VISIT = 5_000, 20_000, 8
NOW = datetime(2026, 11, 28, 9, tzinfo=timezone.utc)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build_shop(url: str, n_products: int, seed: int) -> None:
    engine = build_engine(url)
    config = Config(str(REPO_ROOT / "commerce" / "alembic.ini"))
    config.attributes["configure_logger"] = False
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    rng = np.random.default_rng(seed)
    with Session(engine) as session:
        session.execute(insert(models.Category), [
            {"id": d + 1, "slug": f"dept-{d}", "name": f"Department {d}", "parent_id": None} for d in range(DEPARTMENTS)
        ])
        session.execute(insert(models.Category), [
            {"id": DEPARTMENTS + c + 1, "slug": f"cat-{c}", "name": f"Category {c}", "parent_id": c % DEPARTMENTS + 1}
            for c in range(CATEGORIES)
        ])
        session.execute(insert(models.Brand), [{"id": b + 1, "slug": f"brand-{b}", "name": f"Brand {b}"}
                                               for b in range(20)])
        category = rng.integers(0, CATEGORIES, n_products)
        stock = np.where(rng.random(n_products) < 0.08, 0, rng.integers(1, 200, n_products))
        price = rng.integers(500, 30_000, n_products)
        for start in range(0, n_products, 20_000):
            session.execute(insert(models.Product), [
                {"id": i + 1, "sku": f"SYN-{i + 1:06d}", "title": f"Synthetic product {i + 1}", "description": "-",
                 "category_id": DEPARTMENTS + int(category[i]) + 1, "brand_id": i % 20 + 1,
                 "price_cents": int(price[i]), "currency": "EUR", "stock": int(stock[i]), "attributes": {},
                 "image_url": "/x.svg", "is_active": True, "search_text": "", "created_at": NOW}
                for i in range(start, min(start + 20_000, n_products))
            ])
        session.execute(insert(models.Customer), [
            {"id": c + 1, "email": f"c{c + 1}@example.com", "first_name": "Syn", "last_name": str(c + 1),
             "created_at": NOW} for c in range(CUSTOMERS)
        ])
        by_category = [np.flatnonzero(category == c) for c in range(CATEGORIES)]
        # Within a category, a few products draw most views (Zipf-like), as in real catalogs.
        weights = [1.0 / np.arange(1, len(ids) + 1) ** 0.8 for ids in by_category]
        visits, events, orders, items = [], [], [], []
        for v in range(VISITS):
            customer = int(rng.integers(1, CUSTOMERS + 1)) if rng.random() < 0.5 else None
            start = NOW - timedelta(days=float(rng.random() * 60))
            visits.append({"id": v + 1, "session_key": f"synthetic-{v:08d}", "customer_id": customer,
                           "visitor_type": VisitorType.RETURNING, "traffic_source": TrafficSource.DIRECT,
                           "device": Device.DESKTOP, "operating_system": "Linux", "browser": "Firefox",
                           "region": "DE-Berlin", "started_at": start})
            liked = rng.choice(CATEGORIES, 2, replace=False)
            for n in range(VIEWS_PER_VISIT):
                c = int(liked[n % 2])
                product = int(rng.choice(by_category[c], p=weights[c] / weights[c].sum())) + 1
                kind = EventKind.ADD_TO_CART if rng.random() < 0.1 else EventKind.PAGE_VIEW
                events.append({"session_id": v + 1, "occurred_at": start + timedelta(minutes=n), "kind": kind,
                               "page_type": PageType.PRODUCT, "page": f"/products/SYN-{product:06d}",
                               "product_id": product})
            if customer is not None and rng.random() < 0.2:
                bought = int(rng.choice(by_category[int(liked[0])])) + 1
                orders.append({"id": len(orders) + 1, "number": f"SA-{300000 + len(orders)}", "customer_id": customer,
                               "email": f"c{customer}@example.com", "status": OrderStatus.DELIVERED,
                               "currency": "EUR", "subtotal_cents": int(price[bought - 1]), "shipping_cents": 0,
                               "total_cents": int(price[bought - 1]), "ship_recipient": "Syn", "ship_line1": "-",
                               "ship_city": "Berlin", "ship_postcode": "10115", "ship_country": "DE",
                               "ship_postcode_key": "10115", "placed_at": start + timedelta(minutes=10),
                               "updated_at": start})
                items.append({"order_id": len(orders), "product_id": bought, "sku": f"SYN-{bought:06d}",
                              "title": "-", "quantity": 1, "unit_price_cents": int(price[bought - 1])})
        for table, rows in ((models.VisitSession, visits), (models.BehaviourEvent, events), (models.Order, orders),
                            (models.OrderItem, items)):
            for start in range(0, len(rows), 20_000):
                session.execute(insert(table), rows[start : start + 20_000])
        session.commit()
    engine.dispose()


FRESH_LOAD = """
import json, sys
import numpy as np
from benchmarks.recsys_latency import rss_mb
import commerce.recommend.models  # noqa: F401
from commerce.recommend.data import Histories
from commerce.recommend.store import ArtefactStore, ModelHolder
before = rss_mb()
artefact = ModelHolder(ArtefactStore(__import__("pathlib").Path(sys.argv[1])), check_every=3600).get()
loaded = rss_mb()
artefact.model.score(Histories.from_sequences([np.arange(12) % artefact.n_items], artefact.n_items))
print(json.dumps({"before_load_mb": round(before, 1), "load_mb": round(loaded - before, 1),
                  "after_first_score_mb": round(rss_mb() - before, 1)}))
"""


def fresh_process_rss(root: Path) -> dict[str, float]:
    """Resident memory the artefact adds to a fresh process (imports done first), loaded and after one score."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", FRESH_LOAD, str(root)], capture_output=True, text=True, check=True,
                         cwd=REPO_ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    a = np.asarray(samples_ms)
    return {"p50_ms": round(float(np.percentile(a, 50)), 2), "p99_ms": round(float(np.percentile(a, 99)), 2),
            "mean_ms": round(float(a.mean()), 2), "requests": len(a)}


def requests(n_products: int, count: int, seed: int) -> list[tuple[int | None, RecommendationQuery]]:
    rng = np.random.default_rng(seed + 1)
    out: list[tuple[int | None, RecommendationQuery]] = []
    for i in range(count):
        kind = i % 3
        if kind == 0:  # a signed-in customer, from their history
            out.append((int(rng.integers(1, CUSTOMERS + 1)), RecommendationQuery(k=10)))
        elif kind == 1:  # an anonymous visit looking at a product
            key = f"synthetic-{int(rng.integers(0, VISITS)):08d}"
            sku = f"SYN-{int(rng.integers(1, n_products + 1)):06d}"
            out.append((None, RecommendationQuery(k=10, session_key=key, context_product=sku)))
        else:  # a customer browsing one department
            out.append((int(rng.integers(1, CUSTOMERS + 1)),
                        RecommendationQuery(k=10, category=f"dept-{int(rng.integers(0, DEPARTMENTS))}")))
    return out


def measure(n_products: int, workdir: Path, count: int, seed: int, http: bool) -> dict[str, Any]:
    url = f"sqlite:///{workdir / f'shop-{n_products}.db'}"
    started = time.perf_counter()
    build_shop(url, n_products, seed)
    result: dict[str, Any] = {"products": n_products, "build_seconds": round(time.perf_counter() - started, 1)}
    engine = build_engine(url)
    store = ArtefactStore(workdir / f"recs-{n_products}")
    with Session(engine) as session:
        started = time.perf_counter()
        version = train.run(session, store)
        result["train_seconds"] = round(time.perf_counter() - started, 1)
    assert version is not None
    result["artefact_mb"] = round(sum(f.stat().st_size for f in (store.root / version).rglob("*") if f.is_file())
                                  / 2**20, 1)
    before = rss_mb()
    holder = ModelHolder(store, check_every=3600)
    artefact = holder.get()
    assert artefact is not None and artefact.model is not None
    result["rss_increase_mb"] = round(rss_mb() - before, 1)  # the allocator reuses what training freed
    result["rss_fresh_process_mb"] = fresh_process_rss(store.root)

    with Session(engine) as session:
        reads = []
        for _ in range(5):
            t = time.perf_counter()
            snapshot = CatalogSnapshot.read(session)
            reads.append((time.perf_counter() - t) * 1000)
            session.rollback()
        size = sum(a.nbytes for a in (snapshot.product_ids, snapshot.category_ids, snapshot.price_cents,
                                      snapshot.in_stock))
        result["catalog_snapshot"] = {"read_ms": round(float(np.median(reads)), 1),
                                      "arrays_mb": round(size / 2**20, 1)}

    queries = requests(n_products, count, seed)
    in_database = [0.0]
    originals = {name: getattr(repository, name) for name in ("shopper", "listing", "category_ids_under")}

    def timed(function):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                in_database[0] += (time.perf_counter() - t) * 1000
        return run

    with Session(engine) as session:
        for customer_id, query in queries[:20]:  # warm-up: caches, lazy imports, the ALS Gram matrix
            service.recommend(session, holder, query, customer_id)
        timings, database = [], []
        for name, function in originals.items():
            setattr(repository, name, timed(function))
        try:
            for customer_id, query in queries:
                in_database[0] = 0.0
                t = time.perf_counter()
                service.recommend(session, holder, query, customer_id)
                timings.append((time.perf_counter() - t) * 1000)
                database.append(in_database[0])
                session.rollback()  # end the read transaction, as a request's session would
        finally:
            for name, function in originals.items():
                setattr(repository, name, function)
    result["service"] = percentiles(timings)
    result["service_database"] = percentiles(database)

    rng = np.random.default_rng(seed)
    scoring = []
    for _ in range(count):
        history = Histories.from_sequences([rng.integers(0, artefact.n_items, 12)], artefact.n_items)
        t = time.perf_counter()
        artefact.model.score(history)
        scoring.append((time.perf_counter() - t) * 1000)
    result["model_score"] = percentiles(scoring)

    if http:
        from fastapi.testclient import TestClient

        from commerce.db import get_db
        from commerce.main import create_app
        from commerce.recommend.store import get_holder

        app = create_app()

        def request_session():  # type: ignore[no-untyped-def]
            with Session(engine) as s:
                yield s

        app.dependency_overrides[get_db] = request_session
        app.dependency_overrides[get_holder] = lambda: holder
        with TestClient(app) as client:
            timings = []
            for customer_id, query in queries:
                path = f"/v1/customers/{customer_id}/recommendations" if customer_id else "/v1/recommendations"
                params = query.model_dump(exclude_none=True)
                t = time.perf_counter()
                response = client.get(path, params=params)
                timings.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, response.text
        result["http"] = percentiles(timings)
    engine.dispose()
    print(json.dumps(result), flush=True)
    return result


def plot(results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    sizes = [r["products"] for r in results]
    for key, label in (("service", "service call (DB included)"), ("model_score", "model scoring only")):
        ax.plot(sizes, [r[key]["p99_ms"] for r in results], marker="o", label=f"{label}, p99")
        ax.plot(sizes, [r[key]["p50_ms"] for r in results], marker=".", ls=":", label=f"{label}, p50")
    ax.axhline(10, color="grey", ls="--", lw=0.8, label="target p99 at 20k")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("products in the catalog")
    ax.set_ylabel("milliseconds per request")
    ax.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.recsys_latency", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "var" / "bench" / "recsys_latency.json")
    parser.add_argument("--img", type=Path, default=REPO_ROOT / "docs" / "img" / "recsys_latency.png")
    args = parser.parse_args(argv)

    results = []
    with tempfile.TemporaryDirectory(prefix="recsys-latency-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            results.append(measure(n, Path(tmp), args.requests, args.seed, http=n == 20_000))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1))
    plot(results, args.img)
    print(f"wrote {args.json} and {args.img}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
