"""Admin JSON API (/v1/kb/admin): the same operations as the /admin/kb pages, for scripts and tools.

Log in with POST /login; the response sets the session cookie and returns the CSRF token to send as
X-CSRF-Token with every POST / PATCH.
"""
from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import PlainTextResponse

from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES
from knowledge_base import auth, entries, repository, unanswered
from knowledge_base.auth import AdminDep, EditorDep
from knowledge_base.exceptions import AUTH_RESPONSES, RATE_RESPONSES
from knowledge_base.models import EntryStatus
from knowledge_base.schemas import (
    AttachToEntry, AuditPublic, Dismiss, EntryCreate, EntryPage, EntryPublic, EntryUpdate, FromCluster,
    ImportResult, LoginRequest, QueueCluster, SessionPublic, StatusChange, UserCreate, UserPublic, VersionDiff,
)

router = APIRouter(prefix="/v1/kb/admin", tags=["knowledge base admin"],
                   responses={**ERROR_RESPONSES, **AUTH_RESPONSES})


@router.post("/login", response_model=SessionPublic, responses=RATE_RESPONSES, summary="Log in (sets a cookie)")
def login(body: LoginRequest, response: Response, session: SessionDep) -> SessionPublic:
    token, row = auth.login(session, body.email, body.password)
    auth.set_session_cookie(response, token)
    return SessionPublic(email=row.user.email, role=row.user.role, csrf_token=row.csrf_token, expires_at=row.expires_at)


@router.post("/logout", status_code=204, summary="Log out")
def logout(request: Request, _: EditorDep, session: SessionDep) -> Response:
    auth.logout(session, request.cookies.get(auth.COOKIE))
    response = Response(status_code=204)
    auth.clear_session_cookie(response)
    return response


@router.get("/session", response_model=SessionPublic, summary="Who is logged in")
def whoami(me: EditorDep) -> SessionPublic:
    return SessionPublic(email=me.actor.email, role=me.actor.role, csrf_token=me.csrf_token, expires_at=me.expires_at)


@router.get("/entries", response_model=EntryPage, summary="Search entries")
def list_entries(
    _: EditorDep, session: SessionDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    status: EntryStatus | None = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
    needs_review: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> EntryPage:
    return entries.listing(session, q, status, category, needs_review, limit, offset)


@router.post("/entries", response_model=EntryPublic, status_code=201, summary="Create an entry")
def create_entry(body: EntryCreate, me: EditorDep, session: SessionDep) -> EntryPublic:
    return entries.detail(session, entries.create(session, me.actor, body).id)


@router.get("/entries/{entry_id}", response_model=EntryPublic,
            summary="One entry with its versions, helpfulness and recent feedback")
def get_entry(entry_id: int, _: EditorDep, session: SessionDep) -> EntryPublic:
    return entries.detail(session, entry_id)


@router.patch("/entries/{entry_id}", response_model=EntryPublic, summary="Edit an entry (new version)")
def update_entry(entry_id: int, body: EntryUpdate, me: EditorDep, session: SessionDep) -> EntryPublic:
    entries.update(session, me.actor, entry_id, body)
    return entries.detail(session, entry_id)


@router.post("/entries/{entry_id}/{action}", response_model=EntryPublic, summary="Publish, archive or unpublish")
def change_status(entry_id: int, action: Literal["publish", "archive", "unpublish"], body: StatusChange,
                  me: EditorDep, session: SessionDep) -> EntryPublic:
    status = {"publish": EntryStatus.PUBLISHED, "archive": EntryStatus.ARCHIVED, "unpublish": EntryStatus.DRAFT}[action]
    entries.set_status(session, me.actor, entry_id, status, body.expected_version, body.note)
    return entries.detail(session, entry_id)


@router.get("/entries/{entry_id}/diff", response_model=VersionDiff, summary="What changed between two versions")
def diff(entry_id: int, _: EditorDep, session: SessionDep, from_version: Annotated[int, Query(ge=1)],
         to_version: Annotated[int, Query(ge=1)]) -> VersionDiff:
    return entries.diff(session, entry_id, from_version, to_version)


@router.post("/entries/{entry_id}/versions/{version}/restore", response_model=EntryPublic,
             summary="Restore an earlier version's content as a new version")
def restore(entry_id: int, version: int, body: StatusChange, me: EditorDep, session: SessionDep) -> EntryPublic:
    entries.restore(session, me.actor, entry_id, version, body.expected_version)
    return entries.detail(session, entry_id)


@router.get("/queue", response_model=list[QueueCluster], summary="Unanswered questions, clustered")
def queue(_: EditorDep, session: SessionDep) -> list[QueueCluster]:
    return unanswered.clusters(session)


@router.post("/queue/new-entry", response_model=EntryPublic, status_code=201,
             summary="Turn queued questions into a new entry")
def queue_new_entry(body: FromCluster, me: EditorDep, session: SessionDep) -> EntryPublic:
    return entries.detail(session, unanswered.create_entry(session, me.actor, body.question_ids, body.entry))


@router.post("/queue/attach", response_model=EntryPublic,
             summary="Add queued questions to an existing entry as phrasings")
def queue_attach(body: AttachToEntry, me: EditorDep, session: SessionDep) -> EntryPublic:
    return entries.detail(session, unanswered.attach(session, me.actor, body.question_ids, body.entry_id))


@router.post("/queue/dismiss", response_model=dict[str, int], summary="Dismiss queued questions")
def queue_dismiss(body: Dismiss, me: EditorDep, session: SessionDep) -> dict[str, int]:
    return {"dismissed": unanswered.dismiss(session, me.actor, body.question_ids)}


@router.get("/export", summary="All entries as JSON or CSV",
            responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
def export(_: EditorDep, session: SessionDep, format: Literal["json", "csv"] = "json") -> Response:
    rows = entries.export_rows(session)
    if format == "csv":
        return PlainTextResponse(entries.to_csv(rows), media_type="text/csv",
                                 headers={"Content-Disposition": 'attachment; filename="knowledge-base.csv"'})
    return Response(json.dumps(rows, ensure_ascii=False, indent=2), media_type="application/json")


@router.post("/import", response_model=ImportResult, summary="Create or update entries by slug (admin)")
def import_entries(me: AdminDep, session: SessionDep,
                   body: Annotated[list[dict[str, Any]], Body(max_length=entries.MAX_IMPORT_ROWS)]) -> ImportResult:
    return entries.import_entries(session, me.actor, body)


@router.get("/audit", response_model=list[AuditPublic], summary="Audit log, newest first (admin)")
def audit_log(_: AdminDep, session: SessionDep, limit: Annotated[int, Query(ge=1, le=500)] = 100,
              offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> list[AuditPublic]:
    return [AuditPublic.model_validate(e, from_attributes=True) for e in repository.audit_events(session, limit, offset)]


@router.get("/users", response_model=list[UserPublic], summary="Editor and admin accounts (admin)")
def users(_: AdminDep, session: SessionDep) -> list[UserPublic]:
    return [UserPublic.model_validate(u, from_attributes=True) for u in repository.users(session)]


@router.post("/users", response_model=UserPublic, status_code=201, summary="Create an account (admin)")
def create_user(body: UserCreate, me: AdminDep, session: SessionDep) -> UserPublic:
    user = auth.create_user(session, me.actor, body.email, body.password, body.role)
    return UserPublic.model_validate(user, from_attributes=True)
