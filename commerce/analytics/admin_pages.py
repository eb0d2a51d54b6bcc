"""The analytics dashboard page, /admin/analytics: charts of the assistant's results, filters, CSV download.

Staff log in through the knowledge base's form (/admin/kb/login) and the page uses the same session cookie
and roles (knowledge_base.auth); it only reads, so it needs no CSRF token, and it is for admins (conversation
figures and revenue). The log-in form only returns to /admin/kb…, so /admin/kb/analytics forwards here.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from commerce.analytics import charts, service
from commerce.analytics.router import csv_response
from commerce.analytics.schemas import Dashboard
from commerce.config import get_settings
from commerce.db import SessionDep
from commerce.errors import Invalid
from commerce.experiments import repository as experiment_repository
from commerce.experiments import service as experiments
from commerce.experiments.models import Status
from commerce.experiments.report import ALPHA
from commerce.experiments.router import public_report
from commerce.money import from_cents
from knowledge_base import auth
from knowledge_base.auth import Authenticated
from knowledge_base.models import Role

router = APIRouter(include_in_schema=False)
_ROOT = Path(__file__).resolve().parents[2]
templates = Jinja2Templates(directory=[Path(__file__).parent / "templates", _ROOT / "knowledge_base" / "templates",
                                       _ROOT / "commerce" / "shop" / "templates"])
templates.env.filters["money"] = lambda cents: f"{from_cents(cents):,.2f}"
templates.env.filters["percent"] = lambda rate: "n/a" if rate is None else f"{rate * 100:.1f}%"
PAGE = "/admin/analytics"
# An empty <select> or date field arrives as "", which is "no filter".
Text = Annotated[str, Query(max_length=32)]


def _optional_day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _guarded(request: Request, session: SessionDep, action: Any) -> Response:
    if auth.authenticate(session, request.cookies.get(auth.COOKIE)) is None:
        back = "/admin/kb/analytics" + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/admin/kb/login?next={quote(back, safe='')}", status_code=303)
    return auth.guarded_page(
        request, session, action,
        lambda me, exc: _render(request, "analytics_error.html", me, status_code=exc.status_code, error=exc.detail),
        role=Role.ADMIN, forbidden="Only an admin can open the analytics dashboard.",
    )


def _render(request: Request, name: str, me: Authenticated, status_code: int = 200, **context: Any) -> HTMLResponse:
    settings = get_settings()
    base = {"shop_name": settings.SHOP_NAME, "rasa_url": settings.RASA_URL, "me": me, "notice": None}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def _filters(start: str, end: str, channel: str) -> tuple[date | None, date | None, str | None]:
    try:
        return _optional_day(start), _optional_day(end), channel or None
    except ValueError:
        raise Invalid("Give dates as YYYY-MM-DD.", code="analytics_bad_period") from None


def _charts(board: Dashboard) -> dict[str, Any]:
    days = [(d.day.strftime("%d %b"), d.conversations) for d in board.per_day]
    bands = board.purchase_intent
    return {
        "per_day": charts.columns(days, "Conversations per day", overlay=[d.handoffs for d in board.per_day],
                                  overlay_label="handoffs per day"),
        "intents": charts.bars([(i.intent, i.count) for i in board.top_intents], "Top intents"),
        "bands": charts.bars([("low", bands.low), ("medium", bands.medium), ("high", bands.high)],
                             "Purchase-intent bands"),
        "meters": {
            "resolution": charts.meter(board.conversations.automated_resolution_rate, "Automated resolution rate"),
            "handoff": charts.meter(board.conversations.handoff_rate, "Handoff rate"),
            "fallback": charts.meter(board.conversations.fallback_rate, "Fallback rate"),
            "helpful": charts.meter(board.helpfulness.helpful_rate, "Answers rated helpful"),
            "ctr": charts.meter(board.recommendations.click_through_rate, "Recommendation click-through"),
            "redemption": charts.meter(board.offers.redemption_rate, "Offer redemption rate"),
        },
    }


@router.get("/admin/kb/analytics")
def forward(request: Request) -> RedirectResponse:
    return RedirectResponse(PAGE + (f"?{request.url.query}" if request.url.query else ""), status_code=303)


@router.get(PAGE, response_class=HTMLResponse)
def dashboard_page(request: Request, session: SessionDep, start: Text = "", end: Text = "",
                   channel: Text = "") -> Response:
    def action(me: Authenticated) -> Response:
        first, last, chosen = _filters(start, end, channel)
        board, warning = service.build(session, first, last, chosen)
        query = urlencode({"start": board.start.isoformat(), "end": board.end.isoformat(),
                           **({"channel": board.channel} if board.channel else {})})
        return _render(request, "analytics_dashboard.html", me, board=board, warning=warning,
                       csv_url=f"{PAGE}/export.csv?{query}", charts=_charts(board))

    return _guarded(request, session, action)


@router.get(PAGE + "/export.csv")
def export_page(request: Request, session: SessionDep, start: Text = "", end: Text = "",
                channel: Text = "") -> Response:
    def action(me: Authenticated) -> Response:
        first, last, chosen = _filters(start, end, channel)
        board, _warning = service.build(session, first, last, chosen)
        return csv_response(board)

    return _guarded(request, session, action)



@router.get(PAGE + "/experiments", response_class=HTMLResponse)
def experiments_page(request: Request, session: SessionDep) -> Response:
    """Every A/B test with its report: units, rates, lift with its interval and the verdict (read only; tests are
    started and stopped through the admin API, commerce/experiments/README.md)."""
    def action(me: Authenticated) -> Response:
        rows = []
        for experiment in experiment_repository.all_experiments(session):
            report = None
            if experiment.status != Status.DRAFT:
                _, metric, result = experiments.build_report(session, experiment.key, 0.1, ALPHA)
                report = public_report(experiment.key, experiment.status, metric, result)
            rows.append((experiment, report))
        return _render(request, "analytics_experiments.html", me, rows=rows)

    return _guarded(request, session, action)
