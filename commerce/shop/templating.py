from pathlib import Path

from fastapi.templating import Jinja2Templates

from commerce.money import from_cents

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["money"] = lambda cents: f"{from_cents(cents):,.2f}"
