"""The one HTTP client the actions use to reach the commerce backend.

Every call has one deadline (BACKEND_TIMEOUT_S, at most 2 s) that covers its retry: idempotent calls are
retried on connection errors and 5xx while time is left. A circuit breaker (breaker.py) fails calls at once
while the backend is known to be down. Callers get a decoded JSON body, `NotFound`, `Rejected` (the backend said
no, with a sentence a person can act on), or `BackendUnavailable` — never a hang.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

import aiohttp

from actions.clients.breaker import CircuitBreaker
from actions.config import Settings, get_settings

logger = logging.getLogger(__name__)
BREAKER = CircuitBreaker(cooldown_s=get_settings().breaker_cooldown_s)


class BackendError(Exception):
    """Base class for backend failures the actions handle."""


class BackendUnavailable(BackendError):
    """The backend is down, slow or answered with a server error."""


class NotFound(BackendError):
    """The backend answered 404 (unknown, or not verifiable — the two look the same)."""


class Rejected(BackendError):
    """The backend refused the request (409 conflict, 422 invalid) and said why."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status, self.code, self.detail = status, code, detail


async def _error_body(resp: aiohttp.ClientResponse) -> Dict[str, str]:
    try:
        body = await resp.json(content_type=None)
        return body if isinstance(body, dict) else {}
    except (ValueError, aiohttp.ContentTypeError):
        return {}


class _Sessions:
    """One pooled aiohttp session per event loop: connections to the backend are reused across calls."""

    def __init__(self) -> None:
        self._session: Optional[aiohttp.ClientSession] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def get(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
            self._loop = loop
        return self._session


SESSIONS = _Sessions()


class BackendClient:
    def __init__(self, settings: Optional[Settings] = None) -> None:
        self.settings = settings or get_settings()

    async def _request(self, method: str, path: str, *, json: Any = None, params: Any = None,
                       headers: Optional[Dict[str, str]] = None, idempotent: bool) -> Any:
        if not BREAKER.allow():
            raise BackendUnavailable(f"{method} {path}: circuit open after repeated failures")
        url = f"{self.settings.backend_url}{path}"
        attempts = 1 + (self.settings.backend_retries if idempotent else 0)
        deadline = asyncio.get_running_loop().time() + self.settings.backend_timeout_s
        last_error: Optional[Exception] = None
        for attempt in range(attempts):
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0.05:
                break
            try:
                async with SESSIONS.get().request(method, url, json=json, params=params, headers=headers,
                                                  timeout=aiohttp.ClientTimeout(total=left)) as resp:
                    if resp.status < 400:
                        body = await resp.json()
                        BREAKER.succeeded()
                        return body
                    if resp.status < 500:
                        BREAKER.succeeded()  # the backend is up; it said no
                        if resp.status == 404:
                            raise NotFound(path)
                        error = await _error_body(resp)
                        raise Rejected(resp.status, str(error.get("error", "")), str(error.get("detail", "")))
                    last_error = BackendUnavailable(f"{method} {path} -> {resp.status}")
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                last_error = exc
            logger.warning("backend %s %s failed (attempt %d/%d): %r", method, path, attempt + 1, attempts, last_error)
        BREAKER.failed()
        raise BackendUnavailable(str(last_error or f"{method} {path}: no time left"))

    # Orders: the proof ({"email": ...} or {"customer_token": ...}) travels in the body, never in the URL.
    async def lookup_order(self, order_number: str, proof: Dict[str, str]) -> dict:
        return await self._request("POST", "/v1/orders/lookup", json={"order_number": order_number, **proof}, idempotent=True)

    async def cancel_order(self, order_number: str, proof: Dict[str, str]) -> dict:
        body = {"order_number": order_number, **proof, "reason": "Requested in chat."}
        return await self._request("POST", "/v1/orders/cancel", json=body, idempotent=False)

    async def change_address(self, order_number: str, proof: Dict[str, str], address: dict) -> dict:
        body = {"order_number": order_number, **proof, "address": address}
        return await self._request("POST", "/v1/orders/change-address", json=body, idempotent=False)

    async def start_return(self, order_number: str, proof: Dict[str, str], reason: str) -> dict:
        body = {"order_number": order_number, **proof, "reason": reason}
        return await self._request("POST", "/v1/orders/returns", json=body, idempotent=False)

    async def refund_status(self, order_number: str, proof: Dict[str, str]) -> dict:
        return await self._request("POST", "/v1/orders/refund", json={"order_number": order_number, **proof}, idempotent=True)

    async def invoice(self, order_number: str, proof: Dict[str, str]) -> dict:
        return await self._request("POST", "/v1/orders/invoice", json={"order_number": order_number, **proof}, idempotent=True)

    async def my_profile(self, customer_token: str) -> dict:
        """The signed-in shopper's profile and recent orders; Rejected(401) when the token is not valid."""
        return await self._request("GET", "/v1/customers/me", headers={"Authorization": f"Bearer {customer_token}"},
                                   idempotent=True)

    async def my_offer(self, customer_token: str, **params: Any) -> dict:
        """The promo decision for the signed-in shopper (offer or none, with the reason)."""
        query = {k: v for k, v in params.items() if v not in (None, "")}
        return await self._request("GET", "/v1/customers/me/offers", params=query,
                                   headers={"Authorization": f"Bearer {customer_token}"}, idempotent=True)

    # Catalog
    async def search_products(self, **params: Any) -> dict:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        return await self._request("GET", "/v1/products", params=query, idempotent=True)

    async def recommend(self, **params: Any) -> dict:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        return await self._request("GET", "/v1/recommendations", params=query, idempotent=True)

    # Writes that must not be lost go through actions/outbox.py, which calls this: with the key, a repeat is safe.
    async def post_idempotent(self, path: str, body: dict, idempotency_key: str) -> dict:
        return await self._request("POST", path, json=body, headers={"Idempotency-Key": idempotency_key},
                                   idempotent=True)

    # Knowledge base: asking is safe to retry (it only logs the answer).
    async def ask_knowledge_base(self, question: str, conversation_id: str) -> dict:
        body = {"question": question, "conversation_id": conversation_id}
        return await self._request("POST", "/v1/kb/ask", json=body, idempotent=True)
