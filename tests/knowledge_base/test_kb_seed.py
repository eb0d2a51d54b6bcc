"""The demo FAQ: about 60 entries in every promised category, consistent with the shop's own rules."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commerce.money import from_cents
from commerce.orders.rules import FREE_SHIPPING_FROM_CENTS, RETURN_WINDOW_DAYS, SHIPPING_CENTS
from commerce.seed.orders import CARRIERS
from knowledge_base.models import Entry, EntryStatus, EntryVersion, Role, User
from knowledge_base.seed import seed
from knowledge_base.seed.content import ENTRIES
from knowledge_base.seed.questions import ANSWERABLE
from knowledge_base.text import to_html

BY_SLUG = {e.slug: e for e in ENTRIES}


def test_about_sixty_entries_in_every_category() -> None:
    assert 55 <= len(ENTRIES) <= 75
    assert len(BY_SLUG) == len(ENTRIES)
    counts = Counter(e.category for e in ENTRIES)
    assert {"shipping", "returns", "payments", "sizes", "warranty", "account", "privacy"} <= set(counts)
    assert all(counts[c] >= 5 for c in counts)


def test_facts_match_the_shop() -> None:
    assert f"{from_cents(SHIPPING_CENTS):.2f} EUR" in BY_SLUG["shipping-cost"].answer
    assert f"{from_cents(FREE_SHIPPING_FROM_CENTS):.0f} EUR" in BY_SLUG["free-shipping-threshold"].answer
    assert f"{RETURN_WINDOW_DAYS} days" in BY_SLUG["return-policy"].answer
    carriers = BY_SLUG["carriers"].answer
    assert all(carrier in carriers for names in CARRIERS.values() for carrier in names)


def test_every_answer_renders_and_held_out_questions_point_at_real_entries() -> None:
    assert all(to_html(e.answer).startswith("<p>") for e in ENTRIES)
    assert {slug for _, slug in ANSWERABLE} <= set(BY_SLUG)
    phrasings = {p.lower() for e in ENTRIES for p in (e.question, *e.phrasings)}
    assert not phrasings & {q.lower() for q, _ in ANSWERABLE}


def test_seeding_is_published_versioned_and_idempotent(db: Session) -> None:
    published = db.scalar(select(func.count()).select_from(Entry).where(Entry.status == EntryStatus.PUBLISHED))
    assert published == len(ENTRIES)
    assert db.scalar(select(func.count()).select_from(EntryVersion)) >= len(ENTRIES)
    assert db.scalar(select(User.role).where(User.email == "admin@juniperlane.example")) == Role.ADMIN
    again = seed(db)
    assert (again.entries, again.admin_created) == (0, False)
