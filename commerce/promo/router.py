from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from commerce.customers.tokens import TOKEN_RESPONSES, TokenCustomerDep
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES
from commerce.intent.store import ModelHolder, get_holder
from commerce.promo import campaigns, service
from commerce.promo.schemas import CampaignIn, CampaignPublic, CampaignUpdate, Moment, OfferDecision
from knowledge_base.auth import AdminDep
from knowledge_base.exceptions import AUTH_RESPONSES

router = APIRouter(prefix="/v1", tags=["promo"], responses=ERROR_RESPONSES)
admin = APIRouter(prefix="/v1/admin/campaigns", tags=["promo admin"], responses={**ERROR_RESPONSES, **AUTH_RESPONSES})
CampaignId = Annotated[int, Path(ge=1, le=2**31 - 1)]
HolderDep = Annotated[ModelHolder, Depends(get_holder)]


def offer_context(basket_cents: Annotated[int | None, Query(ge=0, le=100_000_000)] = None,
                  category: Annotated[str | None, Query(max_length=60, pattern=r"^[a-z0-9-]+$")] = None,
                  moment: Moment = "browsing") -> service.Context:
    """Where the shopper is: basket value, the category in view, and the moment the assistant is at."""
    return service.Context(basket_cents, category, moment)


ContextDep = Annotated[service.Context, Depends(offer_context)]


# Registered before /customers/{customer_id}/offers, which would otherwise claim "me" and refuse it as no integer.
@router.get("/customers/me/offers", response_model=OfferDecision, responses=TOKEN_RESPONSES,
            summary="The offer for the signed-in shopper (known-shopper token) now, or none, with the reason")
def my_offer(customer_id: TokenCustomerDep, session: SessionDep, holder: HolderDep, context: ContextDep) -> OfferDecision:
    return service.decide(session, holder, customer_id, context)


@router.get("/customers/{customer_id}/offers", response_model=OfferDecision,
            summary="The offer this shopper should see now (or none), chosen by uplift and a paced auction")
def customer_offer(customer_id: Annotated[int, Path(ge=1, le=2**31 - 1)], session: SessionDep, holder: HolderDep,
                   context: ContextDep) -> OfferDecision:
    return service.decide(session, holder, customer_id, context)


@admin.get("", response_model=list[CampaignPublic], summary="All campaigns with their spend (admin)")
def list_campaigns(_: AdminDep, session: SessionDep) -> list[CampaignPublic]:
    return [CampaignPublic.model_validate(c) for c in campaigns.all_campaigns(session)]


@admin.post("", response_model=CampaignPublic, status_code=status.HTTP_201_CREATED,
            summary="Create a campaign (admin)")
def create_campaign(body: CampaignIn, _: AdminDep, session: SessionDep) -> CampaignPublic:
    return CampaignPublic.model_validate(campaigns.create(session, body))


@admin.get("/{campaign_id}", response_model=CampaignPublic, summary="One campaign (admin)")
def get_campaign(campaign_id: CampaignId, _: AdminDep, session: SessionDep) -> CampaignPublic:
    return CampaignPublic.model_validate(campaigns.get(session, campaign_id))


@admin.patch("/{campaign_id}", response_model=CampaignPublic,
             summary="Pause, resume, rename, re-budget or extend a campaign (admin)")
def update_campaign(campaign_id: CampaignId, body: CampaignUpdate, _: AdminDep, session: SessionDep) -> CampaignPublic:
    return CampaignPublic.model_validate(campaigns.update(session, campaign_id, body))
