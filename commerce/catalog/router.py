from typing import Annotated

from fastapi import APIRouter, Path, Query

from commerce.catalog import service
from commerce.catalog.schemas import ProductPage, ProductPublic, ProductQuery
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES

router = APIRouter(prefix="/v1/products", tags=["catalog"], responses=ERROR_RESPONSES)


@router.get("", response_model=ProductPage, summary="Search and filter the catalog")
def search_products(query: Annotated[ProductQuery, Query()], session: SessionDep) -> ProductPage:
    return service.search(session, query)


@router.get("/{sku}", response_model=ProductPublic, summary="One product by SKU")
def product_detail(sku: Annotated[str, Path(min_length=1, max_length=32)], session: SessionDep) -> ProductPublic:
    return service.product_detail(session, sku)
