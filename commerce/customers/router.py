from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from commerce.customers import service
from commerce.customers.schemas import CustomerProfile, ProfileRequest
from commerce.customers.tokens import TOKEN_RESPONSES, InvalidCustomerToken
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES

router = APIRouter(prefix="/v1/customers", tags=["customers"], responses={**ERROR_RESPONSES, **TOKEN_RESPONSES})


@router.post("/profile", response_model=CustomerProfile, summary="A customer's profile, proven by e-mail + order")
def customer_profile(body: ProfileRequest, session: SessionDep) -> CustomerProfile:
    return service.profile(session, body)


_bearer = HTTPBearer(auto_error=False, description="A known-shopper token signed by the shop (JWT, HS256).")


@router.get(
    "/me",
    response_model=CustomerProfile,
    summary="The signed-in shopper's own profile and recent orders, from a known-shopper token",
)
def my_profile(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)], session: SessionDep
) -> CustomerProfile:
    if credentials is None:
        raise InvalidCustomerToken("Send the customer token as 'Authorization: Bearer <token>'.")
    return service.profile_for_token(session, credentials.credentials)
