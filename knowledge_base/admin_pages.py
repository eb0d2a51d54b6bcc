"""The editors' web pages under /admin/kb (server-rendered forms; every POST carries the CSRF token)."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from commerce.config import get_settings
from commerce.db import SessionDep
from commerce.errors import DomainError
from knowledge_base import auth, entries, repository, text, unanswered
from knowledge_base.auth import Authenticated
from knowledge_base.exceptions import ImportRejected
from knowledge_base.models import EntryStatus, Role
from knowledge_base.schemas import EntryCreate, EntryUpdate, Link, UserCreate

router = APIRouter(prefix="/admin/kb", include_in_schema=False)
SHOP_TEMPLATES = Path(__file__).resolve().parent.parent / "commerce" / "shop" / "templates"
templates = Jinja2Templates(directory=[Path(__file__).parent / "templates", SHOP_TEMPLATES])
PAGE_SIZE = 50
# Messages shown after a redirect, by code (never text from the URL).
NOTICES = {
    "saved": "Saved.", "created": "Entry created.", "published": "Published: the bot uses it from the next question.",
    "archived": "Archived: the bot no longer uses it.", "unpublished": "Moved back to draft.",
    "restored": "Version restored as a new version.", "dismissed": "Questions dismissed.",
    "attached": "Questions added to the entry as phrasings.", "user": "Account created.",
}
Text = Annotated[str, Form(max_length=10_000)]


def _render(request: Request, name: str, me: Authenticated | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    settings = get_settings()
    base = {"shop_name": settings.SHOP_NAME, "rasa_url": settings.RASA_URL, "me": me,
            "notice": NOTICES.get(request.query_params.get("notice", ""))}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def _redirect(url: str, notice: str | None = None) -> RedirectResponse:
    if notice:
        url += ("&" if "?" in url else "?") + urlencode({"notice": notice})
    return RedirectResponse(url, status_code=303)


def _guarded(request: Request, session: SessionDep, action: Callable[[Authenticated], Response],
             csrf: str | None = None, role: Role = Role.EDITOR) -> Response:
    return auth.guarded_page(
        request, session, action,
        lambda me, exc: _render(request, "kb_error.html", me, status_code=exc.status_code, error=exc.detail),
        csrf, role,
    )


# --- log-in ---------------------------------------------------------------------------------------------

def _safe_next(target: str | None) -> str:
    # The campaign pages (commerce.promo.admin_pages) log in through this form too.
    allowed = target and target.startswith(("/admin/kb", "/admin/campaigns")) and "//" not in target
    return target if target and allowed else "/admin/kb"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: Annotated[str | None, Query(max_length=300)] = None) -> HTMLResponse:
    return _login_form(request, next)


def _login_form(request: Request, next: str | None, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    cookie, form_token = auth.login_form_token()
    response = _render(request, "kb_login.html", None, status_code=status_code, form_token=form_token,
                       next=_safe_next(next), error=error)
    response.set_cookie(auth.LOGIN_COOKIE, cookie, max_age=3600, httponly=True, samesite="strict",
                        secure=get_settings().ENVIRONMENT not in ("development", "test"), path="/admin/kb")
    return response


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, session: SessionDep, email: Annotated[str, Form(max_length=254)],
          password: Annotated[str, Form(max_length=200)], csrf_token: Annotated[str, Form(max_length=300)],
          next: Annotated[str, Form(max_length=300)] = "/admin/kb") -> Response:
    if not auth.login_form_token_valid(request.cookies.get(auth.LOGIN_COOKIE), csrf_token):
        return _login_form(request, next, "The form expired; please try again.", 403)
    try:
        token, _ = auth.login(session, email, password)
    except DomainError as exc:
        return _login_form(request, next, exc.detail, exc.status_code)
    response = _redirect(_safe_next(next))
    auth.set_session_cookie(response, token)
    response.delete_cookie(auth.LOGIN_COOKIE, path="/admin/kb")
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, csrf_token: Annotated[str, Form(max_length=300)]) -> Response:
    def action(me: Authenticated) -> Response:
        auth.logout(session, request.cookies.get(auth.COOKIE))
        response = _redirect("/admin/kb/login")
        auth.clear_session_cookie(response)
        return response

    return _guarded(request, session, action, csrf_token)


# --- entries --------------------------------------------------------------------------------------------

@router.get("", response_class=HTMLResponse)
def entry_list(request: Request, session: SessionDep, q: Annotated[str | None, Query(max_length=200)] = None,
               status: EntryStatus | None = None, category: Annotated[str | None, Query(max_length=40)] = None,
               flagged: bool = False, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    def action(me: Authenticated) -> Response:
        found = entries.listing(session, q or None, status, category or None, flagged, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        return _render(request, "kb_list.html", me, found=found, q=q or "", status=status, category=category or "",
                       flagged=flagged, page=page, pages=max(1, -(-found.total // PAGE_SIZE)),
                       categories=repository.categories(session), statuses=list(EntryStatus),
                       flagged_count=len(entries.flagged_ids(session)),
                       open_questions=repository.count_open_questions(session))

    return _guarded(request, session, action)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _links(value: str) -> list[Link]:
    """One link per line: `label | url`."""
    links = []
    for line in _lines(value):
        label, _, url = line.rpartition("|")
        links.append(Link(label=label.strip() or url.strip(), url=url.strip()))
    return links


def _form_content(question: str, phrasings: str, answer: str, category: str, tags: str, links: str) -> dict[str, Any]:
    return {"question": question, "phrasings": _lines(phrasings), "answer": answer, "category": category.strip().lower(),
            "tags": [t.strip() for t in tags.split(",") if t.strip()], "links": _links(links)}


def _errors(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()]


def _form_values(question: str, phrasings: str, answer: str, category: str, tags: str, links: str) -> dict[str, str]:
    return {"question": question, "phrasings": phrasings, "answer": answer, "category": category, "tags": tags,
            "links": links}


@router.get("/entries/new", response_class=HTMLResponse)
def new_entry_page(request: Request, session: SessionDep) -> Response:
    return _guarded(request, session, lambda me: _render(
        request, "kb_edit.html", me, entry=None, values={"category": "", "question": "", "phrasings": "",
                                                         "answer": "", "tags": "", "links": ""},
        categories=repository.categories(session), errors=[]))


@router.post("/entries/new", response_class=HTMLResponse)
def create_entry(request: Request, session: SessionDep, csrf_token: Annotated[str, Form(max_length=300)],
                 question: Text, answer: Text, category: Annotated[str, Form(max_length=40)],
                 phrasings: Text = "", tags: Annotated[str, Form(max_length=1000)] = "", links: Text = "",
                 publish: Annotated[str, Form(max_length=10)] = "", note: Annotated[str, Form(max_length=200)] = "") -> Response:
    def action(me: Authenticated) -> Response:
        values = _form_values(question, phrasings, answer, category, tags, links)
        try:
            data = EntryCreate(**_form_content(question, phrasings, answer, category, tags, links), note=note,
                               status=EntryStatus.PUBLISHED if publish else EntryStatus.DRAFT)
        except ValidationError as exc:
            return _render(request, "kb_edit.html", me, status_code=422, entry=None, values=values,
                           categories=repository.categories(session), errors=_errors(exc))
        entry = entries.create(session, me.actor, data)
        return _redirect(f"/admin/kb/entries/{entry.id}", "created")

    return _guarded(request, session, action, csrf_token)


def _entry_values(entry: Any) -> dict[str, str]:
    return {"question": entry.question, "phrasings": "\n".join(entry.phrasings), "answer": entry.answer,
            "category": entry.category, "tags": ", ".join(entry.tags),
            "links": "\n".join(f"{link.label} | {link.url}" for link in entry.links)}


@router.get("/entries/{entry_id}", response_class=HTMLResponse)
def entry_page(request: Request, session: SessionDep, entry_id: int) -> Response:
    def action(me: Authenticated) -> Response:
        entry = entries.detail(session, entry_id)
        return _render(request, "kb_edit.html", me, entry=entry, values=_entry_values(entry),
                       categories=repository.categories(session), errors=[])

    return _guarded(request, session, action)


@router.post("/entries/{entry_id}", response_class=HTMLResponse)
def save_entry(request: Request, session: SessionDep, entry_id: int, csrf_token: Annotated[str, Form(max_length=300)],
               expected_version: Annotated[int, Form(ge=1)], question: Text, answer: Text,
               category: Annotated[str, Form(max_length=40)], phrasings: Text = "",
               tags: Annotated[str, Form(max_length=1000)] = "", links: Text = "",
               note: Annotated[str, Form(max_length=200)] = "") -> Response:
    def action(me: Authenticated) -> Response:
        try:
            data = EntryUpdate(expected_version=expected_version, note=note,
                               **_form_content(question, phrasings, answer, category, tags, links))
        except ValidationError as exc:
            return _render(request, "kb_edit.html", me, status_code=422, entry=entries.detail(session, entry_id),
                           values=_form_values(question, phrasings, answer, category, tags, links),
                           categories=repository.categories(session), errors=_errors(exc))
        entries.update(session, me.actor, entry_id, data)
        return _redirect(f"/admin/kb/entries/{entry_id}", "saved")

    return _guarded(request, session, action, csrf_token)


@router.post("/entries/{entry_id}/status")
def change_status(request: Request, session: SessionDep, entry_id: int, csrf_token: Annotated[str, Form(max_length=300)],
                  expected_version: Annotated[int, Form(ge=1)], action: Annotated[str, Form(pattern="^(publish|archive|unpublish)$")]) -> Response:
    statuses = {"publish": (EntryStatus.PUBLISHED, "published"), "archive": (EntryStatus.ARCHIVED, "archived"),
                "unpublish": (EntryStatus.DRAFT, "unpublished")}

    def act(me: Authenticated) -> Response:
        status, notice = statuses[action]
        entries.set_status(session, me.actor, entry_id, status, expected_version)
        return _redirect(f"/admin/kb/entries/{entry_id}", notice)

    return _guarded(request, session, act, csrf_token)


@router.get("/entries/{entry_id}/diff", response_class=HTMLResponse)
def diff_page(request: Request, session: SessionDep, entry_id: int, from_version: Annotated[int, Query(alias="from", ge=1)],
              to_version: Annotated[int, Query(alias="to", ge=1)]) -> Response:
    def action(me: Authenticated) -> Response:
        return _render(request, "kb_diff.html", me, diff=entries.diff(session, entry_id, from_version, to_version),
                       entry=entries.detail(session, entry_id))

    return _guarded(request, session, action)


@router.post("/entries/{entry_id}/restore")
def restore(request: Request, session: SessionDep, entry_id: int, csrf_token: Annotated[str, Form(max_length=300)],
            expected_version: Annotated[int, Form(ge=1)], version: Annotated[int, Form(ge=1)]) -> Response:
    def action(me: Authenticated) -> Response:
        entries.restore(session, me.actor, entry_id, version, expected_version)
        return _redirect(f"/admin/kb/entries/{entry_id}", "restored")

    return _guarded(request, session, action, csrf_token)


# --- unanswered queue -----------------------------------------------------------------------------------

@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request, session: SessionDep) -> Response:
    def action(me: Authenticated) -> Response:
        clusters = unanswered.clusters(session)
        closest = {e.id: e for e in repository.entries_by_ids(
            session, [c.closest_entry_id for c in clusters if c.closest_entry_id])}
        return _render(request, "kb_queue.html", me, clusters=clusters, closest=closest,
                       categories=repository.categories(session))

    return _guarded(request, session, action)


def _ids(value: str) -> list[int]:
    try:
        ids = [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise ImportRejected("question ids must be numbers") from exc
    if not ids:
        raise ImportRejected("choose at least one question")
    return ids[:500]


@router.post("/queue/new-entry", response_class=HTMLResponse)
def queue_new_entry(request: Request, session: SessionDep, csrf_token: Annotated[str, Form(max_length=300)],
                    question_ids: Annotated[str, Form(max_length=5000)], question: Text, answer: Text,
                    category: Annotated[str, Form(max_length=40)], phrasings: Text = "",
                    tags: Annotated[str, Form(max_length=1000)] = "", publish: Annotated[str, Form(max_length=10)] = "") -> Response:
    def action(me: Authenticated) -> Response:
        try:
            data = EntryCreate(**_form_content(question, phrasings, answer, category, tags, ""),
                               status=EntryStatus.PUBLISHED if publish else EntryStatus.DRAFT,
                               note="created from the unanswered queue")
        except ValidationError as exc:
            raise ImportRejected("; ".join(_errors(exc))) from exc
        entry_id = unanswered.create_entry(session, me.actor, _ids(question_ids), data)
        return _redirect(f"/admin/kb/entries/{entry_id}", "created")

    return _guarded(request, session, action, csrf_token)


@router.post("/queue/attach")
def queue_attach(request: Request, session: SessionDep, csrf_token: Annotated[str, Form(max_length=300)],
                 question_ids: Annotated[str, Form(max_length=5000)], entry_id: Annotated[int, Form(ge=1)]) -> Response:
    def action(me: Authenticated) -> Response:
        unanswered.attach(session, me.actor, _ids(question_ids), entry_id)
        return _redirect(f"/admin/kb/entries/{entry_id}", "attached")

    return _guarded(request, session, action, csrf_token)


@router.post("/queue/dismiss")
def queue_dismiss(request: Request, session: SessionDep, csrf_token: Annotated[str, Form(max_length=300)],
                  question_ids: Annotated[str, Form(max_length=5000)]) -> Response:
    def action(me: Authenticated) -> Response:
        unanswered.dismiss(session, me.actor, _ids(question_ids))
        return _redirect("/admin/kb/queue", "dismissed")

    return _guarded(request, session, action, csrf_token)


# --- import / export, audit, users ----------------------------------------------------------------------

@router.get("/transfer", response_class=HTMLResponse)
def transfer_page(request: Request, session: SessionDep) -> Response:
    return _guarded(request, session, lambda me: _render(request, "kb_transfer.html", me, result=None))


@router.get("/export.{fmt}")
def export(request: Request, session: SessionDep, fmt: str) -> Response:
    def action(me: Authenticated) -> Response:
        rows = entries.export_rows(session)
        if fmt == "csv":
            return PlainTextResponse(entries.to_csv(rows), media_type="text/csv",
                                     headers={"Content-Disposition": 'attachment; filename="knowledge-base.csv"'})
        if fmt == "json":
            return Response(json.dumps(rows, ensure_ascii=False, indent=2), media_type="application/json",
                            headers={"Content-Disposition": 'attachment; filename="knowledge-base.json"'})
        raise ImportRejected("export as .csv or .json")

    return _guarded(request, session, action)


@router.post("/import", response_class=HTMLResponse)
def import_file(request: Request, session: SessionDep, csrf_token: Annotated[str, Form(max_length=300)],
                file: Annotated[UploadFile, File()]) -> Response:
    def action(me: Authenticated) -> Response:
        raw = file.file.read(5_000_001)
        if len(raw) > 5_000_000:
            raise ImportRejected("the file is larger than 5 MB")
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRejected("the file is not UTF-8 text") from exc
        if (file.filename or "").lower().endswith(".csv"):
            rows = entries.from_csv(content)
        else:
            try:
                rows = json.loads(content)
            except json.JSONDecodeError as exc:
                raise ImportRejected(f"not valid JSON: {exc.msg} (line {exc.lineno})") from exc
            if not isinstance(rows, list):
                raise ImportRejected("the JSON file must hold a list of entries")
        result = entries.import_entries(session, me.actor, rows)
        return _render(request, "kb_transfer.html", me, result=result)

    return _guarded(request, session, action, csrf_token, role=Role.ADMIN)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, session: SessionDep, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    return _guarded(request, session, lambda me: _render(
        request, "kb_audit.html", me, events=repository.audit_events(session, 100, (page - 1) * 100), page=page),
        role=Role.ADMIN)


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, session: SessionDep) -> Response:
    return _guarded(request, session, lambda me: _render(
        request, "kb_users.html", me, users=repository.users(session), errors=[], roles=list(Role)), role=Role.ADMIN)


@router.post("/users", response_class=HTMLResponse)
def create_user(request: Request, session: SessionDep, csrf_token: Annotated[str, Form(max_length=300)],
                email: Annotated[str, Form(max_length=254)], password: Annotated[str, Form(max_length=200)],
                role: Annotated[Role, Form()]) -> Response:
    def action(me: Authenticated) -> Response:
        try:
            data = UserCreate(email=email, password=password, role=role)
        except ValidationError as exc:
            return _render(request, "kb_users.html", me, status_code=422, users=repository.users(session),
                           errors=_errors(exc), roles=list(Role))
        auth.create_user(session, me.actor, data.email, data.password, data.role)
        return _redirect("/admin/kb/users", "user")

    return _guarded(request, session, action, csrf_token, role=Role.ADMIN)


templates.env.globals["render_markdown"] = text.to_html
