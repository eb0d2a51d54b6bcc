from __future__ import annotations

from typing import Any

from commerce.errors import Conflict, DomainError, ErrorBody, Invalid, NotFound


class EntryNotFound(NotFound):
    code = "entry_not_found"
    detail = "There is no knowledge-base entry with this id."


class VersionNotFound(NotFound):
    code = "version_not_found"
    detail = "This entry has no such version."


class AnswerNotFound(NotFound):
    code = "answer_not_found"
    detail = "No answer with this id was given in this conversation."


class StaleVersion(Conflict):
    code = "stale_version"
    detail = "Someone saved this entry after you opened it; reload it and apply your change again."


class SlugTaken(Conflict):
    code = "slug_taken"
    detail = "Another entry already uses this slug."


class NothingOpen(Conflict):
    code = "nothing_open"
    detail = "None of these questions is still open in the queue; reload the queue."


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"
    detail = "Log in to the knowledge-base admin first."


class InvalidCredentials(DomainError):
    status_code = 401
    code = "invalid_credentials"
    detail = "The e-mail address or password is wrong."


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"
    detail = "Your role does not allow this."


class CsrfFailed(DomainError):
    status_code = 403
    code = "csrf_failed"
    detail = "The form or request is missing its CSRF token, or it has expired; reload the page and try again."


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"
    detail = "Too many requests; please wait a while and try again."


class ImportRejected(Invalid):
    code = "import_rejected"


# Documented on the knowledge-base routes in addition to commerce.errors.ERROR_RESPONSES.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Not logged in"},
    403: {"model": ErrorBody, "description": "Role not allowed, or CSRF token missing"},
}
RATE_RESPONSES: dict[int | str, dict[str, Any]] = {429: {"model": ErrorBody, "description": "Rate limited"}}
