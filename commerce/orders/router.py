"""Order endpoints. Every request about an existing order carries its verification in the JSON body, never in
the URL, so e-mail addresses and postcodes stay out of access logs."""

from fastapi import APIRouter, status

from commerce.customers.tokens import TOKEN_RESPONSES
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES
from commerce.orders import checkout, service
from commerce.orders.schemas import (
    AddressChangeRequest,
    InvoicePublic,
    OrderCreate,
    OrderPublic,
    OrderVerification,
    RefundPublic,
    ReturnPublic,
    ReturnRequestIn,
)

router = APIRouter(prefix="/v1/orders", tags=["orders"], responses={**ERROR_RESPONSES, **TOKEN_RESPONSES})


@router.post("", response_model=OrderPublic, status_code=status.HTTP_201_CREATED, summary="Place an order")
def place_order(body: OrderCreate, session: SessionDep) -> OrderPublic:
    return OrderPublic.from_order(checkout.place_order(session, body))


@router.post("/lookup", response_model=OrderPublic, summary="Find an order by number and e-mail or postcode")
def lookup_order(body: OrderVerification, session: SessionDep) -> OrderPublic:
    return OrderPublic.from_order(service.lookup(session, body))


@router.post("/cancel", response_model=OrderPublic, summary="Cancel an order that has not shipped yet")
def cancel_order(body: OrderVerification, session: SessionDep) -> OrderPublic:
    return OrderPublic.from_order(service.cancel(session, body))


@router.post("/change-address", response_model=OrderPublic, summary="Change the delivery address before shipping")
def change_address(body: AddressChangeRequest, session: SessionDep) -> OrderPublic:
    return OrderPublic.from_order(service.change_address(session, body))


@router.post(
    "/returns",
    response_model=ReturnPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Start a return of a delivered order",
)
def start_return(body: ReturnRequestIn, session: SessionDep) -> ReturnPublic:
    return service.return_public(service.start_return(session, body), body.order_number)


@router.post("/refund", response_model=RefundPublic, summary="Status of an order's refund")
def refund_status(body: OrderVerification, session: SessionDep) -> RefundPublic:
    return service.refund_status(session, body)


@router.post("/invoice", response_model=InvoicePublic, summary="An order's invoice")
def invoice(body: OrderVerification, session: SessionDep) -> InvoicePublic:
    return service.invoice(session, body)
