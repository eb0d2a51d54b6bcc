"""Chat channels ShopAssist adds on top of Rasa's connectors."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.turns import MAX_MESSAGE_CHARS, TOO_LONG, UNREADABLE, GuardedTurns

logger = logging.getLogger(__name__)

__all__ = ["MAX_MESSAGE_CHARS", "TOO_LONG", "ShopRestInput", "WidgetSocketIOInput"]

MAX_METADATA_CHARS = 4096
MAX_SENDER_CHARS = 128
# A request body larger than this is refused before it is parsed (413). A message at the text limit, even all
# emoji written as JSON escapes (12 bytes each), fits easily; so does a 100 KB message, which gets TOO_LONG.
MAX_BODY_BYTES = 1_000_000


def _session_id(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and 8 <= len(value) <= 64 and value.isprintable() else None


def _metadata_size(value: Any) -> int:
    return len(json.dumps(value, default=str))


def _metadata(value: Any) -> Dict[str, Any]:
    """The widget's metadata (e.g. the known-shopper token) as a small dict; anything else is dropped."""
    if isinstance(value, str) and len(value) <= MAX_METADATA_CHARS:
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if not isinstance(value, dict) or _metadata_size(value) > MAX_METADATA_CHARS:
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


class _WidgetRoutes(SocketIOInput):
    """Rasa's socket.io channel, fixed for the python-socketio release we pin and hardened for the open web.

    Rasa 3.6 calls `AsyncServer.enter_room` without `await` (RasaHQ/rasa#13027); since
    python-socketio 5.10 that is a coroutine, so the widget's room is never joined and, with
    session persistence on, the bot's replies reach nobody. We re-register the handler correctly.
    The message handler is ours too: it answers through WidgetOutput, refuses odd input (no session,
    non-text, malformed metadata) with a sentence instead of raising. WidgetSocketIOInput puts GuardedTurns in
    front, so `on_new_message` here is already guarded (rate limit, text limits, a reply for every turn).
    """

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None

        async def session_request(sid: Text, *args: Any) -> None:
            data = args[0] if args and isinstance(args[0], dict) else {}
            session_id = _session_id(data.get("session_id")) or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def user_message(sid: Text, *args: Any) -> None:
            # *args: a client may emit the event with no data or several arguments (python-socketio would
            # raise TypeError calling a handler with the wrong number of them).
            data = args[0] if len(args) == 1 and isinstance(args[0], dict) else {}
            session_id = _session_id(data.get("session_id"))
            text = data.get("message")
            if session_id is None or not isinstance(text, str):
                # Not what the widget sends. No status code to give: one sentence to this connection alone.
                logger.debug("refused a widget message without a session or text from %s", sid)
                await sio.emit(self.bot_message_evt, {"text": UNREADABLE}, room=sid, namespace=self.namespace)
                return
            output = WidgetOutput(sio, self.bot_message_evt)
            # Empty and oversized text is answered by GuardedTurns, the same way on every channel.
            metadata = _metadata(data.get(self.metadata_key))
            await on_new_message(UserMessage(text, output, session_id, input_channel=self.name(), metadata=metadata))

        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, user_message, namespace=self.namespace)
        return blueprint


class WidgetSocketIOInput(GuardedTurns, _WidgetRoutes):
    """The widget's channel. GuardedTurns comes first so the handlers above receive the guarded message handler:
    had _WidgetRoutes inherited GuardedTurns itself, its own `blueprint` would have run first and registered
    the unguarded one (as it did until the bad-input tests showed empty widget messages crashing the NLU)."""


def refuse(status: int, reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=status)


def oversized(request: Request) -> Optional[HTTPResponse]:
    """A 413 for a body over MAX_BODY_BYTES (every entrance: REST, widget and the messaging webhooks), else None."""
    if len(request.body or b"") > MAX_BODY_BYTES:
        return refuse(413, f"the request body is over {MAX_BODY_BYTES} bytes")
    return None


def json_object(request: Request) -> Any:
    """The body as a JSON object (cached for Rasa's route), or the HTTPResponse refusing it (413 or 400)."""
    too_big = oversized(request)
    if too_big is not None:
        return too_big
    try:
        data = json.loads(request.body)  # bytes: invalid UTF-8 is a UnicodeDecodeError, a ValueError
    except ValueError:
        return refuse(400, "the body is not valid JSON in UTF-8")
    if not isinstance(data, dict):
        return refuse(400, "the body must be a JSON object")
    request.parsed_json = data  # where Sanic's `request.json`, and so Rasa's route, looks
    return data


def _is_json(request: Request) -> bool:
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def rest_problem(request: Request) -> Optional[HTTPResponse]:
    """Why a POST to the REST webhook is refused (a 4xx with a reason), or None when it is well formed."""
    if not _is_json(request):
        return oversized(request) or refuse(
            415, 'send a JSON object, {"sender": "...", "message": "..."}, as application/json')
    data = json_object(request)
    if isinstance(data, HTTPResponse):
        return data
    sender = data.get("sender")
    if not isinstance(sender, str) or not 1 <= len(sender) <= MAX_SENDER_CHARS or not sender.isprintable():
        return refuse(400, f"sender must be a text of 1 to {MAX_SENDER_CHARS} printable characters")
    if not isinstance(data.get("message"), str):
        return refuse(400, "message must be a text")
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return refuse(400, "metadata must be a JSON object")
    if metadata is not None and _metadata_size(metadata) > MAX_METADATA_CHARS:
        return refuse(413, f"metadata is over {MAX_METADATA_CHARS} characters")
    return None


class ShopRestInput(GuardedTurns, RestInput):
    """Rasa's REST channel (same URL, /webhooks/rest/webhook) whose turns never end without a reply.

    Rasa's own route takes any body: a list, a number or `null` raised inside it (HTTP 500), a missing sender
    put the message into one shared conversation named "default", and a caller could name another channel
    in `input_channel`. Here a malformed request gets a 4xx with {"error": reason} before Rasa sees it.
    """

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def check_request(request: Request) -> Optional[HTTPResponse]:
            if request.method == "POST" and request.path.rstrip("/").endswith("/webhook"):
                return rest_problem(request)
            return None

        return blueprint
