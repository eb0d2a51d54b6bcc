from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from commerce.config import get_settings
from commerce.money import from_cents

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["money"] = lambda cents: f"{from_cents(cents):,.2f}"


def render(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    """A shop page: the template plus what every page's layout and chat widget need."""
    settings = get_settings()
    base = {"shop_name": settings.SHOP_NAME, "rasa_url": settings.RASA_URL}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
