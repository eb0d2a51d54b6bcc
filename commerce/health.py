from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from commerce.db import SessionDep
from commerce.errors import DomainError, ErrorBody

router = APIRouter(tags=["health"])


class DatabaseUnavailable(DomainError):
    status_code = 503
    code = "database_unavailable"
    detail = "The database is not answering; check DATABASE_URL and that the database server is running."


class HealthStatus(BaseModel):
    status: str


@router.get(
    "/health",
    response_model=HealthStatus,
    summary="Liveness including a database round trip",
    responses={503: {"model": ErrorBody, "description": "The database is not answering"}},
)
def health(session: SessionDep) -> HealthStatus:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable() from exc
    return HealthStatus(status="ok")
