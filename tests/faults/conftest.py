"""A stack of its own for fault injection: these tests kill, restart and freeze its processes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from stack import prepare_database, stack_for_tests  # noqa: E402

BREAKER_COOLDOWN_S = 3
OUTBOX_RETRY_S = 1


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    work = tmp_path_factory.mktemp("faults")
    database = work / "shop.db"
    prepare_database(f"sqlite:///{database}")
    # DEBUG: Rasa then logs every message text, which the redaction test needs to see redacted.
    env = {"BACKEND_BREAKER_COOLDOWN_S": str(BREAKER_COOLDOWN_S), "LOG_LEVEL": "DEBUG",
           "OUTBOX_RETRY_S": str(OUTBOX_RETRY_S)}
    with stack_for_tests(database, work / "logs", extra_env=env) as running:
        yield running
