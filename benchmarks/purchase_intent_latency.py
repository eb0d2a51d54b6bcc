"""Purchase-intent scoring speed: in process (model alone, and the whole service call with its database reads)
and over HTTP (uvicorn on a free local port, load from wrk), against a freshly seeded demo shop in a temp dir.

    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.purchase_intent_latency [--workers 2]

Needs `wrk` (apt-get install wrk) for the HTTP part; --skip-http measures in process only.
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
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy.orm import sessionmaker

from commerce.config import REPO_ROOT
from commerce.db import build_engine
from commerce.intent import dataset, service
from commerce.intent.store import ArtefactStore, ModelHolder

PYTHON = sys.executable
def percentiles(samples_ns: list[int]) -> dict[str, float]:
    ms = np.array(samples_ns) / 1e6
    return {"p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
            "mean_ms": float(ms.mean()), "per_second": float(1000 / ms.mean()), "calls": len(ms)}


def timed(call: Callable[[int], object], n: int, warmup: int = 200) -> dict[str, float]:
    for i in range(warmup):
        call(i)
    samples = []
    for i in range(n):
        started = time.perf_counter_ns()
        call(i)
        samples.append(time.perf_counter_ns() - started)
    return percentiles(samples)


def prepare(workdir: Path, env: dict[str, str]) -> None:
    """Migrate, seed (2,500 visits) and train, each as the real command."""
    for command in (
        [str(Path(PYTHON).parent / "alembic"), "-c", "commerce/alembic.ini", "upgrade", "head"],
        [PYTHON, "-m", "commerce.seed", "--today", "2026-11-28"],
        [PYTHON, "-m", "commerce.intent.train"],  # into MODELS_DIR/intent, where the app looks
    ):
        started = time.perf_counter()
        subprocess.run(command, cwd=REPO_ROOT, env=env, check=True, capture_output=True, text=True)
        print(f"  {' '.join(Path(command[0]).name if i == 0 else c for i, c in enumerate(command))}: "
              f"{time.perf_counter() - started:.1f} s", flush=True)


def in_process(url: str, model_dir: Path, n: int) -> dict[str, dict[str, float]]:
    engine = build_engine(url)
    store = ArtefactStore(model_dir)
    model = store.load(store.latest())  # type: ignore[arg-type]
    holder = ModelHolder(store)
    with sessionmaker(bind=engine)() as db:
        rows, _ = dataset.from_event_log(db)
        keys = [k for (k,) in db.execute(_session_keys())]
        results = {
            "score (features -> probability, band, top 3)": timed(lambda i: model.score(rows[i % len(rows)]), n),
            "service call (2 SQL reads on SQLite + score)": timed(
                lambda i: service.score_session(db, holder, keys[i % len(keys)]), n // 4),
        }
    results.update(keras_comparison(model, rows))
    engine.dispose()
    return results


def _session_keys():  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from commerce.behaviour.models import VisitSession

    return select(VisitSession.session_key).order_by(VisitSession.id)


def keras_comparison(model, rows) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    """What serving through Keras would cost: one ensemble member, one row per call."""
    from commerce.intent import training

    network = training.build_network(model.encoder.width, training.TrainingConfig(**_network_config(model)))
    dense = [layer for layer in network.layers if not layer.name.startswith("dropout")]
    for layer, weights in zip(dense, model.members[0]):
        layer.set_weights(list(weights))
    x = model.encoder.encode(rows[:1])
    return {
        "Keras model.predict, 1 of the members": timed(lambda i: network.predict(x, verbose=0), 200, warmup=20),
        "Keras model(x) eager call, 1 of the members": timed(lambda i: network(x, training=False), 300, warmup=20),
    }


def _network_config(model) -> dict:  # type: ignore[no-untyped-def]
    trained = model.info["training"]
    return {"hidden": tuple(trained["hidden"]), "dropout": trained["dropout"], "l2": trained["l2"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def over_http(env: dict[str, str], keys: list[str], workdir: Path, workers: int, seconds: int,
              connections: int, batch: int) -> dict[str, dict[str, object]]:
    """One score per request (GET), then `batch` visits per request (POST /v1/sessions/intent), same server."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk), or pass --skip-http")
    port = free_port()
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "uvicorn"), "--factory", "commerce.main:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--no-access-log",
         "--log-level", "warning"],
        cwd=REPO_ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    keys_lua = "keys = {" + ",".join(f'"{k}"' for k in keys) + "}\ncounter = 0\n"
    single = keys_lua + (
        "request = function()\n  counter = counter + 1\n"
        '  return wrk.format("GET", "/v1/sessions/" .. keys[(counter % #keys) + 1] .. "/intent")\nend\n'
    )
    batched = keys_lua + (
        f"request = function()\n  local picked = {{}}\n  for i = 1, {batch} do\n    counter = counter + 1\n"
        '    picked[i] = \'"\' .. keys[(counter % #keys) + 1] .. \'"\'\n  end\n'
        '  local body = \'{"session_keys": [\' .. table.concat(picked, ",") .. "]}"\n'
        '  return wrk.format("POST", "/v1/sessions/intent", {["Content-Type"] = "application/json"}, body)\nend\n'
    )
    results: dict[str, dict[str, object]] = {}
    try:
        _wait_until_up(base, keys[0])
        for name, lua, per_request in (("single", single, 1), ("batch", batched, batch)):
            script = workdir / f"{name}.lua"
            script.write_text(lua)
            output = subprocess.run(
                ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), base],
                check=True, capture_output=True, text=True,
            ).stdout
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            if errors:
                raise SystemExit(f"{errors.group(1)} requests failed during the load test:\n{output}")
            latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.M))
            requests = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
            results[name] = {"requests_per_second": requests, "scores_per_second": requests * per_request,
                             "scores_per_request": per_request, "p50": latency.get("50"), "p99": latency.get("99"),
                             "workers": workers, "connections": connections, "seconds": seconds}
    finally:
        server.terminate()
        server.wait(timeout=20)
    return results


def _wait_until_up(base: str, key: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"{base}/v1/sessions/{key}/intent", timeout=2)
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not answer a score within 60 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.purchase_intent_latency",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=20_000, help="in-process scores to time")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=50, help="visits per request in the batch run")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "var" / "bench" / "purchase_intent_latency.json")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="intent-bench-") as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'shop.db'}"
        env = {**os.environ, "DATABASE_URL": url, "MODELS_DIR": str(workdir / "models"),
               "PYTHONPATH": str(REPO_ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
        print("preparing a seeded demo shop and a trained model in", workdir, flush=True)
        prepare(workdir, env)
        results: dict[str, object] = {"in_process": in_process(url, workdir / "models" / "intent", args.calls)}
        for name, r in results["in_process"].items():  # type: ignore[attr-defined]
            print(f"  {name:48s} p50 {r['p50_ms']:.3f} ms  p99 {r['p99_ms']:.3f} ms  ({r['per_second']:,.0f}/s)")
        if not args.skip_http:
            engine = build_engine(url)
            with sessionmaker(bind=engine)() as db:
                keys = [k for (k,) in db.execute(_session_keys())]
            engine.dispose()
            random.Random(0).shuffle(keys)
            http = over_http(env, keys, workdir, args.workers, args.seconds, args.connections, args.batch)
            results["http"] = http
            for name, r in http.items():
                print(f"  HTTP {name} ({r['scores_per_request']} per request), {r['workers']} worker(s), "
                      f"{r['connections']} connections: {r['scores_per_second']:,.0f} scores/s "
                      f"({r['requests_per_second']:,.0f} requests/s), p50 {r['p50']}, p99 {r['p99']}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
