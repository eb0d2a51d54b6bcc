"""Who did what: every change to the knowledge base writes one audit event in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from knowledge_base.models import AuditEvent, Role


@dataclass(frozen=True)
class Actor:
    id: int | None
    email: str
    role: Role


# Command-line tools and the seed act as this actor.
SYSTEM = Actor(None, "system", Role.ADMIN)


def record(session: Session, actor: Actor, action: str, subject_type: str, subject_id: int | None = None,
           **detail: Any) -> None:
    session.add(AuditEvent(actor_id=actor.id, actor_email=actor.email, action=action, subject_type=subject_type,
                           subject_id=subject_id, detail=detail))
