"""Every shopper message gets an answer, even when part of the assistant has failed.

When a custom action fails (the action server is down, or it answered with an error), Rasa 3.6 logs the
exception, drops the action's events and goes on listening: the shopper sees nothing and waits. Our input
channels wrap Rasa's message handler with `never_silent`, which counts what the turn sent and, if it sent
nothing, says so in a sentence — one that points to a person when the action server does not answer.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, Dict, Text
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint

logger = logging.getLogger(__name__)

ACTIONS_DOWN = (
    "Sorry, part of me isn't working right now, so I can't do that. Please try again in a few minutes, "
    "or write to help@juniperlane.example and our team will help."
)
NO_ANSWER = "Sorry, I didn't manage to answer that. Could you put it another way, or ask me for a person?"
Handler = Callable[[UserMessage], Awaitable[Any]]


class _CountingOutput:
    """Passes everything to the channel's own output and counts the responses sent through it."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _actions_health_url() -> str:
    url = urlsplit(os.environ.get("ACTION_ENDPOINT_URL", "http://localhost:5055/webhook"))
    return urlunsplit((url.scheme, url.netloc, "/health", "", ""))


async def _actions_answer() -> bool:
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.5)) as session:
            async with session.get(_actions_health_url()) as resp:
                return resp.status == 200
    except (aiohttp.ClientError, OSError, TimeoutError):
        return False


def never_silent(on_new_message: Handler) -> Handler:
    async def handler(message: UserMessage) -> None:
        counting = _CountingOutput(message.output_channel)
        message.output_channel = counting  # type: ignore[assignment]
        await on_new_message(message)
        if counting.sent or not (message.text or "").strip() or (message.text or "").startswith("/"):
            return  # answered, or an intent command such as /restart that may rightly be silent
        down = not await _actions_answer()
        logger.warning("turn of %s ended without a reply (action server %s)", message.sender_id,
                       "down" if down else "up")
        await counting.inner.send_text_message(message.sender_id, ACTIONS_DOWN if down else NO_ANSWER)

    return handler


class NeverSilent:
    """Mixin for a Rasa input channel: its turns never end without a reply (see the module docstring)."""

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(never_silent(on_new_message))  # type: ignore[misc]
