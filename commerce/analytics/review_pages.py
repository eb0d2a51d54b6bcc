"""Conversation review pages, /admin/analytics/review: find conversations, read a transcript, correct a message.

Editors and admins log in through the knowledge base's form (/admin/kb/login) with its session cookie and
roles; every POST carries the session's CSRF token (a hidden csrf_token field), as in knowledge_base's pages.
The log-in form only returns to /admin/kb…, so /admin/kb/review… forwards here.

On a message's page the reviewer edits the example in Rasa's markup: the text with entities marked as
[words](entity) (a button wraps the selected words); the server parses it exactly as Rasa will.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from commerce.analytics import export_training, review, service
from commerce.analytics.metrics import channels
from commerce.analytics.models import CorrectionStatus, TurnKind
from commerce.analytics.review_router import yaml_response
from commerce.config import get_settings
from commerce.db import SessionDep
from commerce.errors import Invalid
from knowledge_base import auth
from knowledge_base.auth import Authenticated
from knowledge_base.models import Role

router = APIRouter(include_in_schema=False)
_ROOT = Path(__file__).resolve().parents[2]
templates = Jinja2Templates(directory=[Path(__file__).parent / "templates", _ROOT / "knowledge_base" / "templates",
                                       _ROOT / "commerce" / "shop" / "templates"])
PAGE = "/admin/analytics/review"
NOTICES = {"saved": "Saved: the example is in the next export.", "dropped": "Dropped: this message is not exported."}
Text = Annotated[str, Query(max_length=32)]
FLAGS = ("fallback", "low_confidence", "negative_rating", "handoff")
FLAG_LABELS = {"fallback": "Fallback", "low_confidence": "Low confidence", "negative_rating": "Unhelpful rating",
               "handoff": "Handoff"}


def _render(request: Request, name: str, me: Authenticated, status_code: int = 200, **context: Any) -> HTMLResponse:
    settings = get_settings()
    base = {"shop_name": settings.SHOP_NAME, "rasa_url": settings.RASA_URL, "me": me,
            "notice": NOTICES.get(request.query_params.get("notice", ""))}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def _guarded(request: Request, session: SessionDep, action: Any, csrf: str | None = None) -> Response:
    if auth.authenticate(session, request.cookies.get(auth.COOKIE)) is None:
        back = "/admin/kb/review" + request.url.path[len(PAGE):] + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/admin/kb/login?next={quote(back, safe='')}", status_code=303)
    return auth.guarded_page(
        request, session, action,
        lambda me, exc: _render(request, "review_error.html", me, status_code=exc.status_code, error=exc.detail),
        csrf, role=Role.EDITOR,
    )


@router.get("/admin/kb/review")
@router.get("/admin/kb/review/{rest:path}")
def forward(request: Request, rest: str = "") -> RedirectResponse:
    target = PAGE + (f"/{rest}" if rest else "")
    return RedirectResponse(target + (f"?{request.url.query}" if request.url.query else ""), status_code=303)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise Invalid("Give dates as YYYY-MM-DD.", code="analytics_bad_period") from None


def _threshold(value: str) -> float:
    try:
        return float(value) if value else review.DEFAULT_THRESHOLD
    except ValueError:
        raise Invalid("The confidence threshold is a number above 0 and at most 1.", code="review_bad_threshold") from None


@router.get(PAGE, response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, start: Text = "", end: Text = "", channel: Text = "",
              fallback: Text = "", low_confidence: Text = "", negative_rating: Text = "", handoff: Text = "",
              threshold: Text = "", page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    def action(me: Authenticated) -> Response:
        first, last = service.period(_day(start), _day(end))
        warning = service.refresh(session)
        chosen = {"fallback": bool(fallback), "low_confidence": bool(low_confidence),
                  "negative_rating": bool(negative_rating), "handoff": bool(handoff)}
        filters = review.Filters(first, last, channel or None, threshold=_threshold(threshold), **chosen)
        rows, total = review.conversations(session, filters, page)
        query = {"start": first.isoformat(), "end": last.isoformat(), **({"channel": channel} if channel else {}),
                 **{name: "1" for name, on in chosen.items() if on},
                 **({"threshold": threshold} if threshold else {})}
        pages = max(1, -(-total // review.PER_PAGE))
        response = _render(request, "review_list.html", me, filters=filters, chosen=chosen, rows=rows, total=total,
                           page=page, pages=pages, query=urlencode(query), query_of=lambda **more: urlencode({**query, **more}),
                           channels=channels(session), warning=warning, flag_labels=FLAG_LABELS,
                           back=quote(f"{PAGE}?{urlencode({**query, 'page': page})}", safe=""))
        session.rollback()
        return response

    return _guarded(request, session, action)


def _safe_back(back: str) -> str:
    return back if back.startswith(PAGE) and "//" not in back else PAGE


@router.get(PAGE + "/conversations/{conversation_id:path}", response_class=HTMLResponse)
def conversation_page(request: Request, session: SessionDep, conversation_id: str,
                      back: Annotated[str, Query(max_length=1000)] = PAGE) -> Response:
    def action(me: Authenticated) -> Response:
        warning = service.refresh(session)
        turns, corrections = review.transcript(session, conversation_id)
        facts = review.conversation_facts(session, conversation_id)
        return _render(request, "review_conversation.html", me, conversation_id=conversation_id, turns=turns,
                       corrections=corrections, facts=facts, back=_safe_back(back), TurnKind=TurnKind,
                       threshold=review.DEFAULT_THRESHOLD, markup_of=review.markup_of, Status=CorrectionStatus,
                       warning=warning, back_query=quote(_safe_back(back), safe=""))

    return _guarded(request, session, action)


def _turn_page(request: Request, session: SessionDep, me: Authenticated, turn_id: int, status_code: int = 200,
               error: str | None = None, example: str | None = None, intent: str | None = None,
               back: str = PAGE) -> HTMLResponse:
    turn, correction = review.shopper_message(session, turn_id)
    nlu = review.domain()
    if example is None:
        example = (review.markup_of(correction) if correction and correction.status == CorrectionStatus.EXAMPLE
                   else turn.text) or ""
    if intent is None:
        intent = (correction.intent if correction and correction.intent else
                  turn.intent if turn.intent in nlu.intents else "")
    return _render(request, "review_turn.html", me, status_code=status_code, turn=turn, correction=correction,
                   nlu=nlu, example=example, intent=intent, error=error, placeholders=review.PLACEHOLDERS,
                   Status=CorrectionStatus, back=_safe_back(back))


@router.get(PAGE + "/turns/{turn_id}", response_class=HTMLResponse)
def turn_page(request: Request, session: SessionDep, turn_id: int,
              back: Annotated[str, Query(max_length=1000)] = PAGE) -> Response:
    return _guarded(request, session, lambda me: _turn_page(request, session, me, turn_id, back=back))


@router.post(PAGE + "/turns/{turn_id}", response_class=HTMLResponse)
def save_turn(request: Request, session: SessionDep, turn_id: int, csrf_token: Annotated[str, Form(max_length=300)],
              decision: Annotated[str, Form(max_length=10)] = "save",
              example: Annotated[str, Form(max_length=3000)] = "",
              intent: Annotated[str, Form(max_length=100)] = "",
              back: Annotated[str, Form(max_length=1000)] = PAGE) -> Response:
    def action(me: Authenticated) -> Response:
        try:
            if decision == "drop":
                row = review.save(session, turn_id, me.actor, drop=True)
            else:
                text, spans = review.parse_markup(example)
                row = review.save(session, turn_id, me.actor, text=text, intent=intent, spans=spans)
        except Invalid as exc:
            session.rollback()
            return _turn_page(request, session, me, turn_id, status_code=exc.status_code, error=exc.detail,
                              example=example, intent=intent, back=back)
        notice = "dropped" if row.status == CorrectionStatus.DROPPED else "saved"
        query = {"notice": notice, **({"back": _safe_back(back)} if _safe_back(back) != PAGE else {})}
        target = f"{PAGE}/conversations/{quote(row.conversation_id, safe='')}?{urlencode(query)}"
        return RedirectResponse(f"{target}#turn-{turn_id}", status_code=303)

    return _guarded(request, session, action, csrf_token)


@router.get(PAGE + "/export", response_class=HTMLResponse)
def export_page(request: Request, session: SessionDep) -> Response:
    def action(me: Authenticated) -> Response:
        text, written, skipped = export_training.export(session)
        return _render(request, "review_export.html", me, text=text, written=written, skipped=skipped)

    return _guarded(request, session, action)


@router.get(PAGE + "/export.yml")
def export_download(request: Request, session: SessionDep) -> Response:
    def action(me: Authenticated) -> Response:
        text, _written, _skipped = export_training.export(session)
        return yaml_response(text)

    return _guarded(request, session, action)
