"""Short public references (HT-123456, ...) that are hard to guess and unique."""

from __future__ import annotations

import secrets
from collections.abc import Callable

_random = secrets.SystemRandom()


def fresh_reference(prefix: str, taken: Callable[[str], bool], attempts: int = 20) -> str:
    for _ in range(attempts):
        candidate = f"{prefix}-{_random.randrange(100_000, 1_000_000)}"
        if not taken(candidate):
            return candidate
    raise RuntimeError(f"no free {prefix} reference after {attempts} attempts")
