"""Copy new tracker-store events into `conversation_turns`, redacted: `python -m commerce.analytics.ingest`.

Incremental: each tracker store's position (the last event id copied) is kept in `analytics_ingest_state`,
and every call reads only the rows after it, in batches. The dashboard calls `ingest` before it computes
(cheap when nothing is new); the command copies everything outstanding, e.g. from cron.

Ids of a PostgreSQL store are handed out before their transactions commit, so a row with a higher id can be
visible before one with a lower id. Rows are therefore copied only up to the first gap in the ids; a gap is
skipped once it has lasted GAP_WAIT (its transaction rolled back, or the rows were deleted). The state row is
locked while a batch is copied (SELECT … FOR UPDATE; on SQLite the unique (source, event_id) constraint
turns a concurrent copy into an error that is rolled back), so two backends never copy a row twice.

What is kept: the conversation id, time, kind of turn, intent and its confidence, action name, input channel,
the number of recommended products shown, and the text with e-mail addresses, order numbers, phone numbers
and tokens replaced by bot.redaction (the rules every log line goes through). Slot values, entities,
message metadata and the rest of Rasa's event data are not copied.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.redaction import redact
from commerce.analytics import tracker
from commerce.analytics.models import ConversationTurn, IngestState, TurnKind
from commerce.config import get_settings
from commerce.db import utcnow

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
GAP_WAIT = timedelta(seconds=30)
MAX_TEXT = 1000
FALLBACK_ACTIONS = frozenset({
    "action_default_fallback", "action_default_ask_affirmation", "action_default_ask_rephrase",
    "action_two_stage_fallback",
})
HANDOFF_ACTIONS = frozenset({"action_handoff"})
SKIPPED_ACTIONS = frozenset({"action_listen", "action_session_start"})  # bookkeeping, not the conversation


@dataclass
class IngestResult:
    read: int = 0  # tracker rows read
    written: int = 0  # turns stored
    last_event_id: int = 0
    waiting_for_gap: bool = False
    more: bool = False  # stopped at max_batches with rows left to copy


def _short(value: Any, length: int) -> str | None:
    return str(value)[:length] if value not in (None, "") else None


def _moment(row: tracker.EventRow, data: dict[str, Any]) -> datetime:
    stamp = row.timestamp if row.timestamp is not None else data.get("timestamp")
    try:
        return datetime.fromtimestamp(float(stamp), timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return utcnow()


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return redact(value.strip())[:MAX_TEXT]


def event_data(row: tracker.EventRow) -> dict[str, Any]:
    """The event as Rasa stored it (its as_dict()); empty when unreadable."""
    try:
        data = json.loads(row.data or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def turn_values(row: tracker.EventRow, data: dict[str, Any], channel: str | None) -> dict[str, Any] | None:
    """The conversation_turns values of one tracker event, or None for events that are not kept."""
    kind = row.type_name or data.get("event")
    values: dict[str, Any] = {"conversation_id": row.sender_id[:255], "occurred_at": _moment(row, data),
                              "channel": channel}
    if kind == "user":
        intent = (data.get("parse_data") or {}).get("intent") or {}
        confidence = intent.get("confidence")
        return {**values, "kind": TurnKind.USER, "intent": _short(intent.get("name") or row.intent_name, 100),
                "confidence": float(confidence) if isinstance(confidence, (int, float)) else None,
                "text": _text(data.get("text"))}
    if kind == "bot":
        custom = (data.get("data") or {}).get("custom") or {}
        metadata = data.get("metadata") or {}
        recommended = isinstance(custom, dict) and custom.get("source") == "recommendation"
        products = custom.get("products") if recommended else None
        return {**values, "kind": TurnKind.RECOMMENDATION if recommended else TurnKind.BOT,
                "action_name": _short(metadata.get("utter_action") if isinstance(metadata, dict) else None, 100),
                "text": _text(data.get("text")),
                "item_count": len(products) if isinstance(products, list) else (0 if recommended else None)}
    if kind == "action":
        name = data.get("name") or row.action_name
        if not name or name in SKIPPED_ACTIONS:
            return None
        confidence = data.get("confidence")
        turn_kind = (TurnKind.HANDOFF if name in HANDOFF_ACTIONS
                     else TurnKind.FALLBACK if name in FALLBACK_ACTIONS else TurnKind.ACTION)
        return {**values, "kind": turn_kind, "action_name": _short(name, 100),
                "confidence": float(confidence) if isinstance(confidence, (int, float)) else None}
    if kind == "active_loop":
        return {**values, "kind": TurnKind.FORM, "action_name": _short(data.get("name"), 100)}
    return None


def _locked_state(session: Session, source: str) -> IngestState:
    query = select(IngestState).where(IngestState.source == source).with_for_update()
    state = session.scalars(query).first()
    if state is not None:
        return state
    try:
        with session.begin_nested():
            session.add(IngestState(source=source, last_event_id=0, updated_at=utcnow()))
    except IntegrityError:
        pass  # another process created it first
    return session.scalars(query).one()


def _accepted(rows: list[tracker.EventRow], state: IngestState, now: datetime) -> tuple[list[tracker.EventRow], bool]:
    """The rows that can be copied now (ids without a gap after the last copied one) and whether a gap stopped
    the batch. Updates state.gap_since."""
    accepted: list[tracker.EventRow] = []
    last = state.last_event_id
    for row in rows:
        contiguous = row.id == last + 1 or last == 0  # the first copy starts wherever the store starts
        if not contiguous:
            if accepted or state.gap_since is None:
                state.gap_since = now  # a gap seen for the first time (after progress, it is a new gap)
                return accepted, True
            if now - state.gap_since < GAP_WAIT:
                return accepted, True
        state.gap_since = None
        accepted.append(row)
        last = row.id
    return accepted, False


def _known_channels(session: Session, conversation_ids: set[str]) -> dict[str, str]:
    if not conversation_ids:
        return {}
    rows = session.execute(
        select(ConversationTurn.conversation_id, ConversationTurn.channel)
        .where(ConversationTurn.conversation_id.in_(conversation_ids), ConversationTurn.kind == TurnKind.USER,
               ConversationTurn.channel.is_not(None))
        .order_by(ConversationTurn.id)
    ).all()
    return {conversation: channel for conversation, channel in rows}  # the latest wins


def _rows_to_turns(session: Session, source: str, rows: list[tracker.EventRow]) -> list[dict[str, Any]]:
    channels = _known_channels(session, {r.sender_id[:255] for r in rows})
    turns = []
    for row in rows:
        data = event_data(row)
        conversation_id = row.sender_id[:255]
        if row.type_name == "user" and (channel := _short(data.get("input_channel"), 32)):
            channels[conversation_id] = channel
        values = turn_values(row, data, channels.get(conversation_id))
        if values is not None:
            turns.append({"source": source, "event_id": row.id, **values})
    return turns


def ingest(session: Session, url: str | None = None, batch_size: int = BATCH_SIZE, max_batches: int | None = 20,
           now: datetime | None = None) -> IngestResult:
    """Copy what is new in the tracker store at `url` (default: settings.TRACKER_STORE_URL). `max_batches`
    bounds the work of one call (None: until everything is copied). Commits after every batch."""
    url = url or get_settings().TRACKER_STORE_URL
    source = tracker.source_key(url)
    result = IngestResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        moment = now or utcnow()
        state = _locked_state(session, source)
        rows = tracker.read_events(url, state.last_event_id, batch_size)
        result.last_event_id = state.last_event_id
        if not rows:
            session.commit()
            break
        accepted, result.waiting_for_gap = _accepted(rows, state, moment)
        turns = _rows_to_turns(session, source, accepted)
        try:
            if turns:
                session.execute(insert(ConversationTurn), turns)
            if accepted:
                state.last_event_id = accepted[-1].id
            state.updated_at = moment
            session.commit()
        except IntegrityError:
            session.rollback()  # another process copied these rows at the same time
            log.info("analytics ingest: rows already copied by another process")
            break
        result.read += len(accepted)
        result.written += len(turns)
        result.last_event_id = state.last_event_id
        if result.waiting_for_gap or len(rows) < batch_size:
            break
    else:
        result.more = True
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tracker-store-url", help="default: TRACKER_STORE_URL (settings)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args(argv)
    from commerce.db import get_sessionmaker

    with get_sessionmaker()() as session:
        result = ingest(session, args.tracker_store_url, args.batch_size, max_batches=None)
    print(f"read {result.read} tracker events, stored {result.written} turns, at event id {result.last_event_id}"
          + (" (waiting for a gap in the ids to fill)" if result.waiting_for_gap else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
