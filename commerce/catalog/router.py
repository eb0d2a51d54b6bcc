from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from commerce.catalog import service
from commerce.catalog.search_index import CatalogIndex
from commerce.catalog.schemas import ProductPage, ProductPublic, ProductQuery
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES

router = APIRouter(prefix="/v1/products", tags=["catalog"], responses=ERROR_RESPONSES)


def get_catalog_index(request: Request) -> CatalogIndex:
    """The application's search index (one per process, created with the app)."""
    return request.app.state.catalog_index


@router.get("", response_model=ProductPage, summary="Search and filter the catalog")
def search_products(
    query: Annotated[ProductQuery, Query()],
    session: SessionDep,
    index: Annotated[CatalogIndex, Depends(get_catalog_index)],
) -> ProductPage:
    return service.search(session, index, query)


@router.get("/{sku}", response_model=ProductPublic, summary="One product by SKU")
def product_detail(sku: Annotated[str, Path(min_length=1, max_length=32)], session: SessionDep) -> ProductPublic:
    return service.product_detail(session, sku)
