from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from commerce.customers import tokens
from commerce.money import Money, from_cents
from commerce.orders import rules
from commerce.orders.identifiers import checked_email, normalise_order_number, normalise_postcode
from commerce.orders.models import Order, OrderStatus, RefundReason, RefundStatus

OrderNumberIn = Annotated[
    str, Field(min_length=1, max_length=20, examples=["SA-100001"], description="With or without SA- or #.")
]
EmailIn = Annotated[str, Field(min_length=3, max_length=254, examples=["demo@example.com"])]
PostcodeIn = Annotated[str, Field(min_length=2, max_length=16, examples=["10115"])]


class OrderVerification(BaseModel):
    """An order number plus its proof: the e-mail address or delivery postcode given at checkout, or a signed
    known-shopper token (commerce/customers/tokens.py), which opens only that customer's own orders."""

    model_config = ConfigDict(extra="forbid")

    order_number: OrderNumberIn
    email: EmailIn | None = None
    postcode: PostcodeIn | None = None
    customer_token: Annotated[str, Field(min_length=1, max_length=2048)] | None = None

    @field_validator("order_number")
    @classmethod
    def _order_number(cls, value: str) -> str:
        return normalise_order_number(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None else checked_email(value)

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = normalise_postcode(value)
        if not value.isalnum():
            raise ValueError("A postcode contains only letters, digits, spaces and dashes.")
        return value

    @cached_property
    def token_owner(self) -> int | None:
        """The customer a known-shopper token vouches for (401 when forged or expired), else None; the token is
        checked once per request however often the rules ask."""
        return tokens.customer_id(self.customer_token) if self.customer_token is not None else None

    @model_validator(mode="after")
    def _one_verification(self) -> OrderVerification:
        if self.email is None and self.postcode is None and self.customer_token is None:
            raise ValueError("Give the e-mail address used for the order or the delivery postcode.")
        return self


class OrderItemPublic(BaseModel):
    sku: str
    title: str
    quantity: int
    unit_price: Money
    line_total: Money


class ShipmentPublic(BaseModel):
    carrier: str
    tracking_number: str
    shipped_at: datetime
    expected_delivery: date
    delivered_at: datetime | None


class OrderPublic(BaseModel):
    order_number: str
    status: OrderStatus
    placed_at: datetime
    items: list[OrderItemPublic]
    subtotal: Money
    shipping: Money
    discount: Money = Field(description="Taken off by an offer code; 0 without one.")
    total: Money
    currency: str
    ship_to_city: str
    ship_to_country: str
    shipment: ShipmentPublic | None
    can_cancel: bool
    can_change_address: bool
    return_deadline: date | None = Field(description="Last day to start a return; null when not delivered.")

    @classmethod
    def from_order(cls, order: Order) -> OrderPublic:
        shipment = order.shipment
        return cls(
            order_number=order.number,
            status=order.status,
            placed_at=order.placed_at,
            items=[
                OrderItemPublic(
                    sku=item.sku,
                    title=item.title,
                    quantity=item.quantity,
                    unit_price=from_cents(item.unit_price_cents),
                    line_total=from_cents(item.unit_price_cents * item.quantity),
                )
                for item in order.items
            ],
            subtotal=from_cents(order.subtotal_cents),
            shipping=from_cents(order.shipping_cents),
            discount=from_cents(order.discount_cents or 0),
            total=from_cents(order.total_cents),
            currency=order.currency,
            ship_to_city=order.ship_city,
            ship_to_country=order.ship_country,
            shipment=ShipmentPublic(
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
                shipped_at=shipment.shipped_at,
                expected_delivery=shipment.expected_delivery,
                delivered_at=shipment.delivered_at,
            )
            if shipment
            else None,
            can_cancel=rules.can_cancel(order.status),
            can_change_address=rules.can_change_address(order.status),
            return_deadline=rules.return_deadline(order),
        )


class AddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recipient: Annotated[str, Field(min_length=2, max_length=160)]
    line1: Annotated[str, Field(min_length=2, max_length=200)]
    line2: Annotated[str | None, Field(max_length=200)] = None
    city: Annotated[str, Field(min_length=1, max_length=100)]
    postcode: Annotated[str, Field(min_length=2, max_length=16)]
    country: Annotated[str, Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2, e.g. DE")]

    @field_validator("recipient", "line1", "line2", "city")
    @classmethod
    def _no_blank(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        if not value:
            raise ValueError("This field cannot be blank.")
        return value

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str) -> str:
        value = " ".join(value.split()).upper()
        if not normalise_postcode(value).isalnum():
            raise ValueError("A postcode contains only letters, digits, spaces and dashes.")
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        value = value.upper()
        if value not in SHIPPING_COUNTRIES:
            raise ValueError(f"We deliver to {', '.join(sorted(SHIPPING_COUNTRIES))}; use one of these codes.")
        return value


SHIPPING_COUNTRIES = frozenset({"AT", "BE", "DE", "FR", "IE", "NL"})


class AddressChangeRequest(OrderVerification):
    address: AddressIn


class ReturnRequestIn(OrderVerification):
    reason: Annotated[str, Field(min_length=3, max_length=500, examples=["It does not fit."])]


class ReturnPublic(BaseModel):
    reference: str
    order_number: str
    reason: str
    requested_at: datetime
    received_at: datetime | None
    instructions: str


class RefundPublic(BaseModel):
    reference: str
    order_number: str
    status: RefundStatus
    reason: RefundReason
    amount: Money
    currency: str
    created_at: datetime
    completed_at: datetime | None


class InvoicePublic(BaseModel):
    number: str
    order_number: str
    issued_at: datetime
    billing_name: str
    billing_address: str
    total: Money
    vat: Money
    vat_rate_percent: Decimal
    currency: str
    items: list[OrderItemPublic]


class OrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Annotated[str, Field(min_length=1, max_length=32, examples=["KIT-00001"])]
    quantity: Annotated[int, Field(ge=1, le=10)] = 1

    @field_validator("sku")
    @classmethod
    def _sku(cls, value: str) -> str:
        return value.strip().upper()


class OrderCreate(BaseModel):
    """A guest checkout: who orders, where it goes, and what is in it. Payment is handled elsewhere."""

    model_config = ConfigDict(extra="forbid")

    email: EmailIn
    first_name: Annotated[str, Field(min_length=1, max_length=80)]
    last_name: Annotated[str, Field(min_length=1, max_length=80)]
    address: AddressIn
    items: Annotated[list[OrderLineIn], Field(min_length=1, max_length=20)]
    offer_code: Annotated[str | None, Field(min_length=4, max_length=24, pattern=r"^[A-Za-z0-9 -]+$",
                                            description="A promo code issued to this shopper")] = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return checked_email(value)

    @field_validator("first_name", "last_name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("This field cannot be blank.")
        return value

    def merged_lines(self) -> list[tuple[str, int]]:
        """One line per SKU, in SKU order (a fixed lock order keeps concurrent checkouts from deadlocking)."""
        totals: dict[str, int] = {}
        for line in self.items:
            totals[line.sku] = totals.get(line.sku, 0) + line.quantity
        return sorted(totals.items())
