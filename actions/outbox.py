"""Writes a shopper must not lose (handoff tickets, answer ratings) while the backend cannot take them.

`send` posts at once with an idempotency key. If the backend is down or slow, the write is kept in a SQLite
file (OUTBOX_PATH) and a background task sends it again, oldest first, every OUTBOX_RETRY_S seconds until the
backend takes it; the backend recognises a repeated key (or, for ratings, the conversation and answer), so a
write that did arrive before its answer was lost is not applied twice. A write the backend refuses (4xx) is set
aside with the reason instead of being retried forever. The file survives a restart of the action server,
which resumes delivery as soon as it is up.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

from actions.clients.backend import BackendClient, BackendError, BackendUnavailable
from actions.config import get_settings

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    delivered_at REAL,
    refused TEXT
)
"""


@dataclass(frozen=True)
class Item:
    id: int
    kind: str
    path: str
    body: Dict[str, Any]
    idempotency_key: str
    attempts: int


class Outbox:
    """The kept writes, in a SQLite file shared safely by the processes of one action server."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")  # a kept write must survive a crash of the machine
        if not self._ready:
            connection.execute(_SCHEMA)
            self._ready = True
        return connection

    def put(self, kind: str, path: str, body: Dict[str, Any], idempotency_key: str) -> None:
        with closing(self._connect()) as db:
            db.execute(
                "INSERT OR IGNORE INTO outbox (kind, path, body, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?)",
                (kind, path, json.dumps(body), idempotency_key, time.time()),
            )

    def pending(self, limit: int = 50) -> List[Item]:
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT id, kind, path, body, idempotency_key, attempts FROM outbox "
                "WHERE delivered_at IS NULL AND refused IS NULL ORDER BY id LIMIT ?",
                (limit,),
            ).fetchall()
        return [Item(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]

    def delivered(self, item_id: int) -> None:
        self._update("UPDATE outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?", time.time(), item_id)

    def failed_attempt(self, item_id: int) -> None:
        self._update("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", item_id)

    def refused(self, item_id: int, reason: str) -> None:
        self._update("UPDATE outbox SET refused = ?, attempts = attempts + 1 WHERE id = ?", reason[:500], item_id)

    def counts(self) -> Dict[str, int]:
        with closing(self._connect()) as db:
            pending, delivered, refused = db.execute(
                "SELECT COUNT(*) FILTER (WHERE delivered_at IS NULL AND refused IS NULL), "
                "COUNT(delivered_at), COUNT(refused) FROM outbox"
            ).fetchone()
        return {"pending": pending, "delivered": delivered, "refused": refused}

    def _update(self, statement: str, *params: Any) -> None:
        with closing(self._connect()) as db:
            db.execute(statement, params)


class Courier:
    """The background task that delivers what the outbox holds; at most one runs per process."""

    def __init__(self, outbox: Outbox, retry_s: float) -> None:
        self.outbox = outbox
        self.retry_s = retry_s
        self._task: Optional[asyncio.Task] = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            items = await asyncio.to_thread(self.outbox.pending)
            if not items:
                return
            if not await self.deliver(items):
                await asyncio.sleep(self.retry_s)

    async def deliver(self, items: List[Item]) -> bool:
        """Send the items in order; False when the backend is still away (the rest wait for the next round)."""
        client = BackendClient()
        for item in items:
            try:
                await client.post_idempotent(item.path, item.body, item.idempotency_key)
            except BackendUnavailable:
                await asyncio.to_thread(self.outbox.failed_attempt, item.id)
                return False
            except BackendError as exc:
                logger.error("outbox: the backend refused kept %s %s: %s", item.kind, item.idempotency_key, exc)
                await asyncio.to_thread(self.outbox.refused, item.id, str(exc))
            else:
                logger.info("outbox: delivered kept %s %s", item.kind, item.idempotency_key)
                await asyncio.to_thread(self.outbox.delivered, item.id)
        return True


OUTBOX = Outbox(get_settings().outbox_path)
COURIER = Courier(OUTBOX, get_settings().outbox_retry_s)


async def send(kind: str, path: str, body: Dict[str, Any]) -> Optional[dict]:
    """POST a write that must not be lost: the backend's answer, or None when it was kept to be sent later.
    A refusal (NotFound, Rejected) is raised as usual: keeping a write the backend will never take helps no one."""
    key = f"{kind}-{uuid.uuid4().hex}"
    try:
        return await BackendClient().post_idempotent(path, body, key)
    except BackendUnavailable as exc:
        logger.warning("backend unavailable, keeping %s %s in the outbox: %s", kind, key, exc)
        await asyncio.to_thread(OUTBOX.put, kind, path, body, key)
        COURIER.start()
        return None


def _resume_after_restart() -> None:
    """Deliver what a previous run kept, once the action server's loop is up (nothing to do in unit tests)."""
    try:
        from sanic import Sanic

        app = Sanic.get_app("rasa_sdk")
    except Exception:  # noqa: BLE001 - no action server in this process
        return

    @app.after_server_start
    async def _start_courier(*_: Any) -> None:
        COURIER.start()


_resume_after_restart()
