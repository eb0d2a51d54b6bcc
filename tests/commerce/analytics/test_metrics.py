"""The dashboard's figures from a known story (tests/commerce/analytics/story.py), all channels and one."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from commerce.analytics import ingest, metrics
from tests.commerce.analytics import story


def test_figures_of_the_story(db: Session, tracker_path: Path) -> None:
    known = story.build(db, tracker_path)
    ingest.ingest(db)

    board = metrics.dashboard(db, story.DAY1, story.DAY2)

    c = board.conversations
    assert (c.total, c.user_messages, c.handoffs, c.resolved_automatically) == (4, 7, 1, 2)
    assert (c.automated_resolution_rate, c.handoff_rate) == (0.5, 0.25)
    assert (c.fallback_turns, c.fallback_rate, c.conversations_with_fallback) == (1, round(1 / 7, 4), 1)
    assert [(d.day, d.conversations, d.handoffs, d.fallbacks) for d in board.per_day] == [
        (story.DAY1, 2, 1, 0), (story.DAY2, 2, 0, 1)]
    assert (board.helpfulness.ratings, board.helpfulness.helpful, board.helpfulness.helpful_rate) == (2, 1, 0.5)
    assert [(i.intent, i.count) for i in board.top_intents] == [
        ("faq", 2), ("contact_human_agent", 1), ("greet", 1), ("nlu_fallback", 1), ("recommend", 1), ("thanks", 1)]
    assert board.top_intents[0].mean_confidence == 0.75
    assert [(q.question, q.count) for q in board.top_unanswered] == [
        ("Do you ship to Mars?", 2), ("I am [email], where is [order]", 1)]
    r = board.recommendations
    assert (r.lists_shown, r.products_shown, r.clicks, r.click_through_rate) == (1, 3, 1, round(1 / 3, 4))
    assert (r.orders_influenced, r.revenue_influenced_cents) == (1, known.revenue_cents)
    o = board.offers
    assert (o.issued, o.redeemed, o.redemption_rate, o.discount_cents) == (3, 1, round(1 / 3, 4), 500)
    assert (o.explored_offered, o.explored_withheld, o.conversion_offered, o.conversion_withheld) == (4, 4, 0.5, 0.25)
    assert o.incremental_conversions == 1.0
    b = board.purchase_intent
    assert (b.scored, b.low, b.medium, b.high) == (7, 3, 2, 2)
    assert {"rest", "socketio"} <= set(board.channels)


def test_the_channel_filter(db: Session, tracker_path: Path) -> None:
    story.build(db, tracker_path)
    ingest.ingest(db)

    rest = metrics.dashboard(db, story.DAY1, story.DAY2, "rest")
    c = rest.conversations
    assert (c.total, c.user_messages, c.handoffs, c.resolved_automatically, c.fallback_turns) == (2, 3, 0, 1, 1)
    assert [d.conversations for d in rest.per_day] == [0, 2]
    assert rest.helpfulness.ratings == 2
    assert [(q.question, q.count) for q in rest.top_unanswered] == [("Do you ship to Mars?", 2)]
    assert (rest.recommendations.lists_shown, rest.recommendations.clicks) == (0, 0)

    widget = metrics.dashboard(db, story.DAY1, story.DAY1, "socketio")
    assert (widget.conversations.total, widget.conversations.handoffs, widget.helpfulness.ratings) == (2, 1, 0)
    assert widget.recommendations.clicks == 1


def test_an_empty_period_has_no_rates(db: Session, tracker_path: Path) -> None:
    story.build(db, tracker_path)
    ingest.ingest(db)
    board = metrics.dashboard(db, story.DAY1.replace(year=2020), story.DAY1.replace(year=2020))
    assert board.conversations.total == 0 and board.conversations.automated_resolution_rate is None
    assert board.recommendations.click_through_rate is None and board.helpfulness.helpful_rate is None


def test_csv_lists_every_figure(db: Session, tracker_path: Path) -> None:
    story.build(db, tracker_path)
    ingest.ingest(db)
    text = metrics.to_csv(metrics.dashboard(db, story.DAY1, story.DAY2))
    lines = text.splitlines()
    assert lines[0] == "section,key,value"
    assert "conversations,total,4" in lines and "conversations,automated_resolution_rate,0.5" in lines
    assert "conversations_per_day,2026-11-02,2" in lines and "top_intents,faq,2" in lines
    assert "purchase_intent,thresholds.medium,0.2" in lines
    assert "ana@example.org" not in text
