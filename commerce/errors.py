"""Domain exceptions and the handlers that render every error as {"error": ..., "detail": ...}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class FieldProblem(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    """The one error shape: a stable machine code and a sentence a person can act on."""

    error: str
    detail: str
    fields: list[FieldProblem] | None = None


class DomainError(Exception):
    status_code = 400
    code = "bad_request"
    detail = "The request could not be processed."

    def __init__(self, detail: str | None = None, code: str | None = None) -> None:
        super().__init__(detail or self.detail)
        if detail:
            self.detail = detail
        if code:
            self.code = code


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    detail = "Nothing was found at this address."


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    detail = "The request conflicts with the current state; reload and try again."


class Invalid(DomainError):
    status_code = 422
    code = "invalid_request"
    detail = "The request is not valid."


# Documented on every route so the OpenAPI spec lists the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body could not be read (not UTF-8 JSON)"},
    404: {"model": ErrorBody, "description": "Not found"},
    409: {"model": ErrorBody, "description": "Conflicts with the current state"},
    422: {"model": ErrorBody, "description": "Invalid input"},
}

_HTTP_CODES = {
    400: ("bad_request", "The request could not be read."),
    401: ("unauthorized", "Sign in first."),
    403: ("forbidden", "You are not allowed to do this."),
    404: ("not_found", "Nothing was found at this address; check the URL."),
    405: ("method_not_allowed", "This address does not accept that HTTP method."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send the body as application/json."),
}


def _body(code: str, detail: str, fields: list[FieldProblem] | None = None) -> dict[str, Any]:
    return ErrorBody(error=code, detail=detail, fields=fields).model_dump(exclude_none=True)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "body"


def _validation_message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "is not valid"))
    # Custom validators raise ValueError; pydantic prefixes it with "Value error, ".
    return msg.removeprefix("Value error, ")


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse(_body(exc.code, exc.detail), status_code=exc.status_code)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [
        FieldProblem(field=_field_name(tuple(e.get("loc", ()))), message=_validation_message(e)) for e in exc.errors()
    ]
    first = fields[0] if fields else None
    detail = f"{first.field}: {first.message}" if first else "The request is not valid."
    if len(fields) > 1:
        detail += f" (and {len(fields) - 1} more problem{'s' if len(fields) > 2 else ''})"
    return JSONResponse(_body("validation_error", detail, fields), status_code=422)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, default = _HTTP_CODES.get(exc.status_code, ("http_error", "The request could not be processed."))
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code not in _HTTP_CODES else default
    return JSONResponse(_body(code, detail), status_code=exc.status_code, headers=getattr(exc, "headers", None))


async def _data_error(_request: Request, exc: Exception) -> JSONResponse:
    # The database refused a value the schemas let through (PostgreSQL rejects NUL characters in text, for
    # one); the transaction is rolled back, so nothing was half written.
    log.warning("database refused a value: %s", exc)
    detail = "A value cannot be stored: remove control characters (such as NUL) and out-of-range numbers."
    return JSONResponse(_body("invalid_value", detail), status_code=422)


async def _database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    # The database is restarting or the connection to it was lost. The request's transaction did not commit;
    # the pool checks connections before use (pool_pre_ping), so requests succeed again once it is back.
    log.error("database unavailable: %s", type(exc).__name__)
    detail = "The shop's database is not reachable just now; please try again in a few seconds."
    return JSONResponse(_body("database_unavailable", detail), status_code=503, headers={"Retry-After": "5"})


async def _unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(_body("internal_error", "Something went wrong on our side; please try again."), 500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(InterfaceError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)
