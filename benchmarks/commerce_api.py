"""Commerce API speed over HTTP: product search and order lookup against freshly seeded demo shops of 500, 5,000
and 50,000 products (seed scales 1, 10 and 100), each migrated and seeded by the real commands into a new SQLite
file in a temp dir (optionally also a new PostgreSQL database, dropped afterwards), served by uvicorn on a free
local port and loaded with wrk.

    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.commerce_api
    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.commerce_api --scales 100 --postgres

The request mix is built from the seeded shop itself: search words, brands, categories and prices taken from its
own products (free text, prefixes, filters, sorting and pagination mixed), and order lookups with the order's
real number and its e-mail address or postcode read from the database. Every request is checked once before the
load: a search answers 200 (one built from a product's own words and filters that finds nothing is reported),
a lookup returns that very order, a wrong e-mail returns 404 with no order data. Any non-2xx answer or socket
error under load fails the run.

Per size, wrk (one thread) runs these phases against uvicorn with --workers 2 (server and wrk share the 2 cores):
  search   1 connection  -> latency of one client at a time (p50/p95/p99): the "search p95" figure
  lookup   1 connection  -> order lookup latency
  search  20 connections -> req/s and latency when saturated (queueing included)
  lookup  20 connections
  mixed   20 connections -> throughput of 4 searches : 1 lookup
Besides, a sequential pass with a Python client times every request of the mix once, to break search latency
down by kind of query (those figures include the client's own overhead).

Needs `wrk` (apt-get install wrk).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from commerce.catalog import text
from commerce.catalog.models import Brand, Category, Product
from commerce.config import REPO_ROOT
from commerce.db import build_engine
from commerce.orders.models import Order

PYTHON = sys.executable
BIN = Path(PYTHON).parent
TODAY = "2026-11-28"
PRODUCTS_PER_SCALE = 500
# Words shoppers type that the demo shop does not sell: a search that finds nothing is part of real traffic.
MISSES = ("umbrella", "bicycle", "skateboard", "aquarium", "trampoline", "printer", "guitar", "zeppelin")
# (kind, weight): the search mix.
SEARCH_KINDS = (
    ("word", 22),  # one word of a product's title: "wok"
    ("two_words", 14),  # two words of one title: "merino cardigan"
    ("prefix", 7),  # a word cut short while typing: "card"
    ("brand_text", 6),  # a brand name as free text
    ("text+category", 10),  # a word within a department or category
    ("text+price+sort", 10),  # a word in a price band, sorted by price
    ("text+stock+newest+page2", 5),
    ("browse_category", 12),  # no text: a department or category, sorted, pages 1-3
    ("browse_brand", 6),  # no text: a brand, in stock, cheapest first
    ("browse_all", 5),  # no text, no filter: newest or A-Z, pages 1-20
    ("miss", 3),  # a word the shop does not have
)
PAGE_SIZES = (20, 20, 20, 12, 24, 48)


@dataclass(frozen=True)
class SearchRequest:
    kind: str
    path: str  # /v1/products?...
    must_match: bool  # built from a product's own words and filters, so at least that product matches


@dataclass(frozen=True)
class Lookup:
    number: str
    body: dict[str, str]


# ------------------------------------------------------------------------------------------------ preparing
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_step(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    elapsed = time.perf_counter() - started
    shown = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command))
    print(f"    {shown}: {elapsed:.1f} s", flush=True)
    return elapsed


def prepare(env: dict[str, str], scale: int) -> dict[str, float]:
    """Migrate and seed, each as the real command."""
    return {
        "migrate_s": run_step([str(BIN / "alembic"), "-c", "commerce/alembic.ini", "upgrade", "head"], env),
        "seed_s": run_step([PYTHON, "-m", "commerce.seed", "--scale", str(scale), "--today", TODAY], env),
    }


class PostgresDatabase:
    """A new database on the local server for one run, dropped afterwards; nothing else on the server is touched."""

    def __init__(self, server: str) -> None:
        self.server = server.rstrip("/")
        self.name = f"shopassist_bench_{uuid.uuid4().hex[:8]}"
        self.url = f"postgresql+psycopg://{self.server.split('://', 1)[1]}/{self.name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"postgresql://{self.server.split('://', 1)[1]}/test", autocommit=True) as conn:
            conn.execute(sql)

    def __enter__(self) -> PostgresDatabase:
        self._admin(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc: object) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# ------------------------------------------------------------------------------------------------ the request mix
def build_workload(url: str, n_search: int, n_lookup: int, seed: int) -> tuple[list[SearchRequest], list[Lookup]]:
    rng = random.Random(seed)
    engine = build_engine(url)
    with sessionmaker(bind=engine)() as db:
        brands = {bid: (slug, name) for bid, slug, name in db.execute(select(Brand.id, Brand.slug, Brand.name))}
        categories = {cid: (slug, parent) for cid, slug, parent in db.execute(select(Category.id, Category.slug,
                                                                                  Category.parent_id))}
        total_products = db.scalar(select(func.count()).select_from(Product)) or 0
        # A sample of products to draw words from: spread over the catalog by id.
        ids = rng.sample(range(1, total_products + 1), k=min(total_products, 3000))
        products = db.execute(
            select(Product.id, Product.sku, Product.title, Product.brand_id, Product.category_id, Product.price_cents)
            .where(Product.id.in_(ids))
        ).all()
        n_orders = db.scalar(select(func.count()).select_from(Order)) or 0
        order_ids = rng.sample(range(1, n_orders + 1), k=min(n_orders, n_lookup))
        orders = db.execute(
            select(Order.number, Order.email, Order.ship_postcode).where(Order.id.in_(order_ids))
        ).all()
    engine.dispose()

    def title_words(title: str, brand: str) -> list[str]:
        brand_words = set(text.words(brand))
        return [w for w in text.words(title) if w not in brand_words and not w.isdigit() and len(w) > 1]

    def department(category_id: int) -> str:
        slug, parent = categories[category_id]
        return categories[parent][0] if parent else slug

    kinds, weights = zip(*SEARCH_KINDS)
    searches: list[SearchRequest] = []
    while len(searches) < n_search:
        kind = rng.choices(kinds, weights)[0]
        _, _sku, title, brand_id, category_id, price = rng.choice(products)
        brand_slug, brand_name = brands[brand_id]
        words = title_words(title, brand_name) or [brand_name.lower()]
        word = rng.choice(words)
        params: dict[str, object] = {}
        if kind == "word":
            params["q"] = word if rng.random() < 0.7 else word.capitalize()
        elif kind == "two_words":
            pair = rng.sample(words, k=2) if len(words) > 1 else words
            params["q"] = " ".join(pair)
        elif kind == "prefix":
            long_words = [w for w in words if len(w) >= 6] or words
            params["q"] = rng.choice(long_words)[: rng.choice((3, 4, 5))]
        elif kind == "brand_text":
            params["q"] = brand_name
        elif kind == "text+category":
            params.update(q=word, category=rng.choice((categories[category_id][0], department(category_id))))
        elif kind == "text+price+sort":
            euros = price / 100
            params.update(q=word, min_price=f"{euros * 0.5:.2f}", max_price=f"{euros * 1.5:.2f}",
                          sort=rng.choice(("price_asc", "price_desc")))
        elif kind == "text+stock+newest+page2":
            params.update(q=word, in_stock="true", sort="newest", page=2)
        elif kind == "browse_category":
            params.update(category=rng.choice((categories[category_id][0], department(category_id))),
                          sort=rng.choice(("relevance", "price_asc", "price_desc", "newest", "title")),
                          page=rng.choice((1, 1, 1, 2, 3)))
            if rng.random() < 0.3:
                params["in_stock"] = "true"
        elif kind == "browse_brand":
            params.update(brand=brand_slug, in_stock="true", sort="price_asc")
        elif kind == "browse_all":
            params.update(sort=rng.choice(("newest", "title")), page=rng.randint(1, 20))
        elif kind == "miss":
            params["q"] = rng.choice(MISSES)
        page_size = rng.choice(PAGE_SIZES)
        if page_size != 20:
            params["page_size"] = page_size
        must_match = kind in ("word", "two_words", "prefix", "brand_text", "text+category", "text+price+sort")
        searches.append(SearchRequest(kind, "/v1/products?" + urlencode(params), must_match))

    lookups = []
    for number, email, postcode in orders:
        roll = rng.random()
        typed = number if roll < 0.8 else number.lower().replace("-", "") if roll < 0.9 else "#" + number[3:]
        if rng.random() < 0.7:
            body = {"order_number": typed, "email": email if rng.random() < 0.8 else email.upper()}
        else:
            body = {"order_number": typed, "postcode": postcode}
        lookups.append(Lookup(number, body))
    rng.shuffle(lookups)
    return searches, lookups


# ------------------------------------------------------------------------------------------------ checking
def check_and_time(base: str, searches: list[SearchRequest], lookups: list[Lookup]) -> dict[str, object]:
    """Every request once, sequentially: correctness, and latency by kind of search (client overhead included)."""
    by_kind: dict[str, list[float]] = defaultdict(list)
    totals: dict[str, list[int]] = defaultdict(list)
    slowest: list[tuple[float, str]] = []
    unexpected_empty: dict[str, list[str]] = defaultdict(list)
    with httpx.Client(base_url=base, timeout=30) as client:
        for request in searches:
            started = time.perf_counter()
            response = client.get(request.path)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"GET {request.path} answered {response.status_code}: {response.text[:300]}")
            page = response.json()
            if request.must_match and not page["total"]:
                # A finding, not a crash: the product this query was built from should have matched it.
                unexpected_empty[request.kind].append(request.path)
            by_kind[request.kind].append(elapsed)
            totals[request.kind].append(page["total"])
            slowest.append((elapsed, request.path))
        lookup_ms = []
        for lookup in lookups:
            started = time.perf_counter()
            response = client.post("/v1/orders/lookup", json=lookup.body)
            lookup_ms.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200 or response.json()["order_number"] != lookup.number:
                raise SystemExit(f"lookup {lookup.body} answered {response.status_code}: {response.text[:300]}")
        refused = 0
        for lookup in lookups[:100]:
            wrong = {"order_number": lookup.number, "email": "someone.else@example.org"}
            response = client.post("/v1/orders/lookup", json=wrong)
            if response.status_code != 404 or "items" in response.text or lookup.number in response.text:
                raise SystemExit(f"a wrong e-mail for {lookup.number} answered {response.status_code}: {response.text}")
            refused += 1
    slowest.sort(reverse=True)
    return {
        "search_by_kind_ms": {
            kind: {"n": len(ms), "p50": _pct(ms, 50), "p95": _pct(ms, 95), "max": max(ms),
                   "median_total_matches": int(np.median(totals[kind]))}
            for kind, ms in sorted(by_kind.items())
        },
        "lookup_ms": {"n": len(lookup_ms), "p50": _pct(lookup_ms, 50), "p95": _pct(lookup_ms, 95)},
        "slowest_searches": [{"ms": round(ms, 2), "path": path} for ms, path in slowest[:8]],
        "wrong_email_refused": refused,
        "must_match_checked": sum(1 for s in searches if s.must_match),
        "must_match_found_nothing": {kind: {"n": len(paths), "examples": paths[:5]}
                                     for kind, paths in sorted(unexpected_empty.items())},
    }


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2)


# ------------------------------------------------------------------------------------------------ load
def lua_script(path: Path, searches: list[SearchRequest], lookups: list[Lookup], pattern: str) -> None:
    """A wrk script cycling through the requests; pattern 'S' search, 'L' lookup, e.g. 'SSSSL' for the mix."""

    def quote(s: str) -> str:
        return json.dumps(s)  # a JSON string literal is a valid Lua string literal for these ASCII paths

    rows = []
    si = li = 0
    n = max(len(searches), len(lookups)) * (len(pattern) if len(pattern) > 1 else 1)
    for i in range(n):
        if pattern[i % len(pattern)] == "S":
            rows.append(f'{{"GET", {quote(searches[si % len(searches)].path)}, nil}}')
            si += 1
        else:
            lookup = lookups[li % len(lookups)]
            rows.append(f'{{"POST", "/v1/orders/lookup", {quote(json.dumps(lookup.body))}}}')
            li += 1
    path.write_text(
        "local specs = {\n" + ",\n".join(rows) + "\n}\n"
        "local reqs = {}\nlocal counter = 0\n"
        "init = function(args)\n"
        '  local headers = {["Content-Type"] = "application/json"}\n'
        "  for i, s in ipairs(specs) do\n"
        "    if s[3] then reqs[i] = wrk.format(s[1], s[2], headers, s[3]) else reqs[i] = wrk.format(s[1], s[2]) end\n"
        "  end\nend\n"
        "request = function()\n  counter = counter + 1\n  return reqs[(counter % #reqs) + 1]\nend\n"
        "done = function(summary, latency, requests)\n"
        "  local e = summary.errors\n"
        '  io.write(string.format("RESULT {\\"p50_us\\": %d, \\"p95_us\\": %d, \\"p99_us\\": %d, \\"max_us\\": %d, '
        '\\"mean_us\\": %.1f, \\"requests\\": %d, \\"duration_us\\": %d, \\"non_2xx\\": %d, \\"socket_errors\\": %d}\\n",'
        " latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,"
        " summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout))\n"
        "end\n"
    )


def wrk(base: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), base],
        check=True, capture_output=True, text=True,
    ).stdout
    found = re.search(r"^RESULT (\{.*\})$", output, re.M)
    if not found:
        raise SystemExit(f"no result from wrk:\n{output}")
    raw = json.loads(found.group(1))
    if raw["non_2xx"] or raw["socket_errors"]:
        raise SystemExit(f"{raw['non_2xx']} non-2xx answers and {raw['socket_errors']} socket errors under load")
    return {
        "connections": connections, "seconds": seconds, "requests": raw["requests"],
        "req_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        **{f"{k}_ms": round(raw[f"{k}_us"] / 1000, 2) for k in ("p50", "p95", "p99", "max", "mean")},
    }


def serve(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "uvicorn"), "commerce.main:app", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--no-access-log", "--log-level", "warning"],
        cwd=REPO_ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/v1/products?page_size=1", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise SystemExit("uvicorn exited before answering")
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not answer within 120 s")


def measure(env: dict[str, str], url: str, scale: int, args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    result: dict[str, object] = {"products": PRODUCTS_PER_SCALE * scale, "scale": scale,
                                 "database": url.split(":", 1)[0]}
    result.update(prepare(env, scale))
    searches, lookups = build_workload(url, args.searches, args.lookups, seed=args.seed + scale)
    server, base = serve(env, args.workers)
    try:
        for pattern, name in (("S", "search"), ("L", "lookup"), ("SSSSL", "mixed")):
            lua_script(workdir / f"{name}.lua", searches, lookups, pattern)
        wrk(base, workdir / "mixed.lua", args.connections, 3)  # warm both workers' pools and caches
        result["sequential"] = check_and_time(base, searches, lookups)
        phases = {}
        for name, connections in (("search", 1), ("lookup", 1), ("search", args.connections),
                                  ("lookup", args.connections), ("mixed", args.connections)):
            phase = wrk(base, workdir / f"{name}.lua", connections, args.seconds)
            phases[f"{name}_c{connections}"] = phase
            print(f"    {name:6s} c={connections:<3d} {phase['req_per_s']:8.1f} req/s  p50 {phase['p50_ms']:6.2f}  "
                  f"p95 {phase['p95_ms']:6.2f}  p99 {phase['p99_ms']:6.2f} ms  ({phase['requests']} requests)",
                  flush=True)
        result["wrk"] = phases
    finally:
        server.terminate()
        server.wait(timeout=30)
    for kind, missed in result["sequential"]["must_match_found_nothing"].items():  # type: ignore[index]
        print(f"    FOUND NOTHING although built from a product: {kind} x{missed['n']}, e.g. {missed['examples'][:3]}")
    for kind, row in result["sequential"]["search_by_kind_ms"].items():  # type: ignore[index]
        print(f"      {kind:26s} n={row['n']:4d} p50 {row['p50']:6.2f} p95 {row['p95']:6.2f} max {row['max']:7.2f} ms"
              f"  (median matches {row['median_total_matches']})")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.commerce_api", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100], choices=(1, 10, 100))
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--postgres", action="store_true", help="also run the largest scale on PostgreSQL")
    parser.add_argument("--postgres-server", default="postgresql://postgres@127.0.0.1:5432",
                        help="a database named shopassist_bench_<random> is created there and dropped after")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20, help="per wrk phase")
    parser.add_argument("--searches", type=int, default=2000, help="distinct search requests in the mix")
    parser.add_argument("--lookups", type=int, default=1000, help="distinct orders looked up")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="copy each seeded SQLite file here (for EXPLAIN afterwards)")
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "var" / "bench" / "commerce_api.json")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    runs = []
    base_env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "ENVIRONMENT": "development"}
    targets = [("sqlite", scale) for scale in args.scales] if args.sqlite else []
    if args.postgres:
        targets.append(("postgresql", max(args.scales)))
    for database, scale in targets:
        with tempfile.TemporaryDirectory(prefix="commerce-bench-") as tmp:
            workdir = Path(tmp)
            print(f"{database}, scale {scale} ({PRODUCTS_PER_SCALE * scale:,} products), in {workdir}", flush=True)
            if database == "sqlite":
                url = f"sqlite:///{workdir / 'shop.db'}"
                runs.append(measure({**base_env, "DATABASE_URL": url}, url, scale, args, workdir))
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    for part in workdir.glob("shop.db*"):
                        shutil.copy(part, args.keep / part.name.replace("shop", f"shop-scale{scale}"))
            else:
                with PostgresDatabase(args.postgres_server) as pg:
                    runs.append(measure({**base_env, "DATABASE_URL": pg.url}, pg.url, scale, args, workdir))
        # Written after every size, so a later failure keeps the earlier figures.
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"runs": runs, "settings": {k: str(v) for k, v in vars(args).items()}},
                                        indent=2))
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
