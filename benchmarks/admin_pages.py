"""Admin page speed: how long an editor waits for each knowledge-base and campaign page, over HTTP.

    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.admin_pages

Migrates and seeds a demo shop (the real commands, seed scale 1: 500 products, 67 FAQ entries, 3 campaigns) into
a new SQLite file, serves it with uvicorn (one worker) on a free port, logs in as the demo admin through the log-in
form, and times every page sequentially from one client, as an editor clicks: --requests per page after 10
warm-up requests. The floor is /health, a page that only asks the database `SELECT 1`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.commerce_api import PYTHON, REPO_ROOT, run_step, serve
from knowledge_base.auth import COOKIE

ADMIN = ("admin@juniperlane.example", "juniper-admin-dev")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def log_in(client: httpx.Client) -> None:
    form = client.get("/admin/kb/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    done = client.post("/admin/kb/login", data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": token})
    if COOKIE not in client.cookies:
        raise SystemExit(f"log-in failed: {done.status_code}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(tmp) / 'shop.db'}", "PYTHONPATH": str(REPO_ROOT)}
        run_step([str(Path(PYTHON).parent / "alembic"), "-c", "commerce/alembic.ini", "upgrade", "head"], env)
        for seeder in ("commerce.seed", "knowledge_base.seed", "commerce.promo.seed"):
            run_step([PYTHON, "-m", seeder], env)
        server, base = serve(env, workers=1)
        try:
            with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
                log_in(client)
                entry = re.search(r'href="/admin/kb/entries/(\d+)"', client.get("/admin/kb").text).group(1)
                campaign = re.search(r'href="/admin/campaigns/(\d+)"', client.get("/admin/campaigns").text).group(1)
                pages = {
                    "floor: /health": "/health",
                    "KB entry list": "/admin/kb",
                    "KB search 'delivery'": "/admin/kb?q=delivery",
                    "KB entry editor": f"/admin/kb/entries/{entry}",
                    "KB unanswered queue": "/admin/kb/queue",
                    "campaign list": "/admin/campaigns",
                    "campaign editor": f"/admin/campaigns/{campaign}",
                    "shop overview": "/admin",
                }
                results = {}
                for name, path in pages.items():
                    for _ in range(10):
                        client.get(path)
                    times = []
                    for _ in range(args.requests):
                        started = time.perf_counter()
                        response = client.get(path)
                        times.append((time.perf_counter() - started) * 1000)
                        if response.status_code != 200 or (path != "/health" and "login" in str(response.url)):
                            raise SystemExit(f"{path}: {response.status_code} {response.url}")
                    results[name] = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(_pct(times, 0.95), 2),
                                     "p99_ms": round(_pct(times, 0.99), 2), "bytes": len(response.content)}
                    print(f"{name:26s} p50 {results[name]['p50_ms']:6.2f} ms  p95 {results[name]['p95_ms']:6.2f} ms  "
                          f"p99 {results[name]['p99_ms']:6.2f} ms  {results[name]['bytes']:7d} bytes", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
