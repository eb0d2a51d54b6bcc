"""Editor accounts: argon2 password hashes, server-side sessions, CSRF tokens, roles.

The session cookie carries a random token; the database keeps only its SHA-256, the user and a CSRF token.
Every change must echo that CSRF token (X-CSRF-Token header for the JSON API, a hidden csrf_token field in
the admin pages' forms). The log-in form itself is protected by a signed double-submit token.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from commerce.config import get_settings
from commerce.db import SessionDep, utcnow
from commerce.errors import Conflict, DomainError
from knowledge_base import audit, repository
from knowledge_base.audit import Actor
from knowledge_base.config import get_kb_settings
from knowledge_base.exceptions import CsrfFailed, Forbidden, InvalidCredentials, NotAuthenticated, RateLimited
from knowledge_base.models import LoginSession, Role, User

COOKIE = "kb_session"
LOGIN_COOKIE = "kb_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Checked when the e-mail is unknown, so a wrong address takes as long as a wrong password.
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Authenticated:
    actor: Actor
    csrf_token: str
    expires_at: datetime


def login(session: Session, email: str, password: str) -> tuple[str, LoginSession]:
    """(cookie token, session row), or InvalidCredentials / RateLimited."""
    settings = get_kb_settings()
    email = email.strip().lower()
    now = utcnow()
    if repository.failed_logins_since(session, email, now - timedelta(minutes=settings.RATE_WINDOW_MINUTES)) >= settings.LOGIN_ATTEMPTS:
        raise RateLimited("Too many failed log-ins for this account; wait an hour or ask an admin.")
    user = repository.user_by_email(session, email)
    valid = verify_password(user.password_hash if user else _dummy_hash(), password)
    if user is None or not valid or not user.is_active:
        audit.record(session, Actor(None, email, Role.EDITOR), "login_failed", "user", user.id if user else None)
        session.commit()
        raise InvalidCredentials()
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token = secrets.token_urlsafe(32)
    repository.delete_expired_sessions(session, now)
    row = LoginSession(token_hash=_digest(token), csrf_token=secrets.token_urlsafe(32), user_id=user.id,
                       created_at=now, expires_at=now + timedelta(hours=settings.SESSION_HOURS))
    repository.add(session, row)
    user.last_login_at = now
    audit.record(session, _actor(user), "login", "user", user.id)
    session.commit()
    return token, row


def logout(session: Session, token: str | None) -> None:
    if token:
        repository.delete_session(session, _digest(token))
        session.commit()


def _actor(user: User) -> Actor:
    return Actor(user.id, user.email, user.role)


def authenticate(session: Session, token: str | None) -> Authenticated | None:
    if not token:
        return None
    row = repository.login_session(session, _digest(token), utcnow())
    if row is None or not row.user.is_active:
        return None
    return Authenticated(_actor(row.user), row.csrf_token, row.expires_at)


def set_session_cookie(response: Response, token: str) -> None:
    settings = get_kb_settings()
    response.set_cookie(COOKIE, token, max_age=settings.SESSION_HOURS * 3600, httponly=True, samesite="lax",
                        secure=settings.secure_cookies, path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")


def csrf_matches(auth: Authenticated, supplied: str | None) -> bool:
    return bool(supplied) and hmac.compare_digest(auth.csrf_token, supplied or "")


# --- the log-in form's own CSRF token (there is no session yet) -----------------------------------------

def _login_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().SECRET_KEY, salt="kb-login-form")


def login_form_token() -> tuple[str, str]:
    """(cookie value, signed form value)."""
    nonce = secrets.token_urlsafe(16)
    return nonce, _login_signer().dumps(nonce)


def login_form_token_valid(cookie: str | None, form_value: str | None) -> bool:
    if not cookie or not form_value:
        return False
    try:
        nonce = _login_signer().loads(form_value, max_age=3600)
    except BadSignature:
        return False
    return hmac.compare_digest(str(nonce), cookie)


# --- FastAPI dependencies for the JSON API --------------------------------------------------------------

def current(request: Request, session: SessionDep) -> Authenticated:
    auth = authenticate(session, request.cookies.get(COOKIE))
    if auth is None:
        raise NotAuthenticated()
    if request.method not in SAFE_METHODS and not csrf_matches(auth, request.headers.get(CSRF_HEADER)):
        raise CsrfFailed()
    return auth


def admin_only(auth: Annotated[Authenticated, Depends(current)]) -> Authenticated:
    if auth.actor.role != Role.ADMIN:
        raise Forbidden("Only an admin can do this.")
    return auth


EditorDep = Annotated[Authenticated, Depends(current)]
AdminDep = Annotated[Authenticated, Depends(admin_only)]


# --- users ----------------------------------------------------------------------------------------------

def create_user(session: Session, actor: Actor, email: str, password: str, role: Role) -> User:
    if repository.user_by_email(session, email) is not None:
        raise Conflict("An account with this e-mail address exists already.", code="user_exists")
    user = User(email=email, password_hash=hash_password(password), role=role, is_active=True)
    repository.add(session, user)
    audit.record(session, actor, "user_created", "user", user.id, email=email, role=role.value)
    session.commit()
    return user


# --- the admin web pages' guard ------------------------------------------------------------------------

def guarded_page(request: Request, session: Session, action: Callable[[Authenticated], Response],
                 error_page: Callable[[Authenticated, DomainError], Response], csrf: str | None = None,
                 role: Role = Role.EDITOR, forbidden: str = "Only an admin can open this page.") -> Response:
    """Log-in, CSRF (for POSTs) and role checks for an admin page; domain errors become error_page(me, exc)."""
    me = authenticate(session, request.cookies.get(COOKIE))
    if me is None:
        return RedirectResponse(f"/admin/kb/login?next={quote(request.url.path)}", status_code=303)
    try:
        if request.method == "POST" and not csrf_matches(me, csrf):
            raise CsrfFailed()
        if role == Role.ADMIN and me.actor.role != Role.ADMIN:
            raise Forbidden(forbidden)
        return action(me)
    except DomainError as exc:
        session.rollback()
        return error_page(me, exc)
