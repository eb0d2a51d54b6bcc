"""Known-shopper tokens: the shop's page vouches for its signed-in customer to the chat.

A token is a JWT (HS256) signed with CUSTOMER_TOKEN_SECRET: `sub` is the customer id, `aud` is
"shopassist-chat", `exp` is required. Any shop platform can mint one with a standard JWT library. The
widget passes it to Rasa in the message metadata and the actions forward it; only this backend checks it,
so neither the bot nor the browser is ever trusted with an identity it merely claims.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated

import jwt
from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from commerce.config import get_settings
from commerce.errors import DomainError, ErrorBody

AUDIENCE = "shopassist-chat"
LIFETIME = timedelta(hours=2)
MAX_TOKEN_LENGTH = 2048


# Documented on every route that accepts a customer token.
TOKEN_RESPONSES: dict[int | str, dict] = {
    401: {"model": ErrorBody, "description": "The customer token is forged, expired or malformed"}
}


class InvalidCustomerToken(DomainError):
    status_code = 401
    code = "invalid_customer_token"
    detail = "The customer token is not valid (bad signature, expired or malformed); sign in again."


def issue(customer_id: int, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    claims = {"sub": str(customer_id), "aud": AUDIENCE, "iat": now, "exp": now + LIFETIME}
    return jwt.encode(claims, get_settings().CUSTOMER_TOKEN_SECRET, algorithm="HS256")


def customer_id(token: str) -> int:
    """The customer the token vouches for; InvalidCustomerToken for anything forged, expired or odd."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidCustomerToken()
    try:
        claims = jwt.decode(
            token,
            get_settings().CUSTOMER_TOKEN_SECRET,
            algorithms=["HS256"],  # fixed: never let the token choose "none" or another algorithm
            audience=AUDIENCE,
            options={"require": ["exp", "sub", "aud"]},
        )
        value = int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError):
        raise InvalidCustomerToken() from None
    if not 1 <= value <= 2**31 - 1:
        raise InvalidCustomerToken()
    return value


_bearer = HTTPBearer(auto_error=False, description="A known-shopper token signed by the shop (JWT, HS256).")


def bearer_customer_id(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> int:
    """FastAPI dependency: the customer an `Authorization: Bearer <token>` header vouches for."""
    if credentials is None:
        raise InvalidCustomerToken("Send the customer token as 'Authorization: Bearer <token>'.")
    return customer_id(credentials.credentials)


TokenCustomerDep = Annotated[int, Depends(bearer_customer_id)]
