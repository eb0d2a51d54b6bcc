"""Chat turns: the per-conversation rate limit (in process and in Redis), a reply for every turn, and personal
data kept out of log lines."""

from __future__ import annotations

import asyncio
import logging
import uuid

import pytest
import redis
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot import redaction, turns

REDIS_URL = "redis://127.0.0.1:6379/0"


def run(coroutine):
    return asyncio.new_event_loop().run_until_complete(coroutine)


def test_in_process_limit_per_conversation():
    limiter = turns.RateLimiter(per_minute=3)
    assert [run(limiter.allow("a")) for _ in range(4)] == [True, True, True, False]
    assert run(limiter.allow("b"))  # another conversation has its own count


def test_redis_limit_is_shared_by_every_process():
    redis.Redis.from_url(REDIS_URL).ping()  # the test needs the real server (it runs on every machine)
    conversation = f"test-{uuid.uuid4().hex}"

    async def two_instances():
        first, second = turns.RateLimiter(3, REDIS_URL), turns.RateLimiter(3, REDIS_URL)
        answers = [await first.allow(conversation), await second.allow(conversation), await first.allow(conversation),
                   await second.allow(conversation)]
        await first._redis.aclose() if hasattr(first._redis, "aclose") else await first._redis.close()
        await second._redis.aclose() if hasattr(second._redis, "aclose") else await second._redis.close()
        return answers

    assert run(two_instances()) == [True, True, True, False]


def test_unreachable_redis_falls_back_to_counting_here():
    limiter = turns.RateLimiter(2, "redis://127.0.0.1:1/0")
    assert [run(limiter.allow("c")) for _ in range(3)] == [True, True, False]


@pytest.fixture
def limiter(monkeypatch):
    limiter = turns.RateLimiter(per_minute=2)
    monkeypatch.setattr(turns, "LIMITER", limiter)
    return limiter


def test_over_the_limit_the_shopper_is_told_and_the_message_is_not_processed(limiter):
    processed = []

    async def bot(message: UserMessage) -> None:
        processed.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "hi"})

    handler = turns.guarded(bot)
    output = CollectingOutputChannel()
    for text in ("one", "two", "three"):
        run(handler(UserMessage(text, output, "s1")))
    assert processed == ["one", "two"]
    assert output.messages[-1]["text"] == turns.TOO_FAST


def test_a_silent_turn_gets_a_sentence(limiter, monkeypatch):
    async def silent_bot(message: UserMessage) -> None:
        return None

    async def actions_up() -> bool:
        return True

    monkeypatch.setattr(turns, "_actions_answer", actions_up)
    output = CollectingOutputChannel()
    run(turns.guarded(silent_bot)(UserMessage("hello?", output, "s2")))
    assert [m["text"] for m in output.messages] == [turns.NO_ANSWER]


def test_log_lines_lose_emails_order_numbers_phones_and_tokens(caplog):
    line = ("lookup SA-123456 for Jane.Doe+shop@example.co.uk, call +49 30 1234 5678, "
            "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl, order #654321")
    cleaned = redaction.redact(line)
    for secret in ("SA-123456", "Jane.Doe", "example.co.uk", "1234 5678", "eyJhbGci", "654321"):
        assert secret not in cleaned
    assert cleaned.count("[order]") == 2 and "[email]" in cleaned and "[phone]" in cleaned and "[token]" in cleaned


def test_install_wraps_existing_handlers_once():
    logger = logging.getLogger("rasa")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    try:
        redaction.install()
        redaction.install()
        assert isinstance(handler.formatter, redaction.RedactingFormatter)
        assert not isinstance(handler.formatter.inner, redaction.RedactingFormatter)
        record = logging.LogRecord("rasa", logging.INFO, __file__, 1, "user %s wrote", ("a@b.example",), None)
        assert handler.format(record) == "user [email] wrote"
    finally:
        logger.removeHandler(handler)
