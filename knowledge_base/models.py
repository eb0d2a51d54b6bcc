"""Knowledge-base tables (migrated by commerce/migrations, same database as the shop)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.db import Base, JSONDocument, UTCDateTime, enum_column, utcnow


class EntryStatus(str, enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Role(str, enum.Enum):
    EDITOR = "editor"
    ADMIN = "admin"


class QueueReason(str, enum.Enum):
    ABSTAINED = "abstained"
    LOW_CONFIDENCE = "low_confidence"


class QueueStatus(str, enum.Enum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class Entry(Base):
    """One question and its answer; only published entries are searched."""

    __tablename__ = "kb_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    question: Mapped[str] = mapped_column(String(300))
    phrasings: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    answer: Mapped[str] = mapped_column(Text)  # Markdown
    category: Mapped[str] = mapped_column(String(40), index=True)
    tags: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    # [{"label": ..., "url": "/products/KIT-00012" or "https://..."}]: catalog items and policies
    links: Mapped[list[dict[str, str]]] = mapped_column(JSONDocument, default=list)
    status: Mapped[EntryStatus] = mapped_column(enum_column(EntryStatus, "kb_entry_status"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Encoder output for text.passages(...), float32 rows; computed on save so no process re-encodes.
    vectors: Mapped[bytes | None] = mapped_column(LargeBinary)
    vectors_model: Mapped[str | None] = mapped_column(String(64))
    # Changes with every edit that the search index must see; each process compares it with its copy.
    index_stamp: Mapped[str] = mapped_column(String(32))

    versions: Mapped[list[EntryVersion]] = relationship(
        back_populates="entry", order_by="EntryVersion.version", cascade="all, delete-orphan"
    )


class EntryVersion(Base):
    """A snapshot of an entry after each change: who, when, and the full content."""

    __tablename__ = "kb_entry_versions"
    __table_args__ = (UniqueConstraint("entry_id", "version", name="uq_kb_entry_versions_entry_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("kb_entries.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(String(300))
    phrasings: Mapped[list[str]] = mapped_column(JSONDocument)
    answer: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    tags: Mapped[list[str]] = mapped_column(JSONDocument)
    links: Mapped[list[dict[str, str]]] = mapped_column(JSONDocument)
    status: Mapped[EntryStatus] = mapped_column(enum_column(EntryStatus, "kb_version_status"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("kb_users.id", ondelete="SET NULL"))
    author_email: Mapped[str] = mapped_column(String(254))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[Entry] = relationship(back_populates="versions")


class User(Base):
    __tablename__ = "kb_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "kb_role"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginSession(Base):
    """Server-side session: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "kb_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("kb_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class AuditEvent(Base):
    __tablename__ = "kb_audit"
    __table_args__ = (Index("ix_kb_audit_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("kb_users.id", ondelete="SET NULL"))
    actor_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class QueryCluster(Base):
    """A group of similar shopper questions (leader clustering on their embeddings), so feedback can say
    which entry helps for which kind of question."""

    __tablename__ = "kb_query_clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    centroid: Mapped[bytes] = mapped_column(LargeBinary)
    label: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Answer(Base):
    """An answer the bot gave; ratings refer to it by its public id."""

    __tablename__ = "kb_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("kb_entries.id", ondelete="CASCADE"), index=True)
    entry_version: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(String(500))
    conversation_id: Mapped[str | None] = mapped_column(String(128))
    confidence: Mapped[float] = mapped_column(Float)
    query_vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Rating(Base):
    __tablename__ = "kb_ratings"
    # One vote per conversation per entry: asking twice and rating twice still counts once.
    __table_args__ = (
        UniqueConstraint("conversation_id", "entry_id", name="uq_kb_ratings_conversation_entry"),
        Index("ix_kb_ratings_entry_cluster", "entry_id", "query_cluster_id", "helpful"),
        Index("ix_kb_ratings_client_time", "client_hash", "created_at"),
        Index("ix_kb_ratings_conversation_time", "conversation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[str] = mapped_column(ForeignKey("kb_answers.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("kb_entries.id", ondelete="CASCADE"))
    query_cluster_id: Mapped[int | None] = mapped_column(ForeignKey("kb_query_clusters.id", ondelete="SET NULL"))
    conversation_id: Mapped[str] = mapped_column(String(128))
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(String(1000))
    client_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class UnansweredQuestion(Base):
    __tablename__ = "kb_unanswered"
    __table_args__ = (Index("ix_kb_unanswered_status_time", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(String(500))
    conversation_id: Mapped[str | None] = mapped_column(String(128))
    reason: Mapped[QueueReason] = mapped_column(enum_column(QueueReason, "kb_queue_reason"))
    confidence: Mapped[float] = mapped_column(Float)
    best_entry_id: Mapped[int | None] = mapped_column(ForeignKey("kb_entries.id", ondelete="SET NULL"))
    query_vector: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[QueueStatus] = mapped_column(enum_column(QueueStatus, "kb_queue_status"))
    resolved_entry_id: Mapped[int | None] = mapped_column(ForeignKey("kb_entries.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IndexState(Base):
    """One row. Its tokens change whenever published entries (index_token) or query clusters
    (clusters_token) change, so every backend process knows with one cheap read whether its copy is stale."""

    __tablename__ = "kb_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    index_token: Mapped[str] = mapped_column(String(32))
    clusters_token: Mapped[str] = mapped_column(String(32))
