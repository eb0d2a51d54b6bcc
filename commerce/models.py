"""Every table, imported in one place for Alembic's autogenerate and for the seed."""

from commerce.behaviour.models import BehaviourEvent, VisitSession
from commerce.catalog.models import Brand, Category, Product
from commerce.customers.models import Address, Customer
from commerce.db import Base
from commerce.handoff.models import HandoffTicket
from commerce.orders.models import Invoice, Order, OrderItem, Refund, ReturnRequest, Shipment

__all__ = [
    "Address",
    "Base",
    "BehaviourEvent",
    "Brand",
    "Category",
    "Customer",
    "HandoffTicket",
    "Invoice",
    "Order",
    "OrderItem",
    "Product",
    "Refund",
    "ReturnRequest",
    "Shipment",
    "VisitSession",
]
