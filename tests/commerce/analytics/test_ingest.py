"""The event trail: tracker-store rows become redacted conversation turns, once each, incrementally."""
from __future__ import annotations

import json
import os
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from commerce.analytics import ingest, tracker
from commerce.analytics.models import ConversationTurn, TurnKind
from tests.commerce.analytics.rasa_events import Conversation, write

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)


def turns(db: Session, conversation_id: str) -> list[ConversationTurn]:
    return list(db.scalars(select(ConversationTurn).where(ConversationTurn.conversation_id == conversation_id)
                           .order_by(ConversationTurn.event_id)))


def test_turns_are_copied_compact_and_redacted(db: Session, tracker_path: Path) -> None:
    sender = uuid.uuid4().hex
    conversation = (Conversation(sender, NOON).start()
                    .user("where is SA-123456? I'm jo.doe@example.com, +49 151 2345 6789", "track_order", 0.87)
                    .action("order_form").form("order_form").slot("order_email", "jo.doe@example.com")
                    .bot("Order SA-123456 for jo.doe@example.com is on its way.", "utter_order_status")
                    .form(None).action("action_listen")
                    .user("asdf qwer", "nlu_fallback", 0.12).action("action_default_ask_affirmation")
                    .user("a person please", "contact_human_agent").action("action_handoff")
                    .bot("I've passed our conversation to a colleague."))
    write(tracker_path, [conversation])

    result = ingest.ingest(db)

    rows = turns(db, sender)
    assert result.read == len(conversation.events) and result.written == len(rows)
    assert [r.kind for r in rows] == [
        TurnKind.USER, TurnKind.ACTION, TurnKind.FORM, TurnKind.BOT, TurnKind.FORM, TurnKind.USER,
        TurnKind.FALLBACK, TurnKind.USER, TurnKind.HANDOFF, TurnKind.BOT]  # no session start, listen or slot
    first = rows[0]
    assert (first.intent, first.confidence, first.channel) == ("track_order", 0.87, "socketio")
    assert first.text == "where is [order]? I'm [email], [phone]"
    assert rows[3].text == "Order [order] for [email] is on its way." and rows[3].action_name == "utter_order_status"
    assert rows[3].channel == "socketio"  # the conversation's channel, on the bot's turns too
    assert (rows[2].action_name, rows[4].action_name) == ("order_form", None)
    assert rows[6].action_name == "action_default_ask_affirmation"
    assert first.occurred_at == NOON + timedelta(seconds=3)
    stored = " ".join(r.text or "" for r in db.scalars(select(ConversationTurn)))
    assert "jo.doe" not in stored and "123456" not in stored and "2345" not in stored


def test_only_new_rows_are_read_and_batches_continue(db: Session, tracker_path: Path) -> None:
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    write(tracker_path, [Conversation(first, NOON, channel="rest").user("hi", "greet").bot("Hello!")])
    assert ingest.ingest(db).written == 2
    assert ingest.ingest(db).read == 0  # nothing new: nothing read again

    write(tracker_path, [Conversation(first, NOON + timedelta(minutes=5)).bot("Anything else?"),
                         Conversation(second, NOON).user("recommend me a tent", "recommend")
                         .recommend(["TNT-1", "TNT-2", "TNT-3"])])
    bounded = ingest.ingest(db, batch_size=2, max_batches=1)  # what one dashboard request may do, scaled down
    assert (bounded.read, bounded.more) == (2, True)
    result = ingest.ingest(db, batch_size=2, max_batches=None)
    assert (result.read, result.more, result.waiting_for_gap) == (3, False, False)

    later = turns(db, first)[-1]
    assert (later.kind, later.channel) == (TurnKind.BOT, "rest")  # channel known from the earlier batch
    shown = [t for t in turns(db, second) if t.kind == TurnKind.RECOMMENDATION]
    assert [(t.item_count, t.text) for t in shown] == [(3, "Picked for you:")]
    assert db.query(ConversationTurn).filter(ConversationTurn.conversation_id.in_([first, second])).count() == 6


def test_a_gap_in_the_ids_is_waited_for_then_skipped(db: Session, tracker_path: Path) -> None:
    sender = uuid.uuid4().hex
    write(tracker_path, [Conversation(sender, NOON).user("one", "greet").user("two", "greet")], first_id=1)
    write(tracker_path, [Conversation(sender, NOON).user("four", "greet")], first_id=4)  # 3 not committed yet
    now = datetime.now(timezone.utc)

    waiting = ingest.ingest(db, now=now)
    assert (waiting.read, waiting.last_event_id, waiting.waiting_for_gap) == (2, 2, True)
    assert ingest.ingest(db, now=now + timedelta(seconds=5)).read == 0  # still waiting

    write(tracker_path, [Conversation(sender, NOON).user("three", "greet")], first_id=3)  # it commits
    filled = ingest.ingest(db, now=now + timedelta(seconds=6))
    assert (filled.read, filled.last_event_id, filled.waiting_for_gap) == (2, 4, False)
    assert [t.text for t in turns(db, sender)] == ["one", "two", "three", "four"]

    write(tracker_path, [Conversation(sender, NOON).user("six", "greet")], first_id=6)  # 5 rolled back
    assert ingest.ingest(db, now=now + timedelta(seconds=7)).read == 0
    skipped = ingest.ingest(db, now=now + timedelta(seconds=7) + ingest.GAP_WAIT)
    assert (skipped.read, skipped.last_event_id) == (1, 6)


def test_no_tracker_store_yet_is_nothing_to_copy(db: Session, tmp_path: Path) -> None:
    missing = tmp_path / "not-yet" / "tracker.db"
    assert ingest.ingest(db, f"sqlite:///{missing}").read == 0
    assert not missing.exists()  # Rasa's file is never created by the reader
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()  # Rasa created the file but no table yet
    assert ingest.ingest(db, f"sqlite:///{empty}").read == 0


def test_each_store_keeps_its_own_position(db: Session, tmp_path: Path) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    write(one, [Conversation(uuid.uuid4().hex, NOON).user("hi", "greet")])
    write(two, [Conversation(uuid.uuid4().hex, NOON).user("hi", "greet").user("bye", "goodbye")])
    assert ingest.ingest(db, f"sqlite:///{one}").read == 1
    assert ingest.ingest(db, f"sqlite:///{two}").read == 2  # from its own start, not from id 1 of the other
    assert tracker.source_key("postgresql://rasa:secret@db/tracker") == tracker.source_key(
        "postgresql+psycopg://rasa:other@db/tracker")  # the password is not part of a store's name
    assert tracker.sqlalchemy_url("postgresql://u@h:5432/t") == "postgresql+psycopg://u@h:5432/t"


def test_a_postgresql_tracker_store_as_rasa_names_it(db: Session) -> None:
    """Scale-out keeps conversations in PostgreSQL under a `postgresql://` URL (psycopg 2 to SQLAlchemy)."""
    # PostgreSQL runs wherever the tests do, so this runs in the SQLite pass too.
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    schema = f"tracker_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        with admin.begin() as connection:
            connection.execute(text(f"SET search_path TO {schema}"))
            tracker.EVENTS.create(connection)
            sender = uuid.uuid4().hex
            events = Conversation(sender, NOON, channel="twilio").user("call +44 20 7946 0958", "contact_human_agent") \
                .action("action_handoff").events
            for event in events:
                connection.execute(tracker.EVENTS.insert().values(
                    sender_id=sender, type_name=event["event"], timestamp=event["timestamp"],
                    intent_name=(event.get("parse_data") or {}).get("intent", {}).get("name"),
                    action_name=event.get("name"), data=json.dumps(event)))
        rasa_url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        result = ingest.ingest(db, f"{rasa_url}?options=-csearch_path%3D{schema}")
        assert (result.read, result.written) == (2, 2)
        assert [(t.kind, t.channel, t.text) for t in turns(db, sender)] == [
            (TurnKind.USER, "twilio", "call [phone]"), (TurnKind.HANDOFF, "twilio", None)]
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
