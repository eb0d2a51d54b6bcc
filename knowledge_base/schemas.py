"""Request and response bodies of the knowledge-base API, one schema per direction."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from commerce.experiments.schemas import ExperimentArm
from commerce.orders.identifiers import checked_email
from knowledge_base.models import EntryStatus, QueueReason, Role

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ConversationId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f]+$")]
Question = Annotated[str, Field(min_length=3, max_length=300)]


def _clean(text: str) -> str:
    """Control characters dropped (PostgreSQL cannot store NUL), whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"[\x00-\x08\x0e-\x1f\x7f]", "", text)).strip()


def _tidy(field: str | None, value: object) -> object:
    """Whitespace collapsed, duplicates and blanks dropped, tags lower-cased."""
    if isinstance(value, str) and field == "question":
        value = _clean(value)
        if len(value) < 3:
            raise ValueError("write the question in at least 3 characters")
    elif isinstance(value, str) and field == "answer":
        value = value.strip()
        if not value:
            raise ValueError("the answer is empty")
    elif isinstance(value, list) and field == "phrasings":
        value = list(dict.fromkeys(p for p in (_clean(v) for v in value) if len(p) >= 3))
    elif isinstance(value, list) and field == "tags":
        value = list(dict.fromkeys(t for t in (_clean(v).lower() for v in value) if t))
    return value


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: Annotated[str, Field(min_length=1, max_length=100)]
    url: Annotated[str, Field(min_length=1, max_length=500)]

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if (value.startswith("/") and not value.startswith("//")) or re.match(r"^https?://[^\s/]+", value):
            return value
        raise ValueError("use a path on this shop (/products/...) or an http(s):// address")


class EntryContent(BaseModel):
    """Everything an editor writes; used for create, import and (all optional) update."""

    model_config = ConfigDict(extra="forbid")

    question: Question
    phrasings: Annotated[list[Question], Field(max_length=30)] = []
    answer: Annotated[str, Field(min_length=1, max_length=10_000, description="Markdown")]
    category: Annotated[str, Field(min_length=2, max_length=40, pattern=r"^[a-z0-9][a-z0-9 -]*$")]
    tags: Annotated[list[Annotated[str, Field(min_length=1, max_length=40)]], Field(max_length=20)] = []
    links: Annotated[list[Link], Field(max_length=10)] = []

    @field_validator("question", "phrasings", "tags", "answer")
    @classmethod
    def _tidy(cls, value: object, info: ValidationInfo) -> object:
        return _tidy(info.field_name, value)


class EntryCreate(EntryContent):
    slug: Annotated[str | None, Field(max_length=80, pattern=SLUG.pattern)] = None
    status: Literal[EntryStatus.DRAFT, EntryStatus.PUBLISHED] = EntryStatus.DRAFT
    note: Annotated[str, Field(max_length=200)] = ""


class EntryImport(EntryContent):
    slug: Annotated[str, Field(min_length=1, max_length=80, pattern=SLUG.pattern)]
    status: EntryStatus = EntryStatus.DRAFT


class EntryUpdate(BaseModel):
    """Only the fields sent are changed; expected_version guards against overwriting someone else's save."""

    model_config = ConfigDict(extra="forbid")

    expected_version: Annotated[int, Field(ge=1)]
    question: Question | None = None
    phrasings: Annotated[list[Question], Field(max_length=30)] | None = None
    answer: Annotated[str, Field(min_length=1, max_length=10_000)] | None = None
    category: Annotated[str, Field(min_length=2, max_length=40, pattern=r"^[a-z0-9][a-z0-9 -]*$")] | None = None
    tags: Annotated[list[Annotated[str, Field(min_length=1, max_length=40)]], Field(max_length=20)] | None = None
    links: Annotated[list[Link], Field(max_length=10)] | None = None
    note: Annotated[str, Field(max_length=200)] = ""

    @field_validator("question", "phrasings", "tags", "answer")
    @classmethod
    def _tidy(cls, value: object, info: ValidationInfo) -> object:
        return _tidy(info.field_name, value)


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_version: Annotated[int, Field(ge=1)]
    note: Annotated[str, Field(max_length=200)] = ""


class Helpfulness(BaseModel):
    helpful: int
    unhelpful: int
    wilson_lower: float | None = Field(description="95% Wilson lower bound of the helpful share")
    recent_helpful: int
    recent_unhelpful: int
    needs_review: bool = Field(description="helpfulness dropped significantly, or is clearly low")


class EntrySummary(BaseModel):
    id: int
    slug: str
    question: str
    category: str
    status: EntryStatus
    version: int
    updated_at: datetime
    helpfulness: Helpfulness


class VersionPublic(BaseModel):
    version: int
    status: EntryStatus
    author_email: str
    note: str
    created_at: datetime


class FeedbackPublic(BaseModel):
    helpful: bool
    comment: str | None
    question: str
    created_at: datetime


class EntryPublic(EntrySummary):
    phrasings: list[str]
    answer: str
    answer_html: str
    tags: list[str]
    links: list[Link]
    versions: list[VersionPublic]
    recent_feedback: list[FeedbackPublic]


class EntryPage(BaseModel):
    total: int
    items: list[EntrySummary]


class FieldDiff(BaseModel):
    field: str
    diff: list[str] = Field(description="unified diff lines")


class VersionDiff(BaseModel):
    entry_id: int
    from_version: int
    to_version: int
    changes: list[FieldDiff]


# --- public (bot) ---------------------------------------------------------------------------------------

class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, Field(min_length=1, max_length=500, examples=["How much does delivery cost?"])]
    conversation_id: ConversationId | None = None

    @field_validator("question")
    @classmethod
    def _question(cls, value: str) -> str:
        value = _clean(value)
        if not value:
            raise ValueError("the question is empty")
        return value


class Suggestion(BaseModel):
    entry_id: int
    question: str


class AskResponse(BaseModel):
    answered: bool
    confidence: float = Field(ge=0, le=1, description="calibrated probability that the answer is the right one")
    answer_id: str | None = Field(None, description="quote it when rating the answer")
    entry_id: int | None = None
    question: str | None = Field(None, description="the entry's question, as written by an editor")
    answer_markdown: str | None = None
    answer_html: str | None = Field(None, description="sanitised HTML rendering of answer_markdown")
    links: list[Link] = []
    suggestions: list[Suggestion] = Field([], description="related entries when the question was not answered")
    experiment: ExperimentArm | None = Field(
        None, description="The A/B test this answer was part of, if a kb_retrieval experiment is running")


class RatingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer_id: Annotated[str, Field(min_length=1, max_length=32)]
    conversation_id: ConversationId
    helpful: bool
    comment: Annotated[str | None, Field(max_length=1000)] = None


class RatingResponse(BaseModel):
    answer_id: str
    helpful: bool
    replaced_earlier_vote: bool = Field(description="this conversation had already rated this entry; the vote was changed")


# --- admin ----------------------------------------------------------------------------------------------

class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class SessionPublic(BaseModel):
    email: str
    role: Role
    csrf_token: str = Field(description="send it as the X-CSRF-Token header on every change")
    expires_at: datetime


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Annotated[str, Field(min_length=12, max_length=200)]
    role: Role = Role.EDITOR

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return checked_email(value)


class UserPublic(BaseModel):
    id: int
    email: str
    role: Role
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class QueuedQuestion(BaseModel):
    id: int
    question: str
    reason: QueueReason
    confidence: float
    created_at: datetime


class QueueCluster(BaseModel):
    size: int
    representative: str
    question_ids: list[int]
    questions: list[QueuedQuestion]
    closest_entry_id: int | None = Field(description="the entry most of these questions were closest to")


class FromCluster(BaseModel):
    """Turn queued questions into a new entry (question = entry.question, the rest become phrasings)."""

    model_config = ConfigDict(extra="forbid")

    question_ids: Annotated[list[int], Field(min_length=1, max_length=500)]
    entry: EntryCreate


class AttachToEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_ids: Annotated[list[int], Field(min_length=1, max_length=500)]
    entry_id: int


class Dismiss(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_ids: Annotated[list[int], Field(min_length=1, max_length=500)]


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int


class AuditPublic(BaseModel):
    id: int
    actor_email: str
    action: str
    subject_type: str
    subject_id: int | None
    detail: dict
    created_at: datetime
