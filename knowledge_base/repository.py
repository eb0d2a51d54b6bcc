"""Every knowledge-base database query."""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, delete, func, literal, or_, select, update
from sqlalchemy.orm import Session, selectinload

from knowledge_base.feedback import Votes
from knowledge_base.models import (
    Answer, AuditEvent, Entry, EntryStatus, EntryVersion, IndexState, LoginSession, QueryCluster, QueueStatus,
    Rating, UnansweredQuestion, User,
)

STATE_ID = 1


def new_token() -> str:
    return uuid.uuid4().hex


# --- index state ----------------------------------------------------------------------------------------

def index_token(session: Session) -> str:
    return session.scalar(select(IndexState.index_token).where(IndexState.id == STATE_ID)) or ""


def clusters_token(session: Session) -> str:
    return session.scalar(select(IndexState.clusters_token).where(IndexState.id == STATE_ID)) or ""


def touch_index(session: Session) -> None:
    session.execute(update(IndexState).where(IndexState.id == STATE_ID).values(index_token=new_token()))


def touch_clusters(session: Session) -> None:
    session.execute(update(IndexState).where(IndexState.id == STATE_ID).values(clusters_token=new_token()))


def published_stamps(session: Session) -> dict[int, str]:
    rows = session.execute(select(Entry.id, Entry.index_stamp).where(Entry.status == EntryStatus.PUBLISHED))
    return {entry_id: stamp for entry_id, stamp in rows.tuples()}


def entries_by_ids(session: Session, ids: Sequence[int], chunk: int = 500) -> list[Entry]:
    found: list[Entry] = []
    for start in range(0, len(ids), chunk):
        found.extend(session.scalars(select(Entry).where(Entry.id.in_(ids[start:start + chunk]))))
    return found


# --- entries --------------------------------------------------------------------------------------------

def get_entry(session: Session, entry_id: int, *, for_update: bool = False) -> Entry | None:
    if for_update:
        return session.scalar(select(Entry).where(Entry.id == entry_id).with_for_update())
    return session.get(Entry, entry_id)


def entry_by_slug(session: Session, slug: str) -> Entry | None:
    return session.scalar(select(Entry).where(Entry.slug == slug))


def slugs_like(session: Session, prefix: str) -> set[str]:
    return set(session.scalars(select(Entry.slug).where(Entry.slug.like(f"{prefix}%"))))


def add(session: Session, row: Any) -> None:
    session.add(row)
    session.flush()


def search_entries(session: Session, query: str | None, status: EntryStatus | None, category: str | None,
                   entry_ids: Iterable[int] | None = None) -> Select[tuple[Entry]]:
    stmt = select(Entry)
    if query:
        pattern = f"%{query.lower()}%"
        stmt = stmt.where(or_(func.lower(Entry.question).like(pattern), func.lower(Entry.answer).like(pattern),
                              Entry.slug.like(pattern)))
    if status:
        stmt = stmt.where(Entry.status == status)
    if category:
        stmt = stmt.where(Entry.category == category)
    if entry_ids is not None:
        stmt = stmt.where(Entry.id.in_(list(entry_ids)))
    return stmt


def page(session: Session, stmt: Select[tuple[Entry]], limit: int, offset: int) -> tuple[int, list[Entry]]:
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Entry.category, Entry.question, Entry.id).limit(limit).offset(offset))
    return total, list(rows)


def categories(session: Session) -> list[str]:
    return list(session.scalars(select(Entry.category).distinct().order_by(Entry.category)))


def all_entries(session: Session) -> list[Entry]:
    return list(session.scalars(select(Entry).order_by(Entry.slug)))


def version(session: Session, entry_id: int, number: int) -> EntryVersion | None:
    return session.scalar(select(EntryVersion).where(EntryVersion.entry_id == entry_id, EntryVersion.version == number))


def versions(session: Session, entry_id: int) -> list[EntryVersion]:
    return list(session.scalars(
        select(EntryVersion).where(EntryVersion.entry_id == entry_id).order_by(EntryVersion.version.desc())
    ))


# --- answers, ratings, feedback -------------------------------------------------------------------------

def get_answer(session: Session, answer_id: str) -> Answer | None:
    return session.get(Answer, answer_id)


def rating_of(session: Session, conversation_id: str, entry_id: int) -> Rating | None:
    return session.scalar(select(Rating).where(Rating.conversation_id == conversation_id, Rating.entry_id == entry_id))


def ratings_since(session: Session, since: datetime, *, conversation_id: str | None = None,
                  client_hash: str | None = None) -> int:
    stmt = select(func.count()).select_from(Rating).where(Rating.created_at >= since)
    if conversation_id is not None:
        stmt = stmt.where(Rating.conversation_id == conversation_id)
    if client_hash is not None:
        stmt = stmt.where(Rating.client_hash == client_hash)
    return session.scalar(stmt) or 0


def votes(session: Session, entry_ids: Sequence[int], cluster_id: int | None) -> dict[int, Votes]:
    """Votes per entry, overall and within the given query cluster."""
    if not entry_ids:
        return {}
    columns: list[Any] = [Rating.entry_id, func.sum(case((Rating.helpful, 1), else_=0)), func.count()]
    if cluster_id is None:
        columns += [literal(0), literal(0)]
    else:
        in_cluster = Rating.query_cluster_id == cluster_id
        columns += [func.sum(case((in_cluster & Rating.helpful, 1), else_=0)), func.sum(case((in_cluster, 1), else_=0))]
    rows = session.execute(select(*columns).where(Rating.entry_id.in_(list(entry_ids))).group_by(Rating.entry_id))
    return {e: Votes(int(h or 0), int(n or 0), int(ch or 0), int(cn or 0)) for e, h, n, ch, cn in rows.tuples()}


@dataclass(frozen=True)
class VoteCounts:
    helpful: int
    total: int
    recent_helpful: int
    recent_total: int


def vote_counts(session: Session, entry_ids: Sequence[int] | None, recent_since: datetime) -> dict[int, VoteCounts]:
    recent = Rating.created_at >= recent_since
    stmt = select(
        Rating.entry_id,
        func.sum(case((Rating.helpful, 1), else_=0)),
        func.count(),
        func.sum(case((recent & Rating.helpful, 1), else_=0)),
        func.sum(case((recent, 1), else_=0)),
    ).group_by(Rating.entry_id)
    if entry_ids is not None:
        stmt = stmt.where(Rating.entry_id.in_(list(entry_ids)))
    return {e: VoteCounts(int(h), int(n), int(rh or 0), int(rn or 0)) for e, h, n, rh, rn in session.execute(stmt).tuples()}


def recent_feedback(session: Session, entry_id: int, limit: int = 10) -> list[tuple[Rating, str]]:
    rows = session.execute(
        select(Rating, Answer.question).join(Answer, Answer.id == Rating.answer_id)
        .where(Rating.entry_id == entry_id).order_by(Rating.created_at.desc(), Rating.id.desc()).limit(limit)
    )
    return [(rating, question) for rating, question in rows.tuples()]


def all_clusters(session: Session) -> list[QueryCluster]:
    return list(session.scalars(select(QueryCluster).order_by(QueryCluster.id)))


# --- unanswered queue -----------------------------------------------------------------------------------

def open_questions(session: Session, limit: int) -> list[UnansweredQuestion]:
    return list(session.scalars(
        select(UnansweredQuestion).where(UnansweredQuestion.status == QueueStatus.OPEN)
        .order_by(UnansweredQuestion.created_at.desc(), UnansweredQuestion.id.desc()).limit(limit)
    ))


def count_open_questions(session: Session) -> int:
    stmt = select(func.count()).select_from(UnansweredQuestion).where(UnansweredQuestion.status == QueueStatus.OPEN)
    return session.scalar(stmt) or 0


def questions_by_ids(session: Session, ids: Sequence[int]) -> list[UnansweredQuestion]:
    return list(session.scalars(
        select(UnansweredQuestion).where(UnansweredQuestion.id.in_(list(ids)),
                                         UnansweredQuestion.status == QueueStatus.OPEN)
        .order_by(UnansweredQuestion.id)
    ))


# --- users, sessions, audit -----------------------------------------------------------------------------

def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email))


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def login_session(session: Session, token_hash: str, now: datetime) -> LoginSession | None:
    return session.scalar(
        select(LoginSession).options(selectinload(LoginSession.user))
        .where(LoginSession.token_hash == token_hash, LoginSession.expires_at > now)
    )


def delete_expired_sessions(session: Session, now: datetime) -> None:
    session.execute(delete(LoginSession).where(LoginSession.expires_at <= now))


def delete_session(session: Session, token_hash: str) -> None:
    session.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash))


def failed_logins_since(session: Session, email: str, since: datetime) -> int:
    stmt = select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "login_failed", AuditEvent.actor_email == email, AuditEvent.created_at >= since
    )
    return session.scalar(stmt) or 0


def audit_events(session: Session, limit: int, offset: int, subject: tuple[str, int] | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent)
    if subject:
        stmt = stmt.where(AuditEvent.subject_type == subject[0], AuditEvent.subject_id == subject[1])
    return list(session.scalars(stmt.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit).offset(offset)))
