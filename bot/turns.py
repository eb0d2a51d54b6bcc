"""What every chat turn goes through, on every input channel: a rate limit, and an answer even when part of
the assistant has failed.

Rate limit: at most CHAT_MESSAGES_PER_MINUTE (30) messages per conversation per minute; more get one sentence
and are not processed. Counted in Redis when CHAT_RATE_LIMIT_REDIS_URL is set (several Rasa instances share
the count), in this process otherwise.

When a custom action fails (the action server is down, or it answered with an error), Rasa 3.6 logs the
exception, drops the action's events and goes on listening: the shopper sees nothing and waits. Our input
channels wrap Rasa's message handler with `guarded`, which counts what the turn sent and, if it sent
nothing, says so in a sentence — one that points to a person when the action server does not answer.

Bad input (docs/channels.md, "Input limits and bad input"): before a message reaches the NLU its text is cleaned
(control characters, NUL, lone surrogates and invisible direction/format marks removed, NFC); text over
MAX_MESSAGE_CHARS gets the "too long" sentence, text with nothing left to read gets a sentence asking what
the shopper needs, and a text that is not a string at all gets one saying it could not be read. None of these
reaches the NLU (the featurizers fail on an empty token list), and each channel answers them the same way.
"""

from __future__ import annotations

import logging
import os
import time
import unicodedata
from collections import deque
from typing import Any, Awaitable, Callable, Deque, Dict, Optional, Text
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint

from bot import action_validation, redaction

logger = logging.getLogger(__name__)

ACTIONS_DOWN = (
    "Sorry, part of me isn't working right now, so I can't do that. Please try again in a few minutes, "
    "or write to help@juniperlane.example and our team will help."
)
NO_ANSWER = "Sorry, I didn't manage to answer that. Could you put it another way, or ask me for a person?"
TOO_FAST = "You're sending messages faster than I can read them. Please wait a moment and try again."
MAX_MESSAGE_CHARS = 5000
TOO_LONG = f"That message is too long for me; please keep it under {MAX_MESSAGE_CHARS} characters."
NOTHING_TO_READ = (
    "I didn't find any words in that message. What can I help you with? You can ask about an order, "
    "a product, delivery or returns."
)
UNREADABLE = "Sorry, I couldn't read that message. Please send it again as plain text."

# Invisible characters that change how text is shown, not what it says: direction embeddings, overrides and
# isolates (the "RTL override" spoofing trick), direction marks, zero-width spaces and the BOM. Zero-width
# (non-)joiners stay: emoji sequences and Persian words need them.
_INVISIBLE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
                       "\u200b\u2060\ufeff\u00ad")
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


class RateLimiter:
    """Messages per conversation per minute: a sliding window here, a fixed one-minute window in Redis."""

    def __init__(self, per_minute: int, redis_url: Optional[str] = None) -> None:
        self.per_minute = per_minute
        self._recent: Dict[str, Deque[float]] = {}
        self._redis = None
        if redis_url:
            import redis.asyncio as redis  # only when configured

            self._redis = redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)

    @classmethod
    def from_env(cls) -> "RateLimiter":
        return cls(int(os.environ.get("CHAT_MESSAGES_PER_MINUTE", "30")),
                   os.environ.get("CHAT_RATE_LIMIT_REDIS_URL") or None)

    async def allow(self, conversation: str) -> bool:
        if self._redis is not None:
            key = f"shopassist:chat-rate:{conversation}:{int(time.time() // 60)}"
            try:
                count = await self._redis.incr(key)
                if count == 1:
                    await self._redis.expire(key, 120)
                return count <= self.per_minute
            except Exception:  # noqa: BLE001 (a limiter that is down must not stop the chat)
                logger.warning("chat rate limit store unreachable; counting in this process")
        now = time.monotonic()
        recent = self._recent.setdefault(conversation, deque())
        while recent and now - recent[0] > 60:
            recent.popleft()
        if len(recent) >= self.per_minute:
            return False
        recent.append(now)
        if len(self._recent) > 100_000:  # forget idle conversations
            self._recent = {k: v for k, v in self._recent.items() if v and now - v[-1] < 60}
        return True


LIMITER = RateLimiter.from_env()


def clean_text(text: str) -> str:
    """`text` as the NLU should see it: NFC, without control characters (tab and newline become spaces), lone
    surrogates (JSON can carry "\\ud800") or the invisible marks above. Visible characters are kept as sent."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r":
            kept.append(" ")
        elif category in ("Cc", "Cs", "Co", "Cn") or char in _INVISIBLE:
            continue
        else:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def _has_words(text: str) -> bool:
    """Whether the NLU can make tokens of `text`: it needs a letter or a digit (emoji or punctuation alone give
    the featurizers nothing, and the intent classifier then fails)."""
    return any(char.isalnum() for char in text)


def refusal(text: Any) -> Optional[str]:
    """The sentence a message gets instead of being processed, or None when it is processed."""
    if text is None:
        return NOTHING_TO_READ
    if not isinstance(text, str):
        return UNREADABLE
    if len(text) > MAX_MESSAGE_CHARS:
        return TOO_LONG
    if text.startswith("/"):
        return None  # an intent command (a button's payload, /restart)
    if not _has_words(clean_text(text)):
        return NOTHING_TO_READ
    return None


def guarded(on_new_message: Handler) -> Handler:
    async def handler(message: UserMessage) -> None:
        if not await LIMITER.allow(message.sender_id or ""):
            await message.output_channel.send_text_message(message.sender_id, TOO_FAST)
            return
        refused = refusal(message.text)
        if refused is not None:
            await message.output_channel.send_text_message(message.sender_id, refused)
            return
        if not message.text.startswith("/"):
            message.text = clean_text(message.text)
        counting = _CountingOutput(message.output_channel)
        message.output_channel = counting  # type: ignore[assignment]
        try:
            await on_new_message(message)
            failed = False
        except Exception:  # noqa: BLE001 (the NLU or a tracker store failing must still leave a reply)
            logger.exception("turn of %s failed", message.sender_id)
            failed = True
        if counting.sent or (message.text.startswith("/") and not failed):
            return  # answered, or an intent command such as /restart that may rightly be silent
        down = not await _actions_answer()
        logger.warning("turn of %s ended without a reply (action server %s)", message.sender_id,
                       "down" if down else "up")
        await counting.inner.send_text_message(message.sender_id, ACTIONS_DOWN if down else NO_ANSWER)

    return handler


class GuardedTurns:
    """Mixin for a Rasa input channel: its turns are rate-limited and never end without a reply."""

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        redaction.install()  # Rasa has set up its logging by the time it builds the channels
        action_validation.install()
        return super().blueprint(guarded(on_new_message))  # type: ignore[misc]
