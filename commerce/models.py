"""Every table, imported in one place for Alembic's autogenerate and for the seed."""

from commerce.analytics.models import ConversationTurn, IngestState, NluCorrection
from commerce.behaviour.models import BehaviourEvent, VisitSession
from commerce.catalog.models import Brand, Category, Product
from commerce.customers.models import Address, Customer
from commerce.db import Base
from commerce.experiments.models import Experiment, Exposure, Outcome
from commerce.handoff.models import HandoffTicket
from commerce.orders.models import Invoice, Order, OrderItem, Refund, ReturnRequest, Shipment
from commerce.promo.models import Campaign, Decision, Offer

__all__ = [
    "Address",
    "Base",
    "BehaviourEvent",
    "Brand",
    "Campaign",
    "Category",
    "ConversationTurn",
    "Customer",
    "Decision",
    "Experiment",
    "Exposure",
    "HandoffTicket",
    "IngestState",
    "Invoice",
    "NluCorrection",
    "Offer",
    "Order",
    "OrderItem",
    "Outcome",
    "Product",
    "Refund",
    "ReturnRequest",
    "Shipment",
    "VisitSession",
]
