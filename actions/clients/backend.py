"""The one HTTP client the actions use to reach the commerce backend.

Every call has a hard timeout; idempotent calls are retried once on connection errors.
Callers get either a decoded JSON body, `NotFound`, or `BackendUnavailable` — never a hang.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Optional

import aiohttp

from actions.config import Settings, get_settings

logger = logging.getLogger(__name__)


class BackendError(Exception):
    """Base class for backend failures the actions handle."""


class BackendUnavailable(BackendError):
    """The backend is down, slow or answered with a server error."""


class NotFound(BackendError):
    """The backend answered 404 (unknown, or not verifiable — the two look the same)."""


class BackendClient:
    def __init__(self, settings: Optional[Settings] = None) -> None:
        self.settings = settings or get_settings()

    async def _request(self, method: str, path: str, *, json: Any = None, idempotent: bool) -> Any:
        url = f"{self.settings.backend_url}{path}"
        attempts = 1 + (self.settings.backend_retries if idempotent else 0)
        timeout = aiohttp.ClientTimeout(total=self.settings.backend_timeout_s)
        last_error: Optional[Exception] = None
        for attempt in range(attempts):
            try:
                async with aiohttp.ClientSession(timeout=timeout) as session:
                    async with session.request(method, url, json=json) as resp:
                        if resp.status == 404:
                            raise NotFound(path)
                        if resp.status < 400:
                            return await resp.json()
                        if resp.status < 500:
                            raise BackendError(f"{method} {path} -> {resp.status}: {await resp.text()}")
                        last_error = BackendUnavailable(f"{method} {path} -> {resp.status}")
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                last_error = exc
            logger.warning("backend %s %s failed (attempt %d/%d): %r", method, path, attempt + 1, attempts, last_error)
        raise BackendUnavailable(str(last_error))

    async def lookup_order(self, order_number: str, email: str) -> dict:
        # A read: safe to retry even though it is a POST (the body keeps the e-mail out of URLs and logs).
        return await self._request(
            "POST", "/v1/orders/lookup", json={"order_number": order_number, "email": email}, idempotent=True
        )
