"""The one HTTP client the actions use to reach the commerce backend.

Every call has a hard timeout; idempotent calls are retried once on connection errors and 5xx.
Callers get a decoded JSON body, `NotFound`, `Rejected` (the backend said no, with a sentence a person
can act on), or `BackendUnavailable` — never a hang.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

import aiohttp

from actions.config import Settings, get_settings

logger = logging.getLogger(__name__)


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


class BackendClient:
    def __init__(self, settings: Optional[Settings] = None) -> None:
        self.settings = settings or get_settings()

    async def _request(self, method: str, path: str, *, json: Any = None, params: Any = None,
                       headers: Optional[Dict[str, str]] = None, idempotent: bool) -> Any:
        url = f"{self.settings.backend_url}{path}"
        attempts = 1 + (self.settings.backend_retries if idempotent else 0)
        timeout = aiohttp.ClientTimeout(total=self.settings.backend_timeout_s)
        last_error: Optional[Exception] = None
        for attempt in range(attempts):
            try:
                async with aiohttp.ClientSession(timeout=timeout) as session:
                    async with session.request(method, url, json=json, params=params, headers=headers) as resp:
                        if resp.status < 400:
                            return await resp.json()
                        if resp.status == 404:
                            raise NotFound(path)
                        if resp.status < 500:
                            body = await _error_body(resp)
                            raise Rejected(resp.status, str(body.get("error", "")), str(body.get("detail", "")))
                        last_error = BackendUnavailable(f"{method} {path} -> {resp.status}")
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                last_error = exc
            logger.warning("backend %s %s failed (attempt %d/%d): %r", method, path, attempt + 1, attempts, last_error)
        raise BackendUnavailable(str(last_error))

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

    # Handoff to a person
    async def create_ticket(self, ticket: dict) -> dict:
        return await self._request("POST", "/v1/handoff-tickets", json=ticket, idempotent=False)

    # Knowledge base: asking is safe to retry (it only logs the answer); a repeated rating replaces the first.
    async def ask_knowledge_base(self, question: str, conversation_id: str) -> dict:
        body = {"question": question, "conversation_id": conversation_id}
        return await self._request("POST", "/v1/kb/ask", json=body, idempotent=True)

    async def rate_answer(self, answer_id: str, conversation_id: str, helpful: bool, comment: Optional[str] = None) -> dict:
        body = {"answer_id": answer_id, "conversation_id": conversation_id, "helpful": helpful, "comment": comment}
        return await self._request("POST", "/v1/kb/ratings", json=body, idempotent=True)
