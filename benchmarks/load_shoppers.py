"""Concurrent shoppers against the real stack, beside the floor: a trivial Rasa bot on the same machine.

    flock /tmp/shopassist-cpu.lock .venv/bot/bin/python -m benchmarks.load_shoppers --shoppers 50 --minutes 10
    ... --scaleout --skip-floor   the same shoppers against two of each process behind nginx (PostgreSQL, Redis)

Starts backend + action server + Rasa (scripts/stack.py) on a freshly seeded SQLite shop, and N shoppers that
each run conversations until the time is up: order tracking (the order form with a real order number and its
e-mail), FAQ questions, product searches and recommendation requests, with 1-3 s of "reading time" between
messages. Half the shoppers talk over REST, half over socket.io as the widget does (long-polling). Per message it records the
time to the first reply; a reply that is missing, late (> 10 s), an HTTP error or the bot's own apology for a
failed part counts as an error. Every 5 s it samples the resident memory of each service's process tree.

The floor is a Rasa bot with one intent and one rule (keyword classifier, no custom actions), trained into a temp
dir and served with the same channels and the same shopper pattern, each shopper saying hello. Both runs are in
one invocation, floor first. Figures go to var/bench/load_shoppers.json, plots to docs/img/load_*.png.

Runs in the bot environment (python-socketio and aiohttp are Rasa's own dependencies).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import BOT_BIN, Stack, free_port, prepare_database, stack_for_tests  # noqa: E402

REPLY_TIMEOUT_S = 10.0
FAILURE_MARKS = ("part of me isn't working", "can't reach our", "can't search the shop", "can't look that up",
                 "didn't manage to answer")
FAQ = ["how long does delivery take?", "what's your return policy", "do you ship to austria",
       "which payment methods do you take", "how do I reset my password"]
SEARCHES = ["do you have running shoes", "show me rain jackets under 100", "I'm looking for a kettle",
            "any wool socks?"]
RECOMMEND = ["what would you recommend for me?", "can you suggest something for a gift"]


@dataclass
class Sample:
    at: float  # seconds since the run started
    latency_ms: float
    flow: str
    transport: str
    error: Optional[str] = None


@dataclass
class RunResult:
    name: str
    samples: List[Sample] = field(default_factory=list)
    memory: Dict[str, List[Tuple[float, float]]] = field(default_factory=dict)  # service -> (t, MiB)

    def summary(self) -> Dict[str, object]:
        ok = [s.latency_ms for s in self.samples if s.error is None]
        errors: Dict[str, int] = {}
        for s in self.samples:
            if s.error:
                errors[s.error] = errors.get(s.error, 0) + 1
        duration = max((s.at for s in self.samples), default=1.0)
        return {
            "messages": len(self.samples), "errors": sum(errors.values()), "error_kinds": errors,
            "messages_per_s": round(len(self.samples) / duration, 2),
            "p50_ms": _pct(ok, 50), "p95_ms": _pct(ok, 95), "p99_ms": _pct(ok, 99),
            "memory_mib": {name: _growth(points) for name, points in self.memory.items()},
        }


def _pct(values: List[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))], 1)


def _growth(points: List[Tuple[float, float]]) -> Dict[str, float]:
    """RSS at the start (after the first minute's warm-up) and the end, each a one-minute mean."""
    if not points:
        return {}
    end = points[-1][0]
    first = [m for t, m in points if 60 <= t < 120] or [points[0][1]]
    last = [m for t, m in points if t >= end - 60] or [points[-1][1]]
    return {"first_minute": round(statistics.mean(first), 1), "last_minute": round(statistics.mean(last), 1),
            "max": round(max(m for _, m in points), 1)}


# --- memory of a process tree, from /proc ---------------------------------------------------------------


def _children() -> Dict[int, List[int]]:
    tree: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss_mib(pid: int) -> float:
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(tree.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


# --- shoppers --------------------------------------------------------------------------------------------


class RestTalk:
    transport = "rest"

    def __init__(self, http: aiohttp.ClientSession, rasa_url: str) -> None:
        self.http, self.url, self.sender = http, f"{rasa_url}/webhooks/rest/webhook", uuid.uuid4().hex

    async def say(self, text: str) -> str:
        async with self.http.post(self.url, json={"sender": self.sender, "message": text}) as resp:
            if resp.status != 200:
                raise RuntimeError(f"http {resp.status}")
            return " ".join(m.get("text", "") for m in await resp.json())

    async def close(self) -> None:
        pass


class SocketTalk:
    transport = "socketio"

    def __init__(self, rasa_url: str) -> None:
        self.url, self.session = rasa_url, uuid.uuid4().hex
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue = asyncio.Queue()
        self.client.on("bot_uttered", self._on_reply)
        self.confirmed = asyncio.Event()
        self.client.on("session_confirm", lambda *_: self.confirmed.set())

    async def _on_reply(self, data: dict) -> None:
        await self.replies.put((data or {}).get("text", ""))

    async def open(self) -> None:
        # Long-polling: this python-engineio's websocket transport needs a newer aiohttp than Rasa 3.6 pins.
        # wait_timeout: python-socketio gives up on the handshake after 1 s by default, the widget's
        # socket.io-client after 20 s; a busy server is not a refused connection, so wait like a reply.
        await self.client.connect(self.url, socketio_path="/socket.io", transports=["polling"],
                                  wait_timeout=REPLY_TIMEOUT_S)
        await self.client.emit("session_request", {"session_id": self.session})
        await asyncio.wait_for(self.confirmed.wait(), REPLY_TIMEOUT_S)

    async def say(self, text: str) -> str:
        while not self.replies.empty():  # late parts of the previous turn
            self.replies.get_nowait()
        await self.client.emit("user_uttered", {"session_id": self.session, "message": text})
        return await self.replies.get()  # the first reply: the shopper sees the bot answering

    async def close(self) -> None:
        await self.client.disconnect()


def conversation(rng: random.Random, orders: List[Tuple[str, str]], floor: bool) -> Tuple[str, List[str]]:
    if floor:
        return "hello", ["hello"]
    flow = rng.choices(["order", "faq", "search", "recommend"], weights=[3, 3, 3, 1])[0]
    if flow == "order":
        number, email = rng.choice(orders)
        return flow, ["where is my order?", number, email]
    if flow == "faq":
        return flow, [rng.choice(FAQ)]
    if flow == "search":
        return flow, [rng.choice(SEARCHES)]
    return flow, [rng.choice(RECOMMEND)]


async def shopper(index: int, rasa_url: str, http: aiohttp.ClientSession, orders: List[Tuple[str, str]],
                  floor: bool, started: float, until: float, result: RunResult) -> None:
    rng = random.Random(index)
    await asyncio.sleep(rng.uniform(0, 3))  # shoppers arrive over the first seconds, not in one burst
    while time.monotonic() < until:
        talk = RestTalk(http, rasa_url) if index % 2 == 0 else SocketTalk(rasa_url)
        try:
            if isinstance(talk, SocketTalk):
                await talk.open()
            flow, messages = conversation(rng, orders, floor)
            for text in messages:
                if time.monotonic() >= until:
                    break
                sent = time.monotonic()
                error = None
                try:
                    reply = await asyncio.wait_for(talk.say(text), REPLY_TIMEOUT_S)
                    if not reply.strip():
                        error = "empty reply"
                    elif any(mark in reply for mark in FAILURE_MARKS):
                        error = "bot reported a failure"
                except asyncio.TimeoutError:
                    error = "timeout"
                except Exception as exc:  # noqa: BLE001 (any transport failure is an error of the run)
                    error = type(exc).__name__
                result.samples.append(Sample(sent - started, (time.monotonic() - sent) * 1000, flow,
                                             talk.transport, error))
                await asyncio.sleep(rng.uniform(1.0, 3.0))
        except Exception as exc:  # noqa: BLE001
            result.samples.append(Sample(time.monotonic() - started, 0.0, "connect", talk.transport,
                                         f"connect {type(exc).__name__}"))
            await asyncio.sleep(1.0)
        finally:
            await talk.close()


async def sample_memory(stack: Stack, started: float, until: float, result: RunResult) -> None:
    while time.monotonic() < until:
        for service in stack.services:
            if service.process is not None:
                result.memory.setdefault(service.name, []).append(
                    (time.monotonic() - started, tree_rss_mib(service.process.pid)))
        await asyncio.sleep(5.0)


async def drive(stack: Stack, name: str, shoppers: int, seconds: float, orders: List[Tuple[str, str]],
                floor: bool) -> RunResult:
    result = RunResult(name)
    started = time.monotonic()
    until = started + seconds
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=REPLY_TIMEOUT_S)) as http:
        await asyncio.gather(
            sample_memory(stack, started, until, result),
            *(shopper(i, stack.url("rasa"), http, orders, floor, started, until, result) for i in range(shoppers)),
        )
    return result


# --- the two stacks --------------------------------------------------------------------------------------

FLOOR_FILES = {
    "config.yml": "recipe: default.v1\nlanguage: en\npipeline:\n  - name: KeywordIntentClassifier\n"
                  "policies:\n  - name: RulePolicy\nassistant_id: floor\n",
    "domain.yml": 'version: "3.1"\nintents:\n  - greet\nresponses:\n  utter_greet:\n'
                  '    - text: "Hello! How can I help?"\n',
    "data/nlu.yml": 'version: "3.1"\nnlu:\n  - intent: greet\n    examples: |\n      - hello\n      - hi\n',
    "data/rules.yml": 'version: "3.1"\nrules:\n  - rule: greet\n    steps:\n      - intent: greet\n'
                      "      - action: utter_greet\n",
}


def train_floor(workdir: Path) -> Path:
    for name, text in FLOOR_FILES.items():
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_text(text)
    subprocess.run([str(BOT_BIN / "rasa"), "train", "--fixed-model-name", "floor", "--out", "models"],
                   cwd=workdir, check=True, capture_output=True, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    return workdir / "models"


class FloorStack(Stack):
    """Only Rasa, with the trivial model, the same channels and a tracker store of its own."""

    def __init__(self, model_dir: Path, logs: Path, tracker_db: Path) -> None:
        super().__init__(rasa_port=free_port(), backend_port=free_port(), actions_port=free_port(),
                         model_dir=model_dir, log_to=logs, tracker_db=tracker_db)
        self.services = [s for s in self.services if s.name == "rasa"]


def seeded_orders(database: Path, n: int = 500) -> List[Tuple[str, str]]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT number, email FROM orders ORDER BY random() LIMIT ?", (n,)).fetchall()


@contextlib.contextmanager
def shopassist_stack(work: Path, scaleout: bool) -> Iterator[Tuple[Stack, List[Tuple[str, str]]]]:
    """The stack under test, started, with real order numbers and e-mails from its freshly seeded shop."""
    if not scaleout:
        database = work / "shop.db"
        prepare_database(f"sqlite:///{database}")
        with stack_for_tests(database, work / "logs") as stack:
            yield stack, seeded_orders(database)
        return
    import psycopg2

    from scaleout_stack import PG_SERVER, ScaleOutStack

    (work / "scaleout").mkdir()
    with ScaleOutStack(work / "scaleout") as stack:
        connection = psycopg2.connect(f"{PG_SERVER}/{stack.shop_db}")
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT number, email FROM orders ORDER BY random() LIMIT 500")
            orders = cursor.fetchall()
        connection.close()
        yield stack, orders


def plot(results: List[RunResult], out_dir: Path) -> List[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(8, 4))
    for result in results:
        windows: Dict[int, List[float]] = {}
        for s in result.samples:
            if s.error is None:
                windows.setdefault(int(s.at // 30), []).append(s.latency_ms)
        xs = sorted(windows)
        ax.plot([x * 0.5 for x in xs], [_pct(windows[x], 95) for x in xs], marker="o", label=f"{result.name} p95")
    ax.set_xlabel("minutes into the run")
    ax.set_ylabel("time to first reply, p95 per 30 s (ms)")
    ax.legend()
    ax.grid(alpha=0.3)
    latency = out_dir / "load_latency.png"
    fig.tight_layout()
    fig.savefig(latency, dpi=110)
    fig, ax = plt.subplots(figsize=(8, 4))
    for result in results:
        for name, points in result.memory.items():
            ax.plot([t / 60 for t, _ in points], [m for _, m in points], label=f"{result.name}: {name}")
    ax.set_xlabel("minutes into the run")
    ax.set_ylabel("resident memory of the process tree (MiB)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    memory = out_dir / "load_memory.png"
    fig.tight_layout()
    fig.savefig(memory, dpi=110)
    return [latency, memory]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_shoppers", description=__doc__.split("\n")[0])
    parser.add_argument("--shoppers", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10.0, help="of the ShopAssist run")
    parser.add_argument("--floor-minutes", type=float, default=3.0)
    parser.add_argument("--scaleout", action="store_true",
                        help="ShopAssist as scripts/scaleout_stack.py runs it: two of each process behind nginx, "
                             "PostgreSQL and Redis (the floor stays one trivial Rasa)")
    parser.add_argument("--skip-floor", action="store_true", help="only the ShopAssist run")
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench" / "load_shoppers.json")
    parser.add_argument("--plots", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="load-shoppers-"))
    results = []
    if not args.skip_floor:
        print(f"[load] training the floor bot in {work / 'floor'}", flush=True)
        floor_models = train_floor(work / "floor")
        with FloorStack(floor_models, work / "floor-logs", work / "floor-tracker.db") as floor:
            print(f"[load] floor: {args.shoppers} shoppers for {args.floor_minutes} min", flush=True)
            results.append(asyncio.run(drive(floor, "floor (trivial bot)", args.shoppers, args.floor_minutes * 60,
                                             [], floor=True)))
        print(f"[load] floor: {json.dumps(results[-1].summary())}", flush=True)

    name = "ShopAssist scaled out" if args.scaleout else "ShopAssist"
    with shopassist_stack(work, args.scaleout) as (stack, orders):
        print(f"[load] {name}: {args.shoppers} shoppers for {args.minutes} min", flush=True)
        results.append(asyncio.run(drive(stack, name, args.shoppers, args.minutes * 60, orders, floor=False)))
    print(f"[load] {name}: {json.dumps(results[-1].summary())}", flush=True)

    by_flow: Dict[str, List[float]] = {}
    for s in results[-1].samples:
        if s.error is None:
            by_flow.setdefault(f"{s.flow}/{s.transport}", []).append(s.latency_ms)
    report = {
        "settings": vars(args) | {"json": str(args.json), "plots": str(args.plots)},
        "runs": {r.name: r.summary() for r in results},
        "by_flow_p50_p95_ms": {k: (_pct(v, 50), _pct(v, 95), len(v)) for k, v in sorted(by_flow.items())},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1))
    for path in plot(results, args.plots):
        print(f"[load] wrote {path}", flush=True)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
