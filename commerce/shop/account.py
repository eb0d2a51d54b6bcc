"""Sign-in for the demo shop, standing in for a real shop platform's customer accounts.

A signed-in shopper's pages hand the chat widget a known-shopper token (commerce/customers/tokens.py), so the
assistant knows who is asking without asking for an e-mail. The session cookie only names the customer and is
signed with SECRET_KEY; SameSite=Lax keeps other sites' forms from using it, and the sign-in form carries the
same double-submit token as the admin log-in.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from commerce.config import get_settings
from commerce.customers import tokens
from commerce.customers.models import Customer
from commerce.customers.passwords import verify_password
from commerce.db import SessionDep
from commerce.shop.templating import render
from knowledge_base import auth as form_tokens

router = APIRouter(include_in_schema=False)

SESSION_COOKIE = "shop_customer"
FORM_COOKIE = "shop_signin_csrf"
SESSION_SECONDS = 7 * 24 * 3600


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().SECRET_KEY, salt="shop-customer-session")


def _secure() -> bool:
    return get_settings().ENVIRONMENT not in ("development", "test")


def signed_in(request: Request, session: SessionDep) -> Customer | None:
    """The customer whose valid session cookie came with the request, else None."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie or len(cookie) > 500:
        return None
    try:
        customer_id = int(_signer().loads(cookie, max_age=SESSION_SECONDS))
    except (BadSignature, ValueError, TypeError):
        return None
    return session.get(Customer, customer_id)


def widget_identity(request: Request, session: SessionDep) -> dict:
    """Template context naming the signed-in shopper and the token their chat widget carries."""
    customer = signed_in(request, session)
    if customer is None:
        return {"customer": None, "customer_token": None}
    return {"customer": customer, "customer_token": tokens.issue(customer.id)}


def _form(request: Request, error: str | None = None, email: str = "", status_code: int = 200) -> HTMLResponse:
    cookie, form_token = form_tokens.login_form_token()
    response = render(request, "sign_in.html", {"error": error, "email": email, "form_token": form_token,
                                                "customer": None, "customer_token": None}, status_code)
    response.set_cookie(FORM_COOKIE, cookie, max_age=3600, httponly=True, samesite="strict", secure=_secure(),
                        path="/account")
    return response


@router.get("/account/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request) -> HTMLResponse:
    return _form(request)


@router.post("/account/sign-in", response_class=HTMLResponse)
def sign_in(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=300)],
) -> Response:
    if not form_tokens.login_form_token_valid(request.cookies.get(FORM_COOKIE), csrf_token):
        return _form(request, "The form expired; please try again.", email, 403)
    customer = session.scalars(select(Customer).where(Customer.email == email.strip().lower())).first()
    if customer is None or not customer.password_hash or not verify_password(password, customer.password_hash):
        return _form(request, "That e-mail and password do not match an account.", email, 401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, _signer().dumps(str(customer.id)), max_age=SESSION_SECONDS, httponly=True,
                        samesite="lax", secure=_secure(), path="/")
    response.delete_cookie(FORM_COOKIE, path="/account")
    return response


@router.post("/account/sign-out")
def sign_out() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
