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
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.redaction import redact
from commerce.analytics.models import ConversationTurn, TurnKind
from commerce.analytics.schemas import (
    Conversations, Dashboard, DayCount, Helpfulness, IntentBands, IntentCount, Offers, QuestionCount, Recommendations,
)
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
    now = now or datetime.now(timezone.utc)
    since, until = bounds(start, end)
    user_query = (select(ConversationTurn.conversation_id, ConversationTurn.occurred_at, ConversationTurn.intent,
                         ConversationTurn.confidence)
                  .where(ConversationTurn.kind == TurnKind.USER, _in_period(ConversationTurn.occurred_at, since, until)))
    if channel:
        user_query = user_query.where(ConversationTurn.channel == channel)
    messages = session.execute(user_query).all()
    conversation_ids = {m.conversation_id for m in messages}

    # Turns of those conversations in the period (any channel column: bot turns carry the latest one).
    turn_rows = session.execute(
        select(ConversationTurn.conversation_id, ConversationTurn.occurred_at, ConversationTurn.kind,
               ConversationTurn.item_count)
        .where(ConversationTurn.kind.in_([TurnKind.HANDOFF, TurnKind.FALLBACK, TurnKind.RECOMMENDATION]),
               _in_period(ConversationTurn.occurred_at, since, until))
    ).all()
    turns = [t for t in turn_rows if t.conversation_id in conversation_ids]

    handoff_days: dict[str, set[date]] = defaultdict(set)
    for t in turns:
        if t.kind == TurnKind.HANDOFF:
            handoff_days[t.conversation_id].add(t.occurred_at.date())
    for conversation_id, created_at in session.execute(
            select(HandoffTicket.conversation_id, HandoffTicket.created_at)
            .where(_in_period(HandoffTicket.created_at, since, until))):
        if conversation_id in conversation_ids:
            handoff_days[conversation_id].add(created_at.date())
    handed_off = set(handoff_days)

    ratings = [r for r in session.execute(
        select(Rating.conversation_id, Rating.helpful).where(_in_period(Rating.created_at, since, until))).all()
        if not channel or r.conversation_id in conversation_ids]
    negative = {r.conversation_id for r in ratings if not r.helpful} & conversation_ids
    resolved = conversation_ids - handed_off - negative

    fallbacks = [t for t in turns if t.kind == TurnKind.FALLBACK]
    conversations = Conversations(
        total=len(conversation_ids), user_messages=len(messages), resolved_automatically=len(resolved),
        automated_resolution_rate=_rate(len(resolved), len(conversation_ids)),
        handoffs=len(handed_off), handoff_rate=_rate(len(handed_off), len(conversation_ids)),
        fallback_turns=len(fallbacks), fallback_rate=_rate(len(fallbacks), len(messages)),
        conversations_with_fallback=len({t.conversation_id for t in fallbacks}),
    )

    return Dashboard(
        start=start, end=end, channel=channel, channels=channels(session), conversations=conversations,
        per_day=_per_day(start, end, messages, handoff_days, fallbacks),
        helpfulness=Helpfulness(ratings=len(ratings), helpful=sum(1 for r in ratings if r.helpful),
                                helpful_rate=_rate(sum(1 for r in ratings if r.helpful), len(ratings))),
        top_intents=_top_intents(messages),
        top_unanswered=_top_unanswered(session, since, until, conversation_ids if channel else None),
        recommendations=_recommendations(session, since, until, turns, conversation_ids if channel else None),
        offers=_offers(session, since, until, now),
        purchase_intent=_intent_bands(session, since, until),
    )


def _per_day(start: date, end: date, messages: list, handoff_days: dict[str, set[date]],  # type: ignore[type-arg]
             fallbacks: list) -> list[DayCount]:  # type: ignore[type-arg]
    active: dict[date, set[str]] = defaultdict(set)
    for m in messages:
        active[m.occurred_at.date()].add(m.conversation_id)
    handoffs: Counter[date] = Counter(day for days in handoff_days.values() for day in days)
    fallback_count: Counter[date] = Counter(t.occurred_at.date() for t in fallbacks)
    days = []
    day = start
    while day <= end:
        days.append(DayCount(day=day, conversations=len(active.get(day, ())), handoffs=handoffs[day],
                             fallbacks=fallback_count[day]))
        day += timedelta(days=1)
    return days


def _top_intents(messages: list) -> list[IntentCount]:  # type: ignore[type-arg]
    counts: Counter[str] = Counter()
    confidence: dict[str, list[float]] = defaultdict(list)
    for m in messages:
        if m.intent:
            counts[m.intent] += 1
            if m.confidence is not None:
                confidence[m.intent].append(m.confidence)
    return [IntentCount(intent=name, count=n,
                        mean_confidence=round(sum(confidence[name]) / len(confidence[name]), 4)
                        if confidence[name] else None)
            for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]


def _top_unanswered(session: Session, since: datetime, until: datetime,
                    only: set[str] | None) -> list[QuestionCount]:
    rows = session.execute(
        select(UnansweredQuestion.question, UnansweredQuestion.conversation_id)
        .where(UnansweredQuestion.status == QueueStatus.OPEN,
               _in_period(UnansweredQuestion.created_at, since, until))
    ).all()
    counts: Counter[str] = Counter()
    wording: dict[str, str] = {}
    for question, conversation_id in rows:
        if only is not None and conversation_id not in only:
            continue
        text = redact(_SPACES.sub(" ", question.strip()))
        key = text.lower().rstrip("?!. ")
        counts[key] += 1
        wording.setdefault(key, text)
    return [QuestionCount(question=wording[key], count=n)
            for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]


def _recommendations(session: Session, since: datetime, until: datetime, turns: list,  # type: ignore[type-arg]
                     only: set[str] | None) -> Recommendations:
    shown = [t for t in turns if t.kind == TurnKind.RECOMMENDATION]
    clicks = [c for c in session.execute(
        select(VisitSession.session_key, VisitSession.customer_id, BehaviourEvent.product_id,
               BehaviourEvent.occurred_at)
        .join(VisitSession, VisitSession.id == BehaviourEvent.session_id)
        .where(BehaviourEvent.kind == EventKind.PAGE_VIEW, BehaviourEvent.page.like(RECOMMENDATION_PAGE),
               _in_period(BehaviourEvent.occurred_at, since, until))
    ).all() if only is None or c.session_key in only]
    orders: dict[int, int] = {}
    by_customer = [c for c in clicks if c.customer_id is not None and c.product_id is not None]
    if by_customer:
        customers = {c.customer_id for c in by_customer}
        candidates = session.execute(
            select(Order.id, Order.customer_id, Order.placed_at, Order.total_cents, OrderItem.product_id)
            .join(OrderItem, OrderItem.order_id == Order.id)
            .where(Order.customer_id.in_(customers), Order.status != OrderStatus.CANCELLED,
                   Order.placed_at >= since, Order.placed_at < until + ATTRIBUTION_WINDOW)
        ).all()
        lines: dict[tuple[int, int], list] = defaultdict(list)  # type: ignore[type-arg]
        for o in candidates:
            lines[(o.customer_id, o.product_id)].append(o)
        for c in by_customer:
            for o in lines.get((c.customer_id, c.product_id), ()):
                if c.occurred_at <= o.placed_at <= c.occurred_at + ATTRIBUTION_WINDOW:
                    orders[o.id] = o.total_cents
    products_shown = sum(t.item_count or 0 for t in shown)
    return Recommendations(
        lists_shown=len(shown), products_shown=products_shown, clicks=len(clicks),
        click_through_rate=_rate(len(clicks), products_shown), orders_influenced=len(orders),
        revenue_influenced_cents=sum(orders.values()), attribution_days=ATTRIBUTION_WINDOW.days,
    )


def _offers(session: Session, since: datetime, until: datetime, now: datetime) -> Offers:
    issued, redeemed, discount = session.execute(
        select(func.count(Offer.id),
               func.count(Offer.id).filter(Offer.status == OfferStatus.REDEEMED),
               func.coalesce(func.sum(Offer.discount_cents).filter(Offer.status == OfferStatus.REDEEMED), 0))
        .where(_in_period(Offer.issued_at, since, until))
    ).one()
    decisions = session.execute(
        select(Decision.customer_id, Decision.decided_at, Decision.offer_id)
        .where(Decision.explored.is_(True), _in_period(Decision.decided_at, since, until),
               Decision.decided_at <= now - OUTCOME_WINDOW)
    ).all()
    placed: dict[int, list[datetime]] = defaultdict(list)
    if decisions:
        for customer_id, placed_at in session.execute(
                select(Order.customer_id, Order.placed_at)
                .where(Order.customer_id.in_({d.customer_id for d in decisions}), Order.placed_at > since,
                       Order.placed_at <= until + OUTCOME_WINDOW)):
            placed[customer_id].append(placed_at)
    arms: dict[bool, list[bool]] = {True: [], False: []}
    for d in decisions:
        end = d.decided_at + OUTCOME_WINDOW
        arms[d.offer_id is not None].append(any(d.decided_at < t <= end for t in placed.get(d.customer_id, ())))
    offered, withheld = _rate(sum(arms[True]), len(arms[True])), _rate(sum(arms[False]), len(arms[False]))
    incremental = (round((offered - withheld) * len(arms[True]), 2)
                   if offered is not None and withheld is not None else None)
    return Offers(issued=issued, redeemed=redeemed, redemption_rate=_rate(redeemed, issued), discount_cents=discount,
                  explored_offered=len(arms[True]), explored_withheld=len(arms[False]), conversion_offered=offered,
                  conversion_withheld=withheld, incremental_conversions=incremental)


def _intent_bands(session: Session, since: datetime, until: datetime) -> IntentBands:
    medium, high = DEFAULT_BANDS["medium"], DEFAULT_BANDS["high"]
    scores = session.scalars(
        select(Decision.intent_probability)
        .where(Decision.intent_probability.is_not(None), _in_period(Decision.decided_at, since, until))
    ).all()
    bands = Counter("high" if p >= high else "medium" if p >= medium else "low" for p in scores)
    return IntentBands(scored=len(scores), low=bands["low"], medium=bands["medium"], high=bands["high"],
                       thresholds={"medium": medium, "high": high})


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
