"""The dashboard's numbers for a period (whole UTC days, both ends included) and optionally one channel.

Definitions (docs/analytics.md):
- a conversation counts in a period when the shopper wrote at least one message in it (a Rasa sender id);
  with a channel filter, when one of those messages came through that channel;
- automated resolution: conversations without a handoff (an action_handoff turn or a handoff ticket) and
  without a negative knowledge-base rating in the period;
- fallback rate: fallback turns (two-stage "did you mean" or the default fallback) per shopper message;
- answer helpfulness: helpful ratings / ratings of knowledge-base answers;
- top unanswered questions: open questions of the knowledge base's queue asked in the period, grouped by
  their (redacted, lower-cased) wording;
- recommendation click-through: clicks reported by the widget (behaviour log, ref=recommendation) per
  recommended product shown by the assistant; revenue influenced: orders placed by the clicking visit's
  customer within ATTRIBUTION_WINDOW after the click that contain the clicked product (each order once);
- offers: codes issued in the period and how many were redeemed; incremental conversions from the offer
  policy's randomised decisions (as the uplift model learns from them): the difference in the rate of orders
  within the outcome window between shoppers offered and not offered, times the number offered;
- purchase intent: the bands of the intent scores the offer policy logged with its decisions.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import CTE, Select, exists, func, select, union
from sqlalchemy.orm import Session

from bot.redaction import redact
from commerce.analytics.models import ConversationTurn, TurnKind
from commerce.analytics.schemas import (
    Conversations, Dashboard, DayCount, Helpfulness, IntentBands, IntentCount, Offers, QuestionCount, Recommendations,
)
from commerce.analytics.sql import after, utc_day
from commerce.behaviour.models import BehaviourEvent, EventKind, VisitSession
from commerce.handoff.models import HandoffTicket
from commerce.intent.model import DEFAULT_BANDS
from commerce.orders.models import Order, OrderItem, OrderStatus
from commerce.promo.learning import OUTCOME_WINDOW
from commerce.promo.models import Decision, Offer, OfferStatus
from knowledge_base.models import QueueStatus, Rating, UnansweredQuestion

ATTRIBUTION_WINDOW = timedelta(days=7)
TOP = 10
RECOMMENDATION_PAGE = "%ref=recommendation%"
_SPACES = re.compile(r"\s+")


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time.min, timezone.utc),
            datetime.combine(end + timedelta(days=1), time.min, timezone.utc))


def _rate(part: int | float, whole: int | float) -> float | None:
    return round(part / whole, 4) if whole else None


def _in_period(column, since: datetime, until: datetime):  # type: ignore[no-untyped-def]
    return (column >= since) & (column < until)


def channels(session: Session) -> list[str]:
    return sorted(c for c in session.scalars(
        select(ConversationTurn.channel).where(ConversationTurn.kind == TurnKind.USER).distinct()) if c)


def dashboard(session: Session, start: date, end: date, channel: str | None = None,
              now: datetime | None = None) -> Dashboard:
    """Every figure is counted by the database (grouped queries): only totals and per-day, per-intent and
    per-wording groups come back to Python, however many turns the period has."""
    now = now or datetime.now(timezone.utc)
    since, until = bounds(start, end)
    messages = _messages(since, until, channel)
    # The period's conversations: with a shopper message in it (through the channel, with a filter).
    active = select(messages.c.conversation_id)

    # Turns of those conversations in the period (any channel column: bot turns carry the latest one).
    def turns(kind: TurnKind) -> CTE:
        return select(ConversationTurn.conversation_id, ConversationTurn.occurred_at, ConversationTurn.item_count
                      ).where(ConversationTurn.kind == kind, _in_period(ConversationTurn.occurred_at, since, until),
                              ConversationTurn.conversation_id.in_(active)).cte(f"{kind.value}_turns")

    # (conversation, day) of each handoff: an action_handoff turn or a ticket, each day once.
    handoff_turns = turns(TurnKind.HANDOFF)
    handoff_days = union(
        select(handoff_turns.c.conversation_id, utc_day(handoff_turns.c.occurred_at).label("day")),
        select(HandoffTicket.conversation_id, utc_day(HandoffTicket.created_at))
        .where(_in_period(HandoffTicket.created_at, since, until), HandoffTicket.conversation_id.in_(active)),
    ).cte("handoff_days")
    negative = (select(Rating.conversation_id)
                .where(_in_period(Rating.created_at, since, until), Rating.helpful.is_(False),
                       Rating.conversation_id.in_(active)))
    fallbacks = turns(TurnKind.FALLBACK)
    only = active if channel else None
    return Dashboard(
        start=start, end=end, channel=channel, channels=channels(session),
        conversations=_conversations(session, messages, handoff_days, negative, fallbacks),
        per_day=_per_day(session, start, end, messages, handoff_days, fallbacks),
        helpfulness=_helpfulness(session, since, until, only),
        top_intents=_top_intents(session, messages),
        top_unanswered=_top_unanswered(session, since, until, only),
        recommendations=_recommendations(session, since, until, turns(TurnKind.RECOMMENDATION), only),
        offers=_offers(session, since, until, now),
        purchase_intent=_intent_bands(session, since, until),
    )


def _conversations(session: Session, messages: CTE, handoff_days: CTE, negative: Select[Any],
                   fallbacks: CTE) -> Conversations:
    # One statement, so the database can compute the period's messages and handoffs once for all figures.
    unresolved = union(select(handoff_days.c.conversation_id), negative).subquery()
    total, user_messages, handed_off, unresolved_count, fallback_turns, with_fallback = session.execute(select(
        select(func.count(messages.c.conversation_id.distinct())).scalar_subquery(),
        select(func.count()).select_from(messages).scalar_subquery(),
        select(func.count(handoff_days.c.conversation_id.distinct())).scalar_subquery(),
        select(func.count()).select_from(unresolved).scalar_subquery(),
        select(func.count()).select_from(fallbacks).scalar_subquery(),
        select(func.count(fallbacks.c.conversation_id.distinct())).scalar_subquery(),
    )).one()
    resolved = total - unresolved_count
    return Conversations(
        total=total, user_messages=user_messages, resolved_automatically=resolved,
        automated_resolution_rate=_rate(resolved, total),
        handoffs=handed_off, handoff_rate=_rate(handed_off, total),
        fallback_turns=fallback_turns, fallback_rate=_rate(fallback_turns, user_messages),
        conversations_with_fallback=with_fallback,
    )


def _helpfulness(session: Session, since: datetime, until: datetime, only: Select[Any] | None) -> Helpfulness:
    query = (select(func.count(), func.count().filter(Rating.helpful.is_(True)))
             .where(_in_period(Rating.created_at, since, until)))
    if only is not None:
        query = query.where(Rating.conversation_id.in_(only))
    ratings, helpful = session.execute(query).one()
    return Helpfulness(ratings=ratings, helpful=helpful, helpful_rate=_rate(helpful, ratings))


def _messages(since: datetime, until: datetime, channel: str | None) -> CTE:
    """The shoppers' messages of the period (through the channel, with a filter)."""
    query = (select(ConversationTurn.conversation_id, ConversationTurn.occurred_at, ConversationTurn.intent,
                    ConversationTurn.confidence)
             .where(ConversationTurn.kind == TurnKind.USER, _in_period(ConversationTurn.occurred_at, since, until)))
    if channel:
        query = query.where(ConversationTurn.channel == channel)
    return query.cte("period_messages")


def _per_day(session: Session, start: date, end: date, messages: CTE, handoff_days: CTE,
             fallbacks: CTE) -> list[DayCount]:
    def by_day(query: Select[Any]) -> dict[date, int]:
        return {day: count for day, count in session.execute(query)}

    message_day = utc_day(messages.c.occurred_at).label("day")
    active = by_day(select(message_day, func.count(messages.c.conversation_id.distinct())).group_by(message_day))
    handoffs = by_day(select(handoff_days.c.day, func.count()).group_by(handoff_days.c.day))
    fallback_day = utc_day(fallbacks.c.occurred_at).label("day")
    fallback_count = by_day(select(fallback_day, func.count()).group_by(fallback_day))
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [DayCount(day=day, conversations=active.get(day, 0), handoffs=handoffs.get(day, 0),
                     fallbacks=fallback_count.get(day, 0)) for day in days]


def _top_intents(session: Session, messages: CTE) -> list[IntentCount]:
    # One row per intent (a few dozen); ranked here, so ties are broken by the name in every database alike.
    rows = session.execute(
        select(messages.c.intent, func.count(), func.sum(messages.c.confidence), func.count(messages.c.confidence))
        .where(messages.c.intent.is_not(None), messages.c.intent != "").group_by(messages.c.intent)
    ).all()
    return [IntentCount(intent=name, count=n, mean_confidence=round(total / scored, 4) if scored else None)
            for name, n, total, scored in sorted(rows, key=lambda row: (-row[1], row[0]))[:TOP]]


def _top_unanswered(session: Session, since: datetime, until: datetime,
                    only: Select[Any] | None) -> list[QuestionCount]:
    """Grouped by exact wording in the database, then by redacted, normalised wording here (the redaction rules
    are Python's); a group is shown in the wording first asked (earliest, then lowest id)."""
    q = UnansweredQuestion
    rows = (select(q.question, q.created_at, q.id, func.count().over(partition_by=q.question).label("asked"),
                   func.row_number().over(partition_by=q.question, order_by=(q.created_at, q.id)).label("nth"))
            .where(q.status == QueueStatus.OPEN, _in_period(q.created_at, since, until)))
    if only is not None:
        rows = rows.where(q.conversation_id.in_(only))
    wordings = rows.subquery()
    counts: Counter[str] = Counter()
    wording: dict[str, str] = {}
    for question, n in session.execute(
            select(wordings.c.question, wordings.c.asked).where(wordings.c.nth == 1)
            .order_by(wordings.c.created_at, wordings.c.id)):
        text = redact(_SPACES.sub(" ", question.strip()))
        key = text.lower().rstrip("?!. ")
        counts[key] += n
        wording.setdefault(key, text)
    return [QuestionCount(question=wording[key], count=n)
            for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]


def _recommendations(session: Session, since: datetime, until: datetime, shown: CTE,
                     only: Select[Any] | None) -> Recommendations:
    lists_shown, products_shown = session.execute(
        select(func.count(), func.coalesce(func.sum(shown.c.item_count), 0))).one()
    click = (select(BehaviourEvent.id).join(VisitSession, VisitSession.id == BehaviourEvent.session_id)
             .where(BehaviourEvent.kind == EventKind.PAGE_VIEW, BehaviourEvent.page.like(RECOMMENDATION_PAGE),
                    _in_period(BehaviourEvent.occurred_at, since, until)))
    if only is not None:
        click = click.where(VisitSession.session_key.in_(only))
    clicks = session.scalar(select(func.count()).select_from(click.subquery())) or 0
    # Orders (not cancelled) of the clicking visit's customer with the clicked product, placed within the
    # window after the click: each order once, however many clicks it follows.
    influenced = (
        click.with_only_columns(Order.id, Order.total_cents)
        .join(OrderItem, OrderItem.product_id == BehaviourEvent.product_id)
        .join(Order, (Order.id == OrderItem.order_id) & (Order.customer_id == VisitSession.customer_id))
        .where(Order.status != OrderStatus.CANCELLED, Order.placed_at >= since,
               Order.placed_at < until + ATTRIBUTION_WINDOW, Order.placed_at >= BehaviourEvent.occurred_at,
               Order.placed_at <= after(BehaviourEvent.occurred_at, ATTRIBUTION_WINDOW))
        .distinct().subquery()
    )
    orders, revenue = session.execute(
        select(func.count(), func.coalesce(func.sum(influenced.c.total_cents), 0))).one()
    return Recommendations(
        lists_shown=lists_shown, products_shown=products_shown, clicks=clicks,
        click_through_rate=_rate(clicks, products_shown), orders_influenced=orders,
        revenue_influenced_cents=revenue, attribution_days=ATTRIBUTION_WINDOW.days,
    )


def _offers(session: Session, since: datetime, until: datetime, now: datetime) -> Offers:
    issued, redeemed, discount = session.execute(
        select(func.count(Offer.id),
               func.count(Offer.id).filter(Offer.status == OfferStatus.REDEEMED),
               func.coalesce(func.sum(Offer.discount_cents).filter(Offer.status == OfferStatus.REDEEMED), 0))
        .where(_in_period(Offer.issued_at, since, until))
    ).one()
    # The randomised decisions whose outcome window has closed, per arm: how many, and how many were followed
    # by an order of the shopper within the window.
    bought = exists().where(Order.customer_id == Decision.customer_id, Order.placed_at > Decision.decided_at,
                            Order.placed_at <= after(Decision.decided_at, OUTCOME_WINDOW))
    offer = Decision.offer_id.is_not(None)
    n_offered, bought_offered, n_withheld, bought_withheld = session.execute(
        select(func.count().filter(offer), func.count().filter(offer & bought),
               func.count().filter(~offer), func.count().filter(~offer & bought))
        .where(Decision.explored.is_(True), _in_period(Decision.decided_at, since, until),
               Decision.decided_at <= now - OUTCOME_WINDOW)
    ).one()
    offered, withheld = _rate(bought_offered, n_offered), _rate(bought_withheld, n_withheld)
    incremental = (round((offered - withheld) * n_offered, 2)
                   if offered is not None and withheld is not None else None)
    return Offers(issued=issued, redeemed=redeemed, redemption_rate=_rate(redeemed, issued), discount_cents=discount,
                  explored_offered=n_offered, explored_withheld=n_withheld, conversion_offered=offered,
                  conversion_withheld=withheld, incremental_conversions=incremental)


def _intent_bands(session: Session, since: datetime, until: datetime) -> IntentBands:
    medium, high = DEFAULT_BANDS["medium"], DEFAULT_BANDS["high"]
    p = Decision.intent_probability
    scored, low, middle, top = session.execute(
        select(func.count(), func.count().filter(p < medium), func.count().filter((p >= medium) & (p < high)),
               func.count().filter(p >= high))
        .where(p.is_not(None), _in_period(Decision.decided_at, since, until))
    ).one()
    return IntentBands(scored=scored, low=low, medium=middle, high=top, thresholds={"medium": medium, "high": high})


# --- CSV -------------------------------------------------------------------------------------------------

def to_csv(board: Dashboard) -> str:
    """One long table: section, key, value (what a spreadsheet pivots)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "value"])
    writer.writerow(["period", "start", board.start.isoformat()])
    writer.writerow(["period", "end", board.end.isoformat()])
    writer.writerow(["period", "channel", board.channel or "all"])
    for section in ("conversations", "helpfulness", "recommendations", "offers", "purchase_intent"):
        for key, value in getattr(board, section).model_dump().items():
            if isinstance(value, dict):
                for inner, number in value.items():
                    writer.writerow([section, f"{key}.{inner}", number])
            else:
                writer.writerow([section, key, "" if value is None else value])
    for day in board.per_day:
        writer.writerow(["conversations_per_day", day.day.isoformat(), day.conversations])
        writer.writerow(["handoffs_per_day", day.day.isoformat(), day.handoffs])
        writer.writerow(["fallbacks_per_day", day.day.isoformat(), day.fallbacks])
    for intent in board.top_intents:
        writer.writerow(["top_intents", intent.intent, intent.count])
    for question in board.top_unanswered:
        writer.writerow(["top_unanswered", _safe_cell(question.question), question.count])
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """Shopper text must not become a spreadsheet formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
