from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.customers.models import Customer
from commerce.db import Base, UTCDateTime, enum_column, utcnow


class OrderStatus(str, enum.Enum):
    PLACED = "placed"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURN_REQUESTED = "return_requested"
    RETURNED = "returned"
    REFUNDED = "refunded"


class RefundStatus(str, enum.Enum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"


class RefundReason(str, enum.Enum):
    CANCELLATION = "cancellation"
    RETURN = "return"


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (CheckConstraint("total_cents >= 0", name="total_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(9), unique=True)  # SA-123456
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"), index=True)
    # The contact e-mail at checkout, lower-cased; verification compares against it.
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus, "order_status"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_cents: Mapped[int] = mapped_column(Integer)
    shipping_cents: Mapped[int] = mapped_column(Integer)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total_cents: Mapped[int] = mapped_column(Integer)
    # Delivery address, copied at checkout so later edits to the address book do not change it.
    ship_recipient: Mapped[str] = mapped_column(String(160))
    ship_line1: Mapped[str] = mapped_column(String(200))
    ship_line2: Mapped[str | None] = mapped_column(String(200))
    ship_city: Mapped[str] = mapped_column(String(100))
    ship_postcode: Mapped[str] = mapped_column(String(16))
    ship_country: Mapped[str] = mapped_column(String(2))
    # ship_postcode upper-cased without spaces or dashes, for verification.
    ship_postcode_key: Mapped[str] = mapped_column(String(16))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship()
    items: Mapped[list[OrderItem]] = relationship(back_populates="order", order_by="OrderItem.id")
    shipment: Mapped[Shipment | None] = relationship(back_populates="order")
    refund: Mapped[Refund | None] = relationship(back_populates="order")
    return_request: Mapped[ReturnRequest | None] = relationship(back_populates="order")
    invoice: Mapped[Invoice | None] = relationship(back_populates="order")


class OrderItem(Base):
    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), index=True)
    # SKU and title as sold, kept even if the product changes later.
    sku: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)

    order: Mapped[Order] = relationship(back_populates="items")


class Shipment(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    carrier: Mapped[str] = mapped_column(String(40))
    tracking_number: Mapped[str] = mapped_column(String(40))
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expected_delivery: Mapped[date] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship(back_populates="shipment")


class ReturnRequest(Base):
    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)  # RMA-123456
    reason: Mapped[str] = mapped_column(String(500))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship(back_populates="return_request")


class Refund(Base):
    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_cents >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One refund per order: the unique key makes a second refund of the same order impossible.
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)  # RF-123456
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[RefundReason] = mapped_column(enum_column(RefundReason, "refund_reason"))
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus, "refund_status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship(back_populates="refund")


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # INV-2026-000123
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    billing_name: Mapped[str] = mapped_column(String(160))
    billing_address: Mapped[str] = mapped_column(String(500))
    # Prices include VAT; the invoice records the VAT part at the rate that applied.
    vat_rate_bp: Mapped[int] = mapped_column(Integer)  # basis points: 2100 = 21 %
    vat_cents: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))

    order: Mapped[Order] = relationship(back_populates="invoice")
