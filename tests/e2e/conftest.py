"""Bring up the three real processes (backend, action server, Rasa) on free ports and a fresh database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from stack import Stack, free_port, prepare_database  # noqa: E402


@pytest.fixture(scope="session")
def database_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("e2e") / "shop.db"
    prepare_database(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def stack(database_path, tmp_path_factory):
    logs = Path(os.environ.get("E2E_LOG_DIR") or tmp_path_factory.mktemp("logs"))
    with Stack(
        backend_port=free_port(),
        actions_port=free_port(),
        rasa_port=free_port(),
        database_url=f"sqlite:///{database_path}",
        log_to=logs,
    ) as running:
        yield running
