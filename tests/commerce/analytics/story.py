"""Two days of a small shop's conversations with known figures, written to a tracker store and the backend.

Day 1 (2 Nov 2026), widget (socketio): c1 greets, gets three recommendations, clicks one and later buys it;
c2 asks for a person (handoff). Day 2, REST channel: c3 is not understood once (fallback), asks an FAQ and
rates the answer unhelpful; c4 asks an FAQ and rates it helpful. c5 talked ten days earlier (outside).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy.orm import Session

from commerce.behaviour.models import BehaviourEvent, Device, EventKind, PageType, TrafficSource, VisitorType, VisitSession
from commerce.handoff.models import HandoffTicket, TicketStatus
from commerce.promo.campaigns import create as create_campaign
from commerce.promo.models import Decision, Offer, OfferStatus
from commerce.promo.schemas import CampaignIn
from knowledge_base.models import Answer, Entry, EntryStatus, QueueReason, QueueStatus, Rating, UnansweredQuestion
from tests.commerce import factories
from tests.commerce.analytics.rasa_events import Conversation, write
from tests.commerce.promo.conftest import campaign_fields

DAY1, DAY2 = date(2026, 11, 2), date(2026, 11, 3)
NOON1 = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)
NOON2 = NOON1 + timedelta(days=1)


@dataclass
class Story:
    c1: str
    c2: str
    c3: str
    c4: str
    c5: str
    revenue_cents: int


def conversations(c1: str, c2: str, c3: str, c4: str, c5: str) -> list[Conversation]:
    return [
        Conversation(c1, NOON1).start().user("hello", "greet", 0.98).bot("Hi!", "utter_greet")
        .user("recommend a tent, mail me at ana@example.org", "recommend", 0.8).recommend(["A", "B", "C"])
        .user("thanks", "thanks", 0.95).bot("You're welcome!", "utter_you_are_welcome"),
        Conversation(c2, NOON1 + timedelta(hours=1)).start().user("a human please", "contact_human_agent", 0.9)
        .action("action_handoff").bot("I've passed our conversation to a colleague (ticket HT-000001)."),
        Conversation(c3, NOON2, channel="rest").user("blorp", "nlu_fallback", 0.1)
        .action("action_default_ask_affirmation").bot("I'm not quite sure I understood.")
        .user("do you ship to mars", "faq", 0.6).action("action_answer_faq").bot("We ship within the EU."),
        Conversation(c4, NOON2 + timedelta(hours=2), channel="rest").user("how long is delivery", "faq", 0.9)
        .action("action_answer_faq").bot("Two to four working days."),
        Conversation(c5, NOON1 - timedelta(days=10)).user("hello", "greet"),
    ]


def _entry(db: Session) -> Entry:
    """An archived entry: ratings can refer to it, and no search index (of a shared browser-test shop) sees it."""
    entry = Entry(slug=f"shipping-{uuid.uuid4().hex[:8]}", question="Where do you ship?", phrasings=[], answer="EU.",
                  category="shipping", tags=[], links=[], status=EntryStatus.ARCHIVED, version=1, index_stamp="x")
    db.add(entry)
    db.flush()
    return entry


def _rate(db: Session, entry: Entry, conversation_id: str, helpful: bool, at: datetime) -> None:
    answer = Answer(id=uuid.uuid4().hex, entry_id=entry.id, entry_version=1, question="q", conversation_id=conversation_id,
                    confidence=0.7, query_vector=b"", created_at=at)
    db.add(answer)
    db.flush()
    db.add(Rating(answer_id=answer.id, entry_id=entry.id, conversation_id=conversation_id, helpful=helpful,
                  client_hash="0" * 64, created_at=at))


def _unanswered(db: Session, question: str, conversation_id: str, at: datetime,
                status: QueueStatus = QueueStatus.OPEN) -> None:
    db.add(UnansweredQuestion(question=question, conversation_id=conversation_id, reason=QueueReason.ABSTAINED,
                              confidence=0.2, query_vector=b"", status=status, created_at=at))


def build(db: Session, tracker_path: Path) -> Story:
    c1, c2, c3, c4, c5 = (uuid.uuid4().hex for _ in range(5))
    write(tracker_path, conversations(c1, c2, c3, c4, c5))

    # Knowledge base: one unhelpful (c3) and one helpful (c4) rating; open, dismissed and old questions.
    entry = _entry(db)
    _rate(db, entry, c3, False, NOON2 + timedelta(minutes=5))
    _rate(db, entry, c4, True, NOON2 + timedelta(hours=2, minutes=5))
    _rate(db, entry, c5, False, NOON1 - timedelta(days=10))
    _unanswered(db, "Do you ship to Mars?", c3, NOON2)
    _unanswered(db, "do you ship to  mars", c3, NOON2 + timedelta(minutes=1))
    _unanswered(db, "I am ana@example.org, where is SA-654321", c1, NOON1)
    _unanswered(db, "dismissed question", c1, NOON1, QueueStatus.DISMISSED)
    _unanswered(db, "asked long ago", c1, NOON1 - timedelta(days=10))
    # A ticket for c2 (as action_handoff creates) and one of a conversation outside the period.
    for conversation, at in ((c2, NOON1 + timedelta(hours=1)), (c5, NOON1 - timedelta(days=10))):
        db.add(HandoffTicket(reference=f"HT-{uuid.uuid4().int % 10**6:06d}", conversation_id=conversation,
                             channel="socketio", reason="test", transcript=[], status=TicketStatus.OPEN, created_at=at))

    # c1 clicks product A of the list, and buys it the next day (plus an unrelated order, and A far too late).
    shopper = factories.customer(db)
    tent, other = factories.product(db), factories.product(db)
    visit = VisitSession(session_key=c1, customer_id=shopper.id, visitor_type=VisitorType.RETURNING,
                         traffic_source=TrafficSource.DIRECT, device=Device.DESKTOP, operating_system="Linux",
                         browser="Chrome", region="unknown", started_at=NOON1)
    db.add(visit)
    db.flush()
    for at in (NOON1 + timedelta(minutes=2), NOON1 - timedelta(days=5)):
        db.add(BehaviourEvent(session_id=visit.id, occurred_at=at, kind=EventKind.PAGE_VIEW,
                              page_type=PageType.PRODUCT, page=f"/products/{tent.sku}?ref=recommendation&pos=1",
                              product_id=tent.id))
    bought = factories.order(db, customer=shopper, items=[(tent, 2)], placed_at=NOON2)
    factories.order(db, customer=shopper, items=[(other, 1)], placed_at=NOON2)
    factories.order(db, customer=shopper, items=[(tent, 1)], placed_at=NOON1 + timedelta(days=20))

    # Offers: three codes issued in the period (one redeemed), one before it.
    campaign = create_campaign(db, CampaignIn.model_validate(campaign_fields()))
    for at, redeemed in ((NOON1, True), (NOON1, False), (NOON2, False), (NOON1 - timedelta(days=10), True)):
        db.add(Offer(code=uuid.uuid4().hex[:12].upper(), campaign_id=campaign.id, customer_id=shopper.id,
                     reservation_cents=1000, status=OfferStatus.REDEEMED if redeemed else OfferStatus.ISSUED,
                     issued_at=at, expires_at=at + timedelta(days=2), redeemed_at=at if redeemed else None,
                     discount_cents=500 if redeemed else None))
    db.flush()
    offer_id = db.query(Offer.id).filter(Offer.campaign_id == campaign.id).first()[0]
    # Randomised decisions: 2 of 4 offered shoppers and 1 of 4 others bought within two days.
    arms = [(True, 0.1, True), (True, 0.3, True), (True, 0.6, False), (True, 0.9, False),
            (False, 0.1, True), (False, 0.15, False), (False, 0.25, False), (False, None, False)]
    for offered, probability, buys in arms:
        who = factories.customer(db)
        db.add(Decision(customer_id=who.id, decided_at=NOON1, intent_probability=probability, explored=True,
                        offer_id=offer_id if offered else None, reason="explore", context={}))
        if buys:
            factories.order(db, customer=who, placed_at=NOON1 + timedelta(days=1))
    db.commit()
    return Story(c1, c2, c3, c4, c5, revenue_cents=bought.total_cents)
