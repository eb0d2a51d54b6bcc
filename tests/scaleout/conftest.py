"""Two of each process behind nginx, on PostgreSQL and Redis (scripts/scaleout_stack.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from scaleout_stack import ScaleOutStack  # noqa: E402


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with ScaleOutStack(tmp_path_factory.mktemp("scaleout")) as running:
        yield running
