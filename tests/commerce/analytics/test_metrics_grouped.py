"""The dashboard's grouped counts against figures worked out by hand: three days, five conversations over three
channels (one switching channel), turns at the edges of days and of the period. Runs on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL, there in a session time zone far from UTC (days must still be UTC days)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from itertools import count

from sqlalchemy import text
from sqlalchemy.orm import Session

from commerce.analytics import metrics
from commerce.analytics.models import ConversationTurn, TurnKind
from commerce.behaviour.models import BehaviourEvent, Device, EventKind, PageType, TrafficSource, VisitorType, VisitSession
from commerce.handoff.models import HandoffTicket, TicketStatus
from commerce.orders.models import OrderStatus
from commerce.promo.models import Decision
from knowledge_base.models import QueueReason, QueueStatus, UnansweredQuestion
from tests.commerce import factories
from tests.commerce.analytics.story import _entry, _rate

DAY1, DAY2, DAY3 = date(2026, 10, 5), date(2026, 10, 6), date(2026, 10, 7)
NOW = datetime(2026, 10, 20, tzinfo=timezone.utc)


def at(day: date, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=timezone.utc)


LAST_MOMENT = timedelta(hours=23, minutes=59, seconds=59, microseconds=999_999)


def seed(db: Session) -> int:
    """a (widget), b (REST), c (Twilio), d (widget, then REST) talk in the period; e only just outside it.
    Returns the revenue of the one order a recommendation click influenced."""
    ids = count(1)

    def turn(conversation: str, when: datetime, kind: TurnKind, channel: str | None = None, intent: str | None = None,
             confidence: float | None = None, items: int | None = None) -> None:
        db.add(ConversationTurn(source="grouped", event_id=next(ids), conversation_id=conversation, occurred_at=when,
                                kind=kind, intent=intent, confidence=confidence, channel=channel, item_count=items))

    def user(conversation: str, when: datetime, channel: str, intent: str, confidence: float | None) -> None:
        turn(conversation, when, TurnKind.USER, channel, intent, confidence)

    def ticket(conversation: str, when: datetime) -> None:
        db.add(HandoffTicket(reference=f"HT-9{next(ids):05d}", conversation_id=conversation, channel="x",
                             reason="test", transcript=[], status=TicketStatus.OPEN, created_at=when))

    def question(wording: str, conversation: str, when: datetime, status: QueueStatus = QueueStatus.OPEN) -> None:
        db.add(UnansweredQuestion(question=wording, conversation_id=conversation, reason=QueueReason.ABSTAINED,
                                  confidence=0.2, query_vector=b"", status=status, created_at=when))

    a, b, c, d, e = (f"grouped-{name}" for name in "abcde")
    user(a, at(DAY1, 10), "socketio", "greet", 0.9)
    turn(a, at(DAY1, 10, 0, 1), TurnKind.BOT, "socketio")
    user(a, at(DAY1, 10, 1), "socketio", "recommend", 0.7)
    turn(a, at(DAY1, 10, 2), TurnKind.RECOMMENDATION, "socketio", items=4)
    user(a, at(DAY1) + LAST_MOMENT, "socketio", "faq", 0.5)  # still day 1
    turn(a, at(DAY2), TurnKind.HANDOFF, "socketio")  # handed off on day 2, by a turn and a ticket: once
    ticket(a, at(DAY2, 0, 30))

    user(b, at(DAY1, 9), "rest", "faq", 0.25)
    turn(b, at(DAY1, 9, 1), TurnKind.FALLBACK, "rest")
    user(b, at(DAY3, 12), "rest", "faq", None)
    turn(b, at(DAY3, 12, 1), TurnKind.FALLBACK, "rest")
    ticket(b, at(DAY3, 13))  # handed off on day 3 by a ticket alone

    user(c, at(DAY2, 8), "twilio", "nlu_fallback", 0.125)
    turn(c, at(DAY2, 8, 1), TurnKind.FALLBACK, "twilio")
    user(c, at(DAY2, 8, 2), "twilio", "", 0.3)  # a message without an intent

    user(d, at(DAY2, 14), "socketio", "greet", 0.75)
    user(d, at(DAY3, 9), "rest", "thanks", 1.0)
    turn(d, at(DAY3, 9, 1), TurnKind.RECOMMENDATION, "rest", items=2)

    user(e, at(DAY1) - timedelta(microseconds=1), "rest", "greet", 0.9)  # just before the period
    user(e, at(DAY3 + timedelta(days=1)), "rest", "greet", 0.9)  # just after it
    turn(e, at(DAY2, 10), TurnKind.HANDOFF, "rest")  # not a conversation of the period: not counted
    ticket(e, at(DAY2, 10))

    entry = _entry(db)
    _rate(db, entry, c, False, at(DAY2, 9))
    _rate(db, entry, d, True, at(DAY3, 10))
    _rate(db, entry, e, True, at(DAY2, 10))  # counts for helpfulness without a channel filter only

    question("Where is my parcel?", b, at(DAY1, 9, 2))
    question("where is my  parcel", d, at(DAY3, 9, 2))
    question("Do you sell gift cards", a, at(DAY2, 0, 1))
    question("dismissed", a, at(DAY2, 1), QueueStatus.DISMISSED)
    question("Where is my parcel?", b, at(DAY3 + timedelta(days=1)))

    # a clicks a recommended product and buys it exactly 7 days later (and again a microsecond too late);
    # d, signed out, clicks too.
    shopper, tent = factories.customer(db), factories.product(db)
    for conversation, customer in ((a, shopper.id), (d, None)):
        visit = VisitSession(session_key=conversation, customer_id=customer, visitor_type=VisitorType.NEW,
                             traffic_source=TrafficSource.DIRECT, device=Device.DESKTOP, operating_system="Linux",
                             browser="Chrome", region="unknown", started_at=at(DAY1))
        db.add(visit)
        db.flush()
        clicked = at(DAY1, 10, 3, 0, 500) if customer else at(DAY3, 9, 2)
        db.add(BehaviourEvent(session_id=visit.id, occurred_at=clicked, kind=EventKind.PAGE_VIEW,
                              page_type=PageType.PRODUCT, page=f"/products/{tent.sku}?ref=recommendation",
                              product_id=tent.id))
    click = at(DAY1, 10, 3, 0, 500)
    bought = factories.order(db, customer=shopper, items=[(tent, 1)], placed_at=click + timedelta(days=7))
    factories.order(db, customer=shopper, items=[(tent, 2)], placed_at=click + timedelta(days=7, microseconds=1))
    factories.order(db, customer=shopper, items=[(tent, 3)], placed_at=at(DAY2), status=OrderStatus.CANCELLED)

    # Offer decisions: three scored in the period (one per band), one before it; three randomised without an
    # offer, whose shoppers order exactly at the end of the 2-day window, just after it, and at the decision.
    for probability, when in ((0.1, at(DAY1, 1)), (0.3, at(DAY2, 1)), (0.7, at(DAY3, 1)), (0.9, at(DAY1) - LAST_MOMENT)):
        db.add(Decision(customer_id=shopper.id, decided_at=when, intent_probability=probability, explored=False,
                        reason="test", context={}))
    for after in (timedelta(days=2), timedelta(days=2, microseconds=1), timedelta(0)):
        who = factories.customer(db)
        db.add(Decision(customer_id=who.id, decided_at=at(DAY2, 6), explored=True, reason="test", context={}))
        factories.order(db, customer=who, placed_at=at(DAY2, 6) + after)
    db.commit()
    return bought.total_cents


def test_grouped_figures_match_the_hand_count(db: Session) -> None:
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SET LOCAL TIME ZONE 'Pacific/Kiritimati'"))  # UTC+14: a local date would be wrong
    revenue = seed(db)

    board = metrics.dashboard(db, DAY1, DAY3, now=NOW)
    c = board.conversations
    assert (c.total, c.user_messages, c.handoffs, c.resolved_automatically) == (4, 9, 2, 1)
    assert (c.automated_resolution_rate, c.handoff_rate) == (0.25, 0.5)
    assert (c.fallback_turns, c.fallback_rate, c.conversations_with_fallback) == (3, 0.3333, 2)
    assert [(d.day, d.conversations, d.handoffs, d.fallbacks) for d in board.per_day] == [
        (DAY1, 2, 0, 1), (DAY2, 2, 1, 1), (DAY3, 2, 1, 1)]
    assert (board.helpfulness.ratings, board.helpfulness.helpful, board.helpfulness.helpful_rate) == (3, 2, 0.6667)
    assert [(i.intent, i.count, i.mean_confidence) for i in board.top_intents] == [
        ("faq", 3, 0.375), ("greet", 2, 0.825), ("nlu_fallback", 1, 0.125), ("recommend", 1, 0.7), ("thanks", 1, 1.0)]
    assert [(q.question, q.count) for q in board.top_unanswered] == [
        ("Where is my parcel?", 2), ("Do you sell gift cards", 1)]
    r = board.recommendations
    assert (r.lists_shown, r.products_shown, r.clicks, r.click_through_rate) == (2, 6, 2, 0.3333)
    assert (r.orders_influenced, r.revenue_influenced_cents) == (1, revenue)
    o = board.offers
    assert (o.explored_offered, o.explored_withheld, o.conversion_offered, o.conversion_withheld) == (0, 3, None, 0.3333)
    assert o.incremental_conversions is None
    b = board.purchase_intent
    assert (b.scored, b.low, b.medium, b.high) == (3, 1, 1, 1)
    assert not o.channel_filtered and not b.channel_filtered

    widget = metrics.dashboard(db, DAY1, DAY3, "socketio", now=NOW)
    c = widget.conversations
    assert (c.total, c.user_messages, c.handoffs, c.resolved_automatically, c.fallback_turns) == (2, 4, 1, 1, 0)
    assert [(d.conversations, d.handoffs, d.fallbacks) for d in widget.per_day] == [(1, 0, 0), (1, 1, 0), (0, 0, 0)]
    assert (widget.helpfulness.ratings, widget.helpfulness.helpful) == (1, 1)
    assert [(i.intent, i.count, i.mean_confidence) for i in widget.top_intents] == [
        ("greet", 2, 0.825), ("faq", 1, 0.5), ("recommend", 1, 0.7)]
    assert [(q.question, q.count) for q in widget.top_unanswered] == [
        ("Do you sell gift cards", 1), ("where is my parcel", 1)]
    r = widget.recommendations  # every list of the filtered conversations, whichever channel it went to
    assert (r.lists_shown, r.products_shown, r.clicks, r.orders_influenced) == (2, 6, 2, 1)

    rest = metrics.dashboard(db, DAY1, DAY3, "rest", now=NOW)
    c = rest.conversations
    assert (c.total, c.user_messages, c.handoffs, c.resolved_automatically) == (2, 3, 1, 1)
    assert (c.fallback_turns, c.fallback_rate, c.conversations_with_fallback) == (2, 0.6667, 1)
    assert [(d.conversations, d.handoffs, d.fallbacks) for d in rest.per_day] == [(1, 0, 1), (0, 0, 0), (2, 1, 1)]
    assert (rest.helpfulness.ratings, rest.helpfulness.helpful) == (1, 1)
    assert [(i.intent, i.count, i.mean_confidence) for i in rest.top_intents] == [("faq", 2, 0.25), ("thanks", 1, 1.0)]
    assert [(q.question, q.count) for q in rest.top_unanswered] == [("Where is my parcel?", 2)]
    r = rest.recommendations
    assert (r.lists_shown, r.products_shown, r.clicks, r.click_through_rate, r.orders_influenced) == (1, 2, 1, 0.5, 0)

    # Offers and intent bands record no channel: the same for every filter, and the response says so.
    for filtered in (widget, rest):
        assert filtered.offers == board.offers and filtered.purchase_intent == board.purchase_intent

    # One day alone: the edges of a day belong to it (23:59:59.999999) or to the next one (00:00).
    day1 = metrics.dashboard(db, DAY1, DAY1, now=NOW)
    assert (day1.conversations.total, day1.conversations.user_messages, day1.conversations.handoffs) == (2, 4, 0)
    day2 = metrics.dashboard(db, DAY2, DAY2, now=NOW)
    assert (day2.conversations.total, day2.conversations.handoffs, day2.conversations.fallback_turns) == (2, 0, 1)


def test_a_seven_day_window_is_168_hours_across_a_daylight_saving_change(db: Session) -> None:
    from sqlalchemy import literal, select

    from commerce.analytics.sql import after
    from commerce.db import UTCDateTime

    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SET LOCAL TIME ZONE 'Europe/Berlin'"))  # summer time ends on 25 October 2026
    click = datetime(2026, 10, 20, 12, 30, 0, 250, tzinfo=timezone.utc)
    end = db.execute(select(after(literal(click, UTCDateTime), timedelta(days=7)))).scalar_one()
    if isinstance(end, str):  # SQLite hands back the text
        end = datetime.fromisoformat(end)
    if end.tzinfo is None:
        end = end.replace(tzinfo=timezone.utc)
    assert end == click + timedelta(days=7)
