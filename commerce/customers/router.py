from fastapi import APIRouter

from commerce.customers import service
from commerce.customers.schemas import CustomerProfile, ProfileRequest
from commerce.customers.tokens import TOKEN_RESPONSES, TokenCustomerDep
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES

router = APIRouter(prefix="/v1/customers", tags=["customers"], responses={**ERROR_RESPONSES, **TOKEN_RESPONSES})


@router.post("/profile", response_model=CustomerProfile, summary="A customer's profile, proven by e-mail + order")
def customer_profile(body: ProfileRequest, session: SessionDep) -> CustomerProfile:
    return service.profile(session, body)


@router.get(
    "/me",
    response_model=CustomerProfile,
    summary="The signed-in shopper's own profile and recent orders, from a known-shopper token",
)
def my_profile(customer_id: TokenCustomerDep, session: SessionDep) -> CustomerProfile:
    return service.profile_for_customer(session, customer_id)
