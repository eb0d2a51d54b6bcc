"""Demo content: `python -m knowledge_base.seed [--reset]` writes the FAQ entries and the demo admin account.

The admin's e-mail and password come from KB_ADMIN_EMAIL / KB_ADMIN_PASSWORD; in development they default
to admin@juniperlane.example / juniper-admin-dev (see knowledge_base/config.py). Seeding twice does nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from knowledge_base import auth, entries, repository
from knowledge_base.audit import SYSTEM
from knowledge_base.config import get_kb_settings
from knowledge_base.models import (
    Answer, AuditEvent, Entry, EntryStatus, LoginSession, QueryCluster, Rating, Role, UnansweredQuestion, User,
)
from knowledge_base.seed.content import ENTRIES


@dataclass(frozen=True)
class SeedResult:
    entries: int
    admin_created: bool


def seed_rows() -> list[dict]:
    return [
        {"slug": e.slug, "status": EntryStatus.PUBLISHED.value, "question": e.question, "phrasings": list(e.phrasings),
         "answer": e.answer, "category": e.category, "tags": list(e.tags),
         "links": [{"label": label, "url": url} for label, url in e.links]}
        for e in ENTRIES
    ]


def wipe(session: Session) -> None:
    for model in (Rating, Answer, UnansweredQuestion, QueryCluster, Entry, AuditEvent, LoginSession, User):
        session.execute(delete(model))
    repository.touch_index(session)
    repository.touch_clusters(session)


def seed(session: Session, reset: bool = False) -> SeedResult:
    if reset:
        wipe(session)
        session.commit()
    written = 0
    if not session.scalar(select(func.count()).select_from(Entry)):
        written = entries.import_entries(session, SYSTEM, seed_rows()).created
    settings = get_kb_settings()
    admin_created = False
    if repository.user_by_email(session, settings.ADMIN_EMAIL.lower()) is None:
        auth.create_user(session, SYSTEM, settings.ADMIN_EMAIL.lower(), settings.ADMIN_PASSWORD, Role.ADMIN)
        admin_created = True
    session.commit()
    return SeedResult(written, admin_created)
