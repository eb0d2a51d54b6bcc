"""The promo campaign web pages under /admin/campaigns, next to the knowledge-base pages.

Staff log in once, through the knowledge base's form (/admin/kb/login); these pages use the same session
cookie, CSRF token and roles (knowledge_base.auth). Editors may look at every campaign, its budget use and its
offers. Creating, editing, pausing and resuming needs the admin role: a campaign spends the shop's money, and
the knowledge base keeps its own powerful actions (import, accounts, audit log) and the JSON campaign API
(/v1/admin/campaigns) to admins too. Every POST must echo the session's CSRF token.

Amounts are typed and shown in the currency's major unit ("12.50") and stored in cents, converted with
commerce.money. Times are UTC.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from commerce.config import get_settings
from commerce.db import SessionDep, utcnow
from commerce.errors import DomainError
from commerce.money import from_cents, to_cents
from commerce.promo import campaigns, overview
from commerce.promo.models import Audience, Campaign, DiscountKind
from commerce.promo.schemas import CampaignIn, CampaignUpdate
from knowledge_base import auth
from knowledge_base.auth import Authenticated
from knowledge_base.models import Role

router = APIRouter(prefix="/admin/campaigns", include_in_schema=False)
_ROOT = Path(__file__).resolve().parents[2]
# kb_base.html (the admin layout and navigation) and the shop's base.html come after our own templates.
templates = Jinja2Templates(directory=[Path(__file__).parent / "templates", _ROOT / "knowledge_base" / "templates",
                                       _ROOT / "commerce" / "shop" / "templates"])
templates.env.filters["money"] = lambda cents: f"{from_cents(cents):,.2f}"
PAGE_SIZE = 50
NOTICES = {"created": "Campaign created.", "saved": "Saved.", "paused": "Paused: no new codes are issued.",
           "resumed": "Resumed: codes are issued again while the campaign runs and has budget."}
FORM_TIME = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
CampaignId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Text = Annotated[str, Form(max_length=200)]
Csrf = Annotated[str, Form(max_length=300)]
# Names of the schema fields as the form shows them, for error messages.
LABELS = {
    "slug": "Slug", "name": "Name", "kind": "Discount kind", "value": "Discount", "audience": "Audience",
    "max_discount_cents": "Largest discount per code", "min_basket_cents": "Minimum basket",
    "category_slugs": "Categories", "total_budget_cents": "Total budget", "daily_budget_cents": "Daily budget",
    "per_customer_cap": "Codes per shopper", "margin_floor_pct": "Margin floor", "starts_at": "Starts",
    "ends_at": "Ends", "code_valid_hours": "Codes valid for", "active": "Active",
}
SLUG_HINT = "use lower-case letters, digits and single hyphens, e.g. spring-sale"
# 25, 25.00 or 25,00; 1,500.00 or 1,500 with thousands separators (as the pages show amounts).
AMOUNT = re.compile(r"\d{1,9}(?:[.,]\d{1,2})?|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", re.ASCII)
GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+", re.ASCII)


# --- rendering and access -------------------------------------------------------------------------------

def _render(request: Request, name: str, me: Authenticated, status_code: int = 200, **context: Any) -> HTMLResponse:
    settings = get_settings()
    base = {"shop_name": settings.SHOP_NAME, "rasa_url": settings.RASA_URL, "me": me,
            "can_change": me.actor.role == Role.ADMIN, "notice": NOTICES.get(request.query_params.get("notice", ""))}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def _redirect(url: str, notice: str) -> RedirectResponse:
    return RedirectResponse(f"{url}?{urlencode({'notice': notice})}", status_code=303)


def _guarded(request: Request, session: SessionDep, action: Callable[[Authenticated], Response],
             csrf: str | None = None, role: Role = Role.EDITOR) -> Response:
    return auth.guarded_page(
        request, session, action,
        lambda me, exc: _render(request, "promo_error.html", me, status_code=exc.status_code, error=exc.detail),
        csrf, role, forbidden="Only an admin can change campaigns.",
    )


# --- reading the forms ----------------------------------------------------------------------------------

def _amount(text: str) -> int:
    text = text.strip().replace(" ", "")
    if not AMOUNT.fullmatch(text):
        raise ValueError("give an amount like 25 or 25.00")
    grouped = "." in text or GROUPED.fullmatch(text)
    return to_cents(Decimal(text.replace(",", "") if grouped else text.replace(",", ".")))


def _whole(text: str) -> int:
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise ValueError("give a whole number")
    return int(text)


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("give a date and time, e.g. 2026-12-24T09:00") from None
    if not 2000 <= value.year <= 2100:
        raise ValueError("give a date between the years 2000 and 2100")
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class _Reader:
    """Turns form text into schema values, collecting a message for each field it cannot read."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.data: dict[str, Any] = {}
        self.errors: list[str] = []
        self.failed: set[str] = set()

    def take(self, field: str, form_name: str, parse: Callable[[str], Any], optional: bool = False) -> None:
        text = self.values[form_name]
        if optional and not text.strip():
            return
        try:
            self.data[field] = parse(text)
        except ValueError as exc:
            self.errors.append(f"{LABELS[field]}: {exc}")
            self.failed.add(field)

    def validate(self, schema: type[CampaignIn] | type[CampaignUpdate]) -> Any:
        """The schema object, or None with self.errors filled (a field already reported is not repeated)."""
        try:
            body = schema.model_validate(self.data)
        except ValidationError as exc:
            self.errors += [_message(e) for e in exc.errors() if not (e["loc"] and e["loc"][0] in self.failed)]
            return None
        return None if self.errors else body


def _message(error: Any) -> str:
    field = str(error["loc"][0]) if error["loc"] else ""
    text = error["msg"].removeprefix("Value error, ")
    if error["type"] == "string_pattern_mismatch":
        text = SLUG_HINT if "slug" in field else "no line breaks or control characters"
    for name, label in LABELS.items():
        if "_" in name:
            text = text.replace(name, f"“{label}”")
    return f"{LABELS.get(field, field)}: {text}" if field else text[:1].upper() + text[1:]


def _new_values() -> dict[str, str]:
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    return dict(
        slug="", name="", kind=DiscountKind.PERCENT.value, value="", max_discount="", min_basket="0.00",
        categories="", audience=Audience.ALL.value, total_budget="", daily_budget="", per_customer_cap="1",
        margin_floor_pct="10", starts_at=now.strftime(FORM_TIME), ends_at="", code_valid_hours="48", active="1")


def _read_new(values: dict[str, str]) -> tuple[CampaignIn | None, list[str]]:
    reader = _Reader(values)
    kind = values["kind"]
    reader.data.update(slug=values["slug"].strip(), name=values["name"].strip(), kind=kind,
                       audience=values["audience"], active=bool(values["active"]),
                       category_slugs=[s.strip() for s in values["categories"].split(",") if s.strip()])
    if kind == DiscountKind.PERCENT.value:
        reader.take("value", "value", _whole)
        reader.take("max_discount_cents", "max_discount", _amount)
    elif kind == DiscountKind.FIXED.value:
        reader.take("value", "value", _amount)
    else:  # free shipping: the shipping fee is the discount
        reader.data["value"] = 0
    reader.take("min_basket_cents", "min_basket", _amount, optional=True)
    reader.take("total_budget_cents", "total_budget", _amount)
    reader.take("daily_budget_cents", "daily_budget", _amount)
    reader.take("per_customer_cap", "per_customer_cap", _whole, optional=True)
    reader.take("margin_floor_pct", "margin_floor_pct", _whole, optional=True)
    reader.take("code_valid_hours", "code_valid_hours", _whole, optional=True)
    reader.take("starts_at", "starts_at", _moment)
    reader.take("ends_at", "ends_at", _moment)
    return reader.validate(CampaignIn), reader.errors


def _edit_values(campaign: Campaign) -> dict[str, str]:
    return {"name": campaign.name, "total_budget": str(from_cents(campaign.total_budget_cents)),
            "daily_budget": str(from_cents(campaign.daily_budget_cents)),
            "ends_at": campaign.ends_at.strftime(FORM_TIME)}


def _read_edit(values: dict[str, str], campaign: Campaign) -> tuple[CampaignUpdate | None, list[str]]:
    reader = _Reader(values)
    reader.data["name"] = values["name"].strip()
    reader.take("total_budget_cents", "total_budget", _amount)
    reader.take("daily_budget_cents", "daily_budget", _amount)
    # The form shows minutes only: an untouched end time must not lose the stored seconds.
    if values["ends_at"].strip() != campaign.ends_at.strftime(FORM_TIME):
        reader.take("ends_at", "ends_at", _moment)
    return reader.validate(CampaignUpdate), reader.errors


# --- pages ----------------------------------------------------------------------------------------------

@router.get("", response_class=HTMLResponse)
def campaign_list(request: Request, session: SessionDep, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    def action(me: Authenticated) -> Response:
        rows, total = overview.page(session, utcnow(), PAGE_SIZE, (page - 1) * PAGE_SIZE)
        return _render(request, "promo_list.html", me, rows=rows, total=total, page=page,
                       pages=max(1, -(-total // PAGE_SIZE)))

    return _guarded(request, session, action)


def _form(request: Request, me: Authenticated, values: dict[str, str], errors: list[str],
          row: overview.CampaignRow | None = None, status_code: int = 200) -> HTMLResponse:
    return _render(request, "promo_form.html", me, status_code=status_code, row=row, values=values, errors=errors,
                   kinds=list(DiscountKind), audiences=list(Audience))


@router.get("/new", response_class=HTMLResponse)
def new_campaign_page(request: Request, session: SessionDep) -> Response:
    return _guarded(request, session, lambda me: _form(request, me, _new_values(), []), role=Role.ADMIN)


@router.post("/new", response_class=HTMLResponse)
def create_campaign(request: Request, session: SessionDep, csrf_token: Csrf = "", slug: Text = "", name: Text = "",
                    kind: Text = "", value: Text = "", max_discount: Text = "", min_basket: Text = "",
                    categories: Annotated[str, Form(max_length=3000)] = "", audience: Text = "",
                    total_budget: Text = "", daily_budget: Text = "", per_customer_cap: Text = "",
                    margin_floor_pct: Text = "", starts_at: Text = "", ends_at: Text = "",
                    code_valid_hours: Text = "", active: Text = "") -> Response:
    values = dict(
        slug=slug, name=name, kind=kind, value=value, max_discount=max_discount, min_basket=min_basket,
        categories=categories, audience=audience, total_budget=total_budget, daily_budget=daily_budget,
        per_customer_cap=per_customer_cap, margin_floor_pct=margin_floor_pct, starts_at=starts_at, ends_at=ends_at,
        code_valid_hours=code_valid_hours, active=active)

    def action(me: Authenticated) -> Response:
        body, errors = _read_new(values)
        if body is None:
            return _form(request, me, values, errors, status_code=422)
        try:
            campaign = campaigns.create(session, body)
        except DomainError as exc:  # the slug is taken
            return _form(request, me, values, [exc.detail], status_code=exc.status_code)
        return _redirect(f"/admin/campaigns/{campaign.id}", "created")

    return _guarded(request, session, action, csrf_token, role=Role.ADMIN)


@router.get("/{campaign_id}", response_class=HTMLResponse)
def campaign_page(request: Request, session: SessionDep, campaign_id: CampaignId) -> Response:
    def action(me: Authenticated) -> Response:
        campaign = campaigns.get(session, campaign_id)
        return _form(request, me, _edit_values(campaign), [], overview.one(session, campaign, utcnow()))

    return _guarded(request, session, action)


@router.post("/{campaign_id}", response_class=HTMLResponse)
def save_campaign(request: Request, session: SessionDep, campaign_id: CampaignId, csrf_token: Csrf = "",
                  name: Text = "", total_budget: Text = "", daily_budget: Text = "", ends_at: Text = "") -> Response:
    values = {"name": name, "total_budget": total_budget, "daily_budget": daily_budget, "ends_at": ends_at}

    def action(me: Authenticated) -> Response:
        campaign = campaigns.get(session, campaign_id)
        body, errors = _read_edit(values, campaign)
        if body is not None:
            try:
                campaigns.update(session, campaign_id, body)
                return _redirect(f"/admin/campaigns/{campaign_id}", "saved")
            except DomainError as exc:  # budgets below what is spent, or an end before the start
                errors = [exc.detail]
        return _form(request, me, values, errors, overview.one(session, campaign, utcnow()), status_code=422)

    return _guarded(request, session, action, csrf_token, role=Role.ADMIN)


@router.post("/{campaign_id}/status")
def pause_or_resume(request: Request, session: SessionDep, campaign_id: CampaignId, csrf_token: Csrf = "",
                    action: Annotated[str, Form(pattern="^(pause|resume)$")] = "pause",
                    back: Annotated[str, Form(pattern="^(list|campaign)$")] = "campaign") -> Response:
    def act(me: Authenticated) -> Response:
        campaigns.update(session, campaign_id, CampaignUpdate(active=action == "resume"))
        url = "/admin/campaigns" if back == "list" else f"/admin/campaigns/{campaign_id}"
        return _redirect(url, "resumed" if action == "resume" else "paused")

    return _guarded(request, session, act, csrf_token, role=Role.ADMIN)
