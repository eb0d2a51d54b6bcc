"""Chat channels ShopAssist adds on top of Rasa's connectors."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.turns import GuardedTurns

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 5000
MAX_METADATA_CHARS = 4096


def _session_id(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and 8 <= len(value) <= 64 and value.isprintable() else None


def _metadata(value: Any) -> Dict[str, Any]:
    """The widget's metadata (e.g. the known-shopper token) as a small dict; anything else is dropped."""
    if isinstance(value, str) and len(value) <= MAX_METADATA_CHARS:
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if not isinstance(value, dict) or len(json.dumps(value, default=str)) > MAX_METADATA_CHARS:
        return {}
    return value


class WidgetOutput(SocketIOOutput):
    """Sends each bot response as one socket.io event, so the widget can draw a message's text together with
    its custom payload (product cards, an offer) instead of guessing which events belong together. Rasa's own
    send_custom_json passes the payload as keyword arguments to `emit`, which breaks for any other shape."""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if not message.get("custom"):
            await super().send_response(recipient_id, message)
            return
        event: Dict[str, Any] = {"text": message.get("text") or "", "custom": message["custom"]}
        buttons = message.get("quick_replies") or message.get("buttons") or []
        if buttons:
            event["quick_replies"] = [{"title": b["title"], "payload": b["payload"]} for b in buttons]
        await self._send_message(recipient_id, event)


class WidgetSocketIOInput(GuardedTurns, SocketIOInput):
    """Rasa's socket.io channel, fixed for the python-socketio release we pin and hardened for the open web.

    Rasa 3.6 calls `AsyncServer.enter_room` without `await` (RasaHQ/rasa#13027); since
    python-socketio 5.10 that is a coroutine, so the widget's room is never joined and, with
    session persistence on, the bot's replies reach nobody. We re-register the handler correctly.
    The message handler is ours too: it answers through WidgetOutput, refuses odd input (no session,
    non-text, oversized text, malformed metadata) instead of raising, and caps what reaches the NLU.
    """

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None

        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = _session_id(data.get("session_id")) or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def user_message(sid: Text, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = _session_id(data.get("session_id"))
            text = data.get("message")
            if session_id is None or not isinstance(text, str) or not text.strip():
                logger.debug("ignored a widget message without a session or text from %s", sid)
                return
            output = WidgetOutput(sio, self.bot_message_evt)
            if len(text) > MAX_MESSAGE_CHARS:
                await output.send_text_message(
                    session_id, f"That message is too long for me; please keep it under {MAX_MESSAGE_CHARS} characters."
                )
                return
            metadata = _metadata(data.get(self.metadata_key))
            await on_new_message(UserMessage(text, output, session_id, input_channel=self.name(), metadata=metadata))

        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, user_message, namespace=self.namespace)
        return blueprint


class ShopRestInput(GuardedTurns, RestInput):
    """Rasa's REST channel (same URL, /webhooks/rest/webhook) whose turns never end without a reply."""
