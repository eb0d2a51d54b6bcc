"""A circuit breaker for the backend: after a run of failures the actions stop calling for a while.

When the backend is down every call would otherwise wait for its timeout (up to 2 s per message) and add load to
a service that is trying to come back. Open, the breaker fails calls at once; after `cooldown_s` it lets one
call through (half-open) and closes again when that call succeeds. Written here because it is twenty lines and
the maintained Python breakers are synchronous (pybreaker) or tied to one framework.
"""

from __future__ import annotations

import time
from typing import Callable, Optional


class CircuitBreaker:
    def __init__(self, failures_to_open: int = 5, cooldown_s: float = 15.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.failures_to_open = failures_to_open
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._failures = 0
        self._opened_at: Optional[float] = None
        self._trial_running = False

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def allow(self) -> bool:
        """Whether a call may go out now (False: fail it without calling)."""
        if self._opened_at is None:
            return True
        if self._trial_running or self._clock() - self._opened_at < self.cooldown_s:
            return False
        self._trial_running = True  # half-open: exactly one call tests the water
        return True

    def succeeded(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_running = False

    def failed(self) -> None:
        self._failures += 1
        if self._trial_running or self._failures >= self.failures_to_open:
            self._opened_at = self._clock()
        self._trial_running = False
