"""The shop's PostgreSQL under a running stack: its connections cut, the server crashed and restarted.

The server is a private one (tests/faults/postgres.py), so the faults are real: backends terminated by
PostgreSQL itself, a crash (`pg_ctl stop -m immediate`), and a start again. The shopper gets a clear answer
while the database is away, nothing hangs, a rating given meanwhile is kept and arrives once, and everything
works again when it is back, without restarting the backend.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.e2e.chat import Shopper
from tests.faults.conftest import BREAKER_COOLDOWN_S, OUTBOX_RETRY_S
from tests.faults.postgres import PrivateCluster

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from stack import Stack, free_port, prepare_database  # noqa: E402

DEMO_ORDER, DEMO_EMAIL = "SA-100001", "demo@example.com"
TIMEOUT_S, RASA_OVERHEAD_S = 2.0, 1.5


@pytest.fixture(scope="module")
def cluster():
    server = PrivateCluster(free_port())
    server.init()
    server.start()
    server.psql("CREATE DATABASE shop")
    yield server
    try:
        server.stop("immediate")
    except Exception:  # noqa: BLE001 - already stopped by a failed test
        pass
    server.remove()


@pytest.fixture(scope="module")
def stack(cluster, tmp_path_factory):
    work = tmp_path_factory.mktemp("pg-stack")
    url = cluster.url("shop")
    prepare_database(url)
    env = {"BACKEND_BREAKER_COOLDOWN_S": str(BREAKER_COOLDOWN_S), "OUTBOX_RETRY_S": str(OUTBOX_RETRY_S)}
    with Stack(backend_port=free_port(), actions_port=free_port(), rasa_port=free_port(), database_url=url,
               log_to=work / "logs", tracker_db=work / "tracker.db", extra_env=env) as running:
        yield running


def order_status(shopper: Shopper) -> tuple[str, float]:
    assert "order number" in shopper.say("where is my order?").lower()
    shopper.say(DEMO_ORDER)
    started = time.monotonic()
    answer = shopper.say(DEMO_EMAIL)
    return answer, time.monotonic() - started


def shop_connections(cluster: PrivateCluster) -> int:
    return int(cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'shop'")[0])


def test_connections_cut_by_the_server_are_replaced_unnoticed(cluster, stack):
    assert DEMO_ORDER in order_status(Shopper(stack.url("rasa")))[0]
    assert shop_connections(cluster) >= 1  # the backend's pool holds a connection
    killed = cluster.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                          "WHERE datname = 'shop' AND pid <> pg_backend_pid()")
    assert int(killed[0]) >= 1
    # The pool tests a connection before lending it (pool_pre_ping): the dead one is replaced, no error.
    answer, _ = order_status(Shopper(stack.url("rasa")))
    assert DEMO_ORDER in answer and "on its way" in answer, answer


def test_a_crashed_database_gets_a_clear_answer_and_a_restart_loses_nothing(cluster, stack):
    shopper = Shopper(stack.url("rasa"))
    assert "Was this helpful?" in shopper.say("how many days do I have to send something back?")
    cluster.stop("immediate")
    try:
        assert "Glad that helped" in shopper.say("/rate_answer_helpful")  # kept by the action server
        answer, seconds = order_status(Shopper(stack.url("rasa")))
        assert "can't reach our order system" in answer and "person" in answer, answer
        assert seconds < TIMEOUT_S + RASA_OVERHEAD_S
    finally:
        cluster.start()
    time.sleep(BREAKER_COOLDOWN_S + 0.5)
    answer, _ = order_status(Shopper(stack.url("rasa")))
    assert DEMO_ORDER in answer and "on its way" in answer, answer  # the same backend process, recovered

    query = f"SELECT helpful FROM kb_ratings WHERE conversation_id = '{shopper.sender}'"
    deadline = time.monotonic() + 10 * OUTBOX_RETRY_S
    while not cluster.psql(query, "shop") and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2 * OUTBOX_RETRY_S)  # a second delivery, if there were one, would have landed by now
    assert cluster.psql(query, "shop") == ["t"]
