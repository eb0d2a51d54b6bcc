"""A Rasa 3.6 SQL tracker store written by the test itself: the `events` table as SQLTrackerStore creates it,
with rows shaped as Rasa stores them (`data` is the event's as_dict() as JSON text, intent_name and
action_name filled as SQLTrackerStore.save does). Shared by the service, API and browser tests."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

DDL = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER NOT NULL, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT,
    intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT, PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_events_sender_id ON events (sender_id);
"""


@dataclass
class Conversation:
    """Events of one conversation, in order; `at` is the time of the next event (seconds are added)."""

    sender_id: str
    at: datetime
    channel: str = "socketio"
    events: list[dict[str, Any]] = field(default_factory=list)

    def _add(self, event: dict[str, Any]) -> Conversation:
        self.events.append({"timestamp": self.at.timestamp() + len(self.events), **event})
        return self

    def start(self) -> Conversation:
        self._add({"event": "action", "name": "action_session_start", "policy": None, "confidence": None,
                   "action_text": None, "hide_rule_turn": False})
        self._add({"event": "session_started"})
        return self.action("action_listen")

    def user(self, text: str, intent: str, confidence: float = 0.9) -> Conversation:
        parsed = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text,
                  "message_id": f"m{len(self.events)}", "metadata": {},
                  "intent_ranking": [{"name": intent, "confidence": confidence}]}
        return self._add({"event": "user", "metadata": {}, "text": text, "parse_data": parsed,
                          "input_channel": self.channel, "message_id": parsed["message_id"]})

    def action(self, name: str, confidence: float = 1.0) -> Conversation:
        return self._add({"event": "action", "name": name, "policy": "RulePolicy", "confidence": confidence,
                          "action_text": None, "hide_rule_turn": False})

    def bot(self, text: str, utter_action: str | None = None, custom: dict[str, Any] | None = None) -> Conversation:
        data = {"elements": None, "quick_replies": None, "buttons": None, "attachment": None, "image": None,
                "custom": custom}
        return self._add({"event": "bot", "metadata": {"utter_action": utter_action} if utter_action else {},
                          "text": text, "data": data})

    def recommend(self, skus: list[str]) -> Conversation:
        custom = {"type": "product_cards", "products": [{"sku": s} for s in skus], "source": "recommendation",
                  "model_version": "test-1"}
        return self.action("action_recommend").bot("Picked for you:", custom=custom).action("action_listen")

    def slot(self, name: str, value: Any) -> Conversation:
        return self._add({"event": "slot", "name": name, "value": value})

    def form(self, name: str | None) -> Conversation:
        return self._add({"event": "active_loop", "name": name})


def write(path: Path, conversations: list[Conversation], first_id: int | None = None) -> None:
    """Append the conversations' events (ids continue the table's, or start at `first_id`)."""
    connection = sqlite3.connect(path)
    try:
        connection.executescript(DDL)
        next_id = first_id or (connection.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0] + 1)
        for conversation in conversations:
            for event in conversation.events:
                intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
                connection.execute(
                    "INSERT INTO events (id, sender_id, type_name, timestamp, intent_name, action_name, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (next_id, conversation.sender_id, event["event"], event["timestamp"], intent, event.get("name"),
                     json.dumps(event)))
                next_id += 1
        connection.commit()
    finally:
        connection.close()
