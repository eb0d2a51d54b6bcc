from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, model_validator

from commerce.money import Money
from commerce.orders.models import OrderStatus
from commerce.orders.schemas import OrderVerification


class ProfileRequest(OrderVerification):
    """The e-mail address and one of the customer's order numbers (a postcode is not enough here)."""

    @model_validator(mode="after")
    def _email_required(self) -> ProfileRequest:
        if self.email is None:
            raise ValueError("Give the e-mail address of the account; a postcode alone does not open a profile.")
        return self


class AddressPublic(BaseModel):
    recipient: str
    line1: str
    line2: str | None
    city: str
    postcode: str
    country: str
    is_default: bool


class OrderBrief(BaseModel):
    order_number: str
    status: OrderStatus
    placed_at: datetime
    total: Money
    currency: str


class CustomerProfile(BaseModel):
    first_name: str
    last_name: str
    email: str
    has_account: bool
    marketing_opt_in: bool
    customer_since: datetime
    addresses: list[AddressPublic]
    recent_orders: list[OrderBrief]
