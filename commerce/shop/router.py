"""The demo shop's HTML pages, each carrying the chat widget."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse

from commerce.catalog import service as catalog
from commerce.behaviour.models import PageType
from commerce.catalog.exceptions import ProductNotFound
from commerce.db import SessionDep
from commerce.shop.account import widget_identity
from commerce.shop.images import product_svg
from commerce.shop.templating import render
from commerce.shop.visits import record_view

router = APIRouter(include_in_schema=False)

SkuPath = Annotated[str, Path(min_length=1, max_length=32)]


def _page(request: Request, session: SessionDep, name: str, context: dict, status_code: int = 200,
          page_type: PageType = PageType.PRODUCT, product_id: int | None = None) -> HTMLResponse:
    identity = widget_identity(request, session)
    response = render(request, name, {**identity, **context}, status_code)
    if status_code == 200:
        record_view(request, response, session, identity["customer"], page_type, product_id)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> HTMLResponse:
    return _page(
        request,
        session,
        "home.html",
        {"departments": catalog.departments(session), "products": catalog.featured(session, limit=12)},
    )


@router.get("/products/{sku}", response_class=HTMLResponse)
def product_page(request: Request, sku: SkuPath, session: SessionDep) -> HTMLResponse:
    try:
        product = catalog.get_product(session, sku)
    except ProductNotFound:
        return _page(request, session, "not_found.html", {"sku": sku}, status_code=404)
    return _page(request, session, "product.html", {"product": product, "path": catalog.category_path(product.category)},
                 product_id=product.id)


@router.get("/images/products/{sku}.svg")
def product_image(sku: SkuPath, session: SessionDep) -> Response:
    product = catalog.get_product(session, sku)
    department = catalog.category_path(product.category)[0].name
    return Response(
        product_svg(product.sku, product.title, department),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )
