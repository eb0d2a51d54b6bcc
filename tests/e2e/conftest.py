"""Bring up the three real processes (backend, action server, Rasa) on free ports and a fresh database."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from stack import prepare_database, stack_for_tests  # noqa: E402


@pytest.fixture(scope="session")
def database_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("e2e") / "shop.db"
    prepare_database(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def stack(database_path, tmp_path_factory):
    with stack_for_tests(database_path, tmp_path_factory.mktemp("logs")) as running:
        yield running
