from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from commerce.admin import repository
from commerce.config import get_settings
from commerce.db import SessionDep
from commerce.shop.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/admin", response_class=HTMLResponse)
def overview(request: Request, session: SessionDep) -> HTMLResponse:
    settings = get_settings()
    context = {
        "shop_name": settings.SHOP_NAME,
        "rasa_url": settings.RASA_URL,
        "counts": repository.shop_counts(session),
    }
    return templates.TemplateResponse(request, "admin.html", context)
