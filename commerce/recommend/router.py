from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from commerce.behaviour.schemas import BatchAccepted
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES
from commerce.recommend import service
from commerce.recommend.schemas import ClickIn, RecommendationList, RecommendationQuery
from commerce.recommend.store import ModelHolder, get_holder
from commerce.responses import validated_json

router = APIRouter(prefix="/v1", tags=["recommendations"], responses=ERROR_RESPONSES)
HolderDep = Annotated[ModelHolder, Depends(get_holder)]


@router.get(
    "/customers/{customer_id}/recommendations",
    response_model=RecommendationList,
    summary="Products for a customer: from their history and current visit, in stock, each with a reason",
)
def customer_recommendations(
    customer_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    query: Annotated[RecommendationQuery, Query()],
    session: SessionDep,
    holder: HolderDep,
) -> Response:
    return validated_json(service.recommend(session, holder, query, customer_id))


@router.get(
    "/recommendations",
    response_model=RecommendationList,
    summary="Products for a shopper who has not signed in: from the current visit, the product on screen, or trends",
)
def visitor_recommendations(
    query: Annotated[RecommendationQuery, Query()], session: SessionDep, holder: HolderDep
) -> Response:
    return validated_json(service.recommend(session, holder, query))


@router.post(
    "/recommendations/clicks",
    response_model=BatchAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Record that a shopper opened a recommended product (stored as a product view of the visit)",
)
def recommendation_click(body: ClickIn, session: SessionDep) -> BatchAccepted:
    return service.record_click(session, body)
