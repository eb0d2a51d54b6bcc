"""Chat channels ShopAssist adds on top of Rasa's connectors."""

from __future__ import annotations

import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint


class WidgetSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, fixed for the python-socketio release we pin.

    Rasa 3.6 calls `AsyncServer.enter_room` without `await` (RasaHQ/rasa#13027); since
    python-socketio 5.10 that is a coroutine, so the widget's room is never joined and, with
    session persistence on, the bot's replies reach nobody. We re-register the handler correctly.
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
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not 8 <= len(session_id) <= 64:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        sio.on("session_request", session_request, namespace=self.namespace)
        return blueprint
