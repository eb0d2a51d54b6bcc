"""The FastAPI application: `uvicorn commerce.main:app`."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot import redaction
from commerce import health
from commerce.admin import router as admin
from commerce.analytics import admin_pages as analytics_admin_pages
from commerce.analytics import review_pages as analytics_review_pages
from commerce.analytics import review_router as analytics_review
from commerce.analytics import router as analytics
from commerce.behaviour import router as behaviour
from commerce.catalog import router as catalog
from commerce.catalog.search_index import CatalogIndex
from commerce.config import get_settings
from commerce.customers import router as customers
from commerce.errors import ErrorBody, install_error_handlers
from commerce.experiments import router as experiments
from commerce.handoff import router as handoff
from commerce.intent import router as intent
from commerce.limits import MAX_BODY_BYTES, BodySizeLimit
from commerce.orders import router as orders
from commerce.promo import admin_pages as promo_admin_pages
from commerce.promo import router as promo
from commerce.recommend import router as recommend
from commerce.shop import account as shop_account
from commerce.shop import router as shop
from knowledge_base import admin_api as kb_admin_api
from knowledge_base import admin_pages as kb_admin_pages
from knowledge_base import router as kb


def create_app() -> FastAPI:
    redaction.install()  # uvicorn has set up its logging before it imports the app
    settings = get_settings()
    app = FastAPI(
        title=f"{settings.SHOP_NAME} commerce API",
        version="1.0.0",
        description="Catalog, customers, orders and behaviour events of the ShopAssist demo shop.",
        # The body-size middleware answers before any route, so every operation can return it.
        responses={413: {"model": ErrorBody, "description": f"Request body over {MAX_BODY_BYTES // 1024} KB"}},
    )
    app.state.catalog_index = CatalogIndex()
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit)
    app.include_router(health.router)
    app.include_router(catalog.router)
    app.include_router(orders.router)
    app.include_router(customers.router)
    app.include_router(behaviour.router)
    app.include_router(handoff.router)
    app.include_router(intent.router)
    app.include_router(recommend.router)
    app.include_router(promo.router)
    app.include_router(promo.admin)
    app.include_router(experiments.router)
    app.include_router(experiments.admin)
    app.include_router(shop.router)
    app.include_router(shop_account.router)
    app.include_router(admin.router)
    app.include_router(kb.router)
    app.include_router(kb_admin_api.router)
    app.include_router(kb_admin_pages.router)
    app.include_router(promo_admin_pages.router)
    app.include_router(analytics.admin)
    app.include_router(analytics_admin_pages.router)
    app.include_router(analytics_review.router)
    app.include_router(analytics_review_pages.router)
    # The chat widget is built elsewhere in the repository; check_dir=False lets the app start without it.
    app.mount("/widget", StaticFiles(directory=settings.WIDGET_DIR, check_dir=False), name="widget")
    return app


app = create_app()
