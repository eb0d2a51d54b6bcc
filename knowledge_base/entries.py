"""Editing entries: create, update, publish / archive, versions (diff, restore), import and export.

Every change writes a new version row and an audit event, refreshes the entry's stored vectors, and gives
the search index a new token, all in one transaction.
"""
from __future__ import annotations

import csv
import difflib
import io
import json
import re
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from commerce.db import utcnow
from knowledge_base import audit, repository, text
from knowledge_base.audit import Actor
from knowledge_base.encoder import MODEL_NAME, get_encoder, to_bytes
from knowledge_base.exceptions import EntryNotFound, ImportRejected, SlugTaken, StaleVersion, VersionNotFound
from knowledge_base.feedback import needs_review, wilson_bounds
from knowledge_base.models import Entry, EntryStatus, EntryVersion
from knowledge_base.repository import VoteCounts
from knowledge_base.schemas import (
    EntryCreate, EntryImport, EntryPage, EntryPublic, EntrySummary, EntryUpdate, FeedbackPublic, FieldDiff,
    Helpfulness, ImportResult, Link, VersionDiff, VersionPublic,
)

CONTENT_FIELDS = ("question", "phrasings", "answer", "category", "tags", "links")
EXPORT_FIELDS = ("slug", "status", *CONTENT_FIELDS)
RECENT_DAYS = 14
MAX_IMPORT_ROWS = 1000


def slugify(question: str) -> str:
    words = re.findall(r"[a-z0-9]+", question.lower())
    return "-".join(words)[:60].strip("-") or "entry"


def _unique_slug(session: Session, base: str) -> str:
    taken = repository.slugs_like(session, base)
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


def _content(entry: Entry | EntryVersion) -> dict[str, Any]:
    return {field: getattr(entry, field) for field in CONTENT_FIELDS}


def _refresh_vectors(entries: list[Entry]) -> None:
    """Encode every entry's passages in one batch and give each a new index stamp."""
    passages = [text.passages(e.question, e.phrasings, e.answer) for e in entries]
    vectors = get_encoder().encode([p for group in passages for p in group])
    offset = 0
    for entry, group in zip(entries, passages):
        entry.vectors = to_bytes(vectors[offset:offset + len(group)])
        entry.vectors_model = MODEL_NAME
        entry.index_stamp = repository.new_token()
        offset += len(group)


def _new_version(session: Session, entry: Entry, actor: Actor, note: str) -> None:
    entry.updated_at = utcnow()
    session.add(EntryVersion(
        entry_id=entry.id, version=entry.version, status=entry.status, author_id=actor.id,
        author_email=actor.email, note=note, created_at=entry.updated_at, **_content(entry),
    ))
    repository.touch_index(session)


def _load(session: Session, entry_id: int, expected_version: int | None = None) -> Entry:
    entry = repository.get_entry(session, entry_id, for_update=expected_version is not None)
    if entry is None:
        raise EntryNotFound()
    if expected_version is not None and entry.version != expected_version:
        raise StaleVersion()
    return entry


def _links(links: list[Link]) -> list[dict[str, str]]:
    return [link.model_dump() for link in links]


def create(session: Session, actor: Actor, data: EntryCreate, *, commit: bool = True) -> Entry:
    slug = data.slug or _unique_slug(session, slugify(data.question))
    if repository.entry_by_slug(session, slug) is not None:
        raise SlugTaken()
    entry = Entry(slug=slug, question=data.question, phrasings=data.phrasings, answer=data.answer,
                  category=data.category, tags=data.tags, links=_links(data.links), status=data.status, version=1)
    _refresh_vectors([entry])
    repository.add(session, entry)
    _new_version(session, entry, actor, data.note or "created")
    audit.record(session, actor, "entry_created", "entry", entry.id, slug=slug, status=entry.status.value)
    if commit:
        session.commit()
    return entry


def update(session: Session, actor: Actor, entry_id: int, data: EntryUpdate, *, commit: bool = True) -> Entry:
    entry = _load(session, entry_id, data.expected_version)
    changes = data.model_dump(exclude_unset=True, exclude={"expected_version", "note"})
    if "links" in changes:
        changes["links"] = _links(data.links or [])
    changed = [field for field, value in changes.items() if value is not None and getattr(entry, field) != value]
    if not changed:
        return entry
    for field in changed:
        setattr(entry, field, changes[field])
    entry.version += 1
    _refresh_vectors([entry])
    _new_version(session, entry, actor, data.note or f"edited {', '.join(changed)}")
    audit.record(session, actor, "entry_updated", "entry", entry.id, version=entry.version, fields=changed)
    if commit:
        session.commit()
    return entry


def set_status(session: Session, actor: Actor, entry_id: int, status: EntryStatus, expected_version: int,
               note: str = "") -> Entry:
    entry = _load(session, entry_id, expected_version)
    if entry.status == status:
        return entry
    previous, entry.status = entry.status, status
    entry.version += 1
    entry.index_stamp = repository.new_token()
    _new_version(session, entry, actor, note or status.value)
    audit.record(session, actor, f"entry_{status.value}", "entry", entry.id, version=entry.version,
                 previous_status=previous.value)
    session.commit()
    return entry


def restore(session: Session, actor: Actor, entry_id: int, number: int, expected_version: int) -> Entry:
    """Bring back an earlier version's content as a new version (the status stays as it is)."""
    entry = _load(session, entry_id, expected_version)
    old = repository.version(session, entry_id, number)
    if old is None:
        raise VersionNotFound()
    for field, value in _content(old).items():
        setattr(entry, field, value)
    entry.version += 1
    _refresh_vectors([entry])
    _new_version(session, entry, actor, f"restored version {number}")
    audit.record(session, actor, "entry_restored", "entry", entry.id, version=entry.version, restored=number)
    session.commit()
    return entry


def add_phrasings(session: Session, actor: Actor, entry_id: int, phrasings: list[str]) -> Entry:
    entry = _load(session, entry_id)
    merged = list(dict.fromkeys([*entry.phrasings, *phrasings]))[:30]
    return update(session, actor, entry_id, EntryUpdate(expected_version=entry.version, phrasings=merged,
                                                         note="added phrasings from the unanswered queue"),
                  commit=False)


def _field_lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v) for v in value]
    return str(value).splitlines()


def diff(session: Session, entry_id: int, from_number: int, to_number: int) -> VersionDiff:
    _load(session, entry_id)
    old, new = repository.version(session, entry_id, from_number), repository.version(session, entry_id, to_number)
    if old is None or new is None:
        raise VersionNotFound()
    changes = []
    for field in (*CONTENT_FIELDS, "status"):
        a, b = getattr(old, field), getattr(new, field)
        if a != b:
            lines = difflib.unified_diff(_field_lines(a.value if field == "status" else a),
                                         _field_lines(b.value if field == "status" else b),
                                         f"version {from_number}", f"version {to_number}", lineterm="", n=2)
            changes.append(FieldDiff(field=field, diff=list(lines)[2:]))
    return VersionDiff(entry_id=entry_id, from_version=from_number, to_version=to_number, changes=changes)


# --- reading --------------------------------------------------------------------------------------------

def helpfulness(counts: VoteCounts | None) -> Helpfulness:
    c = counts or VoteCounts(0, 0, 0, 0)
    return Helpfulness(
        helpful=c.helpful, unhelpful=c.total - c.helpful,
        wilson_lower=round(wilson_bounds(c.helpful, c.total)[0], 4) if c.total else None,
        recent_helpful=c.recent_helpful, recent_unhelpful=c.recent_total - c.recent_helpful,
        needs_review=needs_review(c.helpful, c.total, c.recent_helpful, c.recent_total),
    )


def _recent_since() -> datetime:
    return utcnow() - timedelta(days=RECENT_DAYS)


def _summary(entry: Entry, counts: VoteCounts | None) -> EntrySummary:
    return EntrySummary(id=entry.id, slug=entry.slug, question=entry.question, category=entry.category,
                        status=entry.status, version=entry.version, updated_at=entry.updated_at,
                        helpfulness=helpfulness(counts))


def flagged_ids(session: Session) -> list[int]:
    counts = repository.vote_counts(session, None, _recent_since())
    return [entry_id for entry_id, c in counts.items() if helpfulness(c).needs_review]


def listing(session: Session, query: str | None = None, status: EntryStatus | None = None,
            category: str | None = None, only_flagged: bool = False, limit: int = 50, offset: int = 0) -> EntryPage:
    stmt = repository.search_entries(session, query, status, category, flagged_ids(session) if only_flagged else None)
    total, rows = repository.page(session, stmt, limit, offset)
    counts = repository.vote_counts(session, [e.id for e in rows], _recent_since())
    return EntryPage(total=total, items=[_summary(e, counts.get(e.id)) for e in rows])


def detail(session: Session, entry_id: int) -> EntryPublic:
    entry = _load(session, entry_id)
    counts = repository.vote_counts(session, [entry.id], _recent_since()).get(entry.id)
    return EntryPublic(
        **_summary(entry, counts).model_dump(),
        phrasings=entry.phrasings, answer=entry.answer, answer_html=text.to_html(entry.answer), tags=entry.tags,
        links=[Link(**link) for link in entry.links],
        versions=[VersionPublic(version=v.version, status=v.status, author_email=v.author_email, note=v.note,
                                created_at=v.created_at) for v in repository.versions(session, entry.id)],
        recent_feedback=[FeedbackPublic(helpful=r.helpful, comment=r.comment, question=q, created_at=r.created_at)
                         for r, q in repository.recent_feedback(session, entry.id)],
    )


# --- import / export ------------------------------------------------------------------------------------

def export_rows(session: Session) -> list[dict[str, Any]]:
    return [{"slug": e.slug, "status": e.status.value, **_content(e)} for e in repository.all_entries(session)]


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Lists become JSON inside their cell, so any text (commas, quotes, new lines) survives the round trip."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in row.items()})
    return out.getvalue()


def from_csv(data: str) -> list[dict[str, Any]]:
    rows = []
    for number, row in enumerate(csv.DictReader(io.StringIO(data)), start=1):
        parsed: dict[str, Any] = dict(row)
        for field in ("phrasings", "tags", "links"):
            cell = (row.get(field) or "").strip()
            try:
                parsed[field] = json.loads(cell) if cell else []
            except json.JSONDecodeError as exc:
                raise ImportRejected(f"row {number}: {field} must be a JSON list") from exc
        rows.append(parsed)
    return rows


def import_entries(session: Session, actor: Actor, rows: list[Any]) -> ImportResult:
    """Create or update entries by slug, all or nothing."""
    if len(rows) > MAX_IMPORT_ROWS:
        raise ImportRejected(f"at most {MAX_IMPORT_ROWS} entries per import")
    parsed: list[EntryImport] = []
    for number, row in enumerate(rows, start=1):
        try:
            parsed.append(EntryImport.model_validate(row))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "row"
            raise ImportRejected(f"row {number}, {where}: {first['msg']}") from exc
    if len({p.slug for p in parsed}) != len(parsed):
        raise ImportRejected("the same slug appears more than once")
    created = updated = unchanged = 0
    touched: list[Entry] = []
    for item in parsed:
        content = item.model_dump(include=set(CONTENT_FIELDS))
        entry = repository.entry_by_slug(session, item.slug)
        if entry is None:
            entry = Entry(slug=item.slug, status=item.status, version=1, **content)
            created += 1
        elif _content(entry) == content and entry.status == item.status:
            unchanged += 1
            continue
        else:
            for field, value in content.items():
                setattr(entry, field, value)
            entry.status = item.status
            entry.version += 1
            updated += 1
        touched.append(entry)
    if touched:
        _refresh_vectors(touched)
        for entry in touched:
            if entry.id is None:
                repository.add(session, entry)
            _new_version(session, entry, actor, "imported")
    audit.record(session, actor, "entries_imported", "entry", None, created=created, updated=updated,
                 unchanged=unchanged)
    session.commit()
    return ImportResult(created=created, updated=updated, unchanged=unchanged)
