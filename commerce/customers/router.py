from fastapi import APIRouter

from commerce.customers import service
from commerce.customers.schemas import CustomerProfile, ProfileRequest
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES

router = APIRouter(prefix="/v1/customers", tags=["customers"], responses=ERROR_RESPONSES)


@router.post("/profile", response_model=CustomerProfile, summary="A customer's profile, proven by e-mail + order")
def customer_profile(body: ProfileRequest, session: SessionDep) -> CustomerProfile:
    return service.profile(session, body)
